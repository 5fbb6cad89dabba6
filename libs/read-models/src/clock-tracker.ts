import { clockStepsOf, type ComplaintEvent, type SlaClock } from '@app/domain';

export type ClockOutcome = 'running' | 'met' | 'breached' | 'cancelled';

/**
 * One clock's state as the projections keep it, compact: when it started, its deadline, when its step
 * was taken and when the monitor recorded a breach (epoch milliseconds), and its outcome. A tuple of
 * numbers, not an object of ISO texts: every complaint carries it in three internal documents, so it
 * is parsed, copied and written on every event (ADR 0011).
 */
export type ClockState = readonly [startedAt: number, deadline: number, metAt: number | null, breachRecordedAt: number | null, outcome: ClockOutcome];
export const STARTED = 0;
export const DEADLINE = 1;
export const MET = 2;
export const BREACH_RECORDED = 3;
export const OUTCOME = 4;

export type Clocks = Partial<Record<SlaClock, ClockState>>;

/** A clock reaching its final outcome; each clock does so at most once. */
export interface ClockTransition {
  readonly clock: SlaClock;
  readonly outcome: 'met' | 'breached';
  readonly at: string;
  /** Epoch milliseconds. */
  readonly deadline: number;
}

/** An instant of the clock state as the read models show it. */
export const isoOf = (epochMs: number): string => new Date(epochMs).toISOString();
export const isoOrNull = (epochMs: number | null): string | null => (epochMs === null ? null : isoOf(epochMs));

/**
 * The one place that decides whether an SLA clock was met or breached, shared by every read
 * model that reports on it. Met: the step happened at or before the deadline. Breached: it
 * happened after, or the SLA monitor recorded the deadline passing without it (SlaBreached).
 */
export function trackClocks(clocks: Clocks, event: ComplaintEvent): { clocks: Clocks; transitions: ClockTransition[]; changed: SlaClock[] } {
  const next = { ...clocks };
  const transitions = trackClocksInPlace(next, event);
  // Every change replaces the clock's tuple, so what changed is what is no longer the same tuple.
  const changed = (Object.keys(next) as SlaClock[]).filter((clock) => next[clock] !== clocks[clock]);
  return { clocks: next, transitions, changed };
}

/**
 * What trackClocks does, to `clocks` itself: a record the caller owns (a projection's per-complaint
 * record taken with ProjectionContext.change, docs/adr/0011 tenth step). A changed clock gets a new tuple.
 */
export function trackClocksInPlace(clocks: Clocks, event: ComplaintEvent): ClockTransition[] {
  const next = clocks as Record<string, ClockState>;
  const transitions: ClockTransition[] = [];
  const start = (clock: SlaClock, startedAt: string, deadline: string) => {
    next[clock] = [Date.parse(startedAt), Date.parse(deadline), null, null, 'running'];
  };
  const complete = (clock: SlaClock, at: string) => {
    const state = next[clock];
    if (!state || state[MET] !== null || state[OUTCOME] === 'cancelled') return;
    const atMs = Date.parse(at);
    if (state[OUTCOME] === 'running') {
      const outcome = atMs <= state[DEADLINE] ? 'met' : 'breached';
      next[clock] = [state[STARTED], state[DEADLINE], atMs, state[BREACH_RECORDED], outcome];
      transitions.push({ clock, outcome, at, deadline: state[DEADLINE] });
    } else next[clock] = [state[STARTED], state[DEADLINE], atMs, state[BREACH_RECORDED], state[OUTCOME]];
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
      if (onSite?.[OUTCOME] === 'running') next['on-site'] = [onSite[STARTED], onSite[DEADLINE], onSite[MET], onSite[BREACH_RECORDED], 'cancelled'];
      break;
    }
    case 'ComplaintResolved': {
      const callback = next['callback'];
      // A new resolution (after a reopen) moves a callback clock that is still running; a final one stays as it was.
      if (event.data.callbackDue !== null && (!callback || callback[OUTCOME] === 'running')) start('callback', event.data.resolvedAt, event.data.callbackDue);
      break;
    }
    case 'SlaBreached': {
      const state = next[event.data.clock];
      if (!state) break;
      const detected = Date.parse(event.data.detectedAt);
      if (state[OUTCOME] === 'running') {
        next[event.data.clock] = [state[STARTED], state[DEADLINE], state[MET], detected, 'breached'];
        transitions.push({ clock: event.data.clock, outcome: 'breached', at: event.data.detectedAt, deadline: state[DEADLINE] });
      } else if (state[BREACH_RECORDED] === null) next[event.data.clock] = [state[STARTED], state[DEADLINE], state[MET], detected, state[OUTCOME]];
      break;
    }
    case 'ComplaintApologised':
    case 'CallbackDone':
    case 'OnSiteVisitRecorded':
    case 'ComplaintValidated':
    case 'ComplaintAssigned':
    case 'ComplaintEscalated':
    case 'ComplaintReopened':
    case 'ComplaintNoteAdded':
    case 'ComplaintContactRecorded':
    case 'ComplaintCorrected':
    case 'ComplaintAttachmentAdded':
    case 'ComplaintTagged':
    case 'ComplaintRelated':
    case 'ComplaintUnrelated':
    case 'ComplaintDuplicateLinked':
    case 'ComplaintDuplicateUnlinked':
    // A warning changes no clock: the deadline still holds, and the step may still come in time.
    case 'SlaAtRisk':
      break;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  return transitions;
}
