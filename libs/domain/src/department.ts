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
