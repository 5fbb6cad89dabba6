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
