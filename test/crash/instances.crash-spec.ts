import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandIdFor } from '../../apps/api/src/http/command-runner';
import { inspectDataDir } from './support/consistency';
import { AGENT_TOKEN, sealDirOf, startServer } from './support/server';

const BURSTS = 4;
const PER_BURST = 100;

/**
 * Two API processes on one DATA_DIR, as the README allows. SQLite used to answer SQLITE_BUSY at
 * once (a read transaction upgraded to a write while the other process committed), which became a
 * 503: now every write transaction takes the lock first and waits its turn.
 */
describe('two API instances on one data dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-instances-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(sealDirOf(dataDir), { recursive: true, force: true });
  });

  it('answers 4 bursts of 100 mixed commands with no 5xx, losing and duplicating nothing', async () => {
    const started = await Promise.allSettled([startServer(dataDir), startServer(dataDir)]);
    const servers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) {
      // Leave no server behind: a live child keeps jest from ending.
      for (const server of servers) server.child.kill('SIGKILL');
      throw failed.reason;
    }
    const statuses: Record<string, number> = {};
    const acknowledged: Array<{ key: string; id: string; revision: number }> = [];
    const complaints: string[] = [];
    try {
      for (let burst = 0; burst < BURSTS; burst += 1) {
        await Promise.all(Array.from({ length: PER_BURST }, async (_, index) => {
          const server = servers[index % 2]!;
          const key = randomUUID();
          // Half receive new complaints; half apologise on ones both instances write to at once.
          const target = complaints.length > 0 && index % 4 >= 2 ? complaints[index % complaints.length] : undefined;
          const [path, body] = target
            ? [`/complaints/${target}/apologise`, { statement: '非常抱歉', channel: 'phone' }]
            : ['/complaints', { customerId: `cust-${index}`, channel: 'phone', cause: 'service', description: 'Queue of 40 minutes at pump 3.' }];
          const response = await fetch(`${server.url}${path}`, {
            method: 'POST', body: JSON.stringify(body),
            headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
          });
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.ok) {
            const answer = (await response.json()) as { id: string; revision: number };
            acknowledged.push({ key, id: answer.id, revision: answer.revision });
            if (!target) complaints.push(answer.id);
          } else {
            await response.text();
          }
        }));
      }
    } finally {
      for (const server of servers) server.child.kill('SIGTERM');
      await Promise.all(servers.map((server) => server.exited));
    }
    expect(Object.keys(statuses).filter((status) => Number(status) >= 500)).toEqual([]);
    expect(acknowledged).toHaveLength(BURSTS * PER_BURST);
    const state = await inspectDataDir(dataDir);
    const byStreamRevision = new Map(state.events.map((event) => [`${event.stream}@${event.revision}`, event]));
    for (const ack of acknowledged) expect(byStreamRevision.get(`complaint-${ack.id}@${ack.revision}`)?.metadata['commandId']).toBe(commandIdFor('crash-agent', ack.key));
    // One event per acknowledged command, and one file per customer, opened once whichever instance received first.
    expect(state.events.filter((event) => event.stream.startsWith('complaint-'))).toHaveLength(acknowledged.length);
    const files = state.events.filter((event) => event.stream.startsWith('customer-'));
    expect(files.map((event) => `${event.type}@${event.revision}`)).toEqual(files.map(() => 'CustomerFileOpened@0'));
    expect(files.length).toBe(new Set(files.map((event) => event.stream)).size);
    expect(state.brokenChains).toEqual([]);
    // Both instances sealed into the same seal file; every seal agrees with the log.
    expect(state.logFindings).toEqual([]);
    process.stdout.write(`instances: ${BURSTS} × ${PER_BURST} commands over two processes: ${JSON.stringify(statuses)}; ${state.events.length} events, ${state.seals} seals\n`);
  }, 180_000);

  it('refuses one of two different requests under one Idempotency-Key that reach the two instances at once (422), never answering both', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'complaint-desk-instances-keys-'));
    const servers = await Promise.all([startServer(otherDir), startServer(otherDir)]);
    const post = async (server: (typeof servers)[number], path: string, body: unknown, key: string) => {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST', body: JSON.stringify(body),
        headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
      });
      return { status: response.status, body: (await response.json()) as { id: string; revision: number; code?: string } };
    };
    const outcomes: Array<{ key: string; answers: Array<{ status: number; text: string; revision?: number }> }> = [];
    try {
      const { body: complaint } = await post(servers[0]!, '/complaints', { customerId: 'cust-keys', channel: 'phone', cause: 'service', description: 'Queue of 40 minutes at pump 3.' }, randomUUID());
      for (let pair = 0; pair < 15; pair += 1) {
        const key = randomUUID();
        const answers = await Promise.all(['A', 'B'].map(async (text, index) => {
          const { status, body } = await post(servers[index]!, `/complaints/${complaint.id}/notes`, { visibility: 'internal', text: `${text}${pair}` }, key);
          return { status, text: `${text}${pair}`, ...(status < 300 ? { revision: body.revision } : {}) };
        }));
        outcomes.push({ key, answers });
      }
    } finally {
      for (const server of servers) server.child.kill('SIGTERM');
      await Promise.all(servers.map((server) => server.exited));
    }
    const state = await inspectDataDir(otherDir);
    rmSync(otherDir, { recursive: true, force: true });
    rmSync(sealDirOf(otherDir), { recursive: true, force: true });
    for (const { key, answers } of outcomes) {
      // One request of the pair is recorded and answered; the other is refused as a reused key, whichever came first.
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
      const answered = answers.find((answer) => answer.status === 200)!;
      const recorded = state.events.filter((event) => event.metadata['commandId'] === commandIdFor('crash-agent', key));
      expect(recorded.map((event) => [event.revision, (event.data as { text?: unknown }).text])).toEqual([[answered.revision, answered.text]]);
    }
    expect(state.brokenChains).toEqual([]);
  }, 180_000);
});
