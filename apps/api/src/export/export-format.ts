import Negotiator from 'negotiator';
import { NotAcceptableError, RequestValidationError } from '../http/request-errors';

/** What a list or statistics route can answer: JSON (the default) or CSV. */
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
/** RFC 9457's media type, which the errors are written in: an Accept that names it reads JSON. */
export const PROBLEM_JSON = 'application/problem+json';
/** problem+json as offered to the negotiator: the errors are UTF-8, so `application/problem+json;charset=utf-8` is met too. */
export const PROBLEM_JSON_OFFERS: readonly string[] = [PROBLEM_JSON, `${PROBLEM_JSON};charset=utf-8`];
/**
 * What a list or statistics route can answer, with the parameters each answer satisfies (an Accept's parameters must
 * all be matched): every CSV starts with its header row, so RFC 4180's `header=present` is met and `header=absent` is not.
 */
const MEDIA_TYPES: Record<string, ExportFormat> = {
  'application/json;charset=utf-8': 'json', 'text/csv;charset=utf-8': 'csv', 'text/csv;charset=utf-8;header=present': 'csv',
  ...Object.fromEntries(PROBLEM_JSON_OFFERS.map((offer) => [offer, 'json'])),
};
const OFFERS = Object.keys(MEDIA_TYPES).filter((type) => !PROBLEM_JSON_OFFERS.includes(type));

/**
 * A client that names application/problem+json reads JSON (an answer here is JSON, an error problem+json): offered, so that
 * it gets JSON rather than a 406, only where named (a wildcard that it would meet must not undo `application/json;q=0`), and
 * not where the Accept refuses JSON itself (problemJsonOffered).
 */
export const namesProblemJson = (accept: string): boolean => /application\/problem\+json/i.test(accept);

/**
 * A type a route answers, to say why a range was not met: the offers negotiator is given for it, the parameters it can meet (the
 * values, lower case), its name in a sentence, and the value of the route's `format` query parameter that asks for it, if it takes one.
 */
export interface Served {
  readonly type: string;
  readonly offers: readonly string[];
  readonly parameters: Readonly<Record<string, string>>;
  readonly label: string;
  readonly format?: string;
}

/** The JSON every route writes (UTF-8), with the value of `format` that asks for it where a route takes one. */
export const servedJson = (format?: string): Served =>
  ({ type: 'application/json', offers: ['application/json;charset=utf-8'], parameters: { charset: 'utf-8' }, label: 'JSON', ...(format === undefined ? {} : { format }) });
/** What a list or statistics route answers, the one to explain first (CSV, where a range covers both) first. */
const LIST_SERVED: readonly Served[] = [
  { type: 'text/csv', offers: ['text/csv;charset=utf-8', 'text/csv;charset=utf-8;header=present'], parameters: { charset: 'utf-8', header: 'present' }, label: 'CSV', format: 'csv' },
  servedJson('json'),
];

/**
 * The answer's format: `format` in the query when given (a link pasted into a browser or a
 * spreadsheet cannot set headers; the Accept header is then not read), else what the Accept header
 * prefers among JSON and CSV, the header read by readAccept as on every route. No Accept (nor one of only commas), or `*∕*`, is JSON. Refused rather than answered in a format
 * the client said it cannot read, or by a guess at a header that contradicts itself:
 * - a q that is not a number from 0 to 1, or a range with two, anywhere in the Accept (negotiator
 *   would take `q=1.5` as a weight above 1): 400 naming Accept, as a malformed If-Match is. Read
 *   leniently where the number is plain: RFC 9110 §12.4.2 asks for a leading digit and at most three
 *   decimals, but Java's HttpURLConnection sends `*; q=.2, *∕*; q=.2` by default;
 * - a range that covers JSON or CSV and repeats a parameter (RFC 6838 §4.3) or leaves one without a
 *   value (negotiator keeps the first of a repeat, and matches an empty value to an absent one, so
 *   `text/csv;header=present;header=absent` and `text/csv;header=` got CSV) or without a name (`text/csv;=*`
 *   got CSV), or holds a blank other than a space or a tab (STRAY: negotiator matches it to nothing, so
 *   `text/csv<no-break space>, application/json;q=0.5` got JSON): 406 naming the parameter or the character;
 * - an Accept that allows neither: 406, whose detail says why (whyNothingMet): a range both refused (q=0) and asked for, a CSV or
 *   JSON it names that cannot be written (`header=absent`, a charset other than utf-8, an unknown parameter), or only
 *   application/problem+json taken where JSON itself is refused; and what to send.
 */
export function negotiateFormat(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format !== undefined) return format;
  const ranges = readAccept(accept);
  if (ranges === undefined || accept === undefined) return 'json';
  const ambiguous = ambiguityAmong(ranges, [{ type: 'application/json', format: 'json' }, { type: 'text/csv', format: 'csv' }]);
  if (ambiguous !== undefined) throw new NotAcceptableError(accept, ['application/json', 'text/csv'], true, ambiguous);
  const negotiator = new Negotiator({ headers: { accept: effectiveAccept(ranges) } });
  const chosen = negotiator.mediaType(problemJsonOffered(accept, ranges, negotiator) ? [...OFFERS, ...PROBLEM_JSON_OFFERS] : OFFERS);
  if (chosen === undefined) throw new NotAcceptableError(accept, ['application/json', 'text/csv'], true, whyNothingMet(accept, ranges, LIST_SERVED) ?? streamAskedFor(ranges));
  return MEDIA_TYPES[chosen]!;
}

/** An event stream asked for (q > 0) where nothing was met: the feed's type, said as the feed says CSV asked for. */
function streamAskedFor(ranges: readonly MediaRange[]): string | undefined {
  const stream = ranges.find((range) => range.type === 'text' && range.subtype === 'event-stream' && !ruledOut(range));
  return stream === undefined ? undefined
    : `the Accept header asks for an event stream with ${stream.text}, and this route has none (the feed does): send Accept: application/json or text/csv, or add format=json|csv to the query.`;
}

/**
 * The Accept header as every route reads it (the lists and statistics here, the feed, AcceptGuard for the rest), so that one
 * header gets one reading everywhere: undefined for no media range at all (absent, blank, or only commas: RFC 9110 §5.6.1 has
 * empty list members ignored, and an empty Accept was already read as absent), which each route answers with its default;
 * a q that is not a number from 0 to 1, or two in a range, anywhere in it: a 400 naming Accept (checkWeights).
 */
export function readAccept(accept: string | undefined): readonly MediaRange[] | undefined {
  if (accept === undefined) return undefined;
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return undefined;
  checkWeights(ranges);
  return ranges;
}

/**
 * Whether an Accept asks for CSV and nothing JSON: it names text/csv (whatever its parameters) with
 * q > 0, and allows no application/json (`text/csv, *∕*;q=0.1` allows JSON; `text/csv;q=0` or
 * `text/*` alone ask for no CSV).
 */
export function asksForCsvOnly(accept: string | undefined): boolean {
  if (accept === undefined || !/text\/csv/i.test(accept)) return false;
  const negotiator = new Negotiator({ headers: { accept } });
  if (!negotiator.mediaTypes().some((type) => type.toLowerCase() === 'text/csv')) return false;
  // problem+json is JSON only where problemJsonOffered says so: beside `application/json;q=0` it allows no JSON, and CSV is what was asked.
  const offered = problemJsonOffered(accept, parseAccept(accept), negotiator);
  return negotiator.mediaType(['application/json', 'application/json;charset=utf-8', ...(offered ? PROBLEM_JSON_OFFERS : [])]) === undefined;
}

const JSON_ONLY: Served = servedJson();

/**
 * For a GET route that answers one JSON document (AcceptGuard): undefined to answer JSON, else the 406 it answers instead,
 * read as the lists read theirs wherever the Accept speaks of JSON:
 * - a range that covers JSON and cannot be read one way (a parameter repeated, without a value or a name, a stray blank): 406 naming it;
 * - CSV asked for and no JSON allowed (asksForCsvOnly): the 406 of the CSV routes; where the CSV is written with a stray blank
 *   (`text/csv<no-break space>`, which matches nothing, so that JSON was answered), that 406 names the blank in the lists' words;
 * - a range that covers JSON (`application/json`, `application/*`, `*∕*`) and none of them met: `*∕*;q=0` (everything refused),
 *   `application/json;foo=bar` (a parameter the JSON does not have), `application/json;q=0, application/json` (effectiveAccept),
 *   `application/json;q=0, application/problem+json` (only an error's type taken): 406, saying why (whyNothingMet).
 * An Accept that does not speak of JSON at all (`text/html`, as a browser's link or a probe sends) is still answered JSON.
 */
export function jsonOnlyRefusal(accept: string | undefined, ranges: readonly MediaRange[] | undefined = readAccept(accept)): NotAcceptableError | undefined {
  if (ranges === undefined || accept === undefined) return undefined;
  const ambiguous = ambiguityAmong(ranges, [{ type: 'application/json' }]);
  if (ambiguous !== undefined) return new NotAcceptableError(accept, ['application/json'], false, ambiguous);
  const negotiator = new Negotiator({ headers: { accept: effectiveAccept(ranges) } });
  if (negotiator.mediaType([...JSON_ONLY.offers]) !== undefined) return undefined;
  // A client that takes application/problem+json (as the lists read it: offered, weighed, refusable with q=0) and does not refuse JSON is answered JSON.
  if (problemJsonOffered(accept, ranges, negotiator) && negotiator.mediaType([...PROBLEM_JSON_OFFERS]) !== undefined) return undefined;
  const stray = ranges.find((range) => range.type === 'text' && range.subtype === 'csv' && range.stray !== undefined && !ruledOut(range));
  if (stray !== undefined) return new NotAcceptableError(accept, ['application/json'], false, `${strayReason(stray)}; this route has no CSV (the lists and statistics do): send Accept: application/json, or leave Accept out.`);
  if (asksForCsvOnly(accept)) return new NotAcceptableError(accept, ['application/json'], false);
  // A range naming application/problem+json speaks of JSON too (`application/problem+json;q=0` takes nothing, as on the lists).
  if (!ranges.some(speaksOfJson)) return undefined;
  return new NotAcceptableError(accept, ['application/json'], false, whyNothingMet(accept, ranges, [JSON_ONLY])
    ?? 'the Accept header refuses JSON (q=0), the only type it has: send Accept: application/json, or leave Accept out.');
}

/**
 * One media range of an Accept, as written, with its parameters in order (names lower case, values unquoted; `undefined` without `=`).
 * `type` and `subtype` are read without any stray blank (STRAY), which `stray` then describes, with where it stands: such a range
 * matches nothing to negotiator, yet it was written to mean the type it spells.
 */
export interface MediaRange {
  readonly text: string;
  /** The range as written (spaces and tabs around it trimmed), whole: what negotiator is given again (effectiveAccept). */
  readonly whole: string;
  readonly type: string;
  readonly subtype: string;
  readonly parameters: ReadonlyArray<readonly [string, string | undefined]>;
  readonly stray: string | undefined;
}

/**
 * A blank other than a space or a tab: content-type (negotiator's parser) trims only those two (RFC 9110 §5.6.3's OWS), so
 * any other is part of the type, name or value it touches, which then matches nothing. A no-break space typed into a UTF-8
 * terminal arrives as the bytes C2 A0, which Node reads as two Latin-1 characters: `Â` and U+00A0, taken together here; so
 * does every other (a narrow no-break space, E2 80 AF, arrives as three).
 */
const STRAY_CHARS = /[^\S \t]|[\u0085\u180e\u200b-\u200d\u2060]/u;
/** Every stray blank outside ASCII as its UTF-8 bytes read as Latin-1 (U+202F arrives as E2 80 AF, three characters): tried first. */
const STRAY_AS_BYTES = [0x85, 0xa0, 0x1680, 0x180e, ...Array.from({ length: 0x200e - 0x2000 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x2060, 0x3000, 0xfeff]
  .map((code) => Buffer.from(String.fromCodePoint(code), 'utf8').toString('latin1').replace(/[\s\S]/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
const STRAY = new RegExp(`${STRAY_AS_BYTES.join('|')}|${STRAY_CHARS.source}`, 'u');
const STRAY_ALL = new RegExp(STRAY.source, 'gu');
const STRAY_NAMES: Readonly<Record<string, string>> = {
  '\u00a0': 'a no-break space', '\u202f': 'a narrow no-break space', '\u3000': 'an ideographic space', '\ufeff': 'a byte-order mark',
  '\u200b': 'a zero-width space', '\u2002': 'an en space', '\u2003': 'an em space', '\u2007': 'a figure space', '\u2009': 'a thin space',
  '\u2028': 'a line separator', '\u2029': 'a paragraph separator', '\u0085': 'a next-line character', '\u000b': 'a vertical tab', '\u000c': 'a form feed',
};

/** The first stray blank of a piece of the header, named with its code point (`a no-break space (U+00A0)`), or undefined. */
function strayIn(text: string): string | undefined {
  const found = STRAY.exec(text)?.[0];
  if (found === undefined) return undefined;
  // A character sent as its UTF-8 bytes arrived as several Latin-1 ones: named as the character, and its bytes said.
  const char = found.length > 1 ? Buffer.from(found, 'latin1').toString('utf8') : found;
  const name = `${STRAY_NAMES[char] ?? 'a blank'} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  const bytes = [...Buffer.from(found, 'latin1')].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  return found.length > 1 ? `${name} sent as the UTF-8 bytes ${bytes}` : name;
}

/** Where a stray blank stands in a range: around or inside its type, or in a parameter's name or value. */
function strayOf(typeText: string, parameters: ReadonlyArray<readonly [string, string | undefined]>): string | undefined {
  const inType = strayIn(typeText);
  if (inType !== undefined) {
    const bare = typeText.replace(STRAY_ALL, '');
    // Neither at its start nor at its end, yet whole in it: blanks on both sides (`<nbsp>text/csv<nbsp>` is around, not inside).
    const where = bare === '' ? 'as' : typeText.startsWith(bare) ? 'after' : typeText.endsWith(bare) ? 'before' : typeText.includes(bare) ? 'around' : 'inside';
    return `${inType} ${where} ${shown(bare)}`;
  }
  for (const [name, value] of parameters) {
    const inName = strayIn(name);
    if (inName !== undefined) return `${inName} in the parameter name ${shown(name.replace(STRAY_ALL, '').toLowerCase())}`;
    const inValue = name.toLowerCase() === 'q' ? undefined : strayIn(value ?? '');
    if (inValue !== undefined) return `${inValue} in the value of ${shown(name)}`;
  }
  return undefined;
}

/**
 * A piece of the caller's header as a detail echoes it: at most 40 characters, the rest an ellipsis, every character outside
 * printable ASCII (but a tab) escaped. Node reads a header's bytes as Latin-1, so a no-break space sent as UTF-8 arrived as `Â`
 * and U+00A0 and was echoed so, unreadable: such a character is shown as the byte it was (`\xc2\xa0`), any other as `\u202f`.
 */
const escaped = (text: string): string => text.replace(/[^\t\x20-\x7e]/gu, (char) => {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
});
const shown = (text: string): string => `${escaped(text.length > 40 ? text.slice(0, 40) : text)}${text.length > 40 ? '…' : ''}`;

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
  // Only spaces and tabs are trimmed, as content-type trims (String.trim would also take a no-break space, which negotiator keeps).
  // By index, as content-type does: the pattern /[ \t]+$/ was tried again at every blank of a long run, quadratic in a 16 KB header.
  const blank = (char: string | undefined): boolean => char === ' ' || char === '\t';
  const trim = (text: string): string => {
    let from = 0;
    let to = text.length;
    while (from < to && blank(text[from])) from += 1;
    while (to > from && blank(text[to - 1])) to -= 1;
    return text.slice(from, to);
  };
  for (let index = 0; index < length;) {
    const start = index;
    let cursor = until(start, ';,');
    // Lower case only once the stray blanks are found (`Â` of the UTF-8 bytes C2 A0 would become `â`).
    const typeText = trim(accept.slice(start, cursor));
    const [type = '', ...subtype] = typeText.replace(STRAY_ALL, '').toLowerCase().split('/');
    const parameters: (readonly [string, string | undefined])[] = [];
    const written: (readonly [string, string | undefined])[] = [];
    while (cursor < length && accept[cursor] !== ',') {
      const keyStart = cursor + 1;
      cursor = until(keyStart, ';,=');
      const writtenName = trim(accept.slice(keyStart, cursor));
      const name = writtenName.toLowerCase();
      if (accept[cursor] !== '=') {
        if (name !== '') {
          parameters.push([name, undefined]);
          written.push([writtenName, undefined]);
        }
        continue;
      }
      cursor += 1;
      while (accept[cursor] === ' ' || accept[cursor] === '\t') cursor += 1;
      if (accept[cursor] !== '"') {
        const valueStart = cursor;
        cursor = until(valueStart, ';,');
        parameters.push([name, trim(accept.slice(valueStart, cursor))]);
        written.push([writtenName, parameters.at(-1)![1]]);
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
      if (closed) {
        parameters.push([name, value]);
        written.push([writtenName, value]);
      }
    }
    const text = trim(accept.slice(start, cursor));
    if (text !== '') ranges.push({ text: shown(text), whole: text, type, subtype: subtype.join('/'), parameters, stray: strayOf(typeText, written) });
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
    const weight = weights[0]?.[1] ?? '';
    const stray = strayIn(weight);
    const wrong = weights.length > 1 ? 'names q more than once'
      : weights[0] !== undefined && !isWeight(weight) ? `has q=${shown(weight)}, which is not a q-value${stray === undefined ? '' : ` (it holds ${stray}; only spaces and tabs may surround it)`}` : undefined;
    if (wrong === undefined) continue;
    throw new RequestValidationError([{
      field: 'Accept',
      message: `${range.text} ${wrong}: a q-value is a number from 0 to 1 (RFC 9110 §12.4.2), once per media range, such as text/csv;q=0.5; or leave q out (q=1)`,
    }]);
  }
}

/** Whether a range could be matched to a media type (`*∕*`, `text/*` or the type itself). */
const covers = (range: MediaRange, mediaType: string): boolean => {
  const [type, subtype] = mediaType.split('/');
  return (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype);
};

/** application/problem+json itself (whatever its parameters): read as JSON (namesProblemJson), not covered by a JSON range. */
const isProblemJson = (range: MediaRange): boolean => range.type === 'application' && range.subtype === 'problem+json';

/** Whether a range speaks of JSON: it covers application/json (`application/json`, `application/*`, `*∕*`) or names application/problem+json. */
export const speaksOfJson = (range: MediaRange): boolean => covers(range, 'application/json') || isProblemJson(range);

/** A type a route answers, with the value of its `format` query parameter where the route takes one. */
export interface Answer {
  readonly type: string;
  readonly format?: string;
}

/**
 * Why the Accept cannot be read one way (ambiguityOf) for the first range that covers one of these answers, or undefined:
 * the lists, the feed and the JSON-only routes refuse such a range alike (a 406 naming the parameter or the character).
 */
export function ambiguityAmong(ranges: readonly MediaRange[], answers: readonly Answer[]): string | undefined {
  for (const range of ranges) {
    const covered = answers.filter((answer) => covers(range, answer.type));
    const reason = covered.length === 0 ? undefined : ambiguityOf(range, covered);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/**
 * The Accept that negotiator is given: a range the client both refused (q=0) and asked for, written alike (same type and
 * the same parameters, in any order or case), is refused. RFC 9110 does not say which of two such ranges counts, and
 * negotiator took the higher q (`text/csv;q=0, text/csv` got CSV): a client that wrote "not this" is taken at its word.
 */
export function effectiveAccept(ranges: readonly MediaRange[]): string {
  const refused = new Set(ranges.filter(ruledOut).map(rangeKey));
  return ranges.filter((range) => ruledOut(range) || !refused.has(rangeKey(range))).map((range) => range.whole).join(', ');
}

/** A range as effectiveAccept compares two: its type and its parameters but q, in any order or case of the values. */
const rangeKey = (range: MediaRange): string => [`${range.type}/${range.subtype}`, ...range.parameters.filter(([name]) => name !== 'q')
  .map(([name, value]) => `${name}=${(value ?? '').toLowerCase()}`).sort()].join(';');

/**
 * Whether application/problem+json is offered as JSON (an answer is JSON, an error problem+json): where named, unless the Accept
 * speaks of JSON itself (a range covers application/json) and JSON is not met. RFC 9457's type is an error document's, which a
 * successful answer is not: `application/json;q=0, application/problem+json` was answered as application/json, refused in so many words.
 */
export function problemJsonOffered(accept: string, ranges: readonly MediaRange[], negotiator: Negotiator): boolean {
  if (!namesProblemJson(accept)) return false;
  return !ranges.some((range) => covers(range, 'application/json')) || negotiator.mediaType([...servedJson().offers]) !== undefined;
}

/**
 * Why an Accept that leaves a route nothing to answer is refused, for its 406 (undefined: nothing to say beyond the types), in the
 * same words on the lists, the single documents and the feed: a range both refused (q=0) and asked for (effectiveAccept), a
 * parameter an answer cannot meet (unmetReasons), or only application/problem+json taken where JSON itself is refused.
 */
export function whyNothingMet(accept: string, ranges: readonly MediaRange[], served: readonly Served[]): string | undefined {
  return refusedAndAskedFor(ranges, served) ?? unmetReasons(ranges, served) ?? onlyProblemDocuments(accept, ranges, served) ?? problemJsonRefused(ranges, served);
}

const fixOf = (answer: Served): string => (answer.format === undefined ? 'or leave Accept out' : `or add format=${answer.format} to the query`);

/** The first range asked for that effectiveAccept drops as also refused, and that would otherwise have been answered: said, with the fix. */
function refusedAndAskedFor(ranges: readonly MediaRange[], served: readonly Served[]): string | undefined {
  for (const asked of ranges) {
    if (ruledOut(asked)) continue;
    const refusing = ranges.find((range) => ruledOut(range) && rangeKey(range) === rangeKey(asked));
    if (refusing === undefined) continue;
    // application/problem+json is read as JSON (namesProblemJson): refused and asked for, it is JSON refused and asked for.
    const answer = isProblemJson(asked) ? served.find((candidate) => candidate.type === 'application/json')
      : served.find((candidate) => new Negotiator({ headers: { accept: asked.whole } }).mediaType([...candidate.offers]) !== undefined);
    if (answer === undefined) continue;
    return `the Accept header refuses ${answer.label} with ${refusing.text} and asks for it with ${asked.text}: a range both refused (q=0) and asked for is refused, `
      + `as RFC 9110 does not say which counts; remove ${refusing.text} to get ${answer.label}, ${fixOf(answer)}.`;
  }
  return undefined;
}

/** Types some route of this API answers besides JSON: asked for (q > 0) where not answered, the Accept did not take only problem documents. */
const ANSWERED_ELSEWHERE = ['text/csv', 'text/event-stream'];

/**
 * An Accept that takes application/problem+json and refuses JSON itself (problemJsonOffered): only an error could be sent. Not said
 * where the Accept also asks for CSV or an event stream (`…, application/problem+json, text/csv` on the feed asked for CSV).
 */
function onlyProblemDocuments(accept: string, ranges: readonly MediaRange[], served: readonly Served[]): string | undefined {
  const json = served.find((answer) => answer.type === 'application/json');
  if (json === undefined || !namesProblemJson(accept) || !ranges.some((range) => covers(range, 'application/json'))) return undefined;
  if (ranges.some((range) => !ruledOut(range) && ANSWERED_ELSEWHERE.includes(`${range.type}/${range.subtype}`))) return undefined;
  if (new Negotiator({ headers: { accept: effectiveAccept(ranges) } }).mediaType([...PROBLEM_JSON_OFFERS]) === undefined) return undefined;
  return 'the Accept header accepts only application/problem+json, the type of an error document (RFC 9457), which a successful answer is not: '
    + `send Accept: application/json (an error still comes as application/problem+json), ${fixOf(json)}.`;
}

/**
 * application/problem+json refused (q=0) and no other type named: taking it is reading JSON, so refusing it refuses JSON
 * (`application/problem+json;q=0` takes nothing), on every route alike.
 */
function problemJsonRefused(ranges: readonly MediaRange[], served: readonly Served[]): string | undefined {
  const json = served.find((answer) => answer.type === 'application/json');
  const refusing = ranges.find((range) => isProblemJson(range) && ruledOut(range));
  if (json === undefined || refusing === undefined || !ranges.every(isProblemJson)) return undefined;
  return `the Accept header refuses application/problem+json with ${refusing.text}, and taking it is reading JSON, so it takes nothing: `
    + `remove ${refusing.text} and send Accept: application/json, ${fixOf(json)}.`;
}

/** Why a range with a stray blank (MediaRange.stray) is refused, in the words of the lists and of the feed alike. */
export const strayReason = (range: MediaRange): string =>
  `the Accept header's ${range.text} has ${range.stray}, so it matches nothing (only spaces and tabs may surround a media type, a parameter or its value; remove it)`;

/** A range the client ruled out (q=0): never matched, so neither its parameters' ambiguity nor what it asks is explained. */
export const ruledOut = (range: MediaRange): boolean => Number(range.parameters.find(([name]) => name === 'q')?.[1] ?? '1') === 0;

/** A parameter repeated or without a value, in a range that covers an answer (`covered`): the range cannot be read one way. */
function ambiguityOf(range: MediaRange, covered: readonly Answer[]): string | undefined {
  if (ruledOut(range)) return undefined;
  const media = range.parameters.filter(([name]) => name !== 'q');
  const seen = new Set<string>();
  const repeated = media.find(([name]) => seen.has(name) || !seen.add(name));
  const formats = covered.flatMap((answer) => (answer.format === undefined ? [] : [answer.format]));
  const fix = `send Accept: ${covered.map((answer) => answer.type).join(' or ')} (each parameter once, with a value)${formats.length > 0 ? `, or add format=${formats.join('|')} to the query` : ''}`;
  if (range.stray !== undefined) return `${strayReason(range)}: ${fix}.`;
  // content-type reads `=x` as a parameter named "" (negotiator matched `text/csv;=*` to CSV); no media type has one.
  const nameless = media.find(([name]) => name === '');
  if (nameless !== undefined) return `the Accept header's ${range.text} has a parameter with no name (=${shown(nameless[1] ?? '')}), so it cannot be matched: give each parameter a name (charset=utf-8) or leave it out; ${fix}.`;
  if (repeated !== undefined) return `the Accept header's ${range.text} names ${shown(repeated[0])} more than once (a media type's parameter appears once, RFC 6838 §4.3), so it cannot be read one way: ${fix}.`;
  const empty = media.find(([, value]) => value === undefined || value === '');
  if (empty !== undefined) return `the Accept header's ${range.text} gives ${shown(empty[0])} no value, so it cannot be matched: ${fix}.`;
  return undefined;
}

/**
 * Why no range of a refused Accept was met: for each one that covers an answer with q > 0, the first parameter
 * its answer (the first of `served` it covers: CSV or the stream before JSON) cannot meet, and what to send instead;
 * undefined when none did (`text/html`, `text/csv;q=0`: nothing to explain beyond the types).
 */
function unmetReasons(ranges: readonly MediaRange[], served: readonly Served[]): string | undefined {
  const reasons = ranges.flatMap((range) => {
    const answer = served.find((candidate) => covers(range, candidate.type));
    if (answer === undefined || ruledOut(range)) return [];
    const unmet = range.parameters.find(([name, value]) => name !== 'q' && value !== '*' && answer.parameters[name] !== value?.toLowerCase());
    if (unmet === undefined) return [];
    const [name, value = ''] = unmet;
    const why = name === 'charset' ? `the only charset is ${answer.parameters['charset']}`
      : name === 'header' && answer.type === 'text/csv' ? `every CSV here starts with its header row (header=present), so header=${shown(value)} cannot be met`
        : `${answer.type} here has no parameter ${shown(name)} (${Object.entries(answer.parameters).map(([key, met]) => `${key}=${met}`).join(' and ')} only)`;
    return [`the Accept header's ${range.text} cannot be served: ${why}; send Accept: ${answer.type}, ${fixOf(answer)}`];
  });
  // Two at most: a header of a thousand such ranges gets a detail of two.
  return reasons.length > 0 ? `${reasons.slice(0, 2).join('. Also, ')}${reasons.length > 2 ? ` (and ${reasons.length - 2} more such range${reasons.length > 3 ? 's' : ''})` : ''}.` : undefined;
}
