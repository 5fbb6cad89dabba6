import { IllegalTransitionError, SLA_MONITOR, parseDuration, type SlaClock } from '@app/domain';
import { PeriodicCheck, deterministicUuid } from '@app/event-sourcing';
import { ConcurrentModificationError } from './command-context';
import type { ComplaintCommandExecutor } from './complaint-command.executor';
import type { Clock } from './ports';

/** Where the monitor finds running clocks whose deadline has passed, or comes soon (the SLA read model). */
export interface OverdueClocks {
  overdue(now: Date, limit: number): Promise<ReadonlyArray<{ complaintId: string; clock: SlaClock }>>;
  /** Running clocks whose deadline is after now and at most withinMs ahead, soonest first. */
  dueSoon(now: Date, withinMs: number, limit: number): Promise<ReadonlyArray<{ complaintId: string; clock: SlaClock; deadline: string }>>;
}

const BREACH_NAMESPACE = '0f9d1c3e-8a47-4b2f-9e61-5c7d2a9b4e18';
const AT_RISK_NAMESPACE = '6b2e4f80-3c1d-4a9e-8f57-2d0c9b1a7e63';

/**
 * Appends one SlaBreached event per clock whose deadline passed without its step, and, with lead
 * times (warnBefore), one SlaAtRisk per clock whose deadline is that near. The commands go
 * through the decider like any other, so a step that happened in the meantime wins (the command
 * is refused), and each command id is derived from complaint and clock, so a repeat writes nothing.
 */
export class SlaMonitor extends PeriodicCheck {
  constructor(
    private readonly clocks: OverdueClocks,
    private readonly executor: ComplaintCommandExecutor,
    private readonly clock: Clock,
    private readonly options: { intervalMs: number; batchSize?: number; onError?: (error: unknown) => void; warnBefore?: Partial<Record<SlaClock, string>> },
  ) {
    super(options);
    for (const [clock, lead] of Object.entries(options.warnBefore ?? {})) {
      const ms = parseDuration(lead);
      if (ms === undefined || ms <= 0) throw new Error(`the SLA warning lead time of ${clock} must be an ISO 8601 duration above zero (got ${lead})`);
      this.leads.set(clock as SlaClock, { lead, ms });
    }
  }

  private readonly leads = new Map<SlaClock, { lead: string; ms: number }>();
  /** Clocks warned about (or found warned) while still in the window: not asked again. */
  private warned = new Set<string>();

  /** One pass: records every overdue clock it finds, then the warnings due; returns how many breaches it recorded. */
  async check(): Promise<number> {
    const recorded = await this.recordBreaches();
    if (this.leads.size > 0) await this.recordWarnings();
    return recorded;
  }

  /** Records SlaAtRisk for the running clocks whose deadline is within their lead time; returns how many it recorded. */
  async recordWarnings(): Promise<number> {
    const now = this.clock.now();
    const widest = Math.max(...[...this.leads.values()].map((entry) => entry.ms));
    const soon = await this.clocks.dueSoon(now, widest, this.options.batchSize ?? 200);
    const stillSoon = new Set<string>();
    let recorded = 0;
    for (const { complaintId, clock, deadline } of soon) {
      const lead = this.leads.get(clock);
      const key = `${complaintId}:${clock}`;
      if (!lead || Date.parse(deadline) - now.getTime() > lead.ms) continue;
      stillSoon.add(key);
      if (this.warned.has(key)) continue;
      const commandId = deterministicUuid(AT_RISK_NAMESPACE, key);
      try {
        await this.executor.execute({ type: 'RecordSlaAtRisk', complaintId, data: { clock, leadTime: lead.lead } }, { commandId, correlationId: commandId, causationId: commandId, actor: SLA_MONITOR });
        recorded += 1;
        this.warned.add(key);
      } catch (error) {
        if (error instanceof IllegalTransitionError) this.warned.add(key);
        else if (!(error instanceof ConcurrentModificationError)) throw error;
      }
    }
    // Forget the clocks that left the window (met, breached or gone): the set stays as small as the window.
    this.warned = new Set([...this.warned].filter((key) => stillSoon.has(key)));
    return recorded;
  }

  private async recordBreaches(): Promise<number> {
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
