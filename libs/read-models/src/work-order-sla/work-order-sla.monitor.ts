import { PeriodicCheck } from '@app/event-sourcing';
import type { WorkOrderClock } from '@app/domain';

/** Where the monitor finds running work-order clocks whose deadline has passed (WorkOrderSlaQuery). */
export interface OverdueWorkOrderClocks {
  overdue(now: Date, limit: number): Promise<ReadonlyArray<{ readonly workOrderId: string; readonly clock: WorkOrderClock; readonly cycle: number; readonly deadline: string }>>;
}

/**
 * The port through which the monitor records a breach: the command side implements it with the
 * work-order decider (RecordWorkOrderSlaBreach as `system:sla-monitor`, a command id derived from the
 * order, the clock and the cycle, so a repeat writes nothing).
 */
export interface WorkOrderBreachRecorder {
  /**
   * Records that `clock` of the order's repair `cycle` passed `deadline` without its step. Resolves
   * `recorded` when a WorkOrderSlaBreached was appended, `refused` when the decider refused it (the step
   * happened in the meantime, the breach is already recorded, the order moved on to another cycle or
   * was cancelled): nothing to do then. Rejects only on a failure worth reporting (the store is down).
   */
  record(workOrderId: string, clock: WorkOrderClock, deadline: string, cycle: number): Promise<'recorded' | 'refused'>;
}

/**
 * Finds work-order clocks whose deadline passed without their step (in the work-order SLA read model)
 * and records a breach of each through the recorder, as SlaMonitor does for complaints (ADR 0005):
 * projections cannot see time pass, so something that can must look. The decider has the last word:
 * a step that happened meanwhile wins, and the recorder says `refused`.
 */
export class WorkOrderSlaMonitor extends PeriodicCheck {
  constructor(
    private readonly clocks: OverdueWorkOrderClocks,
    private readonly recorder: WorkOrderBreachRecorder,
    private readonly now: () => Date,
    private readonly options: { intervalMs: number; batchSize?: number; onError?: (error: unknown) => void },
  ) {
    super(options);
  }

  /** One pass: asks to record every overdue clock it finds; returns how many breaches were recorded. */
  async check(): Promise<number> {
    const overdue = await this.clocks.overdue(this.now(), this.options.batchSize ?? 200);
    let recorded = 0;
    for (const { workOrderId, clock, cycle, deadline } of overdue) {
      if ((await this.recorder.record(workOrderId, clock, deadline, cycle)) === 'recorded') recorded += 1;
    }
    return recorded;
  }
}
