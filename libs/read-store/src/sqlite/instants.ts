/**
 * How SQLite keeps a column of instants (ColumnType `instant`, docs/adr/0011 fourteenth step): an instant as
 * `Date.toISOString` writes it is stored as its milliseconds (an integer of 6 bytes where the text took 24, in
 * the row and in every index that holds it), and read back as that same text. Any other string is stored as it
 * is: SQLite orders every integer before every text, so such a string sorts after every instant, and a range's
 * bound, translated to milliseconds, places it after every bound as well: a range is one slice of the column's
 * order, one range of its index. Projections write instants only; the other strings are kept, never refused.
 */

/** The first and last instants of four-digit years, the ones toISOString writes in 24 characters. */
const FIRST = Date.parse('0000-01-01T00:00:00.000Z');
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The value a column of instants stores for a string: its milliseconds when it is exactly their toISOString, else the string. */
export function storedInstant(text: string): number | string {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */) return text;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= FIRST && ms <= LAST && new Date(ms).toISOString() === text ? ms : text;
}

/** The string a stored value of a column of instants is answered as. */
export function answeredInstant(value: unknown): unknown {
  return typeof value === 'number' ? new Date(value).toISOString() : value;
}

/**
 * The fewest milliseconds whose instant, as text, is at or after `bound` (after it, `strict`); LAST + 1 for none.
 * Instants of four-digit years sort as text in the order of their milliseconds, so `text >= bound` is `ms >= this`
 * for each of them, whatever the bound (`2026-01-01`, a whole instant, an empty string).
 */
export function lowestInstantFrom(bound: string, strict: boolean): number {
  const passes = (ms: number): boolean => {
    const text = new Date(ms).toISOString();
    return strict ? text > bound : text >= bound;
  };
  let low = FIRST;
  let high = LAST + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (passes(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}
