/**
 * The embedded event store's appends as the API's thread pays for them (docs/adr/0003, "twenty-fourth
 * session"): appends of events shaped like the HTTP knee's, 32 streams in flight, through the store of
 * two builds with its writer thread at FULL, each round on fresh files, rounds interleaved (the order
 * rotated). Per append: the main thread's CPU time (Linux's schedstat of the thread: the validation, the
 * JSON, the batch's postMessage; the writer thread's inserts and fsync not in it; elsewhere its event
 * loop's active time, which on a loaded machine also counts the waits for a core) and the process's CPU
 * (both threads).
 *
 *   node -r ts-node/register/transpile-only bench/store-appends.ts BUILD_A BUILD_B [--rounds N] [--appends N] [--follow PREFIX]
 *
 * --follow PREFIX keeps one subscription to the log live during the appends, filtered to streams named PREFIX…, as the
 * API's access control follows its stream (docs/adr/0011, "twenty-sixth step"): the store reads the log's tail after each
 * commit for it, and the time of that read is the main thread's too.
 *
 * BUILD_A and BUILD_B are `nest build api` outputs (dist, or a copy of it such as builds/main).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventStore } from '@app/event-store';
import { option, twoBuilds } from './script-support';

const [buildA, buildB] = twoBuilds('store-appends.ts BUILD_A BUILD_B [--rounds N] [--appends N]');
const rounds = Number(option('rounds', '6'));
const appends = Number(option('appends', '3000'));
const follow = option('follow', '');
const CLIENTS = 32;

type StoreClass = new (options: { filename: string; synchronous: 'FULL'; writerThread: boolean }) => EventStore;
const load = (build: string): StoreClass =>
  (require(join(resolve(build), 'apps', 'api', 'libs', 'event-store', 'src', 'sqlite', 'sqlite.event-store.js')) as { SqliteEventStore: StoreClass }).SqliteEventStore;

/** An event like the knee's ComplaintReceived, with the metadata the executor gives it. */
function event(stream: number, revision: number): { eventId: string; type: string; data: Record<string, unknown>; metadata: Record<string, unknown> } {
  const at = new Date(Date.UTC(2026, 11, 5, 8, 0, revision % 3600)).toISOString();
  const commandId = randomUUID();
  const eventId = randomUUID();
  return {
    eventId, type: 'ComplaintReceived',
    data: { complaintId: `c-${stream}`, customerId: `cust-${stream % 40}`, channel: 'phone', cause: 'service', description: '加油机显示40升，但油箱只加进了约35升。', receivedAt: at, sla: { policy: 'default-2026', firstResponseDue: at, resolutionDue: at, terms: { firstResponseHours: 24, resolutionHours: 72, callbackHours: 48 } } },
    metadata: { eventId, commandId, commandType: 'ReceiveComplaint', correlationId: commandId, causationId: commandId, actor: { id: 'bench', role: 'supervisor' }, occurredAt: at, schemaVersion: 1, hash: 'f'.repeat(64) },
  };
}

/** The main thread's CPU time so far, µs: schedstat where Linux has it, else the event loop's active time. */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const mainThreadUs = (): number => existsSync(SCHEDSTAT) ? Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1000 : performance.eventLoopUtilization().active * 1000;

async function round(Store: StoreClass): Promise<{ busyUs: number; cpuUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'store-appends-'));
  const store = new Store({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: true });
  try {
    await store.append('warm-up', [event(0, 0)]);
    const subscription = follow === '' ? undefined : store.subscribeToAll({ fromPosition: await store.headPosition(), filter: { streamPrefixes: [follow] } });
    const following = subscription && (async () => {
      for await (const message of subscription) void message;
    })();
    const began = mainThreadUs();
    const cpu = process.cpuUsage();
    let next = 0;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
      for (let revision = 0; next < appends; revision += 1, next += 1) {
        await store.append(`bench-${client}`, [event(client, revision)], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
      }
    }));
    const used = process.cpuUsage(cpu);
    await subscription?.close();
    await following;
    return { busyUs: (mainThreadUs() - began) / appends, cpuUs: (used.user + used.system) / appends };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const builds: Array<[string, StoreClass]> = [[`A ${buildA}`, load(buildA)], [`B ${buildB}`, load(buildB)]];
  const results = builds.map(() => [] as Array<{ busyUs: number; cpuUs: number }>);
  for (const [, Store] of builds) await round(Store);
  for (let index = 0; index < rounds; index += 1) {
    for (let slot = 0; slot < builds.length; slot += 1) {
      const which = (slot + index) % builds.length;
      results[which]!.push(await round(builds[which]![1]));
    }
  }
  console.log(`${appends} appends of one event, ${CLIENTS} streams in flight, writer thread at FULL${follow === '' ? '' : `, a subscription to ${follow}… live`}, ${rounds} rounds interleaved; per append (median round):`);
  for (const [index, [name]] of builds.entries()) {
    console.log(`  ${name.padEnd(40)} main thread CPU ${median(results[index]!.map((each) => each.busyUs)).toFixed(1).padStart(6)} µs, process CPU ${median(results[index]!.map((each) => each.cpuUs)).toFixed(1).padStart(6)} µs`);
  }
  for (const key of ['busyUs', 'cpuUs'] as const) {
    const ratios = results[1]!.map((each, index) => each[key] / results[0]![index]![key]);
    console.log(`  ${key === 'busyUs' ? 'main thread CPU' : 'process CPU'} B ÷ A per round ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}×`);
  }
}

void main();
