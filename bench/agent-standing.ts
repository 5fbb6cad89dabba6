/**
 * What the check of the acting agent's standing costs (ADR 0012, "An agent who left keeps no hand on
 * complaints"): a complaint command by an agent asks the ActingCheck, which reads what the service
 * network gained since its last read (ServiceNetworkRepository.current()); the same command through an
 * executor without the check is the baseline. Notes added to received complaints, through the real
 * ComplaintCommandExecutor on a temporary SQLite log holding a directory of N agents, in interleaved
 * repetitions (the order rotated), one process.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/agent-standing.ts [--agents N] [--complaints N] [--reps N]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceNetworkActingCheck, ServiceNetworkRepository } from '@app/after-sales';
import { ComplaintCommandExecutor, ComplaintRepository, SystemClock, type CommandContext } from '@app/complaints';
import { DEFAULT_SLA_POLICY, SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, type Actor } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { option, printPerCommand, runScript } from './script-support';

const agents = Number(option('agents', '500'));
const complaints = Number(option('complaints', '200'));
const reps = Number(option('reps', '5'));
const AGENT: Actor = { id: 'agent-0', role: 'agent' };
const context = (): CommandContext => {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: AGENT };
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-agent-standing-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  try {
    const by = { id: 'admin-zhao', role: 'admin' };
    const added = Array.from({ length: agents }, (_, n) => ({
      eventId: randomUUID(), type: 'AgentAdded', metadata: { schemaVersion: SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS.AgentAdded },
      data: { agentId: `agent-${n}`, name: `客服 ${n}`, units: [], addedAt: '2026-03-01T00:00:00.000Z', by, reason: 'hired' },
    }));
    for (let start = 0; start < added.length; start += 500) await store.append(SERVICE_NETWORK_STREAM, added.slice(start, start + 500));
    const clock = new SystemClock();
    const checked = new ComplaintCommandExecutor(store, new ComplaintRepository(store), clock, undefined, new ServiceNetworkActingCheck(new ServiceNetworkRepository(store)));
    const unchecked = new ComplaintCommandExecutor(store, new ComplaintRepository(store), clock);
    const ids = Array.from({ length: complaints }, () => randomUUID());
    for (const complaintId of ids) {
      await unchecked.execute({ type: 'ReceiveComplaint', complaintId, data: { customerId: 'cust-bench', channel: 'phone', cause: 'price', description: 'Bench.', policy: DEFAULT_SLA_POLICY } }, context());
    }
    const noteAll = async (through: ComplaintCommandExecutor): Promise<void> => {
      for (const complaintId of ids) await through.execute({ type: 'AddComplaintNote', complaintId, data: { visibility: 'internal', text: 'bench' } }, context());
    };
    await noteAll(checked); // warm-up
    await printPerCommand({ 'without the check': () => noteAll(unchecked), 'agent checked': () => noteAll(checked) }, reps, complaints,
      `service network of ${agents} agents, ${complaints} notes per run, ${reps} interleaved runs`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runScript(main);
