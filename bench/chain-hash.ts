/**
 * What the hash chain costs per event (ADR 0003, "The chain in one pass"): the event's id
 * (`deterministicUuid` of its command id) and its link (`chainHash`: canonical JSON of the event's type,
 * data and audited metadata, then SHA-256), as `chainedEvents` makes them for each event a command
 * appends, over the events of the HTTP knee's complaint lifecycle, from two builds of the API in one
 * process, in interleaved rounds (the order rotated), so that two versions compare on the same machine at the same time.
 *
 *   node -r ts-node/register/transpile-only bench/chain-hash.ts BUILD_A BUILD_B [--rounds N] [--events N]
 *
 * BUILD_A and BUILD_B are `nest build api` outputs (dist, or a copy of it such as builds/main).
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { option, printRoundsOfBuilds, twoBuilds } from './script-support';

interface HashChain {
  chainHash(previous: string, event: { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }): string;
  deterministicUuid(namespace: string, name: string): string;
}

const [buildA, buildB] = twoBuilds('chain-hash.ts BUILD_A BUILD_B [--rounds N] [--events N]');
const rounds = Number(option('rounds', '7'));
const count = Number(option('events', '20000'));
const load = (build: string): HashChain => {
  const source = join(resolve(build), 'apps', 'api', 'libs', 'event-sourcing', 'src');
  return { ...(require(join(source, 'hash-chain.js')) as object), ...(require(join(source, 'deterministic-id.js')) as object) } as HashChain;
};
const variants: Array<[string, HashChain]> = [[`A ${buildA}`, load(buildA)], [`B ${buildB}`, load(buildB)]];

/** The events of one lifecycle of the knee (bench/http/knee.ts), with the metadata the executor gives them. */
function lifecycle(index: number): Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }> {
  const complaintId = randomUUID();
  const at = new Date(Date.UTC(2026, 11, 4, 8, 0, index % 3600)).toISOString();
  const metadata = (type: string, reason?: string) => {
    const commandId = randomUUID();
    return {
      eventId: randomUUID(), commandId, commandType: type, correlationId: commandId, causationId: commandId, actor: { id: 'bench', role: 'supervisor' },
      ...(reason === undefined ? {} : { reason }), occurredAt: at, schemaVersion: 1,
    };
  };
  return [
    { type: 'ComplaintReceived', data: { complaintId, customerId: `cust-${index % 40}`, channel: 'phone', cause: 'service', description: '加油机显示40升，但油箱只加进了约35升。', receivedAt: at, sla: { policy: 'default-2026', firstResponseDue: at, resolutionDue: at, terms: { firstResponseHours: 24, resolutionHours: 72, callbackHours: 48 } }, customerName: { sealed: 'v1', key: randomUUID(), iv: 'AAAAAAAAAAAAAAAA', data: 'c2VhbGVkIHZhbHVl' } }, metadata: metadata('ReceiveComplaint') },
    { type: 'ComplaintApologised', data: { complaintId, statement: '非常抱歉给您带来不便。', channel: 'phone', at }, metadata: metadata('ApologiseForComplaint') },
    { type: 'ComplaintValidated', data: { complaintId, reason: 'the pump log confirms it', at }, metadata: metadata('ValidateComplaint', 'the pump log confirms it') },
    { type: 'ComplaintAssigned', data: { complaintId, department: 'station-ops', assignee: `agent-${index % 12}`, at }, metadata: metadata('AssignComplaint') },
    { type: 'ComplaintResolved', data: { complaintId, resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true, at }, metadata: metadata('ResolveComplaint') },
    { type: 'CallbackRecorded', data: { complaintId, outcome: 'satisfied', satisfaction: 4 + (index % 2), at }, metadata: metadata('RecordCallback') },
  ];
}

const events = Array.from({ length: Math.ceil(count / 6) }, (_, index) => lifecycle(index)).flat().slice(0, count);

function run(chain: HashChain): { ms: number; head: string } {
  const began = performance.now();
  let previous = 'start';
  for (const event of events) {
    const eventId = chain.deterministicUuid(event.metadata['commandId'] as string, '0');
    // The id goes into the next link, so both builds must make the same ids as well as the same hashes.
    previous = chain.chainHash(previous + eventId, event);
  }
  return { ms: performance.now() - began, head: previous };
}

// Both builds must chain to the same head: the same text hashed.
const heads = variants.map(([, chain]) => run(chain).head);
if (heads[0] !== heads[1]) throw new Error(`the builds chain to different heads (${heads.join(' ≠ ')}): their ids or canonical JSON differ`);
for (const [, chain] of variants) run(chain);

console.log(`deterministicUuid + chainHash over ${events.length} events of the knee's lifecycle, ${rounds} rounds interleaved; µs per event (median round), ratio B ÷ A per round`);
printRoundsOfBuilds(variants.map(([name, chain]) => [name, () => run(chain).ms] as const), rounds, events.length);
