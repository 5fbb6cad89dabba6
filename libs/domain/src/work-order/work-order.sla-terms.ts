import type { BusinessCalendar } from '../business-calendar';
import { deadlineAfter, slaTermsAt, type SlaDurations, type SlaPolicy } from '../sla-policy';
import type { Severity } from '../taxonomy';

/**
 * A work order runs on the same SLA policy as complaints, read for a repair: its first reply is the
 * first contact with the customer (2 h), its on-site duration the arrival (seed 002: 报修后24小时内到达现场),
 * its answer the completion of the repair (72 h), its callback the satisfaction survey after the
 * hand-over. One configured policy, one version, the same business calendar and severity tiers
 * (the order's priority). Captured whole in WorkOrderReported.
 */
export interface WorkOrderSlaTerms {
  readonly policyVersion: string;
  readonly calendar: BusinessCalendar;
  readonly durations: SlaDurations;
  readonly firstContactDue: string;
  /** Deadlines of the first repair cycle; a repeat repair gets its own (WorkOrderReopened). */
  readonly onSiteDue: string;
  readonly completionDue: string;
}

export function workOrderSlaTermsAt(policy: SlaPolicy, priority: Severity, reportedAt: string): WorkOrderSlaTerms {
  const terms = slaTermsAt(policy, priority, reportedAt, true);
  const cycle = cycleDeadlines({ durations: terms.durations, calendar: terms.calendar }, reportedAt);
  return { policyVersion: terms.policyVersion, calendar: terms.calendar, durations: terms.durations, firstContactDue: terms.firstReplyDue, ...cycle };
}

/** On-site and completion deadlines of a repair cycle starting at `startedAt`, from the durations captured at the report. */
export function cycleDeadlines(terms: Pick<WorkOrderSlaTerms, 'durations' | 'calendar'>, startedAt: string): { onSiteDue: string; completionDue: string } {
  return {
    onSiteDue: deadlineAfter(startedAt, terms.durations.onSite, terms.calendar),
    completionDue: deadlineAfter(startedAt, terms.durations.answer, terms.calendar),
  };
}

/** Deadline of the satisfaction survey after a hand-over at `closedAt`, or null under a policy with no callback duration. */
export function surveyDeadline(terms: Pick<WorkOrderSlaTerms, 'durations' | 'calendar'>, closedAt: string): string | null {
  return terms.durations.callback === undefined ? null : deadlineAfter(closedAt, terms.durations.callback, terms.calendar);
}
