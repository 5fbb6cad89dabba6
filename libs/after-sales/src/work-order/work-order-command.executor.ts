import { Injectable, Optional } from '@nestjs/common';
import {
  WORK_ORDER_EVENT_SCHEMA_VERSIONS, WorkOrderNotFoundError, decideWorkOrderRequest, requireActingPrincipal, servicePointOf, workOrderInScope,
  workOrderStreamName, type Actor, type WorkOrderEvent, type WorkOrderRequest, type WorkOrderState,
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
        await actingPrincipal(network, context.actor);
        // An order outside the actor's departments (its service point, or before dispatch its reporter) is "not found".
        if (state.status !== 'none' && context.scope !== undefined
          && !workOrderInScope({ reportedBy: state.reportedBy, servicePoint: servicePointOf(state) }, context.actor.id, context.scope)) {
          throw new WorkOrderNotFoundError(id);
        }
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
  requireActing(actor: Actor): Promise<void> {
    return actingPrincipal(this.network, actor);
  }
}

/** Only an engineer's or an agent's command reads the service network (what was written to it since the last read). */
async function actingPrincipal(network: ServiceNetworkRepository, actor: Actor): Promise<void> {
  if (actor.role !== 'engineer' && actor.role !== 'agent') return;
  requireActingPrincipal(await network.current(), actor);
}
