import { Injectable } from '@nestjs/common';
import { samePrincipal, upcastWorkOrderEvent, type WorkOrderState, type WorkOrderStatus } from '@app/domain';
import { EventStore } from '@app/event-store';
import { WorkOrderRepository } from '../work-order/work-order.repository';
import { EngineerDutyCommandExecutor } from './engineer-duty.executor';

/** Work orders still to be done that name an engineer (a reported one names nobody). */
const OPEN_WITH_ENGINEER: ReadonlySet<WorkOrderStatus> = new Set<WorkOrderStatus>(['dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely', 'signed-off']);
const PAGE = 500;

/**
 * The open work orders dispatched to an engineer, from the log, as the deactivation answers them
 * (docs/adr/0012): the orders the engineer's duty stream says were given to them, each folded from
 * its own stream as it stands (still open, still theirs). Asked after the deactivation is stored,
 * the list is whole: a dispatch stored before it is on the duty stream, one decided before but not
 * stored is refused by it. No read model, so a projector that is behind (or frozen) cannot shorten it.
 * Orders given before the duty streams existed (an older log) are found by their dispatch events in
 * the log before the duty stream's first event.
 */
@Injectable()
export class EngineerOpenWorkOrders {
  constructor(private readonly events: EventStore, private readonly duty: EngineerDutyCommandExecutor, private readonly workOrders: WorkOrderRepository) {}

  async of(engineerId: string): Promise<Array<{ id: string; status: WorkOrderStatus }>> {
    const { state, events } = await this.duty.load(engineerId);
    const candidates = new Set([...(await this.dispatchedBefore(engineerId, events[0]?.position)), ...state.workOrderIds]);
    const open: Array<{ id: string; status: WorkOrderStatus }> = [];
    for (const id of candidates) {
      const { state: order } = await this.workOrders.load(id);
      if (stillTheirs(order, engineerId)) open.push({ id, status: order.status });
    }
    return open;
  }

  /** The orders dispatched to the engineer before `until` (the duty stream's first event; absent: the whole log), by their dispatch events. */
  private async dispatchedBefore(engineerId: string, until: number | undefined): Promise<string[]> {
    const found = new Set<string>();
    let from: number | undefined;
    for (;;) {
      const page = await this.events.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: PAGE, filter: { eventTypes: ['WorkOrderDispatched'] } });
      for (const recorded of page) {
        if (recorded.position === from) continue;
        if (until !== undefined && recorded.position >= until) return [...found];
        const event = upcastWorkOrderEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']);
        if (event.type === 'WorkOrderDispatched' && samePrincipal(event.data.engineer.id, engineerId)) found.add(event.data.workOrderId);
      }
      if (page.length < PAGE) return [...found];
      from = page[page.length - 1]!.position;
    }
  }
}

function stillTheirs(order: WorkOrderState, engineerId: string): boolean {
  return OPEN_WITH_ENGINEER.has(order.status) && 'dispatch' in order && order.dispatch !== null && samePrincipal(order.dispatch.engineerId, engineerId);
}
