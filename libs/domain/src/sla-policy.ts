import { ALWAYS_ON_CALENDAR, BUILT_IN_CALENDARS, addBusinessTime, validateCalendar, type BusinessCalendar } from './business-calendar';
import { parseDuration } from './duration';
import type { Severity } from './taxonomy';

/** Durations of one policy level, as ISO 8601 durations (`PT2H`). */
export interface SlaDurations {
  /** First reply / apology to the customer (seed 002: 投诉受理后2小时内回复客户). */
  readonly firstReply: string;
  /** An answer where the complaint cannot be solved at once (seed 003: 不超过72小时给予答复). */
  readonly answer: string;
  /**
   * Follow-up call (回访) after the resolution. A policy without it sets no callback obligation
   * (imported history, where no one calls back): a callback may still be recorded, on no clock.
   */
  readonly callback?: string;
  /** On-site visit for repairs (seed 002: 报修后24小时内到达现场). */
  readonly onSite: string;
}

export interface SlaPolicy extends SlaDurations {
  readonly version: string;
  /** Tighter (or looser) durations per severity; missing fields fall back to the defaults. */
  readonly bySeverity?: Partial<Record<Severity, Partial<SlaDurations>>>;
  /** When clocks run; always on by default. */
  readonly calendar?: BusinessCalendar;
}

/** The defaults of the seed documents, tighter for high and critical complaints. */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  version: 'seed-default-v1',
  firstReply: 'PT2H',
  answer: 'PT72H',
  callback: 'PT48H',
  onSite: 'PT24H',
  bySeverity: {
    high: { firstReply: 'PT1H', answer: 'PT48H', onSite: 'PT12H' },
    critical: { firstReply: 'PT30M', answer: 'PT24H', callback: 'PT24H', onSite: 'PT4H' },
  },
  calendar: ALWAYS_ON_CALENDAR,
};

/** What `ComplaintReceived` records, so that a later policy change never rewrites history. */
export interface SlaTerms {
  readonly policyVersion: string;
  readonly calendar: BusinessCalendar;
  readonly durations: SlaDurations;
  readonly firstReplyDue: string;
  readonly answerDue: string;
  readonly onSiteDue: string | null;
}

export function durationsFor(policy: SlaPolicy, severity: Severity): SlaDurations {
  const override = policy.bySeverity?.[severity] ?? {};
  return {
    firstReply: override.firstReply ?? policy.firstReply,
    answer: override.answer ?? policy.answer,
    onSite: override.onSite ?? policy.onSite,
    ...((override.callback ?? policy.callback) === undefined ? {} : { callback: override.callback ?? policy.callback }),
  };
}

export function slaTermsAt(policy: SlaPolicy, severity: Severity, receivedAt: string, onSiteRequired: boolean): SlaTerms {
  const durations = durationsFor(policy, severity);
  const calendar = policy.calendar ?? ALWAYS_ON_CALENDAR;
  return {
    policyVersion: policy.version,
    calendar,
    durations,
    firstReplyDue: deadlineAfter(receivedAt, durations.firstReply, calendar),
    answerDue: deadlineAfter(receivedAt, durations.answer, calendar),
    onSiteDue: onSiteRequired ? deadlineAfter(receivedAt, durations.onSite, calendar) : null,
  };
}

/** A deadline: `duration` of working time (per the calendar) after `start`. */
export function deadlineAfter(start: string, duration: string, calendar: BusinessCalendar): string {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new RangeError(`not a supported ISO 8601 duration: ${duration}`);
  return addBusinessTime(start, ms, calendar);
}

/** Problems of a policy read from configuration; empty when the policy is usable. */
export function validateSlaPolicy(candidate: unknown): string[] {
  const problems: string[] = [];
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) return ['policy must be a JSON object'];
  const policy = candidate as Record<string, unknown>;
  if (typeof policy['version'] !== 'string' || policy['version'].trim() === '') problems.push('version must be a non-empty string');
  const checkDurations = (where: string, value: Record<string, unknown>, required: boolean) => {
    for (const key of ['firstReply', 'answer', 'callback', 'onSite'] as const) {
      const duration = value[key];
      if (duration === undefined && (!required || key === 'onSite' || key === 'callback')) continue;
      if (typeof duration !== 'string' || parseDuration(duration) === undefined || parseDuration(duration) === 0) {
        problems.push(`${where}${key} must be a positive ISO 8601 duration such as PT2H (got ${JSON.stringify(duration)})`);
      }
    }
  };
  checkDurations('', policy, true);
  const bySeverity = policy['bySeverity'];
  if (bySeverity !== undefined) {
    if (typeof bySeverity !== 'object' || bySeverity === null) problems.push('bySeverity must be an object');
    else
      for (const [severity, value] of Object.entries(bySeverity)) {
        if (!['low', 'medium', 'high', 'critical'].includes(severity)) problems.push(`bySeverity.${severity} is not a severity`);
        else if (typeof value !== 'object' || value === null) problems.push(`bySeverity.${severity} must be an object`);
        else checkDurations(`bySeverity.${severity}.`, value as Record<string, unknown>, false);
      }
  }
  const calendar = policy['calendar'];
  if (calendar !== undefined && !(typeof calendar === 'string' && calendar in BUILT_IN_CALENDARS)) problems.push(...validateCalendar(calendar));
  return problems;
}
