/**
 * What `allowedActions` adds to GET /work-orders/{id}: reading and folding the order (what the route
 * did before) against the same read plus its allowedActions for an engineer (the roles of the routes,
 * the deactivation check through the service network, a dry-run decision per action) and for a
 * supervisor (no network read). A temporary SQLite log with a directory of N engineers and M dispatched
 * orders, interleaved repetitions with the order rotated, one process.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/work-order-allowed-actions.ts [--engineers N] [--orders N] [--reps N]
 */
import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { SystemClock } from '@app/complaints';
import { WORK_ORDER_ACTIONS, workOrderActionRefusal, type Actor, type ExistingWorkOrder } from '@app/domain';
import { actionRoles } from '../apps/api/src/after-sales/work-orders.controller';
import { actingRefusal, allowedActions } from '../apps/api/src/http/allowed-actions';
import { benchSizes, withDispatchedOrders } from './dispatched-directory';
import { printPerCommand, runScript } from './script-support';

const { engineers, orders, reps, synchronous } = benchSizes();
const ENGINEER: Actor = { id: 'eng-wang', role: 'engineer' };
const SUPERVISOR: Actor = { id: 'supervisor-bench', role: 'supervisor' };

async function main(): Promise<void> {
  await withDispatchedOrders('work-order-allowed-actions', { engineers, orders, synchronous }, async (store, ids) => {
    const clock = new SystemClock();
    const repository = new WorkOrderRepository(store);
    const network = new ServiceNetworkRepository(store);
    const executor = new WorkOrderCommandExecutor(store, repository, network, clock);
    const roles = actionRoles();
    // As WorkOrdersController.allowedActions answers it.
    const actionsFor = async (state: ExistingWorkOrder, actor: Actor) => {
      const at = clock.now().toISOString();
      const deactivation = await actingRefusal(() => executor.requireActing(actor));
      return allowedActions(WORK_ORDER_ACTIONS, actor, (action) => roles.get(action) ?? [], deactivation, (action) => workOrderActionRefusal(action, state, at, actor));
    };
    const readAll = async (actor: Actor | null) => {
      for (const id of ids) {
        const { state } = await repository.load(id);
        if (actor !== null) await actionsFor(state as ExistingWorkOrder, actor);
      }
    };
    await readAll(ENGINEER);
    await printPerCommand({
      'read and fold (before)': () => readAll(null),
      '+ allowedActions, engineer': () => readAll(ENGINEER),
      '+ allowedActions, supervisor': () => readAll(SUPERVISOR),
    }, reps, ids.length, `GET /work-orders/{id} without its HTTP edge: ${orders} orders, ${engineers} engineers, ${reps} runs`);
  });
}

runScript(main);
