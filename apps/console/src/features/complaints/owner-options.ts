/** The list filters' word for "none yet": GET /complaints?department=unassigned (or assignee=) lists the complaints not yet assigned. */
export const UNASSIGNED = 'unassigned';

/**
 * The choices of the queue's department or assignee picker, in the order the list shows them (Enter takes the first
 * that matches): the code typed and the code the address shows, then "none yet" named in the language picked (`none`).
 * Typing the start of that name ("No dep", "未分派") offers it first and the text typed not as a code, so that Enter
 * chooses it (the list also makes active an option whose value starts with the text typed, when the picker holds a
 * value: a code "No dep" offered would have been taken); leaving the field still takes such a text as a code.
 */
export function ownerOptions(typed: string, value: string | undefined, none: string): Array<{ value: string; label: string }> {
  const code = typed.trim();
  const startsNone = code !== '' && none.toLocaleLowerCase().startsWith(typed.trimStart().toLocaleLowerCase());
  const codes = [...new Set([startsNone ? '' : code, value ?? ''])].filter((each) => each !== '' && each !== UNASSIGNED);
  const nobody = { value: UNASSIGNED, label: none };
  const offered = codes.map((each) => ({ value: each, label: each }));
  return startsNone ? [nobody, ...offered] : [...offered, nobody];
}
