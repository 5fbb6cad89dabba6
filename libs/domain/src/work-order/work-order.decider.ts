import type { Decider } from '@app/event-sourcing';
import type { WorkOrderCommand } from './work-order.commands';
import { decideWorkOrder } from './work-order.decide';
import type { WorkOrderEvent } from './work-order.events';
import { evolveWorkOrder } from './work-order.evolve';
import { initialWorkOrderState, type WorkOrderState } from './work-order.state';

export const workOrderDecider: Decider<WorkOrderCommand, WorkOrderEvent, WorkOrderState> = {
  decide: decideWorkOrder,
  evolve: evolveWorkOrder,
  initialState: initialWorkOrderState,
};
