import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isJsonOnly, successMediaTypes } from '../openapi/api-responses.decorator';
import { jsonOnlyRefusal, readAccept } from './export-format';

/** How a route answers, as its decorators document its successes. */
type Answers = 'negotiates' | 'json-only' | 'other';

/** The success types a route chooses among by the Accept (and its `format` query parameter) in its handler. */
const NEGOTIATED = ['text/csv', 'text/event-stream'];

/**
 * One reading of the Accept header on every route (readAccept). The lists, statistics and the feed choose their
 * answer in the handler, where `format` in the query, when given, means the Accept is not read at all; every other
 * route is checked here, whatever its method, before the handler runs (nothing is written):
 * - a malformed q-value (not a number from 0 to 1, or two in a range) is the 400 naming Accept the lists give
 *   (a JSON-only route took `q=5` silently); a header of no media range (`,`) is as if absent;
 * - a GET route that answers one JSON document (a complaint, the health, the taxonomy, and the short lists that are
 *   parts of one: a complaint's attachments, the chain verdicts, the service network) refuses a request that asks
 *   for CSV only with the 406 of the CSV routes, instead of answering JSON the client said it cannot read (a script
 *   saving a "CSV" would save JSON). That refusal is narrow on purpose: only an Accept that names text/csv and allows no
 *   JSON is refused (`text/csv, *∕*;q=0.1` and `text/html` are answered JSON, as browsers and probes send such headers);
 *   and where the Accept speaks of JSON it is read as the lists read it (jsonOnlyRefusal): `*∕*;q=0`, `application/json;foo=bar`
 *   or a repeated parameter is the lists' 406, not JSON.
 * Runs after the AuthGuard (401/403 first); how a handler answers is worked out once per handler.
 */
@Injectable()
export class AcceptGuard implements CanActivate {
  private readonly answers = new WeakMap<object, Answers>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const handler = context.getHandler();
    const answers = this.answersOf(handler);
    if (answers === 'negotiates') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const accept = request.headers.accept;
    const ranges = readAccept(accept);
    if (answers !== 'json-only' || (request.method !== 'GET' && request.method !== 'HEAD')) return true;
    // The header read once: the ranges just parsed, not a second parse.
    const refusal = jsonOnlyRefusal(accept, ranges);
    if (refusal !== undefined) throw refusal;
    return true;
  }

  private answersOf(handler: object): Answers {
    let answers = this.answers.get(handler);
    if (answers === undefined) {
      const types = successMediaTypes(handler);
      answers = types.some((type) => NEGOTIATED.includes(type)) ? 'negotiates' : isJsonOnly(types) ? 'json-only' : 'other';
      this.answers.set(handler, answers);
    }
    return answers;
  }
}
