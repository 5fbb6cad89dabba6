/**
 * What the request digest costs (ADR 0004, "The request digest"): a complaint command sent with an
 * Idempotency-Key records a digest of its request, keyed by the customer's data key (two key-store
 * reads: the live key and its bytes); the same command without a request to digest is the baseline
 * (as before, and as a command no request asked). Notes added to received complaints, through the real
 * ComplaintCommandExecutor with the sealer the API opens (PersonalDataCipher over a SQLite key store),
 * on a temporary SQLite log opened as the API opens it, in interleaved repetitions (the order rotated), one process.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/request-digest.ts [--complaints N] [--reps N]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComplaintCommandExecutor, ComplaintRepository, SystemClock, type CommandContext } from '@app/complaints';
import { DEFAULT_SLA_POLICY, type Actor } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { PersonalDataCipher, SqliteKeyStore } from '@app/key-store';
import { option, printPerCommand, runScript } from './script-support';

const complaints = Number(option('complaints', '200'));
const reps = Number(option('reps', '7'));
const AGENT: Actor = { id: 'agent-0', role: 'agent' };
const context = (request?: string): CommandContext => {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: AGENT, ...(request === undefined ? {} : { request }) };
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-request-digest-'));
  // As the API opens the embedded log: synchronous=FULL, the writer thread.
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: true });
  const keys = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
  try {
    const executor = new ComplaintCommandExecutor(store, new ComplaintRepository(store), new SystemClock(), new PersonalDataCipher(keys));
    const ids = Array.from({ length: complaints }, () => randomUUID());
    // Each complaint of a customer of its own, with a name (sealed): each customer has a live key.
    for (const [index, complaintId] of ids.entries()) {
      await executor.execute({
        type: 'ReceiveComplaint', complaintId, data: { customerId: `cust-${index}`, customerName: `客户 ${index}`, channel: 'phone', cause: 'price', description: 'Bench.', policy: DEFAULT_SLA_POLICY },
      }, context());
    }
    const noteAll = async (withRequest: boolean): Promise<void> => {
      for (const complaintId of ids) {
        await executor.execute({ type: 'AddComplaintNote', complaintId, data: { visibility: 'internal', text: 'bench' } },
          context(withRequest ? `POST /complaints/${complaintId}/notes\n{"text":"bench","visibility":"internal"}` : undefined));
      }
    };
    await noteAll(true); // warm-up
    await printPerCommand({ 'no request': () => noteAll(false), 'request digest': () => noteAll(true) }, reps, complaints, `${complaints} notes per run, ${reps} interleaved runs`);
  } finally {
    await keys.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runScript(main);
