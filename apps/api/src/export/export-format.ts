import Negotiator from 'negotiator';
import { NotAcceptableError } from '../http/request-errors';

/** What a list or statistics route can answer: JSON (the default) or CSV. */
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
/**
 * What a list or statistics route can answer, with the parameters each answer satisfies (an Accept's parameters must
 * all be matched): every CSV starts with its header row, so RFC 4180's `header=present` is met and `header=absent` is not.
 */
const MEDIA_TYPES: Record<string, ExportFormat> = { 'application/json;charset=utf-8': 'json', 'text/csv;charset=utf-8': 'csv', 'text/csv;charset=utf-8;header=present': 'csv' };

/**
 * The answer's format: `format` in the query when given (a link pasted into a browser or a
 * spreadsheet cannot set headers), else what the Accept header prefers among JSON and CSV. No
 * Accept, or `*∕*`, is JSON; an Accept that allows neither is refused (406) rather than answered
 * in a format the client said it cannot read.
 */
export function negotiateFormat(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === '') return 'json';
  const chosen = new Negotiator({ headers: { accept } }).mediaType(Object.keys(MEDIA_TYPES));
  if (chosen === undefined) throw new NotAcceptableError(accept, ['application/json', 'text/csv']);
  return MEDIA_TYPES[chosen]!;
}

/**
 * Whether an Accept asks for CSV and nothing JSON: it names text/csv (whatever its parameters) with
 * q > 0, and allows no application/json (`text/csv, *∕*;q=0.1` allows JSON; `text/csv;q=0` or
 * `text/*` alone ask for no CSV).
 */
export function asksForCsvOnly(accept: string | undefined): boolean {
  if (accept === undefined || !/text\/csv/i.test(accept)) return false;
  const negotiator = new Negotiator({ headers: { accept } });
  return negotiator.mediaTypes().some((type) => type.toLowerCase() === 'text/csv') && negotiator.mediaType(['application/json', 'application/json;charset=utf-8']) === undefined;
}
