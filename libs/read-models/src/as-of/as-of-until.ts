import { isDay, isInstant, utcInstantOf } from '@app/domain';

/**
 * `until` of an as-of generation, parsed: what a build cuts at (buildAsOfGeneration) and what a read marks its periods by
 * (partialPeriodsClock). Apart from the build, so that the reader and the queries use it without the build's imports.
 */
export interface AsOfUntil {
  /** The moment, by business time (the events' occurredAt, else recordedAt), inclusive … */
  readonly time?: string;
  /** … or a position in the log (inclusive). */
  readonly position?: number;
}

/**
 * An ISO 8601 date or date-time with its zone, as the instants it covers: a date alone is its whole day (UTC). The rule of every
 * date-time the API takes (isInstant of @app/domain: an offset from -12:00 to +14:00, at most milliseconds, a UTC instant in the
 * years 0000-9999); anything else is undefined.
 */
export function parseIsoInstant(value: string): { readonly start: number; readonly end: number } | undefined {
  if (!isInstant(value)) return undefined;
  const start = Date.parse(utcInstantOf(value));
  return { start, end: isDay(value) ? start + 86_400_000 - 1 : start };
}

/** `until`: a log position (digits), or a moment; a date alone means the end of that day (UTC), so "as of 2026-06-30" includes June 30. */
export function parseAsOfUntil(text: string): AsOfUntil | undefined {
  if (/^\d{1,15}$/.test(text)) return { position: Number(text) };
  const instant = parseIsoInstant(text);
  return instant === undefined ? undefined : { time: new Date(instant.end).toISOString() };
}

/**
 * The one spelling of a cut, what a generation records as its `until` and is named after by default: "0" and "00" are one position,
 * and `…T08:00Z`, `…T08:00:00+00:00` and `…T08:00:00.000-00:00` one moment (each built a generation of its own). A position without
 * leading zeros; a date as it is; a date-time with its seconds, its milliseconds only when there are some (three digits), and Z for a
 * zero offset. Another offset is kept: it is the analyst's local time, and the default name says it (`…T08-00-00plus08-00`). Undefined
 * for what parseAsOfUntil refuses.
 */
export function asOfUntilSpelling(text: string): string | undefined {
  if (parseAsOfUntil(text) === undefined) return undefined;
  if (/^\d+$/.test(text)) return String(Number(text));
  const dateTime = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (dateTime === null) return text;
  const [, minutes, seconds = '00', fraction = '', zone] = dateTime;
  const milliseconds = fraction.padEnd(3, '0');
  return `${minutes}:${seconds}${milliseconds === '000' ? '' : `.${milliseconds}`}${zone === '+00:00' || zone === '-00:00' ? 'Z' : zone}`;
}
