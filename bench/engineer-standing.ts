/**
 * What the check of the acting engineer's standing costs (ADR 0012, "An engineer who left keeps no
 * hand on work orders"): a work-order command by an engineer reads the service network before it is
 * decided (ServiceNetworkRepository.current: what was written since its last read); the same command
 * by an admin does not. A third variant reads and folds the whole directory for every command
 * (load(), as a dispatch does). All run through the real WorkOrderCommandExecutor on a temporary
 * SQLite log holding a directory of N engineers, in interleaved repetitions, one process.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/engineer-standing.ts [--engineers N] [--orders N] [--reps N] [--sync FULL|NORMAL]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { SystemClock } from '@app/complaints';
import {
  SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, WORK_ORDER_EVENT_SCHEMA_VERSIONS, workOrderStreamName, type Actor, type ServiceNetworkEvent, type WorkOrderEvent,
} from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { centreRegistered, stationRegistered } from '../libs/domain/src/service-network/testing/service-network.fixtures';
import { dispatched, reported } from '../libs/domain/src/work-order/testing/work-order.fixtures';
import { interleaved, median, option, runScript } from './script-support';

const engineers = Number(option('engineers', '500'));
const orders = Number(option('orders', '200'));
const reps = Number(option('reps', '5'));
const synchronous = option('sync', 'FULL').toUpperCase() as 'FULL' | 'NORMAL';

const ENGINEER: Actor = { id: 'eng-wang', role: 'engineer' };
const ADMIN: Actor = { id: 'admin-bench', role: 'admin' };
const admin = { id: 'admin-zhao', role: 'admin' } as const;

const stored = <E extends { type: string; data: object }>(versions: Record<string, number>) => (event: E) =>
  ({ eventId: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata: { schemaVersion: versions[event.type] } });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-engineer-standing-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous });
  try {
    // The directory: a centre, a station, eng-wang (the fixtures' engineer) and N - 1 colleagues.
    const network: ServiceNetworkEvent[] = [centreRegistered, stationRegistered, ...Array.from({ length: engineers }, (_, n): ServiceNetworkEvent => ({
      type: 'EngineerAdded', data: { engineerId: n === 0 ? 'eng-wang' : `eng-${n}`, name: `工程师 ${n}`, station: 'dandong-station', skills: ['pump'], addedAt: '2026-03-01T00:00:00.000Z', by: admin, reason: 'hired' },
    }))];
    for (let start = 0; start < network.length; start += 500) await store.append(SERVICE_NETWORK_STREAM, network.slice(start, start + 500).map(stored(SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS)));
    // Orders dispatched to eng-wang, each taking a customer contact per command (allowed any number of times).
    const ids = Array.from({ length: orders }, () => randomUUID());
    for (const id of ids) {
      const events: WorkOrderEvent[] = [reported, dispatched].map((event) => ({ ...event, data: { ...event.data, workOrderId: id } }) as WorkOrderEvent);
      await store.append(workOrderStreamName(id), events.map(stored(WORK_ORDER_EVENT_SCHEMA_VERSIONS)));
    }
    /** The directory read whole and folded for every command. */
    class RereadingNetwork extends ServiceNetworkRepository {
      override async current() {
        return (await this.load()).state;
      }
    }
    const executor = new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), new ServiceNetworkRepository(store), new SystemClock());
    const rereading = new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), new RereadingNetwork(store), new SystemClock());
    const contactAll = async (actor: Actor, through = executor): Promise<void> => {
      for (const workOrderId of ids) {
        const commandId = randomUUID();
        await through.execute({ type: 'RecordCustomerContact', workOrderId, data: { channel: 'phone', notes: 'bench' } }, { commandId, correlationId: commandId, causationId: commandId, actor });
      }
    };
    await contactAll(ADMIN); // warm-up
    const variants = {
      admin: () => contactAll(ADMIN),
      engineer: () => contactAll(ENGINEER),
      'engineer, whole directory': () => contactAll(ENGINEER, rereading),
    };
    type Variant = keyof typeof variants;
    const names = Object.keys(variants) as Variant[];
    const times = await interleaved(variants, reps);
    const perCommand = (name: Variant) => median(times[name]) / orders;
    console.log(`service network of ${engineers} engineers, ${orders} commands per run, ${reps} interleaved runs, synchronous=${synchronous}; ms per command (median run), ratio to admin`);
    for (const name of names) console.log(`  ${name.padEnd(26)} ${perCommand(name).toFixed(3).padStart(8)}  ${(perCommand(name) / perCommand('admin')).toFixed(2)}×`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runScript(main);
