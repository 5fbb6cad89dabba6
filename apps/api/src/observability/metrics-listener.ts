import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { HttpSettings } from '../config/api-config';
import { sameSecret } from '../auth/same-secret';
import { HTTP_SETTINGS } from '../health/health.controller';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';
import { Metrics } from './metrics';

/** A scraper or two, not a crowd: the listener of its own takes few connections. */
const MAX_SCRAPE_CONNECTIONS = 16;
const SCRAPE_REQUEST_TIMEOUT_MS = 5000;

/**
 * `/metrics` on a port of its own (METRICS_PORT), so Prometheus can reach it on an internal
 * interface while the API port never serves it to anonymous callers. It serves that one path and
 * nothing else; with METRICS_TOKEN set it asks for the token there too.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    @Inject(HTTP_SETTINGS) private readonly http: HttpSettings,
    private readonly metrics: Metrics,
  ) {}

  /** Where it listens (undefined without METRICS_PORT). */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address !== null && typeof address === 'object' ? address : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.http.metrics;
    if (port === undefined) return;
    const server = createServer({ requestTimeout: SCRAPE_REQUEST_TIMEOUT_MS, headersTimeout: SCRAPE_REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 }, (request, response) => {
      const answer = (status: number, detail: string, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...headers }).end(JSON.stringify(problem(status, detail)));
      };
      if ((request.url ?? '').split('?')[0] !== '/metrics') return answer(404, 'This port serves /metrics only.');
      if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'Use GET.', { Allow: 'GET, HEAD' });
      if (!this.authorised(request.headers.authorization)) return answer(401, 'An Authorization: Bearer <METRICS_TOKEN> header is required.', { 'WWW-Authenticate': 'Bearer' });
      this.metrics.text().then(
        (text) => response.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text),
        () => answer(500, 'The metrics could not be rendered.'),
      );
      return undefined;
    });
    server.maxConnections = MAX_SCRAPE_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private authorised(header: string | undefined): boolean {
    const expected = this.http.metrics.token;
    if (expected === undefined) return true;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match !== null && sameSecret(match[1]!, expected);
  }
}
