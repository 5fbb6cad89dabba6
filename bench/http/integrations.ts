/**
 * Integrations under load (issue 20): the real server (as knee.ts starts it) with one change-feed
 * reader (`GET /feed`, Server-Sent Events) and one webhook to a receiver in this process.
 *   integrations.ts SECONDS CONCURRENCY
 * Phase 1, "under load": the knee's front-ends for SECONDS at CONCURRENCY while the feed and the
 * webhook follow. Lag = from a command's answer (its log position) until that position arrives on
 * the feed, or at the receiver. Phase 2, "backlog": the webhook paused, the same load again, then
 * resumed with nothing else running: the deliveries per second of the backlog are the webhook's
 * throughput to a local receiver (one POST per event, in log order). Prints one JSON line per phase.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, percentile, startServer, step, TOKEN } from './knee';

const ADMIN = 'bench-admin-token-0123456789abcdef01';
const round = (value: number) => Math.round(value * 10) / 10;

/** Arrival times by log position (performance.now()), and what arrived. */
class Arrivals {
  readonly at = new Map<number, number>();
  count = 0;
  last = 0;

  record(position: number): void {
    this.count += 1;
    this.last = performance.now();
    if (!this.at.has(position)) this.at.set(position, this.last);
  }
}

/** The receiver: answers every delivery 204 and notes its position. */
async function receiver(arrivals: Arrivals): Promise<{ server: Server; port: number }> {
  const port = await freePort();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.record(Number(request.headers['complaint-desk-position']));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}

/** Follows the feed as an EventSource would, until `stop` is aborted. */
async function follow(base: string, arrivals: Arrivals, stop: AbortSignal): Promise<void> {
  const response = await fetch(`${base}/feed`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' }, signal: stop });
  if (!response.ok || !response.body) throw new Error(`GET /feed answered ${response.status}`);
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const message = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const id = /^id: (\d+)$/m.exec(message);
        if (id) arrivals.record(Number(id[1]));
      }
    }
  } catch (error) {
    if (!stop.aborted) throw error;
  }
}

async function admin(base: string, path: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Waits until every position in `positions` has arrived, or `timeoutMs` passed; answers how many are missing. */
async function drained(arrivals: Arrivals, positions: Iterable<number>, timeoutMs: number): Promise<number> {
  const wanted = [...positions];
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const missing = wanted.filter((position) => !arrivals.at.has(position)).length;
    if (missing === 0 || performance.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function lags(answered: ReadonlyMap<number, number>, arrivals: Arrivals): { p50: number; p99: number; max: number } {
  const values = [...answered].filter(([position]) => arrivals.at.has(position)).map(([position, at]) => arrivals.at.get(position)! - at);
  return { p50: round(percentile(values, 0.5)), p99: round(percentile(values, 0.99)), max: round(values.length ? Math.max(...values) : 0) };
}

async function main(): Promise<void> {
  const [secondsArg = '8', concurrencyArg = '8'] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const concurrency = Number(concurrencyArg);
  if (!(seconds > 0) || !Number.isInteger(concurrency) || concurrency < 1) throw new Error('usage: integrations.ts SECONDS CONCURRENCY');
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-integrations-'));
  const hooks = new Arrivals();
  const { server: receiving, port: receiverPort } = await receiver(hooks);
  const port = await freePort();
  const cleanUp = () => {
    receiving.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.seals`, { recursive: true, force: true });
  };
  const processes = await startServer(dataDir, port, {
    API_TOKENS: `${TOKEN}:bench:supervisor,${ADMIN}:bench-admin:admin`, WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  }).catch((error: unknown) => {
    cleanUp();
    throw error;
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = new AbortController();
  try {
    const hook = await admin(base, '/webhooks', { url: `http://127.0.0.1:${receiverPort}/hooks/bench`, secret: randomBytes(32).toString('hex'), reason: 'bench: every event' });
    const feed = new Arrivals();
    const following = follow(base, feed, stop.signal);
    const pids = processes.map((child) => child.pid!);

    // Phase 1: the feed and the webhook follow the knee's load.
    const answered = new Map<number, number>();
    const load = await step(base, concurrency, seconds, pids, 0, (position, at) => answered.set(position, at));
    const feedMissing = await drained(feed, answered.keys(), 30_000);
    const hookMissing = await drained(hooks, answered.keys(), 60_000);
    process.stdout.write(`${JSON.stringify({ phase: {
      name: 'under load', concurrency, seconds: load.seconds, commandsPerSecond: load.commandsPerSecond, commandP99Ms: load.commandP99Ms, errors: load.errors,
      commands: answered.size, feed: { ...lags(answered, feed), missing: feedMissing }, webhook: { ...lags(answered, hooks), missing: hookMissing },
    } })}\n`);

    // Phase 2: a backlog built while the webhook is paused, then delivered with nothing else running.
    await admin(base, `/webhooks/${String(hook['id'])}/pause`, { reason: 'bench: build a backlog' });
    const before = hooks.count;
    const backlog = new Map<number, number>();
    await step(base, concurrency, seconds, pids, 1, (position, at) => backlog.set(position, at));
    await drained(feed, backlog.keys(), 30_000);
    const resumed = performance.now();
    await admin(base, `/webhooks/${String(hook['id'])}/resume`, { reason: 'bench: deliver the backlog' });
    const missing = await drained(hooks, backlog.keys(), 120_000);
    const delivered = hooks.count - before;
    const elapsed = (hooks.last - resumed) / 1000;
    process.stdout.write(`${JSON.stringify({ phase: {
      name: 'backlog', concurrency, commands: backlog.size, delivered, seconds: round(elapsed), deliveriesPerSecond: elapsed > 0 ? Math.round(delivered / elapsed) : 0, missing,
    } })}\n`);
  } finally {
    stop.abort();
    await Promise.all(processes.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null) resolve(undefined);
      else {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }
    })));
    cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
