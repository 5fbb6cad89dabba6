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
  // Rounded half away from zero on both sides: -0.15 h is -0.2 h as 0.15 h is 0.2 h (Math.round alone rounds -0.15 to -0.1).
  return ms === null ? null : (Math.sign(ms) * Math.round(Math.abs(ms) / 360_000)) / 10 || 0;
}
