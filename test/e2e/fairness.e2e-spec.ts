import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { DEFAULT_HTTP_SETTINGS } from '../../apps/api/src/config/api-config';
import { ConcurrencyLimiter, HEAVY_READS } from '../../apps/api/src/http/heavy-reads';
import { MetricsListener } from '../../apps/api/src/observability/metrics-listener';
import { MATRIX } from './support/routes';
import { QUIET_HTTP, TOKENS, newComplaint, startApp, useApp, type RunningApp } from './support/test-app';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/** A raw connection to the app, with everything it received and whether the server closed it. */
function openSocket(app: RunningApp): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(app.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** One request on a connection of its own (no keep-alive pool that would hold a place under the cap). */
function getAlone(app: RunningApp, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${app.baseUrl}${path}`, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.once('error', reject);
    request.end();
  });
}

describe('a request that arrives too slowly', () => {
  // No projector runs, so a list that waits for a command's position takes 5 s to answer: longer than the request timeout.
  const app = useApp(undefined, { projections: 'external', http: { ...QUIET_HTTP, requestTimeoutMs: 600 } });

  it('is answered 408 and its connection closed once REQUEST_TIMEOUT_MS has passed, though its body still trickles in', async () => {
    const headBefore = (await app().request('GET', '/health')).body.eventStore.headPosition;
    const body = JSON.stringify(newComplaint);
    const { socket, received, closed } = await openSocket(app());
    socket.write(`POST /complaints HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKENS.agent}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    let sent = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed && sent < body.length) socket.write(body[sent++]!);
    }, 50);
    try {
      await closed;
    } finally {
      clearInterval(trickle);
    }
    expect(sent).toBeLessThan(body.length);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(received()).toContain('"code":"request-timeout"');
    // Nothing of the half-sent complaint was written.
    expect((await app().request('GET', '/health')).body.eventStore.headPosition).toBe(headBefore);
  });

  it('closes a connection whose headers never end', async () => {
    const { socket, received, closed } = await openSocket(app());
    socket.write('GET /complaints HTTP/1.1\r\nHost: localhost\r\n');
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
    }, 50);
    try {
      await closed;
    } finally {
      clearInterval(trickle);
    }
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection, which would otherwise hold a place under MAX_CONNECTIONS for 72 s', async () => {
    const { socket, received, closed } = await openSocket(app());
    socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    const idleSince = Date.now();
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 200 /);
    // Generous bound: the limit here is 600 ms; fastify's default kept it 72 s.
    expect(Date.now() - idleSince).toBeLessThan(30_000);
  }, 40_000);

  it('does not cut a request that arrived in time and takes longer to answer', async () => {
    const created = await app().request('POST', '/complaints', { body: newComplaint, role: 'agent' });
    const listed = await app().request('GET', `/complaints?limit=1&minPosition=${created.body.position}`);
    expect(listed.status).toBe(200);
    expect(Number(listed.headers.get('x-read-model-position'))).toBeLessThan(created.body.position);
  }, 20_000);
});

describe('the connection cap', () => {
  const app = useApp(undefined, { http: { ...QUIET_HTTP, maxConnections: 3 } });

  it('closes connections beyond MAX_CONNECTIONS at once, and accepts again when one ends', async () => {
    const held = await Promise.all([openSocket(app()), openSocket(app()), openSocket(app())]);
    const extra = await openSocket(app());
    await extra.closed;
    expect(extra.received()).toBe('');
    held[0]!.socket.destroy();
    await held[0]!.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await getAlone(app(), '/health/live')).toBe(200);
    for (const { socket } of held) socket.destroy();
  });
});

describe('expensive reads per principal', () => {
  it('names only routes the app serves, and only reads', () => {
    for (const route of HEAVY_READS) {
      expect(Object.keys(MATRIX)).toContain(route);
      expect(route.startsWith('GET ')).toBe(true);
    }
  });

  // No projector runs, so a list that waits for a command's position stays in flight (5 s): a heavy read that holds its place.
  const app = useApp(undefined, { projections: 'external', http: { ...QUIET_HTTP, heavyReads: { perPrincipal: 2, queue: 1, waitMs: 300 } } });

  it('serves N at once per principal, queues a few briefly, answers the rest 429 with Retry-After, and serves other principals and cheap routes meanwhile', async () => {
    const created = await app().request('POST', '/complaints', { body: newComplaint, role: 'agent' });
    expect(created.status).toBe(201);
    const waitingList = `/complaints?limit=200&minPosition=${created.body.position}`;
    const slow = [app().request('GET', waitingList, { role: 'supervisor' }), app().request('GET', waitingList, { role: 'supervisor' })];
    // Both in flight before the rest are sent (a fixed 100 ms was not always enough on a loaded machine: the rest were served).
    const limiter = app().get(ConcurrencyLimiter);
    for (let waited = 0; limiter.holding < 2 && waited < 4_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(limiter.holding).toBe(2);
    const started = Date.now();
    const more = await Promise.all([
      app().request('GET', '/stats/complaints?by=cause&interval=day', { role: 'supervisor' }),
      app().request('GET', '/sla/breaches?limit=200', { role: 'supervisor' }),
      app().request('GET', '/customers?limit=200', { role: 'supervisor' }),
      app().request('GET', '/audit/decisions?limit=200', { role: 'admin' }),
      app().request('GET', '/complaints?limit=200', { role: 'analyst' }),
      app().request('GET', `/complaints/${created.body.id}`, { role: 'supervisor' }),
      app().request('GET', '/health/live', { role: null }),
    ]);
    const [stats, breaches, customers, decisions, otherPrincipal, oneComplaint, live] = more;
    const refused = [stats!, breaches!, customers!];
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('too-many-in-flight');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // One waited in the queue for the 300 ms before it was refused; the others were refused at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(decisions!.status).toBe(200);
    expect(otherPrincipal!.status).toBe(200);
    expect(oneComplaint!.status).toBe(200);
    expect(live!.status).toBe(200);
    // The two that held their places are still answered when their wait ends.
    for (const response of await Promise.all(slow)) expect(response.status).not.toBe(429);
    expect((await app().request('GET', '/complaints?limit=1', { role: 'supervisor' })).status).toBe(200);
  }, 20_000);
});

describe('/metrics by default', () => {
  const app = useApp();

  it('needs an admin token: no token 401, another role 403, admin 200', async () => {
    const anonymous = await app().request('GET', '/metrics', { role: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect((await app().request('GET', '/metrics', { role: 'analyst' })).status).toBe(403);
    const admin = await app().request('GET', '/metrics', { role: 'admin' });
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('complaint_desk_http_requests_total');
  });

  it('is not served on a port of its own unless METRICS_PORT says so', () => {
    expect(DEFAULT_HTTP_SETTINGS.metrics.port).toBeUndefined();
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const app = useApp(undefined, { http: { ...QUIET_HTTP, metrics: { token: METRICS_TOKEN, port: undefined, host: '127.0.0.1' } } });

  it('lets Prometheus scrape with the metrics token, which opens nothing else', async () => {
    const scraped = await app().request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('complaint_desk_http_requests_total');
    expect((await app().request('GET', '/metrics', { token: `${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await app().request('GET', '/metrics', { role: 'admin' })).status).toBe(200);
    expect((await app().request('GET', '/complaints?limit=1', { token: METRICS_TOKEN })).status).toBe(401);
    expect((await app().request('GET', '/health/live', { token: METRICS_TOKEN })).status).toBe(200);
  });
});

describe('/metrics on METRICS_PORT', () => {
  let app: RunningApp;
  let appWithToken: RunningApp;
  const metricsUrl = (running: RunningApp, path = '/metrics') => {
    const address = running.get(MetricsListener).address();
    return `http://127.0.0.1:${address!.port}${path}`;
  };
  beforeAll(async () => {
    app = await startApp(undefined, { http: { ...QUIET_HTTP, metrics: { token: undefined, port: 0, host: '127.0.0.1' } } });
    appWithToken = await startApp(undefined, { http: { ...QUIET_HTTP, metrics: { token: METRICS_TOKEN, port: 0, host: '127.0.0.1' } } });
  });
  afterAll(async () => {
    await app.stop();
    await appWithToken.stop();
  });

  it('serves the metrics there, and nothing else', async () => {
    const scraped = await fetch(metricsUrl(app));
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    expect(await scraped.text()).toContain('complaint_desk_http_requests_total');
    expect((await fetch(metricsUrl(app, '/complaints'))).status).toBe(404);
    expect((await fetch(metricsUrl(app), { method: 'POST' })).status).toBe(405);
    // On the API port it still needs a token.
    expect((await app.request('GET', '/metrics', { role: null })).status).toBe(401);
  });

  it('asks for METRICS_TOKEN there too when it is set', async () => {
    const refused = await fetch(metricsUrl(appWithToken));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(metricsUrl(appWithToken), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
  });

  it('stops with the app', async () => {
    const running = await startApp(undefined, { http: { ...QUIET_HTTP, metrics: { token: undefined, port: 0, host: '127.0.0.1' } } });
    const url = metricsUrl(running);
    await running.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});
