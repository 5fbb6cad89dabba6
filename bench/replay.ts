/**
 * Child process of the benchmark (its own process, so that its peak RSS is its own):
 *   generate DIR EVENTS   — writes a generated history of about EVENTS events (complaints, and repairs: a work order per eight) into DIR/events.sqlite
 *   replay DIR [BATCH] [CACHED_DOCUMENTS]
 *                         — raw read of the log, then every projection from an empty read store (batch size
 *                           default 2000); with PROFILE=FILE, a CPU profile of the projections' part into FILE;
 *                           with ONLY_PROJECTIONS=a,b only those projections (not PROJECTIONS, the apps' setting); with NO_WRITES=1 every commit writes its
 *                           checkpoint only (the documents stay in the runner's cache, made large enough to hold them all),
 *                           so the projections' own cost is measured without the store's; with COUNT_STATEMENTS=FILE, the SQLite
 *                           statements of the projections' part counted by kind and table into FILE (bench/statement-counts.ts);
 *                           with READ_PAGE_CACHE_KB=N, the read store's connection with a page cache of N KiB (16 MB otherwise);
 *                           with READ_MMAP_MB=N, the read store's connection with an mmap_size of N MiB (0 otherwise), and the
 *                           resident memory at the projections' end split into anonymous and file pages;
 *                           with STORE_TIMINGS=FILE, the read store's commits and reads timed per 100,000 events of the log (bench/store-timings.ts);
 *                           with MEMORY_SAMPLES=MS, the process's memory sampled every MS ms (bench/memory-samples.ts): the
 *                           peak RSS of the raw read apart, then the sample at the projections' peak and each figure's highest
 *   threads DIR N         — the same replay as the product runs it with PROJECTION_THREADS=N: the API's
 *                           projection workers (apps/api, read-models/projection-worker.ts) on DIR as DATA_DIR
 *   audit DIR             — verify every hash chain, then export every event (to nowhere)
 *   cfpb DIR FILE [ROWS]  — parse the CFPB extract alone (the baseline), then import it into DIR/events.sqlite
 * Prints one JSON line of results (with the replay's garbage collections counted by kind: scavenges, markSweeps).
 */
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { exportEvents, verifyAll } from '../apps/cli/src/commands';
import { importCfpb } from '../apps/cli/src/cfpb/import-cfpb';
import { rowOf, schemaOf, type CfpbSchema } from '../apps/cli/src/cfpb/cfpb-row';
import { generateComplaints, generateRepairs, generateServiceNetwork } from './lifecycle-generator';
import { projectionGroups } from '@app/read-models';
import { ProjectionWorker } from '../apps/api/src/read-models/projection-worker';
import { LOG_READER_PAGE_CACHE_KB } from '../apps/api/src/config/engines';
import { bindingProbe, installStatementCounts, statementSummary } from './statement-counts';
import { sampleMemory, sampleNow } from './memory-samples';
import { installStoreTimings } from './store-timings';

const EVENTS_PER_COMPLAINT = 5.4;
/** A repair work order per eight complaints (generated: CFPB has none), about 14 events each with its product's registration. */
const COMPLAINTS_PER_WORK_ORDER = 8;
const EVENTS_PER_WORK_ORDER = 14.2;

async function generate(dir: string, events: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const complaints = Math.ceil(events / (EVENTS_PER_COMPLAINT + EVENTS_PER_WORK_ORDER / COMPLAINTS_PER_WORK_ORDER));
  const workOrders = Math.ceil(complaints / COMPLAINTS_PER_WORK_ORDER);
  const chunk = 2000;
  let written = 0;
  const started = performance.now();
  // The service network first: every dispatch names one of its stations and engineers.
  const { events: networkEvents, network } = generateServiceNetwork();
  for (const { stream, event } of networkEvents) {
    await store.append(stream, [event], { expectedRevision: 'any' });
    written += 1;
  }
  for (let first = 0; written < events; first += chunk) {
    // Within a chunk, events are appended in time order, so complaints and repairs interleave as they would live.
    const ordersPerChunk = chunk / COMPLAINTS_PER_WORK_ORDER;
    const generated = [...generateComplaints(first, chunk, complaints), ...generateRepairs(first / COMPLAINTS_PER_WORK_ORDER, ordersPerChunk, workOrders, network)]
      .sort((a, b) => a.at - b.at);
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
  const count = (prefix: string) => (new Database(join(dir, 'events.sqlite'), { readonly: true }).prepare('SELECT COUNT(DISTINCT stream) AS n FROM events WHERE stream LIKE ?').get(`${prefix}%`) as { n: number }).n;
  process.stdout.write(`${JSON.stringify({ events: written, complaints: count('complaint-'), workOrders: count('work-order-'), seconds: (performance.now() - started) / 1000 })}\n`);
}

async function replay(dir: string, batchSize = 2000, cachedDocuments?: number): Promise<void> {
  const filename = join(dir, 'events.sqlite');
  const sampleEveryMs = Number(process.env['MEMORY_SAMPLES'] ?? 0);
  const raw = new Database(filename, { readonly: true });
  let started = performance.now();
  let cpuStarted = process.cpuUsage();
  let count = 0;
  for (const row of raw.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{ data: string; metadata: string }>) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    count += 1;
  }
  const rawSeconds = (performance.now() - started) / 1000;
  const rawCpuSeconds = cpuSecondsSince(cpuStarted);
  raw.close();
  const rawPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

  // Checked before any file is made: a wrong name or number leaves nothing behind.
  const only = process.env['ONLY_PROJECTIONS']?.split(',');
  const projections = only ? ALL_PROJECTIONS.filter((projection) => only.includes(projection.name)) : ALL_PROJECTIONS;
  if (only && projections.length !== only.length) throw new Error(`ONLY_PROJECTIONS names one that does not exist: ${only.join(',')}`);
  // With READ_PAGE_CACHE_KB=N: the read store's connection with a page cache of N KiB instead of the driver's 16 MB (a measurement, not a setting of the product).
  const readPageCacheKb = process.env['READ_PAGE_CACHE_KB'];
  if (readPageCacheKb !== undefined && !/^\d+$/.test(readPageCacheKb)) throw new Error(`READ_PAGE_CACHE_KB must be a whole number of KiB; got ${readPageCacheKb}`);
  // With READ_MMAP_MB=N: the read store's connection reads up to N MiB of its file through a memory map (SQLite's mmap_size; 0, the
  // driver's default, copies every page it reads into the page cache). A measurement, not a setting of the product (ADR 0011, twenty-eighth step).
  const readMmapMb = process.env['READ_MMAP_MB'];
  if (readMmapMb !== undefined && !/^\d+$/.test(readMmapMb)) throw new Error(`READ_MMAP_MB must be a whole number of MiB (0 for no memory map); got ${readMmapMb}`);
  // The log's connection as the CLI's replay opens it (a reader's page cache).
  const events = new SqliteEventStore({ filename, pageCacheKb: LOG_READER_PAGE_CACHE_KB });
  const readFile = join(dir, `read-${Date.now()}.sqlite`);
  const readStore = new SqliteReadStore({ filename: readFile });
  const readDb = (readStore as unknown as { db: Database.Database }).db;
  if (readPageCacheKb !== undefined) readDb.pragma(`cache_size = -${readPageCacheKb}`);
  let mmapInForceMb: number | undefined;
  if (readMmapMb !== undefined) {
    readDb.pragma(`mmap_size = ${Number(readMmapMb) * 1048576}`);
    // SQLite caps the size at its build's SQLITE_MAX_MMAP_SIZE without a word: the size in force is reported, not the one asked for.
    mmapInForceMb = Math.round(Number(readDb.pragma('mmap_size', { simple: true })) / 1048576);
  }
  const noWrites = process.env['NO_WRITES'] === '1';
  if (noWrites) {
    const commit = readStore.commit.bind(readStore);
    readStore.commit = (checkpointName, _changes, position, options) => commit(checkpointName, [], position, options);
    cachedDocuments ??= 10_000_000;
  }
  const runner = new ProjectionRunner(events, readStore, projections, { batchSize, ...(cachedDocuments === undefined ? {} : { cachedDocuments }) });
  // With PROFILE=FILE: a CPU profile of the projection replay alone (not the start-up, not the raw read).
  const profile = process.env['PROFILE'] ? await startProfile() : undefined;
  // With HEAP_PROFILE=FILE: where the projections' part allocates, garbage included (summarised by bench/heap-profile.ts).
  const heapProfile = process.env['HEAP_PROFILE'] ? await startHeapProfile() : undefined;
  // The garbage collector's pauses of the main thread during the projections' part (its helper threads aside).
  // Their count by kind too: unlike the pauses, it does not grow when the machine is loaded (a scavenge per young generation filled).
  let gcMs = 0;
  let scavenges = 0;
  let markSweeps = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges += 1;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) markSweeps += 1;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const counts = process.env['COUNT_STATEMENTS'] ? installStatementCounts() : undefined;
  counts?.start();
  const timings = process.env['STORE_TIMINGS'] ? installStoreTimings(readStore) : undefined;
  const memory = sampleEveryMs > 0 ? sampleMemory(sampleEveryMs) : undefined;
  started = performance.now();
  cpuStarted = process.cpuUsage();
  await runner.start();
  await runner.caughtUp(30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpuStarted);
  const memorySamples = memory?.();
  // With READ_MMAP_MB: the kernel's split of the resident memory at the end of the projections' part. The peak RSS (maxRSS, what the
  // bench reports) counts the mapped file's pages that were read; the anonymous part is the heap's, the page cache's and SQLite's own.
  const atEnd = readMmapMb === undefined ? undefined : sampleNow();
  counts?.stop();
  await new Promise((resolve) => setImmediate(resolve));
  gcObserver.disconnect();
  if (counts) {
    const probe = bindingProbe();
    writeFileSync(process.env['COUNT_STATEMENTS']!, JSON.stringify(statementSummary(count, probe.nsPerValue, probe.nsPerCall), null, 1));
  }
  if (profile) writeFileSync(process.env['PROFILE']!, JSON.stringify(await profile()));
  if (timings) writeFileSync(process.env['STORE_TIMINGS']!, JSON.stringify(timings.summary(), null, 1));
  if (heapProfile) writeFileSync(process.env['HEAP_PROFILE']!, JSON.stringify(await heapProfile()));
  await runner.stop();
  await readStore.close();
  await events.close();
  process.stdout.write(`${JSON.stringify({
    events: count, rawEventsPerSecond: Math.round(count / rawSeconds), projectionEventsPerSecond: Math.round(count / seconds), seconds,
    // Per second of this process's CPU time: steadier than the wall clock on a machine that does other work.
    rawEventsPerCpuSecond: Math.round(count / rawCpuSeconds), projectionEventsPerCpuSecond: Math.round(count / cpuSeconds), cpuSeconds,
    gcPauseSeconds: Number((gcMs / 1000).toFixed(2)), gcShareOfCpu: Number((gcMs / 1000 / cpuSeconds).toFixed(3)), scavenges, markSweeps,
    projections: projections.length, noWrites,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), readModelMb: Math.round(statSync(readFile).size / 1048576),
    logMb: Math.round(statSync(filename).size / 1048576), readModelToLog: Number((statSync(readFile).size / statSync(filename).size).toFixed(2)),
    ...(memorySamples ? { rawPeakRssMb, memory: memorySamples } : {}),
    ...(atEnd ? { readMmapMb: mmapInForceMb, rssAtEndMb: atEnd.rssMb, rssAnonymousAtEndMb: atEnd.anonymousMb, rssFileAtEndMb: atEnd.fileMb } : {}),
  })}\n`);
}

/** The replay on worker threads, as the API (PROJECTION_THREADS) and the projector run it: wall time, and CPU time of all threads. */
async function threads(dir: string, count: number): Promise<void> {
  const readFile = join(dir, 'read.sqlite');
  const workers = new ProjectionWorker(
    { eventStore: { kind: 'sqlite' }, readStore: { kind: 'sqlite' }, dataDir: dir, synchronous: 'FULL' },
    { log: (level, message) => process.stderr.write(`${level}: ${message}\n`) },
    count > 1 ? projectionGroups(count) : undefined,
  );
  const events = (new Database(join(dir, 'events.sqlite'), { readonly: true }).prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  // Timed from the moment every thread is ready: each worker first compiles the sources with ts-node (a built app loads its .js instead).
  const sampleEveryMs = Number(process.env['MEMORY_SAMPLES'] ?? 0);
  const memory = sampleEveryMs > 0 ? sampleMemory(sampleEveryMs) : undefined;
  await workers.start();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await workers.caughtUp(30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpuStarted);
  const memorySamples = memory?.();
  await workers.stop();
  process.stdout.write(`${JSON.stringify({
    threads: count, events, projectionEventsPerSecond: Math.round(events / seconds), seconds, cpuSeconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), readModelMb: Math.round(statSync(readFile).size / 1048576),
    ...(memorySamples ? { memory: memorySamples } : {}),
  })}\n`);
}

/** User and system CPU time of this process since `start`, in seconds (all its threads). */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Starts V8's sampling profiler in this process; the function returned stops it and gives the profile. */
function inspectorSession(): { session: Session; post: (method: string, params?: object) => Promise<Record<string, unknown>> } {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<Record<string, unknown>>((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as Record<string, unknown>)));
  });
  return { session, post };
}

async function startProfile(): Promise<() => Promise<object>> {
  const { session, post } = inspectorSession();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    return profile as object;
  };
}

/**
 * The sampling heap profiler over the projections' part. Objects the collector already freed are kept in
 * the profile, so it counts every allocation (the garbage too) by the function that made it, one sample
 * per 32 KiB allocated on average.
 */
async function startHeapProfile(): Promise<() => Promise<object>> {
  const { session, post } = inspectorSession();
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 32_768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await post('HeapProfiler.stopSampling');
    session.disconnect();
    return profile as object;
  };
}

/** The CSV parse alone (gunzip, parse, read the columns), then the whole import at the default durability (FULL). */
async function cfpb(dir: string, file: string, limit?: number): Promise<void> {
  const source = createReadStream(file).pipe(createGunzip()).pipe(parse({ columns: true, bom: true, relax_column_count: true }));
  let started = performance.now();
  let parsed = 0;
  let schema: CfpbSchema | string | undefined;
  for await (const record of source as AsyncIterable<Record<string, string>>) {
    schema ??= schemaOf(Object.keys(record));
    if (typeof schema === 'string') throw new Error(schema);
    rowOf(record, schema);
    parsed += 1;
    if (parsed === limit) break;
  }
  const parseSeconds = (performance.now() - started) / 1000;
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  started = performance.now();
  const report = await importCfpb(store, file, { customerKey: 'complaint', company: 'Bank of America', ...(limit === undefined ? {} : { limit }) });
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  process.stdout.write(`${JSON.stringify({
    rows: report.rows, events: report.events, badRows: report.badRows.length, parseRowsPerSecond: Math.round(parsed / parseSeconds),
    rowsPerSecond: Math.round(report.rows / seconds), eventsPerSecond: Math.round(report.events / seconds), seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
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

const [command, dir, third, fourth] = process.argv.slice(2);
const optionalNumber = (value: string | undefined) => (value === undefined ? undefined : Number(value));
(command === 'generate' ? generate(dir!, Number(third)) : command === 'replay' ? replay(dir!, optionalNumber(third), optionalNumber(fourth)) : command === 'audit' ? audit(dir!)
  : command === 'threads' ? threads(dir!, Number(third))
  : command === 'cfpb' ? cfpb(dir!, third!, optionalNumber(fourth))
    : Promise.reject(new Error('usage: replay.ts generate DIR EVENTS | replay DIR [BATCH] [CACHED_DOCUMENTS] | threads DIR N | audit DIR | cfpb DIR FILE [ROWS]')))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
