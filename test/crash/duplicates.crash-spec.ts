import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDataDir } from './support/consistency';
import { AGENT_TOKEN, sealDirOf, startServer, type Server } from './support/server';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const PAIRS = 100;
const CYCLES = 4;
const CLIENTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(server: Server, path: string, body: Record<string, unknown>): Promise<{ status: number; body: { id?: string } } | undefined> {
  try {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { id?: string } };
  } catch {
    // The server was killed: the outcome is unknown, and deliberately not retried.
    return undefined;
  }
}

/**
 * A duplicate marking writes two complaints. kill -9 at random moments while markings are in
 * flight, with no retry of the ones whose answer was lost: each is recorded on both complaints or on
 * neither (docs/adr/0013, "Duplicates").
 */
describe('duplicate markings under kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-duplicates-crash-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(sealDirOf(dataDir), { recursive: true, force: true });
  });

  it(`leaves every marking on both complaints or on neither, across ${CYCLES} kills`, async () => {
    const complaints: string[] = [];
    const first = await startServer(dataDir);
    try {
      for (let index = 0; index < PAIRS * 2; index += CLIENTS) {
        const received = await Promise.all(Array.from({ length: CLIENTS }, () => post(first, '/complaints', { customerId: 'cust-dup', channel: 'phone', cause: 'service', description: 'Queue of 40 minutes at pump 3.' })));
        for (const answer of received) complaints.push(answer!.body.id!);
      }
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }

    const acknowledged: Array<[string, string]> = [];
    const unexpected: string[] = [];
    let next = 0;
    for (let cycle = 1; cycle <= CYCLES && next < PAIRS; cycle += 1) {
      const server = await startServer(dataDir);
      let running = true;
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (running && next < PAIRS) {
          const pair = next++;
          // Both directions, so that the lower id is the duplicate in half of them and the original in the other half.
          const [duplicate, original] = pair % 2 === 0 ? [complaints[2 * pair]!, complaints[2 * pair + 1]!] : [complaints[2 * pair + 1]!, complaints[2 * pair]!];
          const answer = await post(server, `/complaints/${duplicate}/related`, { complaintId: original, relation: 'duplicate-of', reason: 'The same fill-up.' });
          if (answer?.status === 200) acknowledged.push([duplicate, original]);
          else if (answer) unexpected.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
      });
      await sleep(150 + Math.random() * 600);
      server.child.kill('SIGKILL');
      await server.exited;
      running = false;
      await Promise.all(clients);
    }
    const last = await startServer(dataDir);
    last.child.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });

    expect(unexpected).toEqual([]);
    const state = await inspectDataDir(dataDir);
    const marked = new Set(state.events.filter((event) => event.type === 'ComplaintRelated' && event.data['relation'] === 'duplicate-of')
      .map((event) => `${event.data['complaintId']} → ${event.data['relatedId']}`));
    const listed = new Set(state.events.filter((event) => event.type === 'ComplaintDuplicateLinked')
      .map((event) => `${event.data['duplicateId']} → ${event.data['complaintId']}`));
    // No half marking: what a duplicate records, its original lists, and the other way round.
    expect([...marked].filter((link) => !listed.has(link))).toEqual([]);
    expect([...listed].filter((link) => !marked.has(link))).toEqual([]);
    for (const [duplicate, original] of acknowledged) expect(marked.has(`${duplicate} → ${original}`)).toBe(true);
    expect(state.events.filter((event) => event.type === 'ComplaintDuplicateUnlinked' || String(event.data['reason'] ?? '').startsWith('withdrawn:'))).toEqual([]);
    expect(state.brokenChains).toEqual([]);
    expect(state.logFindings).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    process.stdout.write(`duplicates crash: ${CYCLES} kill -9 cycles; ${next} markings sent, ${acknowledged.length} acknowledged, ${marked.size} recorded, each on both complaints\n`);
  }, 600_000);
});
