import { IllegalTransitionError, SLA_MONITOR, type SlaClock } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { ConcurrentModificationError } from './command-context';
import type { ComplaintCommandExecutor } from './complaint-command.executor';
import type { Clock } from './ports';

/** Where the monitor finds running clocks whose deadline has passed (the SLA read model). */
export interface OverdueClocks {
  overdue(now: Date, limit: number): Promise<ReadonlyArray<{ complaintId: string; clock: SlaClock }>>;
}

const BREACH_NAMESPACE = '0f9d1c3e-8a47-4b2f-9e61-5c7d2a9b4e18';

/**
 * Appends one SlaBreached event per clock whose deadline passed without its step. The command
 * goes through the decider like any other, so a step that happened in the meantime wins (the
 * command is refused), and the command id is derived from complaint and clock, so a repeat
 * writes nothing.
 */
export class SlaMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly clocks: OverdueClocks,
    private readonly executor: ComplaintCommandExecutor,
    private readonly clock: Clock,
    private readonly options: { intervalMs: number; batchSize?: number; onError?: (error: unknown) => void },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.check().catch((error: unknown) => {
        this.options.onError?.(error);
        return 0;
      }).finally(() => {
        this.running = undefined;
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass: records every overdue clock it finds; returns how many breaches it recorded. */
  async check(): Promise<number> {
    const overdue = await this.clocks.overdue(this.clock.now(), this.options.batchSize ?? 200);
    let recorded = 0;
    for (const { complaintId, clock } of overdue) {
      const commandId = deterministicUuid(BREACH_NAMESPACE, `${complaintId}:${clock}`);
      try {
        await this.executor.execute({ type: 'RecordSlaBreach', complaintId, data: { clock } }, { commandId, correlationId: commandId, causationId: commandId, actor: SLA_MONITOR });
        recorded += 1;
      } catch (error) {
        if (!(error instanceof IllegalTransitionError) && !(error instanceof ConcurrentModificationError)) throw error;
      }
    }
    return recorded;
  }
}
