import Negotiator from 'negotiator';
import { NotAcceptableError } from '../http/request-errors';
import { ambiguityAmong, effectiveAccept, PROBLEM_JSON_OFFERS, problemJsonOffered, readAccept, ruledOut, servedJson, speaksOfJson, strayReason, whyNothingMet, type MediaRange, type Served } from '../export/export-format';

// Offered with the charset the answers carry, as the lists offer theirs: negotiator matches a range's parameters to the offer's,
// so a bare application/json refused `application/json;charset=UTF-8` (older Spring's header) with a 406.
const JSON_OFFER = 'application/json;charset=utf-8';
const STREAM_OFFER = 'text/event-stream;charset=utf-8';
const MEDIA_TYPES: Record<string, 'json' | 'event-stream'> = { [JSON_OFFER]: 'json', [STREAM_OFFER]: 'event-stream', ...Object.fromEntries(PROBLEM_JSON_OFFERS.map((offer) => [offer, 'json' as const])) };
/** The feed's answers as a 406 explains them, in the lists' words: the stream (where asked for) before JSON. */
const STREAM: Served = { type: 'text/event-stream', offers: [STREAM_OFFER], parameters: { charset: 'utf-8' }, label: 'an event stream', format: 'event-stream' };
const JSON_ANSWER = servedJson('json');

/**
 * `format` when given; else a stream when the Accept header names text/event-stream (as EventSource
 * does) and prefers it, JSON for none, `*∕*`, JSON or problem+json; anything else 406, saying why as the lists do (whyNothingMet:
 * a charset other than utf-8, a range both refused and asked for, only problem+json taken). A wildcard alone (`text/*`)
 * never opens a stream: a client that did not ask for one would wait on it for ever.
 */
export function negotiateFeedFormat(format: 'json' | 'event-stream' | undefined, accept: string | undefined): 'json' | 'event-stream' {
  if (format !== undefined) return format;
  // Read as every route reads it: a malformed q is a 400 naming Accept; no media range (`,`) is as if absent.
  const ranges = readAccept(accept);
  if (ranges === undefined || accept === undefined) return 'json';
  const streams = ranges.filter((range) => range.type === 'text' && range.subtype === 'event-stream');
  // A stream asked for with a blank other than a space or a tab matches nothing in negotiator, which would answer the JSON the
  // client ranked lower (or a 406 that does not say why): refused naming it, as the lists refuse such a CSV.
  const stray = streams.find((range) => range.stray !== undefined && !ruledOut(range));
  if (stray !== undefined) {
    throw new NotAcceptableError(accept, ['application/json', 'text/event-stream'], true, `${strayReason(stray)}.`);
  }
  // A parameter repeated, without a value or a name, in a range that covers JSON or a stream: 406 naming it, as on the lists
  // (negotiator kept the first of `application/json;charset=utf-8;charset=latin1` and answered JSON).
  const ambiguous = ambiguityAmong(ranges, [{ type: 'application/json', format: 'json' }, { type: 'text/event-stream', format: 'event-stream' }]);
  if (ambiguous !== undefined) throw new NotAcceptableError(accept, ['application/json', 'text/event-stream'], true, ambiguous);
  const namesStream = streams.length > 0;
  // A range both refused (q=0) and asked for is refused, as on the lists (effectiveAccept).
  const negotiator = new Negotiator({ headers: { accept: effectiveAccept(ranges) } });
  // application/problem+json is offered (as JSON) only where named and JSON itself not refused, as on the lists (negotiateFormat).
  const offers = [JSON_OFFER, ...(namesStream ? [STREAM_OFFER] : []), ...(problemJsonOffered(accept, ranges, negotiator) ? PROBLEM_JSON_OFFERS : [])];
  const chosen = negotiator.mediaType(offers);
  if (chosen === undefined) {
    throw new NotAcceptableError(accept, ['application/json', 'text/event-stream'], true,
      whyNothingMet(accept, ranges, namesStream ? [STREAM, JSON_ANSWER] : [JSON_ANSWER]) ?? noAnswerReason(ranges));
  }
  return MEDIA_TYPES[chosen]!;
}

const SEND = 'send Accept: application/json or text/event-stream, or add format=json|event-stream to the query.';

/**
 * Why nothing was met where whyNothingMet has nothing to say, as the single documents say it (jsonOnlyRefusal): CSV asked for
 * (with a stray blank, or not), which the feed does not have; or JSON refused (`application/json;q=0, *∕*`), a stream being
 * opened only where named. Undefined (the Accept allows neither) for an Accept that speaks of neither (`text/html`).
 */
function noAnswerReason(ranges: readonly MediaRange[]): string | undefined {
  const csv = ranges.find((range) => range.type === 'text' && range.subtype === 'csv' && !ruledOut(range));
  if (csv?.stray !== undefined) return `${strayReason(csv)}; this route has no CSV (the lists and statistics do): ${SEND}`;
  if (csv !== undefined) return `the Accept header asks for CSV with ${csv.text}, and this route has no CSV (the lists and statistics do): ${SEND}`;
  if (ranges.some(speaksOfJson)) return `the Accept header refuses JSON (q=0), and an event stream is opened only where text/event-stream is named: ${SEND}`;
  return undefined;
}
