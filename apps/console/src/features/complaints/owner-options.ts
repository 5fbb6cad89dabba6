/** The list filters' word for "none yet": GET /complaints?department=unassigned (or assignee=) lists the complaints not yet assigned. */
export const UNASSIGNED = 'unassigned';

/**
 * The choices of the queue's department or assignee picker, in the order the list shows them (Enter takes the first
 * that matches): the code typed and the code the address shows, then "none yet" named in the language picked (`none`).
 * Typing the start of that name ("No dep", "未分派") puts it first, so that Enter chooses it; any other text typed comes
 * first as a code, as it is typed (the code typed is still in the list, below, when it also starts the name).
 */
export function ownerOptions(typed: string, value: string | undefined, none: string): Array<{ value: string; label: string }> {
  const code = typed.trim();
  const codes = [...new Set([code, value ?? ''])].filter((each) => each !== '' && each !== UNASSIGNED);
  const nobody = { value: UNASSIGNED, label: none };
  const startsNone = code !== '' && none.toLocaleLowerCase().startsWith(typed.trimStart().toLocaleLowerCase());
  const offered = codes.map((each) => ({ value: each, label: each }));
  return startsNone ? [nobody, ...offered] : [...offered, nobody];
}
