import { clockStepsOf, type ComplaintEvent, type SlaClock } from '@app/domain';

export type ClockOutcome = 'running' | 'met' | 'breached' | 'cancelled';

export interface ClockState {
  readonly clock: SlaClock;
  readonly startedAt: string;
  readonly deadline: string;
  readonly metAt: string | null;
  readonly breachRecordedAt: string | null;
  readonly outcome: ClockOutcome;
}

export type Clocks = Partial<Record<SlaClock, ClockState>>;

/** A clock reaching its final outcome; each clock does so at most once. */
export interface ClockTransition {
  readonly clock: SlaClock;
  readonly outcome: 'met' | 'breached';
  readonly at: string;
  readonly deadline: string;
}

/**
 * The one place that decides whether an SLA clock was met or breached, shared by every read
 * model that reports on it. Met: the step happened at or before the deadline. Breached: it
 * happened after, or the SLA monitor recorded the deadline passing without it (SlaBreached).
 */
export function trackClocks(clocks: Clocks, event: ComplaintEvent): { clocks: Clocks; transitions: ClockTransition[]; changed: SlaClock[] } {
  const next: Record<string, ClockState> = { ...clocks } as Record<string, ClockState>;
  const transitions: ClockTransition[] = [];
  const start = (clock: SlaClock, startedAt: string, deadline: string) => {
    next[clock] = { clock, startedAt, deadline, metAt: null, breachRecordedAt: null, outcome: 'running' };
  };
  const complete = (clock: SlaClock, at: string) => {
    const state = next[clock];
    if (!state || state.metAt !== null || state.outcome === 'cancelled') return;
    if (state.outcome === 'running') {
      const outcome = Date.parse(at) <= Date.parse(state.deadline) ? 'met' : 'breached';
      next[clock] = { ...state, metAt: at, outcome };
      transitions.push({ clock, outcome, at, deadline: state.deadline });
    } else next[clock] = { ...state, metAt: at };
  };

  for (const step of clockStepsOf(event)) complete(step.clock, step.at);
  switch (event.type) {
    case 'ComplaintReceived': {
      const { receivedAt, sla } = event.data;
      start('first-reply', receivedAt, sla.firstReplyDue);
      start('answer', receivedAt, sla.answerDue);
      if (sla.onSiteDue) start('on-site', receivedAt, sla.onSiteDue);
      break;
    }
    case 'ComplaintRejected': {
      const onSite = next['on-site'];
      if (onSite?.outcome === 'running') next['on-site'] = { ...onSite, outcome: 'cancelled' };
      break;
    }
    case 'ComplaintResolved': {
      const callback = next['callback'];
      // A new resolution (after a reopen) moves a callback clock that is still running; a final one stays as it was.
      if (event.data.callbackDue !== null && (!callback || callback.outcome === 'running')) start('callback', event.data.resolvedAt, event.data.callbackDue);
      break;
    }
    case 'SlaBreached': {
      const state = next[event.data.clock];
      if (!state) break;
      if (state.outcome === 'running') {
        next[event.data.clock] = { ...state, outcome: 'breached', breachRecordedAt: event.data.detectedAt };
        transitions.push({ clock: event.data.clock, outcome: 'breached', at: event.data.detectedAt, deadline: state.deadline });
      } else next[event.data.clock] = { ...state, breachRecordedAt: state.breachRecordedAt ?? event.data.detectedAt };
      break;
    }
    case 'ComplaintApologised':
    case 'CallbackDone':
    case 'OnSiteVisitRecorded':
    case 'ComplaintValidated':
    case 'ComplaintAssigned':
    case 'ComplaintEscalated':
    case 'ComplaintReopened':
      break;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  // Every change above replaces the clock's object, so what changed is what is no longer the same object.
  const changed = (Object.keys(next) as SlaClock[]).filter((clock) => next[clock] !== clocks[clock]);
  return { clocks: next as Clocks, transitions, changed };
}
