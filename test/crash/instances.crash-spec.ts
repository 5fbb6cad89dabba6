import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandIdFor } from '../../apps/api/src/http/command-runner';
import { inspectDataDir } from './support/consistency';
import { AGENT_TOKEN, sealDirOf, startServer, type Server } from './support/server';

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

/**
 * Two API processes on one DATA_DIR both used to run their in-process projections: the second was
 * fenced off at its first event ("another runner has written it") and stopped for good, so once the
 * first stopped, the lists never moved again. Now they share the projector lease: one projects, the
 * other answers reads from the checkpoints and takes over when the first stops (SIGTERM: it gives the
 * lease up) or dies (kill -9: its pid on this host is gone), long before the lease would run out.
 */
describe('two API instances on one data dir share the projections under the projector lease', () => {
  // The lease would run out after 30 s (renewed every 10 s; a standby tries every second): a takeover within a
  // few seconds is the holder giving the lease up (SIGTERM) or the standby seeing its process gone (kill -9).
  const LEASE_TTL_MS = 30_000;
  const TAKEOVER_LIMIT_MS = 5_000;

  const post = async (server: Server, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST', body: JSON.stringify(body),
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; position: number };
  };
  const receive = (server: Server, customerId: string) => post(server, '/complaints', { customerId, channel: 'phone', cause: 'service', description: 'Queue of 40 minutes at pump 3.' });
  const listed = async (server: Server, customerId: string, position: number): Promise<string[]> => {
    const response = await fetch(`${server.url}/complaints?customerId=${customerId}&minPosition=${position}`, { headers: { authorization: `Bearer ${AGENT_TOKEN}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Array<{ id: string }> }).items.map((item) => item.id);
  };
  const health = async (server: Server) => (await (await fetch(`${server.url}/health`)).json()) as {
    status: string; projector: { state: string }; lease: { state: string; holder: string; heldBy: string | null }; problems: string[];
  };

  async function stopHolderAndWriteThroughSurvivor(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const dataDir = mkdtempSync(join(tmpdir(), `complaint-desk-instances-lease-${signal.toLowerCase()}-`));
    const servers = await Promise.all([startServer(dataDir, { LEASE_TTL_MS: String(LEASE_TTL_MS) }), startServer(dataDir, { LEASE_TTL_MS: String(LEASE_TTL_MS) })]);
    try {
      const states = await Promise.all(servers.map(health));
      // One projects, the other waits for it; both are ok.
      expect(states.map((state) => state.lease.state).sort()).toEqual(['active', 'waiting']);
      expect(states.map((state) => state.status)).toEqual(['ok', 'ok']);
      const holder = servers[states.findIndex((state) => state.lease.state === 'active')]!;
      const survivor = servers.find((server) => server !== holder)!;
      expect(states.map((state) => state.lease.heldBy)).toEqual(states.map(() => states.find((state) => state.lease.state === 'active')!.lease.holder));
      expect((await health(survivor)).projector.state).toBe('waiting');

      // Writes through both are read through both, the waiting one reading the store's checkpoints.
      const customer = `cust-lease-${signal.toLowerCase()}`;
      const written = [await receive(holder, customer), await receive(survivor, customer), await receive(holder, customer)];
      const last = Math.max(...written.map((complaint) => complaint.position));
      for (const server of servers) expect((await listed(server, customer, last)).sort()).toEqual(written.map((complaint) => complaint.id).sort());

      holder.child.kill(signal);
      await holder.exited;
      const stoppedAt = Date.now();
      const after = await receive(survivor, customer);
      let seen: string[] = [];
      while (!seen.includes(after.id)) {
        if (Date.now() - stoppedAt > TAKEOVER_LIMIT_MS) throw new Error(`the survivor did not list the new complaint within ${TAKEOVER_LIMIT_MS} ms of the ${signal}:\n${survivor.output()}`);
        seen = await listed(survivor, customer, after.position);
      }
      expect(seen).toHaveLength(written.length + 1);
      const taken = await health(survivor);
      expect(taken).toMatchObject({ status: 'ok', problems: [], projector: { state: 'running' }, lease: { state: 'active' } });
      expect(taken.lease.heldBy).toBe(taken.lease.holder);
      process.stdout.write(`instances: the survivor listed a new complaint ${Date.now() - stoppedAt} ms after the ${signal} of the lease holder (lease ttl ${LEASE_TTL_MS} ms)\n`);
    } finally {
      for (const server of servers) server.child.kill('SIGTERM');
      await Promise.all(servers.map((server) => server.exited));
      for (const server of servers) expect(server.output()).not.toMatch(/another runner has written/);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(sealDirOf(dataDir), { recursive: true, force: true });
    }
  }

  it('takes over at once when the instance that projects stops (SIGTERM gives the lease up)', () => stopHolderAndWriteThroughSurvivor('SIGTERM'), 180_000);

  it('takes over long before the lease runs out when the instance that projects is killed (-9: its process is gone)', () => stopHolderAndWriteThroughSurvivor('SIGKILL'), 180_000);
});
