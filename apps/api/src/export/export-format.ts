import Negotiator from 'negotiator';
import { NotAcceptableError } from '../http/request-errors';

/** What a list or statistics route can answer: JSON (the default) or CSV. */
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const MEDIA_TYPES: Record<string, ExportFormat> = { 'application/json;charset=utf-8': 'json', 'text/csv;charset=utf-8': 'csv' };

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
