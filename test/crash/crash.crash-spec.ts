import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandIdFor } from '../../apps/api/src/http/command-runner';
import { inspectDataDir } from './support/consistency';
import { AGENT_TOKEN, sealDirOf, startServer, type Server } from './support/server';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const CYCLES = 20;
const CLIENTS = 8;

interface Command {
  readonly key: string;
  readonly kind: 'receive' | 'apologise';
  readonly path: string;
  readonly body: Record<string, unknown>;
}
interface Ack {
  readonly command: Command;
  readonly id: string;
  readonly revision: number;
  readonly position: number;
}

const complaint = (customer: number) => ({
  customerId: `cust-${customer}`, channel: 'phone', cause: 'quantity-metering', severity: 'high', description: '加油机显示40升，但油箱只加进了约35升。',
});

/** Sends one command with its Idempotency-Key: its answer (ack), an unexpected status, or neither when the connection failed (outcome unknown). */
async function send(url: string, command: Command): Promise<{ ack?: Ack; unexpected?: string }> {
  try {
    const response = await fetch(`${url}${command.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': command.key },
      body: JSON.stringify(command.body),
    });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 201) return { unexpected: `${response.status} ${command.path}: ${text.slice(0, 200)}` };
    const body = JSON.parse(text) as { id: string; revision: number; position: number };
    return { ack: { command, id: body.id, revision: body.revision, position: body.position } };
  } catch {
    return {};
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A data dir of its own for one describe block, removed after it. */
function useDataDir(prefix: string): () => string {
  let dataDir = '';
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(sealDirOf(dataDir), { recursive: true, force: true });
  });
  return () => dataDir;
}

describe('crash safety: kill -9 under load, 20 times', () => {
  const dataDir = useDataDir('complaint-desk-crash-');

  it('loses no acknowledged command, writes none twice, keeps every chain and rebuilds the same read models', async () => {
    const acks: Ack[] = [];
    const unexpected: string[] = [];
    let pending: Command[] = [];
    let retried = 0;
    const complaints: string[] = [];
    const next = (): Command => {
      if (complaints.length > 0 && Math.random() < 0.7) {
        const id = complaints[Math.floor(Math.random() * complaints.length)]!;
        return { key: randomUUID(), kind: 'apologise', path: `/complaints/${id}/apologise`, body: { statement: '非常抱歉', channel: 'phone' } };
      }
      return { key: randomUUID(), kind: 'receive', path: '/complaints', body: complaint(Math.floor(Math.random() * 40)) };
    };
    const record = (result: { ack?: Ack; unexpected?: string }, command: Command): void => {
      if (result.ack) {
        acks.push(result.ack);
        if (command.kind === 'receive') complaints.push(result.ack.id);
      } else if (result.unexpected) unexpected.push(result.unexpected);
      else pending.push(command);
    };
    const retryPending = async (server: Server) => {
      const again = pending;
      pending = [];
      retried += again.length;
      // A command whose answer was lost is sent again with the same key: it must be answered, and written once.
      for (const command of again) record(await send(server.url, command), command);
      expect(pending).toEqual([]);
    };

    for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
      const server = await startServer(dataDir());
      await retryPending(server);
      let running = true;
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (running) {
          const command = next();
          record(await send(server.url, command), command);
        }
      });
      await sleep(200 + Math.random() * 1000);
      server.child.kill('SIGKILL');
      await server.exited;
      running = false;
      await Promise.all(clients);
    }

    // Last start: answer what is still unknown, let the read models catch up, stop gracefully.
    const server = await startServer(dataDir());
    await retryPending(server);
    const head = Math.max(...acks.map((ack) => ack.position));
    const caughtUp = await fetch(`${server.url}/complaints?limit=1&minPosition=${head}`, { headers: { authorization: `Bearer ${AGENT_TOKEN}` } });
    expect(Number(caughtUp.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(head);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });

    expect(unexpected).toEqual([]);
    const state = await inspectDataDir(dataDir());
    // Every acknowledged command is in the log, at the revision it was acknowledged with.
    const byStreamRevision = new Map(state.events.map((event) => [`${event.stream}@${event.revision}`, event]));
    for (const ack of acks) {
      const event = byStreamRevision.get(`complaint-${ack.id}@${ack.revision}`);
      expect(event?.metadata['commandId']).toBe(commandIdFor('crash-agent', ack.command.key));
    }
    // Nothing was written twice: one event per command id, event ids unique.
    const commandIds = state.events.map((event) => String(event.metadata['commandId']));
    expect(new Set(commandIds).size).toBe(commandIds.length);
    expect(new Set(state.events.map((event) => event.eventId)).size).toBe(state.events.length);
    expect(new Set(acks.map((ack) => ack.command.key)).size).toBe(acks.length);
    expect(state.events.length).toBeGreaterThanOrEqual(acks.length);
    // Every hash chain verifies; every read model equals a fresh replay of the log.
    expect(state.brokenChains).toEqual([]);
    // kill -9 between seals leaves no false finding: the whole log verifies against every seal written.
    expect(state.logFindings).toEqual([]);
    expect(state.seals).toBeGreaterThan(0);
    for (const checkpoint of Object.values(state.checkpoints)) expect(checkpoint).toBe(state.head);
    expect(state.liveHash).toBe(state.freshHash);
    process.stdout.write(`crash: ${CYCLES} kill -9 cycles survived; ${acks.length} commands acknowledged and found in the log (${retried} resent after a lost answer); ${state.events.length} events, ${new Set(state.events.map((event) => event.stream)).size} chains verified; read models equal a fresh replay\n`);
  }, 600_000);
});

describe('graceful shutdown (SIGTERM) under load', () => {
  const dataDir = useDataDir('complaint-desk-sigterm-');

  it('answers every request in flight, finishes the projector\'s work, and exits 0', async () => {
    const server = await startServer(dataDir());
    let stopping = false;
    const sent: Array<Promise<{ ack?: Ack; unexpected?: string }>> = [];
    let completed = 0;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!stopping) {
        const command: Command = { key: randomUUID(), kind: 'receive', path: '/complaints', body: complaint(Math.floor(Math.random() * 40)) };
        const request = send(server.url, command);
        const tracked = request.then((result) => {
          completed += 1;
          return result;
        });
        sent.push(tracked);
        await tracked;
      }
    });
    await sleep(800);
    stopping = true;
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const results = await Promise.all(sent);
    await Promise.all(clients);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // Not a speed test: a client's idle keep-alive connection must not hold the exit for its 72 s timeout.
    expect(Date.now() - signalledAt).toBeLessThan(20_000);
    // Every request that had been sent got its answer: none cut off.
    expect(results.filter((result) => !result.ack)).toEqual([]);
    expect(server.output()).not.toMatch(/"level":(50|60)/);
    // The terminal is told that the stop is under way, and when it is done.
    expect(server.output()).toMatch(/Complaint Desk is stopping \(SIGTERM\): answering the requests in flight[^\n]*\n[\s\S]*Complaint Desk stopped \(exit 0\)\n$/);
    const state = await inspectDataDir(dataDir());
    // One event per receipt, and one file opened per customer at its first intake.
    expect(state.events.filter((event) => event.stream.startsWith('complaint-'))).toHaveLength(completed);
    const files = state.events.filter((event) => event.stream.startsWith('customer-'));
    expect(files.map((event) => `${event.type}@${event.revision}`)).toEqual(files.map(() => 'CustomerFileOpened@0'));
    for (const checkpoint of Object.values(state.checkpoints)) expect(checkpoint).toBe(state.head);
    expect(state.liveHash).toBe(state.freshHash);
    process.stdout.write(`sigterm: ${completed} commands, every one answered; exit 0; read models caught up (position ${state.head})\n`);
  }, 120_000);
});
