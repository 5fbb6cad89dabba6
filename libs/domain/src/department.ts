import { principalKey } from './principal';

/**
 * A department is named by a plain code: letters, digits and . _ - only, starting with a letter or
 * digit. Read models key "what a principal limited to departments may see" by department, beside
 * markers of their own (the complaints a principal received), so a department name must never be
 * able to look like anything else: no `:`, `@`, spaces or other punctuation (issue 16).
 */
export const DEPARTMENT_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';
const DEPARTMENT_CODE = new RegExp(DEPARTMENT_CODE_PATTERN);

/** What a department code may contain, in the words every refusal uses. */
export const DEPARTMENT_CODE_RULE = 'a plain code of 1–100 letters, digits, . _ or - that starts with a letter or digit (e.g. station-ops)';

export function isDepartmentCode(value: unknown): value is string {
  return typeof value === 'string' && DEPARTMENT_CODE.test(value);
}

/**
 * The word the statistics file what is not yet assigned (no department or handler) or dispatched (no
 * station or engineer) under: a row of the read models, never a code. A unit, person or token scope of
 * that code would have its figures merged with that row, so every command that names a new one refuses
 * it, letter case and width aside (codes and ids are compared so); events already recorded stay as they are.
 */
export const UNASSIGNED_ROW = 'unassigned';

export const isReservedCode = (value: string): boolean => principalKey(value) === UNASSIGNED_ROW;

/** What to do instead, for an assignment's department or handler: the same words from the decider and the directory check. */
export const RESERVED_ADVICE = {
  department: 'name a unit of the directory (GET /service-network lists them)',
  assignee: 'assign it to a person by their own id',
} as const;

/** The refusal's words, the same at every door: what is reserved, why, and what to do instead. */
export const reservedCodeMessage = (field: string, value: string, advice = `pick another code, e.g. ${value.toLowerCase()}-desk`): string =>
  `${field} ${JSON.stringify(value)} is reserved for "not yet assigned" in the statistics (the row of complaints with no department or handler yet, `
  + `and of work orders with no station or engineer yet), letter case aside: ${advice}. Nothing was written.`;
