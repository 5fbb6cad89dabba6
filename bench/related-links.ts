/**
 * node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/related-links.ts [--pairs N] [--reps N]
 *
 * A related link between two complaints (nothing to take off the original's list), through the
 * complaint command executor on the embedded store as the API opens it (a file, the writer thread):
 *   relate only        — the link's own side alone, as the handler sent it when what it had read
 *                        before its turn listed nothing
 *   with unlink part   — plus the original's UnlinkDuplicate, decided in the turn (it reads the
 *                        original's stream and records nothing), as the handler sends it now
 * Each repetition runs both variants on fresh files, alternating which goes first, and the ratio is
 * taken within the repetition; the median of the ratios is printed. Writes nothing outside a
 * temporary directory, which it removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ComplaintCommandExecutor, ComplaintRepository, type CommandContext } from '@app/complaints';
import { DEFAULT_SLA_POLICY } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { median, option } from './script-support';

type Variant = 'relate only' | 'with unlink part';

const pairs = Number(option('pairs', '300'));
const reps = Number(option('reps', '5'));
const clock = { now: () => new Date() };
const context = (): CommandContext => {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: { id: 'sup-1', role: 'supervisor' } };
};

/** Links per second: `pairs` related links, 16 in flight, each between two complaints of its own. */
async function run(variant: Variant): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-related-links-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), writerThread: true });
  const executor = new ComplaintCommandExecutor(store, new ComplaintRepository(store), clock);
  try {
    const ids = Array.from({ length: pairs }, () => [randomUUID(), randomUUID()] as const);
    await Promise.all(ids.flat().map((complaintId) => executor.execute({
      type: 'ReceiveComplaint', complaintId, data: { customerId: 'cust-bench', channel: 'phone', cause: 'price', description: 'Called twice.', policy: DEFAULT_SLA_POLICY },
    }, context())));
    const relate = async ([id, relatedId]: readonly [string, string]) => {
      const request = context();
      const steps = [{ command: { type: 'RelateComplaint' as const, complaintId: id, data: { relatedId, relation: 'related' as const, reason: 'Same station.', target: { duplicateOf: null } } }, context: request }];
      if (variant === 'relate only') return executor.executeTogether(steps, { sidesOfOneFact: true });
      return executor.executeTogether([...steps, { command: { type: 'UnlinkDuplicate', complaintId: relatedId, data: { duplicateId: id, reason: 'Same station.' } }, context: { ...request, commandId: randomUUID() } }], { sidesOfOneFact: true });
    };
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < pairs) await relate(ids[next++]!);
    }));
    return pairs / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`${pairs} related links per run, 16 in flight, ${reps} interleaved repetitions`);
  const ratios: number[] = [];
  const rates: Record<Variant, number[]> = { 'relate only': [], 'with unlink part': [] };
  for (let rep = 0; rep < reps; rep += 1) {
    const order: Variant[] = rep % 2 === 0 ? ['relate only', 'with unlink part'] : ['with unlink part', 'relate only'];
    const measured = {} as Record<Variant, number>;
    for (const variant of order) measured[variant] = await run(variant);
    for (const variant of order) rates[variant].push(measured[variant]);
    ratios.push(measured['with unlink part'] / measured['relate only']);
  }
  console.log(`relate only ${Math.round(median(rates['relate only']))}/s, with unlink part ${Math.round(median(rates['with unlink part']))}/s, `
    + `ratio ${median(ratios).toFixed(2)}× (per repetition: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
