/**
 * node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/two-streams.ts [--pairs N] [--reps N] [--sync FULL|NORMAL]
 *
 * A decision recorded on two streams (a duplicate marking: one event on the duplicate, one on the
 * original), on the embedded store as the API opens it (a file, the writer thread):
 *   two appends      — one stream after the other, as the duplicate marking was written before
 *                      (two commits, each waiting for its own fsync)
 *   appendToStreams  — one atomic append to both streams (one commit)
 * Each repetition runs both variants on fresh files, alternating which goes first, and the ratio is
 * taken within the repetition; the median of the ratios is printed. Writes nothing outside a
 * temporary directory, which it removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { benchEvent } from './stores/workloads';
import { median, option } from './script-support';

type Variant = 'two appends' | 'appendToStreams';

const pairs = Number(option('pairs', '500'));
const reps = Number(option('reps', '5'));
const sync = option('sync', 'FULL').toUpperCase() as 'FULL' | 'NORMAL';
const inFlightLevels = [1, 16];

/** Markings per second: `pairs` decisions, `inFlight` at a time, each on its own two streams. */
async function run(variant: Variant, inFlight: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-two-streams-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: sync, writerThread: true });
  try {
    // Both complaints exist (one event each), as they do when one is marked a duplicate of the other.
    for (let start = 0; start < pairs; start += 100) {
      await Promise.all(Array.from({ length: Math.min(100, pairs - start) }, (_, offset) => store.appendToStreams([
        { stream: `dup-${start + offset}`, events: [benchEvent(0)], expectedRevision: 'no_stream' },
        { stream: `orig-${start + offset}`, events: [benchEvent(0)], expectedRevision: 'no_stream' },
      ])));
    }
    const mark = async (index: number) => {
      const [duplicate, original] = [`dup-${index}`, `orig-${index}`];
      if (variant === 'two appends') {
        await store.append(duplicate, [benchEvent(index)], { expectedRevision: 0 });
        await store.append(original, [benchEvent(index)], { expectedRevision: 0 });
      } else {
        await store.appendToStreams([
          { stream: duplicate, events: [benchEvent(index)], expectedRevision: 0 },
          { stream: original, events: [benchEvent(index)], expectedRevision: 0 },
        ]);
      }
    };
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < pairs) await mark(next++);
    }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return pairs / seconds;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`${pairs} markings per run, ${reps} interleaved repetitions, synchronous=${sync}`);
  for (const inFlight of inFlightLevels) {
    const rates: Record<Variant, number[]> = { 'two appends': [], appendToStreams: [] };
    const ratios: number[] = [];
    for (let rep = 0; rep < reps; rep += 1) {
      const order: Variant[] = rep % 2 === 0 ? ['two appends', 'appendToStreams'] : ['appendToStreams', 'two appends'];
      const measured = {} as Record<Variant, number>;
      for (const variant of order) measured[variant] = await run(variant, inFlight);
      rates['two appends'].push(measured['two appends']);
      rates.appendToStreams.push(measured.appendToStreams);
      ratios.push(measured.appendToStreams / measured['two appends']);
    }
    console.log(`${inFlight} in flight: two appends ${Math.round(median(rates['two appends']))}/s, appendToStreams ${Math.round(median(rates.appendToStreams))}/s, `
      + `ratio ${median(ratios).toFixed(2)}× (per repetition: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
