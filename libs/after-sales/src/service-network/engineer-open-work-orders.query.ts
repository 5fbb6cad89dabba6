import { Injectable } from '@nestjs/common';
import { samePrincipal, type WorkOrderState, type WorkOrderStatus } from '@app/domain';
import { EventStore } from '@app/event-store';
import { WorkOrderRepository } from '../work-order/work-order.repository';
import { EngineerDutyCommandExecutor } from './engineer-duty.executor';
import { ordersDispatchedBefore } from './older-dispatches';

/** Work orders still to be done that name an engineer (a reported one names nobody). */
const OPEN_WITH_ENGINEER: ReadonlySet<WorkOrderStatus> = new Set<WorkOrderStatus>(['dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely', 'signed-off']);

/**
 * The open work orders dispatched to an engineer, from the log, as the deactivation answers them
 * (docs/adr/0012): the orders the engineer's duty stream says were given to them, each folded from
 * its own stream as it stands (still open, still theirs). Asked after the deactivation is stored,
 * the list is whole: a dispatch stored before it is on the duty stream, one decided before but not
 * stored is refused by it. No read model, so a projector that is behind (or frozen) cannot shorten it.
 * A duty stream opened (`EngineerDutyOpened`: with the engineer's addition, or with the orders an older
 * log gave them, the first time this version wrote it) holds them all; only one that is not (stood
 * down by an older version) is completed by a scan of the log's dispatch events before its first event.
 */
@Injectable()
export class EngineerOpenWorkOrders {
  constructor(private readonly events: EventStore, private readonly duty: EngineerDutyCommandExecutor, private readonly workOrders: WorkOrderRepository) {}

  async of(engineerId: string): Promise<Array<{ id: string; status: WorkOrderStatus }>> {
    const { state, events } = await this.duty.load(engineerId);
    const older = state.opened ? [] : await ordersDispatchedBefore(this.events, engineerId, events[0]?.position);
    const open: Array<{ id: string; status: WorkOrderStatus }> = [];
    for (const id of new Set([...older, ...state.workOrderIds])) {
      const { state: order } = await this.workOrders.load(id);
      if (stillTheirs(order, engineerId)) open.push({ id, status: order.status });
    }
    return open;
  }
}

function stillTheirs(order: WorkOrderState, engineerId: string): boolean {
  return OPEN_WITH_ENGINEER.has(order.status) && 'dispatch' in order && order.dispatch !== null && samePrincipal(order.dispatch.engineerId, engineerId);
}
