import { Injectable, Optional } from '@nestjs/common';
import {
  WORK_ORDER_EVENT_SCHEMA_VERSIONS, WorkOrderNotFoundError, decideWorkOrderRequest, requireActingPrincipal, requireDispatchedEngineer, servicePointOf, workOrderInScope,
  workOrderStreamName, type Actor, type ServiceNetworkState, type WorkOrderEvent, type WorkOrderRequest, type WorkOrderState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock, PersonalDataSealer } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ServiceNetworkRepository } from '../service-network/service-network.repository';
import { WorkOrderRepository } from './work-order.repository';

/** Handles one work-order command (read + fold, decide, append; see StreamCommandExecutor). */
@Injectable()
export class WorkOrderCommandExecutor extends AggregateCommandExecutor<WorkOrderRequest, WorkOrderEvent, WorkOrderState> {
  constructor(eventStore: EventStore, repository: WorkOrderRepository, private readonly network: ServiceNetworkRepository, clock: Clock, @Optional() sealer?: PersonalDataSealer) {
    super(eventStore, clock, {
      kind: 'work order',
      streamName: workOrderStreamName,
      load: (id) => repository.load(id),
      checkAccess: async ({ state }, id, context) => {
        // A deactivated engineer or agent first, whatever the order: the refusal says nothing about it.
        const directory = await actingPrincipal(network, context.actor);
        if (state.status === 'none') return;
        // An order outside the actor's departments (its service point, or before dispatch its reporter) is "not found".
        if (context.scope !== undefined && !workOrderInScope({ reportedBy: state.reportedBy, servicePoint: servicePointOf(state) }, context.actor.id, context.scope)) {
          throw new WorkOrderNotFoundError(id);
        }
        // Then an engineer on an order they may see but that is dispatched to someone else.
        if (directory !== null) requireDispatchedEngineer(directory, context.actor, dispatchOf(id, state));
      },
      // The dispatch mode is checked on the state the decision is taken on, inside the executor's loop, so a concurrent dispatch cannot slip through.
      decide: decideWorkOrderRequest,
      schemaVersionOf: (type) => WORK_ORDER_EVENT_SCHEMA_VERSIONS[type as WorkOrderEvent['type']],
      customerOf: (_id, state, event) => (event.type === 'WorkOrderReported' ? event.data.customerId : state.status === 'none' ? null : state.customerId),
    }, (command) => command.workOrderId, sealer);
  }

  /**
   * Throws EngineerDeactivatedError / AgentDeactivatedError when the actor is an engineer or an agent
   * the service network has deactivated. Every command is checked on its own; the HTTP edge asks this
   * too before it answers a retry from its Idempotency-Key store, which runs no command.
   */
  async requireActing(actor: Actor): Promise<void> {
    await actingPrincipal(this.network, actor);
  }

  /**
   * requireActing, then the order's own rule for its engineer (403 not-the-dispatched-engineer), as
   * every command on this order checks them: what a work order's allowedActions ask before its state.
   */
  async requireActingOn(actor: Actor, id: string, state: WorkOrderState): Promise<void> {
    const directory = await actingPrincipal(this.network, actor);
    if (directory !== null && state.status !== 'none') requireDispatchedEngineer(directory, actor, dispatchOf(id, state));
  }
}

function dispatchOf(workOrderId: string, state: WorkOrderState): { workOrderId: string; dispatchedTo: string | null } {
  return { workOrderId, dispatchedTo: 'dispatch' in state ? state.dispatch?.engineerId ?? null : null };
}

/**
 * Only an engineer's or an agent's command reads the service network (what was written to it since
 * the last read): the directory it checked the actor against, or null when it read none.
 */
async function actingPrincipal(network: ServiceNetworkRepository, actor: Actor): Promise<ServiceNetworkState | null> {
  if (actor.role !== 'engineer' && actor.role !== 'agent') return null;
  const directory = await network.current();
  requireActingPrincipal(directory, actor);
  return directory;
}
