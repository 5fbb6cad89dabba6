/**
 * ISO 8601 durations limited to fixed-length units (weeks, days, hours, minutes, seconds).
 * Years and months are refused: their length depends on the calendar, and an SLA deadline must
 * be reproducible from the event alone.
 */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    Number(weeks ?? 0) * 604_800_000 +
    Number(days ?? 0) * 86_400_000 +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

export function addDuration(isoInstant: string, duration: string): string {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new RangeError(`not a supported ISO 8601 duration: ${duration}`);
  return new Date(Date.parse(isoInstant) + ms).toISOString();
}
