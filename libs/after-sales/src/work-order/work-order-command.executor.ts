import { Injectable, Optional } from '@nestjs/common';
import {
  IllegalWorkOrderTransitionError, WORK_ORDER_EVENT_SCHEMA_VERSIONS, WorkOrderNotFoundError, decideWorkOrder, requireActingPrincipal, requireDispatchedEngineer, servicePointOf, workOrderInScope,
  workOrderStreamName, type Actor, type ServiceNetworkState, type WorkOrderCommand, type WorkOrderEvent, type WorkOrderState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock, PersonalDataSealer } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ServiceNetworkRepository } from '../service-network/service-network.repository';
import { WorkOrderRepository } from './work-order.repository';

/**
 * A work-order command as the application takes it. A dispatch says whether it means the first
 * dispatch or a redispatch: the two are one command to the domain, but redispatching is a
 * supervisor's decision, so the route that may only dispatch must not redispatch by accident.
 */
export type WorkOrderRequest = WorkOrderCommand & { readonly redispatch?: boolean };

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
        if (directory !== null) requireDispatchedEngineer(directory, context.actor, { workOrderId: id, dispatchedTo: 'dispatch' in state ? state.dispatch?.engineerId ?? null : null });
      },
      decide: (command, state) => {
        requireDispatchMode(command, state);
        return decideWorkOrder(command, state);
      },
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

/** Checked on the state the decision is taken on, inside the executor's loop, so a concurrent dispatch cannot slip through. */
function requireDispatchMode(command: WorkOrderRequest, state: WorkOrderState): void {
  if (command.type !== 'DispatchWorkOrder' || command.redispatch === undefined) return;
  const dispatched = state.status === 'dispatched' || state.status === 'visit-scheduled' || state.status === 'on-site';
  if (dispatched && !command.redispatch) {
    throw new IllegalWorkOrderTransitionError('already-dispatched', command.type, state.status,
      `The order is already with ${state.dispatch.engineerId} at ${state.dispatch.stationCode}: moving it is a redispatch, with a reason. This order is ${state.status}.`);
  }
  if (state.status === 'reported' && command.redispatch) {
    throw new IllegalWorkOrderTransitionError('not-dispatched', command.type, state.status, 'Nothing to redispatch: the order has not been dispatched yet. This order is reported.');
  }
}
