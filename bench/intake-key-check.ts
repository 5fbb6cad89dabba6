/**
 * node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/intake-key-check.ts [--receipts N] [--reps N]
 *
 * A complaint's receipt with its customer's new file (ReceiveComplaintHandler with the intake), on
 * the embedded store as the API opens it (a file, the writer thread, synchronous=FULL):
 *   read before   — as the version before: the complaint's stream is read once more before the
 *                   executor's turn, to refuse a key that recorded a complaint for another customer
 *   in the turn   — as now: that check is made on what the executor reads in its turn anyway
 *                   (PartsOptions.refuseRecordOfAnotherRequest), which also sees another process's
 *                   receipt under the key that lands before the append
 * After a warm-up of each, every repetition runs both on fresh files, alternating which goes first; the median of the ratios
 * within a repetition is printed. Writes nothing outside a temporary directory, which it removes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComplaintCommandExecutor, ComplaintRepository, FixedSlaPolicySource, ReceiveComplaintCommand, ReceiveComplaintHandler, complaintIdFor } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileIntake, CustomerFileRepository } from '@app/customers';
import { DEFAULT_SLA_POLICY } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { median, option } from './script-support';

type Variant = 'read before' | 'in the turn';
const receipts = Number(option('receipts', '400'));
const reps = Number(option('reps', '5'));
const clock = { now: () => new Date() };
const agent = { id: 'bench-agent', role: 'agent' as const };

/** Receipts per second, 8 in flight, each for a customer of its own (a new file each). */
async function run(variant: Variant): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-intake-key-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: true });
  try {
    const complaints = new ComplaintRepository(store);
    const files = new CustomerFileRepository(store);
    const handler = new ReceiveComplaintHandler(new ComplaintCommandExecutor(store, complaints, clock), new FixedSlaPolicySource(DEFAULT_SLA_POLICY),
      new CustomerFileIntake(new CustomerFileCommandExecutor(store, files, clock)));
    // The read the version before made ahead of the turn (the complaint id derives from the command id).
    const readBefore = variant === 'read before' ? (commandId: string) => complaints.load(complaintIdFor(commandId)) : async () => undefined;
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < receipts) {
        const index = next++;
        const commandId = randomUUID();
        await readBefore(commandId);
        await handler.execute(new ReceiveComplaintCommand({ customerId: `cust-${index}`, channel: 'phone', cause: 'service', description: '少加了5升' }, { commandId, correlationId: commandId, causationId: commandId, actor: agent }));
      }
    }));
    return receipts / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`${receipts} receipts per run, ${reps} interleaved repetitions`);
  // Warm-up (compilation, the writer thread's start), not counted.
  await run('read before');
  await run('in the turn');
  const ratios: number[] = [];
  for (let rep = 0; rep < reps; rep += 1) {
    const order: Variant[] = rep % 2 === 0 ? ['read before', 'in the turn'] : ['in the turn', 'read before'];
    const measured = {} as Record<Variant, number>;
    for (const variant of order) measured[variant] = await run(variant);
    ratios.push(measured['in the turn'] / measured['read before']);
    console.log(`rep ${rep + 1}: read before ${Math.round(measured['read before'])}/s, in the turn ${Math.round(measured['in the turn'])}/s`);
  }
  console.log(`in the turn / read before: ${median(ratios).toFixed(2)}× (per repetition: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
