/**
 * One webhook's deliveries per second on a backlog, for two builds (docs/adr/0018, "The look before each
 * attempt"): the sender alone (WebhookSender over the embedded stores, as webhook-sender.spec.ts drives it), a
 * receiver in the same process answering 204, a backlog of --deliveries events queued by the outbox, and a
 * webhooks stream of 1 + 2 × --history events (the webhook registered, then paused and resumed --history times, as a
 * desk's stream grows). It prints deliveries per second and the process's CPU time per delivery (steadier than the wall
 * clock on a loaded machine). Each build runs in a child process with its source tree as the working directory (its own
 * @app/* and apps/api), on a data dir of its own built afresh; the builds take turns, the order swapped each round.
 *
 *   node -r ts-node/register/transpile-only bench/webhook-backlog.ts --base <other tree> [--deliveries 2000] [--history 50] [--rounds 4]
 *
 * --base is the other source tree (a worktree of main with its node_modules).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { median, option, runScript } from './script-support';

const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

async function parent(): Promise<void> {
  const base = resolve(option('base', ''));
  if (option('base', '') === '') throw new Error('usage: bench/webhook-backlog.ts --base <other tree> [--deliveries 2000] [--history 50] [--rounds 4]');
  const here = resolve(__dirname, '..');
  const deliveries = option('deliveries', '2000');
  const history = option('history', '50');
  const rounds = Number(option('rounds', '4'));
  const builds = { base, this: here } as const;
  const rates: Record<keyof typeof builds, number[]> = { base: [], this: [] };
  const cpu: Record<keyof typeof builds, number[]> = { base: [], this: [] };
  for (let round = 0; round < rounds; round += 1) {
    const order = (round % 2 === 0 ? ['base', 'this'] : ['this', 'base']) as Array<keyof typeof builds>;
    for (const name of order) {
      const out = execFileSync(process.execPath, [...TS_NODE, __filename, '--child', '--deliveries', deliveries, '--history', history], { cwd: builds[name], encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const [rate, cpuMs] = out.trim().split('\n').pop()!.split(' ').map(Number);
      rates[name].push(rate!);
      cpu[name].push(cpuMs!);
    }
    console.log(`round ${round + 1}: base ${rates.base[round]!.toFixed(0)}/s (${cpu.base[round]!.toFixed(2)} ms CPU each), `
      + `this ${rates.this[round]!.toFixed(0)}/s (${cpu.this[round]!.toFixed(2)} ms CPU each), this ÷ base ${(rates.this[round]! / rates.base[round]!).toFixed(2)}`);
  }
  const ratios = rates.this.map((rate, round) => rate / rates.base[round]!);
  const cpuRatios = cpu.this.map((ms, round) => ms / cpu.base[round]!);
  console.log(`${deliveries} deliveries, a webhooks stream of ${1 + 2 * Number(history)} events, ${rounds} rounds (builds interleaved): `
    + `base ${median(rates.base).toFixed(0)}/s, this ${median(rates.this).toFixed(0)}/s (medians); deliveries/s this ÷ base per round ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}; `
    + `CPU per delivery (the process's user + system time while it drains) this ÷ base per round ${cpuRatios.map((ratio) => ratio.toFixed(2)).join(', ')}`);
}

async function child(deliveries: number, history: number): Promise<void> {
  const root = process.cwd();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { randomUUID } = require('node:crypto') as typeof import('node:crypto');
  const { mkdtempSync, rmSync } = require('node:fs') as typeof import('node:fs');
  const { createServer } = require('node:http') as typeof import('node:http');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  const { join } = require('node:path') as typeof import('node:path');
  const { performance } = require('node:perf_hooks') as typeof import('node:perf_hooks');
  const { SqliteEventStore } = require('@app/event-store') as typeof import('@app/event-store');
  const { SqliteReadStore } = require('@app/read-store') as typeof import('@app/read-store');
  const { WEBHOOKS_STREAM } = require('@app/domain') as typeof import('@app/domain');
  const webhooks = (file: string) => require(join(root, 'apps/api/src/webhooks', file)) as unknown;
  const { WebhookOutbox } = webhooks('webhook-outbox') as typeof import('../apps/api/src/webhooks/webhook-outbox');
  const { WebhookSender } = webhooks('webhook-sender') as typeof import('../apps/api/src/webhooks/webhook-sender');
  const { DEFAULT_WEBHOOK_SETTINGS } = webhooks('webhook-settings') as typeof import('../apps/api/src/webhooks/webhook-settings');
  const { secretFingerprint } = webhooks('webhook-signature') as typeof import('../apps/api/src/webhooks/webhook-signature');
  const { WebhookStore } = webhooks('webhook-store') as typeof import('../apps/api/src/webhooks/webhook-store');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-webhook-backlog-'));
  const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  const reads = new SqliteReadStore({ filename: join(dir, 'read.sqlite') });
  let received = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(204).end();
      if ((received += 1) === deliveries) done();
    });
  });
  try {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    const store = new WebhookStore(reads);
    await store.ensure();
    const webhookId = randomUUID();
    const secret = `whsec-bench-${randomUUID()}`;
    await store.putSecret(webhookId, secret);
    const by = { id: 'bench', role: 'admin' };
    const at = () => new Date().toISOString();
    await events.append(WEBHOOKS_STREAM, [{ eventId: randomUUID(), type: 'WebhookRegistered', metadata: {}, data: {
      webhookId, url: `http://127.0.0.1:${port}/hooks`, filter: { eventTypes: [], streamTypes: [], complaintId: null, customerId: null },
      secretFingerprint: secretFingerprint(secret), description: null, registeredAt: at(), by, reason: 'bench',
    } }, ...Array.from({ length: history }, () => [
      { eventId: randomUUID(), type: 'WebhookPaused', metadata: {}, data: { webhookId, by, reason: 'bench', pausedAt: at() } },
      { eventId: randomUUID(), type: 'WebhookResumed', metadata: {}, data: { webhookId, by, reason: 'bench', resumedAt: at() } },
    ]).flat()]);
    for (let index = 0; index < deliveries; index += 100) {
      await events.appendToStreams(Array.from({ length: Math.min(100, deliveries - index) }, () => {
        const complaintId = randomUUID();
        return { stream: `complaint-${complaintId}`, expectedRevision: 'no_stream' as const, events: [{ eventId: randomUUID(), type: 'ComplaintReceived', data: { complaintId }, metadata: {} }] };
      }));
    }
    const outbox = new WebhookOutbox(events, reads, { facts: async () => undefined, customerFileVisible: async () => true }, { pollMs: 60_000, now: () => new Date() });
    let queued = 0;
    for (let pass = await outbox.check(); pass > 0; pass = await outbox.check()) queued += pass;
    if (queued !== deliveries) throw new Error(`the outbox queued ${queued} deliveries, not ${deliveries}`);
    const sender = new WebhookSender(events, new WebhookStore(reads), {
      settings: { ...DEFAULT_WEBHOOK_SETTINGS, allowHosts: ['127.0.0.1'], pollMs: 60_000 }, now: () => new Date(),
    });
    const began = performance.now();
    // The process's CPU time (the receiver's share is the same in both builds): steadier than the wall clock on a loaded machine.
    const cpuBefore = process.cpuUsage();
    sender.start();
    sender.wake();
    await all;
    const seconds = (performance.now() - began) / 1000;
    const { user, system } = process.cpuUsage(cpuBefore);
    await sender.stop();
    process.stdout.write(`${(deliveries / seconds).toFixed(1)} ${((user + system) / 1000 / deliveries).toFixed(3)}\n`);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runScript(async () => {
  if (process.argv.includes('--child')) await child(Number(option('deliveries', '2000')), Number(option('history', '50')));
  else await parent();
});
