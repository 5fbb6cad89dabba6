import { randomUUID } from 'node:crypto';
import { SystemClock, type CommandContext } from '@app/complaints';
import {
  SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, WORK_ORDER_EVENT_SCHEMA_VERSIONS, workOrderStreamName, type Actor, type ServiceNetworkEvent, type WorkOrderEvent,
} from '@app/domain';
import { SqliteEventStore, type ReadAllOptions, type RecordedEvent } from '@app/event-store';
import { centreRegistered, stationRegistered } from '@app/domain/service-network/testing/service-network.fixtures';
import { dispatched, reported } from '@app/domain/work-order/testing/work-order.fixtures';
import { AddEngineerCommand, AddEngineerHandler } from '../use-cases/add-engineer/add-engineer.handler';
import { DeactivateEngineerCommand, DeactivateEngineerHandler } from '../use-cases/deactivate-engineer/deactivate-engineer.handler';
import { DispatchWorkOrderCommand, DispatchWorkOrderHandler } from '../use-cases/dispatch-work-order/dispatch-work-order.handler';
import { WorkOrderCommandExecutor } from '../work-order/work-order-command.executor';
import { WorkOrderRepository } from '../work-order/work-order.repository';
import { EngineerDutyCommandExecutor } from './engineer-duty.executor';
import { EngineerOpenWorkOrders } from './engineer-open-work-orders.query';
import { EngineerTurns } from './engineer-turns';
import { ServiceNetworkCommandExecutor } from './service-network-command.executor';
import { ServiceNetworkRepository } from './service-network.repository';

const admin: Actor = { id: 'admin-zhao', role: 'admin' };
const contextOf = (actor: Actor): CommandContext => {
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, causationId: commandId, actor };
};
const stored = (versions: Record<string, number>) => (event: { type: string; data: object }) =>
  ({ eventId: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata: { schemaVersion: versions[event.type] } });

const dispatchedTo = (engineerId: string): WorkOrderEvent =>
  (dispatched.type === 'WorkOrderDispatched' ? { ...dispatched, data: { ...dispatched.data, engineer: { ...dispatched.data.engineer, id: engineerId } } } : dispatched);

/** The embedded store, counting its reads of the whole log (readAll): a scan of the older log's dispatches is one or more. */
class CountingStore extends SqliteEventStore {
  logReads = 0;
  override readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.logReads += 1;
    return super.readAll(options);
  }
}

/** A store with the directory's centre and station, and the handlers of the directory and of the dispatch on it. */
function desk(store: SqliteEventStore) {
  const clock = new SystemClock();
  const network = new ServiceNetworkRepository(store);
  const workOrders = new WorkOrderRepository(store);
  const duty = new EngineerDutyCommandExecutor(store, clock);
  const turns = new EngineerTurns();
  const networkExecutor = new ServiceNetworkCommandExecutor(store, network, clock);
  const supervisor = contextOf({ id: 'sup-zhao', role: 'supervisor' });
  return {
    duty, workOrders,
    open: new EngineerOpenWorkOrders(store, duty, workOrders),
    add: (engineerId: string) => new AddEngineerHandler(networkExecutor, duty).execute(new AddEngineerCommand({ engineerId, name: engineerId, station: 'dandong-station', skills: ['pump'], reason: 'hired' }, contextOf(admin))),
    report: async () => {
      const id = randomUUID();
      await store.append(workOrderStreamName(id), [{ ...reported, data: { ...reported.data, workOrderId: id } } as WorkOrderEvent].map(stored(WORK_ORDER_EVENT_SCHEMA_VERSIONS)));
      return id;
    },
    dispatch: (workOrderId: string, engineerId: string) => new DispatchWorkOrderHandler(new WorkOrderCommandExecutor(store, workOrders, network, clock), network, turns, duty)
      .execute(new DispatchWorkOrderCommand(workOrderId, { stationCode: 'dandong-station', engineerId, reason: 'nearer' }, false, { ...supervisor, commandId: randomUUID() })),
    deactivate: (engineerId: string) => new DeactivateEngineerHandler(networkExecutor, turns, duty, network).execute(new DeactivateEngineerCommand({ engineerId, reason: 'left' }, contextOf(admin))),
  };
}

describe('the open work orders of an engineer being deactivated, from the log', () => {
  it('given an engineer added with their duty opened, when they are deactivated holding orders, then neither the deactivation nor its list reads the log (no scan of older dispatches), and the list is whole', async () => {
    const store = new CountingStore({ filename: ':memory:' });
    await store.append(SERVICE_NETWORK_STREAM, [centreRegistered, stationRegistered].map(stored(SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS)));
    const { add, report, dispatch, deactivate, open, duty } = desk(store);
    await add('eng-wang');
    const orders = [await report(), await report()];
    for (const id of orders) await dispatch(id, 'eng-wang');
    store.logReads = 0;
    await deactivate('eng-wang');
    const listed = await open.of('eng-wang');
    expect({ logReads: store.logReads, listed }).toEqual({ logReads: 0, listed: orders.map((id) => ({ id, status: 'dispatched' })) });
    expect((await duty.load('eng-wang')).events.map((event) => event.type)).toEqual(['EngineerDutyOpened', 'EngineerWorkOrderTaken', 'EngineerWorkOrderTaken', 'EngineerStoodDown']);
    store.close();
  });

  it("given an older log's engineer (dispatches without a duty stream), when the duty stream is first written, then it opens with the older orders (one scan), and the deactivation lists them all without another", async () => {
    const store = new CountingStore({ filename: ':memory:' });
    const engineer = (engineerId: string): ServiceNetworkEvent => ({ type: 'EngineerAdded', data: { engineerId, name: engineerId, station: 'dandong-station', skills: ['pump'], addedAt: '2026-03-01T00:00:00.000Z', by: admin, reason: 'hired' } });
    await store.append(SERVICE_NETWORK_STREAM, [centreRegistered, stationRegistered, engineer('eng-wang'), engineer('eng-li')].map(stored(SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS)));
    const older = { 'eng-wang': [randomUUID(), randomUUID()], 'eng-li': [randomUUID()] };
    for (const [engineerId, ids] of Object.entries(older)) {
      for (const id of ids) {
        await store.append(workOrderStreamName(id), [reported, dispatchedTo(engineerId)]
          .map((event) => ({ ...event, data: { ...event.data, workOrderId: id } }) as WorkOrderEvent).map(stored(WORK_ORDER_EVENT_SCHEMA_VERSIONS)));
      }
    }
    const { report, dispatch, deactivate, open, duty } = desk(store);
    // eng-wang's first duty write is a dispatch; eng-li's is the deactivation.
    const since = await report();
    await dispatch(since, 'eng-wang');
    expect((await duty.load('eng-wang')).events.map((event) => [event.type, event.data['workOrderIds'] ?? event.data['workOrderId']]))
      .toEqual([['EngineerDutyOpened', older['eng-wang']], ['EngineerWorkOrderTaken', since]]);
    store.logReads = 0;
    await deactivate('eng-wang');
    expect({ logReads: store.logReads, listed: await open.of('eng-wang') }).toEqual({ logReads: 0, listed: [...older['eng-wang'], since].map((id) => ({ id, status: 'dispatched' })) });
    await deactivate('eng-li');
    expect(await open.of('eng-li')).toEqual(older['eng-li'].map((id) => ({ id, status: 'dispatched' })));
    expect((await duty.load('eng-li')).events.map((event) => event.type)).toEqual(['EngineerDutyOpened', 'EngineerStoodDown']);
    store.close();
  });

  it('given orders dispatched in an older log (no duty stream) and since, when the engineer is deactivated, then each order still open and theirs is listed, whatever stream recorded its giving', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const clock = new SystemClock();
    const engineer = (engineerId: string): ServiceNetworkEvent => ({ type: 'EngineerAdded', data: { engineerId, name: engineerId, station: 'dandong-station', skills: ['pump'], addedAt: '2026-03-01T00:00:00.000Z', by: admin, reason: 'hired' } });
    await store.append(SERVICE_NETWORK_STREAM, [centreRegistered, stationRegistered, engineer('eng-wang'), engineer('eng-1')].map(stored(SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS)));
    // An older log: reported and dispatched to eng-wang, as before the duty streams (the order's stream only).
    const older = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of older) {
      await store.append(workOrderStreamName(id), [reported, dispatched].map((event) => ({ ...event, data: { ...event.data, workOrderId: id } }) as WorkOrderEvent).map(stored(WORK_ORDER_EVENT_SCHEMA_VERSIONS)));
    }
    const network = new ServiceNetworkRepository(store);
    const workOrders = new WorkOrderRepository(store);
    const duty = new EngineerDutyCommandExecutor(store, clock);
    const turns = new EngineerTurns();
    const dispatch = new DispatchWorkOrderHandler(new WorkOrderCommandExecutor(store, workOrders, network, clock), network, turns, duty);
    const supervisor = { id: 'sup-zhao', role: 'supervisor' } as const;
    // Since: one older order goes to eng-1, then comes back to eng-wang's duty stream; another goes to eng-1 for good.
    await dispatch.execute(new DispatchWorkOrderCommand(older[0]!, { stationCode: 'dandong-station', engineerId: 'eng-1', reason: 'nearer' }, true, contextOf(supervisor)));
    await dispatch.execute(new DispatchWorkOrderCommand(older[0]!, { stationCode: 'dandong-station', engineerId: 'eng-wang', reason: 'back' }, true, contextOf(supervisor)));
    await dispatch.execute(new DispatchWorkOrderCommand(older[1]!, { stationCode: 'dandong-station', engineerId: 'eng-1', reason: 'nearer' }, true, contextOf(supervisor)));
    await new DeactivateEngineerHandler(new ServiceNetworkCommandExecutor(store, network, clock), turns, duty, network)
      .execute(new DeactivateEngineerCommand({ engineerId: 'eng-wang', reason: 'left' }, contextOf(supervisor)));

    const open = await new EngineerOpenWorkOrders(store, duty, workOrders).of('Eng-Wang');
    // The older log's in log order, then those the duty stream adds.
    expect(open).toEqual([older[0], older[2]].map((id) => ({ id, status: 'dispatched' })));
    // Opened by the first order given back to eng-wang, with the three the older log gave them.
    expect((await duty.load('eng-wang')).state).toMatchObject({ status: 'stood-down', opened: true, workOrderIds: older });
    store.close();
  });

  it('given a dispatch stored with its duty, when the same request comes again (its command id), then it is answered as the first time and nothing is written on either stream', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const clock = new SystemClock();
    await store.append(SERVICE_NETWORK_STREAM, [centreRegistered, stationRegistered, { type: 'EngineerAdded', data: { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['pump'], addedAt: '2026-03-01T00:00:00.000Z', by: admin, reason: 'hired' } } as ServiceNetworkEvent].map(stored(SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS)));
    const id = randomUUID();
    await store.append(workOrderStreamName(id), [{ ...reported, data: { ...reported.data, workOrderId: id } } as WorkOrderEvent].map(stored(WORK_ORDER_EVENT_SCHEMA_VERSIONS)));
    const network = new ServiceNetworkRepository(store);
    const duty = new EngineerDutyCommandExecutor(store, clock);
    const dispatch = new DispatchWorkOrderHandler(new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), network, clock), network, new EngineerTurns(), duty);
    const command = new DispatchWorkOrderCommand(id, { stationCode: 'dandong-station', engineerId: 'eng-wang' }, false, contextOf({ id: 'li.na', role: 'agent' }));
    const first = await dispatch.execute(command);
    const head = await store.headPosition();
    expect(await dispatch.execute(command)).toEqual(first);
    expect({ head: await store.headPosition(), duty: (await duty.load('eng-wang')).events.map((event) => event.type) }).toEqual({ head, duty: ['EngineerDutyOpened', 'EngineerWorkOrderTaken'] });
    store.close();
  });
});
