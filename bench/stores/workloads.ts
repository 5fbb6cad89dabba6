/**
 * The event-store workloads of the benchmark, written once against a small interface that every
 * store under test implements (this project's store, raw better-sqlite3, the peers):
 *   W1  single-event appends with an expected version, one at a time
 *   W1c the same with 64 appends in flight (each writer owns its streams: no conflicts)
 *   W2  ten events per append
 *   W3  fold every stream (read it whole and parse every event)
 *   W4  read the whole log in global order, page by page
 */
import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '@app/event-store';

export interface BenchStore {
  /** Appends to `stream` if it is at `expected` events (0 = a new stream); a mismatch must throw. */
  append(stream: string, events: readonly EventToAppend[], expected: number): Promise<void>;
  /** Reads a stream whole, data parsed; resolves with the number of events read. */
  fold(stream: string): Promise<number>;
  /** Reads every event in global order, page by page, data parsed; resolves with the count. */
  readAll(): Promise<number>;
  close(): Promise<void>;
}

export type Durability = 'FULL' | 'NORMAL';

/** Opens a fresh store in `file` at the given `synchronous` setting. */
export type BenchStoreFactory = (file: string, durability: Durability) => Promise<BenchStore>;

export const WORKLOADS = ['W1', 'W1c', 'W2', 'W3', 'W4'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const WORKLOAD_NAMES: Record<Workload, string> = {
  W1: 'W1 single-event appends, expected version, sequential',
  W1c: 'W1c the same, 64 in flight',
  W2: 'W2 ten events per append',
  W3: 'W3 fold every stream',
  W4: 'W4 read the whole log in order',
};

/** A realistic payload: a complaint event's data and metadata (~0.6 KB of JSON). */
export function benchEvent(index: number): EventToAppend {
  return {
    eventId: randomUUID(),
    type: index % 6 === 0 ? 'ComplaintReceived' : 'ComplaintAssigned',
    data: {
      complaintId: randomUUID(), at: new Date(1_767_225_600_000 + index * 1000).toISOString(), department: 'station-ops', assignee: `agent-${index % 97}`,
      description: '加油机显示40升，但油箱只加进了约35升。The pump stopped early and the receipt shows the full amount.', severity: 'medium',
    },
    metadata: { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: { id: 'bench', role: 'agent' }, occurredAt: new Date(1_767_225_600_000).toISOString(), schemaVersion: 1 },
  };
}

export const streamName = (index: number) => `complaint-${index}`;
const rate = (events: number, ms: number) => Math.round((events / ms) * 1000);

export interface WorkloadOptions {
  readonly events: number;
  readonly streams: number;
  readonly inFlight?: number;
}

/** W1, then W3 and W4 over the log W1 wrote. */
export async function sequentialAppendsAndReads(store: BenchStore, options: WorkloadOptions): Promise<Pick<Record<Workload, number>, 'W1' | 'W3' | 'W4'>> {
  const versions = new Int32Array(options.streams);
  let started = performance.now();
  for (let index = 0; index < options.events; index += 1) {
    const stream = index % options.streams;
    await store.append(streamName(stream), [benchEvent(index)], versions[stream]!);
    versions[stream] = versions[stream]! + 1;
  }
  const W1 = rate(options.events, performance.now() - started);

  started = performance.now();
  let folded = 0;
  for (let stream = 0; stream < options.streams; stream += 1) folded += await store.fold(streamName(stream));
  if (folded !== options.events) throw new Error(`W3 folded ${folded} events, expected ${options.events}`);
  const W3 = rate(folded, performance.now() - started);

  started = performance.now();
  const read = await store.readAll();
  if (read !== options.events) throw new Error(`W4 read ${read} events, expected ${options.events}`);
  return { W1, W3, W4: rate(read, performance.now() - started) };
}

/** W1c: the same appends with `inFlight` writers at once, each on streams of its own. */
export async function concurrentAppends(store: BenchStore, options: WorkloadOptions): Promise<number> {
  const inFlight = options.inFlight ?? 64;
  const versions = new Int32Array(options.streams);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async (_, writer) => {
    // Writer w owns the streams w, w + inFlight, …: two appends to one stream are never in flight together.
    // With fewer streams than writers, the writers without a stream take no part.
    const owned = Math.ceil((options.streams - writer) / inFlight);
    if (owned <= 0) return;
    for (let step = 0; ; step += 1) {
      const index = next;
      if (index >= options.events) return;
      next += 1;
      const stream = writer + (step % owned) * inFlight;
      await store.append(streamName(stream), [benchEvent(index)], versions[stream]!);
      versions[stream] = versions[stream]! + 1;
    }
  }));
  const result = rate(options.events, performance.now() - started);
  // Not timed: every acknowledged append is in the log (concurrent appends on one connection can go wrong).
  const read = await store.readAll();
  if (read !== options.events) throw new Error(`W1c: ${options.events} appends acknowledged, ${read} events in the log`);
  return result;
}

/** Whether the store refuses an append at a stale expected version (checked once, before measuring). */
export async function refusesStaleVersion(store: BenchStore): Promise<boolean> {
  await store.append('probe-1', [benchEvent(0)], 0);
  await store.append('probe-1', [benchEvent(1)], 1);
  try {
    await store.append('probe-1', [benchEvent(2)], 1);
    return false;
  } catch {
    return true;
  }
}

/** W2: ten events per append. */
export async function batchedAppends(store: BenchStore, options: WorkloadOptions): Promise<number> {
  const versions = new Int32Array(options.streams);
  const batches = Math.floor(options.events / 10);
  const started = performance.now();
  for (let batch = 0; batch < batches; batch += 1) {
    const stream = batch % options.streams;
    await store.append(streamName(stream), Array.from({ length: 10 }, (_, offset) => benchEvent(batch * 10 + offset)), versions[stream]!);
    versions[stream] = versions[stream]! + 10;
  }
  return rate(batches * 10, performance.now() - started);
}
