/**
 * The embedded store's group commit on its writer thread against the same commit on the caller's
 * own thread (docs/adr/0003), interleaved, on fresh files at synchronous=FULL: 64 appends kept in
 * flight (as 64 concurrent HTTP commands do) for a few seconds each. Reports appends/s and how
 * busy the caller's event loop was (event-loop utilisation: the share of the time it could not
 * run anything else, the fsync waits included when they happen on it).
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/stores/writer-thread.ts [SECONDS] [ROUNDS]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@app/event-store';

async function run(writerThread: boolean, seconds: number): Promise<{ perSecond: number; loopBusy: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-writer-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread });
  try {
    await store.append('warm-up', [{ eventId: randomUUID(), type: 'Noted', data: {}, metadata: {} }]);
    let appends = 0;
    const deadline = performance.now() + seconds * 1000;
    const before = performance.eventLoopUtilization();
    const started = performance.now();
    await Promise.all(Array.from({ length: 64 }, async (_, client) => {
      for (let revision = 0; performance.now() < deadline; revision += 1) {
        await store.append(`stream-${client}`, [{ eventId: randomUUID(), type: 'Noted', data: { client, revision, text: '加油机显示40升，但油箱只加进了约35升。' }, metadata: { actor: 'bench' } }], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
        appends += 1;
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    return { perSecond: Math.round(appends / elapsed), loopBusy: performance.eventLoopUtilization(performance.eventLoopUtilization(), before).utilization };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const rounds = Number(process.argv[3] ?? 3);
  for (let round = 1; round <= rounds; round += 1) {
    for (const writerThread of [false, true]) {
      const result = await run(writerThread, seconds);
      process.stdout.write(`${JSON.stringify({ round, commit: writerThread ? 'writer thread' : 'caller\'s thread', appendsPerSecond: result.perSecond, callerLoopBusy: Math.round(result.loopBusy * 100) / 100 })}\n`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
