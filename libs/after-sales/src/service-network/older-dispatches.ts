import { samePrincipal, upcastWorkOrderEvent } from '@app/domain';
import type { EventStore } from '@app/event-store';

const PAGE = 500;

/**
 * The orders an older log gave the engineer: their `WorkOrderDispatched` events before `until` (the
 * duty stream's first event; absent: the whole log), in log order. A filtered read of the log up to
 * there, so the duty records its answer (`EngineerDutyOpened`) and asks it once (docs/adr/0012).
 */
export async function ordersDispatchedBefore(events: EventStore, engineerId: string, until: number | undefined): Promise<string[]> {
  const found = new Set<string>();
  let from: number | undefined;
  for (;;) {
    const page = await events.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: PAGE, filter: { eventTypes: ['WorkOrderDispatched'] } });
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
