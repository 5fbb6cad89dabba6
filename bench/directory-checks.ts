/**
 * What the directory checks of a dispatch and of a complaint's assignment cost, reading the service
 * network incrementally (ServiceNetworkRepository.current: what was written since the last read) or
 * whole on every call (load(), as they did before), against an admin's customer contact on the same
 * orders (a work-order command that reads no directory). Redispatches to alternating engineers go
 * through the real DispatchWorkOrderHandler and WorkOrderCommandExecutor; the assignment check is the
 * API's DirectoryCheck alone (no command). A temporary SQLite log holding a directory of N engineers,
 * interleaved repetitions with the order rotated, one process. "no duty fence" appends the order's
 * events alone, as before the engineer's duty stream (docs/adr/0012): what the fence costs.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/directory-checks.ts [--engineers N] [--orders N] [--reps N] [--sync FULL|NORMAL]
 */
import { DispatchWorkOrderHandler, EngineerDutyCommandExecutor, EngineerTurns, ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { SystemClock } from '@app/complaints';
import type { Actor } from '@app/domain';
import { DirectoryCheck } from '../apps/api/src/complaints/directory-check';
import type { ComplaintListQuery } from '@app/read-models';
import { RereadingNetwork, benchSizes, contextOf, redispatcher, withDispatchedOrders } from './dispatched-directory';
import { interleaved, median, runScript } from './script-support';

const { engineers, orders, reps, synchronous } = benchSizes();

const ADMIN: Actor = { id: 'admin-bench', role: 'admin' };

async function main(): Promise<void> {
  await withDispatchedOrders('directory-checks', { engineers, orders, synchronous }, async (store, ids) => {
    const clock = new SystemClock();
    const incremental = new ServiceNetworkRepository(store);
    const whole = new RereadingNetwork(store);
    const executor = new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), incremental, clock);
    const turns = new EngineerTurns();
    // Without the engineer's turn (as before the dispatch and the deactivation took turns): what the turn costs.
    const noTurns = { inTurn: <T>(_engineerId: string, work: () => Promise<T>) => work() } as EngineerTurns;
    const duty = new EngineerDutyCommandExecutor(store, clock);
    // A part that appends nothing: the order's events alone, in one single-stream append.
    const noFence = { fencePart: () => ({ key: 'none', id: 'none', kind: 'none', inTurn: <T>(work: () => Promise<T>) => work(), prepare: async () => ({ id: 'none', answered: null }) }) } as unknown as EngineerDutyCommandExecutor;
    const dispatching = {
      incremental: new DispatchWorkOrderHandler(executor, incremental, turns, duty), whole: new DispatchWorkOrderHandler(executor, whole, turns, duty),
      withoutTurns: new DispatchWorkOrderHandler(executor, incremental, noTurns, duty), withoutFence: new DispatchWorkOrderHandler(executor, incremental, turns, noFence),
    };
    // The directory has units, so no assignment reads the complaint list for a department's first spelling.
    const noList = { recordedDepartment: async () => undefined } as unknown as ComplaintListQuery;
    const checking = { incremental: new DirectoryCheck(incremental, noList), whole: new DirectoryCheck(whole, noList) };
    // Each order goes to eng-1 and back to eng-wang in turn: every redispatch is a change of engineer.
    const redispatchAll = redispatcher(ids);
    const contactAll = async (): Promise<void> => {
      for (const workOrderId of ids) await executor.execute({ type: 'RecordCustomerContact', workOrderId, data: { channel: 'phone', notes: 'bench' } }, contextOf(ADMIN));
    };
    const checkAll = async (through: DirectoryCheck): Promise<void> => {
      for (let n = 0; n < orders; n += 1) await through.assignment('dandong-station', `eng-${1 + (n % (engineers - 1))}`, async () => undefined);
    };
    await contactAll(); // warm-up
    await redispatchAll(dispatching.incremental);
    await checkAll(checking.incremental);
    const variants = {
      'admin contact': contactAll,
      'redispatch': () => redispatchAll(dispatching.incremental),
      'redispatch, no engineer turns': () => redispatchAll(dispatching.withoutTurns),
      'redispatch, no duty fence': () => redispatchAll(dispatching.withoutFence),
      'redispatch, whole directory': () => redispatchAll(dispatching.whole),
      'assign check': () => checkAll(checking.incremental),
      'assign check, whole directory': () => checkAll(checking.whole),
    };
    type Variant = keyof typeof variants;
    const names = Object.keys(variants) as Variant[];
    const times = await interleaved(variants, reps);
    const perCall = (name: Variant) => median(times[name]) / orders;
    console.log(`service network of ${engineers} engineers, ${orders} calls per run, ${reps} interleaved runs, synchronous=${synchronous}; ms per call (median run), ratio to an admin's contact`);
    for (const name of names) console.log(`  ${name.padEnd(30)} ${perCall(name).toFixed(3).padStart(8)}  ${(perCall(name) / perCall('admin contact')).toFixed(2)}×`);
  });
}

runScript(main);
