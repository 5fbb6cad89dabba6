import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { NotAcceptableError } from '../http/request-errors';
import { isJsonOnly, successMediaTypes } from '../openapi/api-responses.decorator';
import { asksForCsvOnly } from './export-format';

/**
 * Every list and statistics table answers CSV (issue 17); a GET route that answers one JSON document
 * (a complaint, the health, the taxonomy, and the short lists that are parts of one: a complaint's
 * attachments, the chain verdicts, the service network) refuses a request that asks for CSV only with the 406 of
 * the CSV routes, instead of answering JSON the client said it cannot read (a script saving a
 * "CSV" would save JSON). The rule is narrow on purpose: GET and HEAD only; an Accept that names
 * text/csv and allows no application/json (`text/csv, *∕*;q=0.1` is answered JSON); routes whose
 * documented success is JSON alone: the exports, the feed (JSON or an event stream), the metrics
 * (text) and a downloaded attachment (its bytes) negotiate for themselves. Runs after the AuthGuard
 * (401/403 first); whether a handler is JSON-only is worked out once per handler.
 */
@Injectable()
export class CsvOnlyAcceptGuard implements CanActivate {
  private readonly jsonOnly = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return true;
    const accept = request.headers.accept;
    if (!asksForCsvOnly(accept)) return true;
    const handler = context.getHandler();
    let jsonOnly = this.jsonOnly.get(handler);
    if (jsonOnly === undefined) {
      jsonOnly = isJsonOnly(successMediaTypes(handler));
      this.jsonOnly.set(handler, jsonOnly);
    }
    if (jsonOnly) throw new NotAcceptableError(accept!, ['application/json'], false);
    return true;
  }
}
