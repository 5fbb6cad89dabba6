/**
 * What the check of the acting engineer's standing costs (ADR 0012, "An engineer who left keeps no
 * hand on work orders"): a work-order command by an engineer reads the service network before it is
 * decided (ServiceNetworkRepository.current: what was written since its last read); the same command
 * by an admin does not. A third variant reads and folds the whole directory for every command
 * (load(), as a dispatch did before: directory-checks.ts). All run through the real WorkOrderCommandExecutor on a temporary
 * SQLite log holding a directory of N engineers, in interleaved repetitions, one process.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/engineer-standing.ts [--engineers N] [--orders N] [--reps N] [--sync FULL|NORMAL]
 */
import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { SystemClock } from '@app/complaints';
import type { Actor } from '@app/domain';
import { RereadingNetwork, benchSizes, contextOf, withDispatchedOrders } from './dispatched-directory';
import { printPerCommand, runScript } from './script-support';

const { engineers, orders, reps, synchronous } = benchSizes();

const ENGINEER: Actor = { id: 'eng-wang', role: 'engineer' };
const ADMIN: Actor = { id: 'admin-bench', role: 'admin' };

async function main(): Promise<void> {
  await withDispatchedOrders('engineer-standing', { engineers, orders, synchronous }, async (store, ids) => {
    const executor = new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), new ServiceNetworkRepository(store), new SystemClock());
    const rereading = new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), new RereadingNetwork(store), new SystemClock());
    const contactAll = async (actor: Actor, through = executor): Promise<void> => {
      for (const workOrderId of ids) await through.execute({ type: 'RecordCustomerContact', workOrderId, data: { channel: 'phone', notes: 'bench' } }, contextOf(actor));
    };
    await contactAll(ADMIN); // warm-up
    await printPerCommand({
      admin: () => contactAll(ADMIN),
      engineer: () => contactAll(ENGINEER),
      'engineer, whole directory': () => contactAll(ENGINEER, rereading),
    }, reps, orders, `service network of ${engineers} engineers, ${orders} commands per run, ${reps} interleaved runs, synchronous=${synchronous}`);
  });
}

runScript(main);
