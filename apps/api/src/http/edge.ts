import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Actor } from '@app/domain';
import type { Metrics } from '../observability/metrics';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** X-Request-Id from the caller when it is a sensible id, else a new UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** What a handler learnt about the request that the access log should say. */
export interface RequestFacts {
  actor?: Actor;
  commandId?: string;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-site',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};
/** JSON only: nothing may run, load or frame. The docs page (Swagger UI) needs its scripts, so it is the exception. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The HTTP edge: every response carries its request id and the security headers, answers are
 * not cached (they hold personal data), and every request ends in one access-log line with the
 * request id, the principal and the command id.
 */
export function registerEdgeHooks(fastify: FastifyInstance, logger: Logger, metrics: Metrics): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
    if (!request.url.startsWith('/docs')) void reply.header('Content-Security-Policy', API_CSP).header('Cache-Control', 'no-store');
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const facts = request as FastifyRequest & RequestFacts;
    const status = reply.statusCode;
    const line = {
      requestId: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(facts.actor ? { principal: facts.actor.id, role: facts.actor.role } : {}),
      ...(facts.commandId ? { commandId: facts.commandId } : {}),
    };
    // Unmatched routes share one label, so scanners cannot blow up the metrics' cardinality.
    metrics.observeRequest(request.method, request.routeOptions.url ?? '(unmatched)', status, reply.elapsedTime / 1000);
    if (status >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request');
    done();
  });
}

export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id', 'X-Causation-Id', 'X-Request-Id'];
export const CORS_EXPOSED_HEADERS = ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'X-Read-Model-Position', 'Idempotent-Replayed'];
