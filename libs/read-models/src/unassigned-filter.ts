import { isReservedCode } from '@app/domain';

/**
 * A list's filter on who or where an item is assigned (a complaint's department or handler, a work order's
 * station or engineer, a survey's): the statistics' word `unassigned` (UNASSIGNED_ROW, in any letter case or
 * width; no unit or person can have it) asks for the items with none yet. The lists store "none" as null
 * (absent on documents written before the field was kept), so it becomes a filter on null, which finds both
 * on every store (SQLite `IS NULL`, MongoDB `{field: null}`). Compared with the word itself, it found nothing:
 * a supervisor asking for the complaints nobody has yet was told there were none.
 */
export const assignedFilter = (value: string): string | null => (isReservedCode(value) ? null : value);
