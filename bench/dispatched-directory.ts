/**
 * What engineer-standing.ts and directory-checks.ts share: a temporary SQLite log holding a service
 * network of N engineers (the fixtures' centre and station, eng-wang and N - 1 colleagues) and orders
 * dispatched to eng-wang; and a repository that reads the whole directory each time (load(), as the
 * directory checks did before they read it incrementally), the baseline of those benches.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DispatchWorkOrderCommand, type DispatchWorkOrderHandler, ServiceNetworkRepository } from '@app/after-sales';
import type { CommandContext } from '@app/complaints';
import {
  SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, WORK_ORDER_EVENT_SCHEMA_VERSIONS, workOrderStreamName, type Actor, type ServiceNetworkEvent, type WorkOrderEvent,
} from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { centreRegistered, stationRegistered } from '../libs/domain/src/service-network/testing/service-network.fixtures';
import { dispatched, reported } from '../libs/domain/src/work-order/testing/work-order.fixtures';
import { option } from './script-support';

const admin = { id: 'admin-zhao', role: 'admin' } as const;

const stored = <E extends { type: string; data: object }>(versions: Record<string, number>) => (event: E) =>
  ({ eventId: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata: { schemaVersion: versions[event.type] } });

/** A command's context: fresh ids, by `actor`. */
export function contextOf(actor: Actor): CommandContext {
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, causationId: commandId, actor };
}

/** The directory read whole and folded on every call. */
export class RereadingNetwork extends ServiceNetworkRepository {
  override async current() {
    return (await this.load()).state;
  }
}

/** The command line of these benches: --engineers N (500), --orders N (200), --reps N (5), --sync FULL|NORMAL (FULL). */
export function benchSizes(): { readonly engineers: number; readonly orders: number; readonly reps: number; readonly synchronous: 'FULL' | 'NORMAL' } {
  return {
    engineers: Number(option('engineers', '500')), orders: Number(option('orders', '200')), reps: Number(option('reps', '5')),
    synchronous: option('sync', 'FULL').toUpperCase() as 'FULL' | 'NORMAL',
  };
}

/** Runs `body` on a fresh log with the directory and the dispatched orders (their ids), then removes the log. */
export async function withDispatchedOrders(
  name: string, sizes: { readonly engineers: number; readonly orders: number; readonly synchronous: 'FULL' | 'NORMAL' },
  body: (store: SqliteEventStore, orderIds: readonly string[]) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: sizes.synchronous });
  try {
    const network: ServiceNetworkEvent[] = [centreRegistered, stationRegistered, ...Array.from({ length: sizes.engineers }, (_, n): ServiceNetworkEvent => ({
      type: 'EngineerAdded', data: { engineerId: n === 0 ? 'eng-wang' : `eng-${n}`, name: `工程师 ${n}`, station: 'dandong-station', skills: ['pump'], addedAt: '2026-03-01T00:00:00.000Z', by: admin, reason: 'hired' },
    }))];
    for (let start = 0; start < network.length; start += 500) await store.append(SERVICE_NETWORK_STREAM, network.slice(start, start + 500).map(stored(SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS)));
    const ids = Array.from({ length: sizes.orders }, () => randomUUID());
    for (const id of ids) {
      const events: WorkOrderEvent[] = [reported, dispatched].map((event) => ({ ...event, data: { ...event.data, workOrderId: id } }) as WorkOrderEvent);
      await store.append(workOrderStreamName(id), events.map(stored(WORK_ORDER_EVENT_SCHEMA_VERSIONS)));
    }
    await body(store, ids);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Redispatches every order through a handler, each to eng-1 and back to eng-wang in turn (every
 * redispatch is a change of engineer), as a supervisor.
 */
export function redispatcher(ids: readonly string[]): (through: DispatchWorkOrderHandler) => Promise<void> {
  const supervisor = contextOf({ id: 'supervisor-bench', role: 'supervisor' });
  const holder = new Map(ids.map((id) => [id, 'eng-wang']));
  return async (through) => {
    for (const workOrderId of ids) {
      const engineerId = holder.get(workOrderId) === 'eng-wang' ? 'eng-1' : 'eng-wang';
      await through.execute(new DispatchWorkOrderCommand(workOrderId, { stationCode: 'dandong-station', engineerId, reason: 'bench' }, true, supervisor));
      holder.set(workOrderId, engineerId);
    }
  };
}
