import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Actor } from '@app/domain';
import type { Metrics } from '../observability/metrics';
import { PROBLEM_CONTENT_TYPE, problem, type ProblemCode } from './problem';
import { HEADER_ID } from './request-errors';
import { DEPRECATED_ROUTES } from '../after-sales/command-docs';

/** X-Request-Id from the caller when it is a sensible id, else a new UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && HEADER_ID.test(given) ? given : randomUUID();
}

/** What a handler learnt about the request that the access log should say. */
export interface RequestFacts {
  principal?: { actor: Actor };
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
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
    if (!request.url.startsWith('/docs')) void reply.header('Content-Security-Policy', API_CSP).header('Cache-Control', 'no-store');
    const deprecated = DEPRECATED_ROUTES.get(`${request.method} ${request.routeOptions.url ?? ''}`);
    if (deprecated) void reply.header('Deprecation', deprecated.since).header('Link', `<${deprecated.successor}>; rel="successor-version"`);
    done();
  });
  // While shutting down, answers close their connection, so keep-alive clients cannot hold the exit open.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('Connection', 'close');
    done(null, payload);
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
      ...(facts.principal ? { principal: facts.principal.actor.id, role: facts.principal.actor.role } : {}),
      ...(facts.commandId ? { commandId: facts.commandId } : {}),
    };
    // Unmatched routes share one label, so scanners cannot blow up the metrics' cardinality.
    metrics.observeRequest(request.method, request.routeOptions.url ?? '(unmatched)', status, reply.elapsedTime / 1000);
    if (status >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request');
    done();
  });
}

/**
 * Requests Node's HTTP parser refuses before fastify sees them (headers or URL too large, a
 * malformed request line, a timeout) still get problem+json.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail, code]: [number, string, ProblemCode] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'The request line or headers are too large.', 'headers-too-large']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'The request took too long to arrive.', 'request-timeout']
      // Node's parser refuses bytes outside visible ASCII in the request line (raw UTF-8 such as ?customerId=李女士, spaces).
      : error.code === 'HPE_INVALID_URL' ? [400, URL_NOT_ENCODED, 'url-not-encoded']
        : [400, 'The request is not valid HTTP/1.1; check the request line (METHOD /path HTTP/1.1) and the headers.', 'malformed-request'];
  const requestId = requestIdOfRawPacket(error.rawPacket);
  const body = JSON.stringify({ ...problem(status, detail, { code }), requestId });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

const URL_NOT_ENCODED = 'The URL holds characters that must be percent-encoded (non-ASCII text such as 李女士, spaces, quotes or control characters): '
  + 'percent-encode them as UTF-8, e.g. ?customerId=%E6%9D%8E%E5%A5%B3%E5%A3%AB (encodeURIComponent does it).';

/** The caller's X-Request-Id when the bytes Node refused still carry a sensible one, else a new UUID. */
function requestIdOfRawPacket(raw: unknown): string {
  const given = Buffer.isBuffer(raw) ? /\r\nx-request-id:[ \t]*([^\r\n]*)/i.exec(raw.toString('latin1'))?.[1]?.trim() : undefined;
  return given !== undefined && HEADER_ID.test(given) ? given : randomUUID();
}

export const MAX_BODY_DEPTH = 16;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A request body that is not valid JSON in valid UTF-8, or that tries prototype pollution. */
export class MalformedBodyError extends Error {
  readonly statusCode = 400;
  constructor(readonly reason: 'utf-8' | 'json' | 'prototype' | 'depth') {
    super({
      'utf-8': 'The body is not valid UTF-8.',
      json: 'The body is not valid JSON.',
      prototype: 'The body uses a reserved key (__proto__, constructor or prototype).',
      depth: `The JSON body nests deeper than ${MAX_BODY_DEPTH} levels.`,
    }[reason]);
  }
}

/**
 * JSON bodies, strictly: bytes that are not UTF-8 are refused (rather than silently replaced by
 * U+FFFD and stored); so are reserved keys and nesting deeper than any command needs.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new MalformedBodyError('utf-8');
  }
  if (text.trim() === '') throw new MalformedBodyError('json');
  let value: unknown;
  try {
    // JSON.parse makes "__proto__" an own property (it never sets a prototype); checkBodyShape then refuses it.
    value = JSON.parse(text);
  } catch {
    throw new MalformedBodyError('json');
  }
  const problemWithShape = checkBodyShape(value);
  if (problemWithShape) throw problemWithShape;
  return value;
}

/** Keys that no field of the API has and that only ever serve prototype pollution. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a parsed body without recursion (no depth can overflow the stack): at most
 * MAX_BODY_DEPTH levels, and no reserved key at any level.
 */
export function checkBodyShape(value: unknown): MalformedBodyError | undefined {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) return new MalformedBodyError('depth');
    for (const [key, child] of Object.entries(item as Record<string, unknown>)) {
      if (FORBIDDEN_KEYS.has(key)) return new MalformedBodyError('prototype');
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/** Errors fastify's router raises before any hook runs (a bad URL, a path parameter over 100 UTF-16 code units: it counts the decoded parameter's length). */
export function frameworkErrors(error: { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const [status, detail, code]: [number, string, ProblemCode] = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? [414, 'A path parameter is longer than 100 UTF-16 code units (100 ASCII characters; a character above U+FFFF, such as an emoji, counts 2).', 'uri-too-long']
    : error.code === 'FST_ERR_BAD_URL' ? [400, 'The URL is not valid (bad percent-encoding).', 'bad-url']
      : [400, 'The request could not be routed.', 'bad-request'];
  void reply.code(status).header('Content-Type', PROBLEM_CONTENT_TYPE).header('X-Request-Id', request.id)
    .send({ ...problem(status, detail, { code }), requestId: request.id });
}

export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id', 'X-Causation-Id', 'X-Request-Id', 'Last-Event-ID'];
export const CORS_EXPOSED_HEADERS = ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'X-Read-Model-Position', 'X-Chain-Verdict', 'Idempotent-Replayed', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
