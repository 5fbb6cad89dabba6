import { IllegalWorkOrderTransitionError, SLA_MONITOR, type WorkOrderClock } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { ConcurrentModificationError } from '@app/complaints';
import type { WorkOrderCommandExecutor } from './work-order-command.executor';

const WORK_ORDER_BREACH_NAMESPACE = '6b2e8f41-3c7a-4d95-a1e0-9f58c2d7b364';

/**
 * The command side of the work-order SLA monitor (WorkOrderBreachRecorder of @app/read-models):
 * RecordWorkOrderSlaBreach as `system:sla-monitor` through the work-order executor, so the decider
 * has the last word. The command id derives from order, clock and cycle: a repeat writes nothing.
 * A refusal of the decider (the step happened, the breach is already recorded, the order closed or
 * moved on) is `refused`; another writer that kept winning the race is too (the next pass looks again).
 */
export class WorkOrderSlaBreachRecorder {
  constructor(private readonly executor: WorkOrderCommandExecutor) {}

  async record(workOrderId: string, clock: WorkOrderClock, _deadline: string, cycle: number): Promise<'recorded' | 'refused'> {
    const commandId = deterministicUuid(WORK_ORDER_BREACH_NAMESPACE, `${workOrderId}:${clock}:${cycle}`);
    try {
      await this.executor.execute({ type: 'RecordWorkOrderSlaBreach', workOrderId, data: { clock } }, { commandId, correlationId: commandId, causationId: commandId, actor: SLA_MONITOR });
      return 'recorded';
    } catch (error) {
      if (error instanceof IllegalWorkOrderTransitionError || error instanceof ConcurrentModificationError) return 'refused';
      throw error;
    }
  }
}
