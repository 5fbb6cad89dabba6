import type { Server } from 'node:http';
import type { HttpSettings } from '../config/api-config';

/**
 * How long a request may take to arrive, for fastify and Node's HTTP server. Fastify's own default
 * (requestTimeout 0) turns Node's off, so a body trickled a byte at a time held its connection for
 * ever. Node checks the deadlines every connectionsCheckingInterval (30 s by default, which would
 * double a 30 s limit), so the check runs at a tenth of the limit, at most once a second. The limit
 * is on receiving the request only: an answer that takes longer (a read waiting for minPosition) is
 * not cut.
 */
export function requestTimeouts(http: Pick<HttpSettings, 'requestTimeoutMs'>): { requestTimeout: number; keepAliveTimeout: number; http: { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } } {
  const timeout = http.requestTimeoutMs;
  return {
    requestTimeout: timeout,
    // An idle keep-alive connection holds a place under MAX_CONNECTIONS: fastify keeps one 72 s, Node 5 s.
    // It is closed after 5 s, or after REQUEST_TIMEOUT_MS when that is shorter.
    keepAliveTimeout: Math.min(5000, timeout),
    http: { requestTimeout: timeout, headersTimeout: timeout, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.round(timeout / 10))) },
  };
}

/** Connections beyond the cap are closed by Node as soon as they are accepted, before any byte is read. */
export function capConnections(server: Pick<Server, 'maxConnections'>, http: Pick<HttpSettings, 'maxConnections'>): void {
  server.maxConnections = http.maxConnections;
}
