/**
 * Child process of the benchmark (its own process, so that its peak RSS is its own):
 *   generate DIR EVENTS   — writes a generated history of about EVENTS events into DIR/events.sqlite
 *   replay DIR            — raw read of the log, then every projection from an empty read store
 *   audit DIR             — verify every hash chain, then export every event (to nowhere)
 * Prints one JSON line of results.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { exportEvents, verifyAll } from '../apps/cli/src/commands';
import { generateComplaints } from './lifecycle-generator';

const EVENTS_PER_COMPLAINT = 5.4;

async function generate(dir: string, events: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const complaints = Math.ceil(events / EVENTS_PER_COMPLAINT);
  const chunk = 2000;
  let written = 0;
  const started = performance.now();
  for (let first = 0; written < events; first += chunk) {
    // Within a chunk, events are appended in time order, so complaints interleave as they would live.
    const generated = generateComplaints(first, chunk, complaints).sort((a, b) => a.at - b.at);
    const pending: Array<Promise<unknown>> = [];
    for (const { stream, event } of generated) {
      if (written >= events) break;
      pending.push(store.append(stream, [event], { expectedRevision: 'any' }));
      written += 1;
      if (pending.length >= 256) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    if (first % (chunk * 20) === 0) process.stderr.write(`  generated ${written.toLocaleString('en-US')} events\n`);
  }
  await store.close();
  const streams = new Database(join(dir, 'events.sqlite'), { readonly: true }).prepare('SELECT COUNT(DISTINCT stream) AS n FROM events').get() as { n: number };
  process.stdout.write(`${JSON.stringify({ events: written, complaints: streams.n, seconds: (performance.now() - started) / 1000 })}\n`);
}

async function replay(dir: string): Promise<void> {
  const filename = join(dir, 'events.sqlite');
  const raw = new Database(filename, { readonly: true });
  let started = performance.now();
  let count = 0;
  for (const row of raw.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{ data: string; metadata: string }>) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    count += 1;
  }
  const rawSeconds = (performance.now() - started) / 1000;
  raw.close();

  const events = new SqliteEventStore({ filename });
  const readFile = join(dir, `read-${Date.now()}.sqlite`);
  const readStore = new SqliteReadStore({ filename: readFile });
  const runner = new ProjectionRunner(events, readStore, ALL_PROJECTIONS, { batchSize: 2000 });
  started = performance.now();
  await runner.start();
  await runner.caughtUp(30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  await readStore.close();
  await events.close();
  process.stdout.write(`${JSON.stringify({
    events: count, rawEventsPerSecond: Math.round(count / rawSeconds), projectionEventsPerSecond: Math.round(count / seconds), seconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), readModelMb: Math.round(statSync(readFile).size / 1048576),
  })}\n`);
}

/** The auditor's and the analyst's passes over the same log: verify every chain, export every event. */
async function audit(dir: string): Promise<void> {
  const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  let started = performance.now();
  const verdict = await verifyAll(events, {});
  const verifySeconds = (performance.now() - started) / 1000;
  started = performance.now();
  let bytes = 0;
  const exported = await exportEvents(events, async (line) => { bytes += line.length; }, {});
  const exportSeconds = (performance.now() - started) / 1000;
  await events.close();
  process.stdout.write(`${JSON.stringify({
    verifyOk: verdict.ok ? 1 : 0, verifyEventsPerSecond: Math.round(verdict.events / verifySeconds), exportEventsPerSecond: Math.round(exported / exportSeconds),
    exportMb: Math.round(bytes / 1048576), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`);
}

const [command, dir, events] = process.argv.slice(2);
(command === 'generate' ? generate(dir!, Number(events)) : command === 'replay' ? replay(dir!) : command === 'audit' ? audit(dir!) : Promise.reject(new Error('usage: replay.ts generate DIR EVENTS | replay DIR | audit DIR')))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
