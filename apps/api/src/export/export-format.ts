import Negotiator from 'negotiator';
import { NotAcceptableError, RequestValidationError } from '../http/request-errors';

/** What a list or statistics route can answer: JSON (the default) or CSV. */
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
/**
 * What a list or statistics route can answer, with the parameters each answer satisfies (an Accept's parameters must
 * all be matched): every CSV starts with its header row, so RFC 4180's `header=present` is met and `header=absent` is not.
 */
const MEDIA_TYPES: Record<string, ExportFormat> = { 'application/json;charset=utf-8': 'json', 'text/csv;charset=utf-8': 'csv', 'text/csv;charset=utf-8;header=present': 'csv' };
/** Each answer's media type and the parameters it can meet (the values, lower case), to say why a range was not met. */
const ANSWERS: Record<ExportFormat, { readonly type: string; readonly parameters: Readonly<Record<string, string>> }> = {
  json: { type: 'application/json', parameters: { charset: 'utf-8' } },
  csv: { type: 'text/csv', parameters: { charset: 'utf-8', header: 'present' } },
};

/**
 * The answer's format: `format` in the query when given (a link pasted into a browser or a
 * spreadsheet cannot set headers; the Accept header is then not read), else what the Accept header
 * prefers among JSON and CSV. No Accept, or `*∕*`, is JSON. Refused rather than answered in a format
 * the client said it cannot read, or by a guess at a header that contradicts itself:
 * - a q that is not a number from 0 to 1, or a range with two, anywhere in the Accept (negotiator
 *   would take `q=1.5` as a weight above 1): 400 naming Accept, as a malformed If-Match is. Read
 *   leniently where the number is plain: RFC 9110 §12.4.2 asks for a leading digit and at most three
 *   decimals, but Java's HttpURLConnection sends `*; q=.2, *∕*; q=.2` by default;
 * - a range that covers JSON or CSV and repeats a parameter (RFC 6838 §4.3) or leaves one without a
 *   value (negotiator keeps the first of a repeat, and matches an empty value to an absent one, so
 *   `text/csv;header=present;header=absent` and `text/csv;header=` got CSV): 406 naming the parameter;
 * - an Accept that allows neither: 406, whose detail says why a CSV or JSON it names cannot be
 *   written (`header=absent`, a charset other than utf-8, an unknown parameter) and what to send.
 */
export function negotiateFormat(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = parseAccept(accept);
  checkWeights(ranges);
  const ambiguous = ranges.filter(coversAnAnswer).map(ambiguityOf).find((reason) => reason !== undefined);
  if (ambiguous !== undefined) throw new NotAcceptableError(accept, ['application/json', 'text/csv'], true, ambiguous);
  const chosen = new Negotiator({ headers: { accept } }).mediaType(Object.keys(MEDIA_TYPES));
  if (chosen === undefined) throw new NotAcceptableError(accept, ['application/json', 'text/csv'], true, unmetReasons(ranges));
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

/** One media range of an Accept, as written, with its parameters in order (names lower case, values unquoted; `undefined` without `=`). */
interface MediaRange {
  readonly text: string;
  readonly type: string;
  readonly subtype: string;
  readonly parameters: ReadonlyArray<readonly [string, string | undefined]>;
}

/** A piece of the caller's header as a detail echoes it: at most 40 characters, the rest an ellipsis. */
const shown = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * An Accept's ranges, cut where negotiator cuts them: it reads the header with content-type's
 * parse({ comma: true }), so this follows that scan character for character (a quoted string opens only
 * where a value starts, right after `=`; a `"` inside an unquoted value is a plain character; an unclosed
 * quote runs to the end), keeping what that parse drops: every parameter, repeated or without a value.
 * Cut any other way, a range that hid a repeat or a bad q from these checks was still matched by
 * negotiator (`text/plain;x=a"b, text/csv;header=` got CSV). Empty members are skipped.
 */
function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  const length = accept.length;
  const until = (from: number, stops: string): number => {
    let cursor = from;
    while (cursor < length && !stops.includes(accept[cursor]!)) cursor += 1;
    return cursor;
  };
  for (let index = 0; index < length;) {
    const start = index;
    let cursor = until(start, ';,');
    const [type = '', ...subtype] = accept.slice(start, cursor).trim().toLowerCase().split('/');
    const parameters: (readonly [string, string | undefined])[] = [];
    while (cursor < length && accept[cursor] !== ',') {
      const keyStart = cursor + 1;
      cursor = until(keyStart, ';,=');
      const name = accept.slice(keyStart, cursor).trim().toLowerCase();
      if (accept[cursor] !== '=') {
        if (name !== '') parameters.push([name, undefined]);
        continue;
      }
      cursor += 1;
      while (accept[cursor] === ' ' || accept[cursor] === '\t') cursor += 1;
      if (accept[cursor] !== '"') {
        const valueStart = cursor;
        cursor = until(valueStart, ';,');
        parameters.push([name, accept.slice(valueStart, cursor).trim()]);
        continue;
      }
      let value = '';
      let closed = false;
      for (cursor += 1; cursor < length; cursor += 1) {
        const char = accept[cursor]!;
        if (char === '"') {
          closed = true;
          break;
        }
        if (char === '\\' && cursor + 1 < length) cursor += 1;
        value += accept[cursor];
      }
      cursor = until(cursor + 1, ';,');
      // content-type keeps a quoted value only once its quote closes: an unclosed one is no parameter to negotiator
      // (kept here, `text/csv;header=;q="0` read as q=0 and skipped the checks while negotiator matched CSV).
      if (closed) parameters.push([name, value]);
    }
    const text = accept.slice(start, cursor).trim();
    if (text !== '') ranges.push({ text: shown(text), type, subtype: subtype.join('/'), parameters });
    index = cursor + 1;
  }
  return ranges;
}

/**
 * A weight: a plain decimal number from 0 to 1. RFC 9110 §12.4.2's qvalue (a leading digit, at most three
 * decimals) is its strict form; `.2` (Java's default Accept) and `0.1234` are read as the numbers they are.
 * The pattern cannot backtrack (one way to match each digit): a q of 15,000 digits and a letter costs one pass.
 */
const isWeight = (value: string): boolean => /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) && Number(value) <= 1;

/** Every `q` of the Accept is one well-formed q-value, else a 400 that names it and says what one looks like. */
function checkWeights(ranges: readonly MediaRange[]): void {
  for (const range of ranges) {
    const weights = range.parameters.filter(([name]) => name === 'q');
    const wrong = weights.length > 1 ? 'names q more than once' : weights[0] !== undefined && !isWeight(weights[0][1] ?? '') ? `has q=${shown(weights[0][1] ?? '')}, which is not a q-value` : undefined;
    if (wrong === undefined) continue;
    throw new RequestValidationError([{
      field: 'Accept',
      message: `${range.text} ${wrong}: a q-value is a number from 0 to 1 (RFC 9110 §12.4.2), once per media range, such as text/csv;q=0.5; or leave q out (q=1)`,
    }]);
  }
}

/** Whether a range could be matched to JSON or CSV (so its parameters decide the answer). */
function coveredAnswers(range: MediaRange): ExportFormat[] {
  return EXPORT_FORMATS.filter((format) => {
    const [type, subtype] = ANSWERS[format].type.split('/');
    return (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype);
  });
}

const coversAnAnswer = (range: MediaRange): boolean => coveredAnswers(range).length > 0;

/** A range the client ruled out (q=0): never matched, so neither its parameters' ambiguity nor what it asks is explained. */
const ruledOut = (range: MediaRange): boolean => Number(range.parameters.find(([name]) => name === 'q')?.[1] ?? '1') === 0;

/** A parameter repeated or without a value, in a range that covers an answer: the range cannot be read one way. */
function ambiguityOf(range: MediaRange): string | undefined {
  if (ruledOut(range)) return undefined;
  const media = range.parameters.filter(([name]) => name !== 'q');
  const seen = new Set<string>();
  const repeated = media.find(([name]) => seen.has(name) || !seen.add(name));
  const fix = `send Accept: ${coveredAnswers(range).map((format) => ANSWERS[format].type).join(' or ')} (each parameter once, with a value), or add format=${coveredAnswers(range).join('|')} to the query`;
  if (repeated !== undefined) return `the Accept header's ${range.text} names ${shown(repeated[0])} more than once (a media type's parameter appears once, RFC 6838 §4.3), so it cannot be read one way: ${fix}.`;
  const empty = media.find(([, value]) => value === undefined || value === '');
  if (empty !== undefined) return `the Accept header's ${range.text} gives ${shown(empty[0])} no value, so it cannot be matched: ${fix}.`;
  return undefined;
}

/**
 * Why no range of a refused Accept was met: for each one that covers JSON or CSV with q > 0, the
 * first parameter its answer (CSV where it covers CSV) cannot meet, and what to send instead;
 * undefined when none did (`text/html`, `text/csv;q=0`: nothing to explain beyond the types).
 */
function unmetReasons(ranges: readonly MediaRange[]): string | undefined {
  const reasons = ranges.flatMap((range) => {
    const covered = coveredAnswers(range);
    if (covered.length === 0 || ruledOut(range)) return [];
    const format: ExportFormat = covered.includes('csv') ? 'csv' : 'json';
    const answer = ANSWERS[format];
    const unmet = range.parameters.find(([name, value]) => name !== 'q' && value !== '*' && answer.parameters[name] !== value?.toLowerCase());
    if (unmet === undefined) return [];
    const [name, value = ''] = unmet;
    const why = name === 'charset' ? `the only charset is ${answer.parameters['charset']}`
      : name === 'header' && format === 'csv' ? `every CSV here starts with its header row (header=present), so header=${shown(value)} cannot be met`
        : `${answer.type} here has no parameter ${shown(name)} (${Object.entries(answer.parameters).map(([key, met]) => `${key}=${met}`).join(' and ')} only)`;
    return [`the Accept header's ${range.text} cannot be served: ${why}; send Accept: ${answer.type}, or add format=${format} to the query`];
  });
  // Two at most: a header of a thousand such ranges gets a detail of two.
  return reasons.length > 0 ? `${reasons.slice(0, 2).join('. Also, ')}${reasons.length > 2 ? ` (and ${reasons.length - 2} more such range${reasons.length > 3 ? 's' : ''})` : ''}.` : undefined;
}
