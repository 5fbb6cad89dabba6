/**
 * node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/intake-key-check.ts [--receipts N] [--reps N]
 *
 * A complaint's receipt with its customer's new file (ReceiveComplaintHandler with the intake), on
 * the embedded store as the API opens it (a file, the writer thread, synchronous=FULL):
 *   without check — the complaint's stream is not read before the decision (as before: a stub
 *                   repository answers "no complaint")
 *   with check    — it is read, so that a key that recorded a complaint for another customer is
 *                   refused (refuseIntakeKeyOfAnotherCustomer)
 * After a warm-up of each, every repetition runs both on fresh files, alternating which goes first; the median of the ratios
 * within a repetition is printed. Writes nothing outside a temporary directory, which it removes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComplaintCommandExecutor, ComplaintRepository, FixedSlaPolicySource, ReceiveComplaintCommand, ReceiveComplaintHandler } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileIntake, CustomerFileRepository } from '@app/customers';
import { DEFAULT_SLA_POLICY, initialComplaintState } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { median, option } from './script-support';

type Variant = 'without check' | 'with check';
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
    const repository = variant === 'with check' ? complaints : Object.assign(Object.create(complaints) as ComplaintRepository, {
      load: async () => ({ state: initialComplaintState, revision: -1, events: [] }),
    });
    const files = new CustomerFileRepository(store);
    const handler = new ReceiveComplaintHandler(new ComplaintCommandExecutor(store, complaints, clock), new FixedSlaPolicySource(DEFAULT_SLA_POLICY), repository,
      new CustomerFileIntake(new CustomerFileCommandExecutor(store, files, clock)));
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < receipts) {
        const index = next++;
        const commandId = randomUUID();
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
  await run('with check');
  await run('without check');
  const ratios: number[] = [];
  for (let rep = 0; rep < reps; rep += 1) {
    const order: Variant[] = rep % 2 === 0 ? ['without check', 'with check'] : ['with check', 'without check'];
    const measured = {} as Record<Variant, number>;
    for (const variant of order) measured[variant] = await run(variant);
    ratios.push(measured['with check'] / measured['without check']);
    console.log(`rep ${rep + 1}: without ${Math.round(measured['without check'])}/s, with ${Math.round(measured['with check'])}/s`);
  }
  console.log(`with check / without: ${median(ratios).toFixed(2)}× (per repetition: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
