/**
 * How every read route shows a share and a duration to people, in one place so that the statistics, the
 * SLA lists and the boards round alike: a percent and hours with one decimal.
 */

/** part ÷ whole in %, one decimal; null when the whole is 0 (no rate, rather than 0 %). */
export const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** A duration in ms as hours with one decimal (negative stays negative: a deadline already passed); null stays null. */
export function hours(ms: number): number;
export function hours(ms: number | null): number | null;
export function hours(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 360_000) / 10;
}
