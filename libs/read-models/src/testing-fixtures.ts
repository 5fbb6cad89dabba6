import {
  DEFAULT_SLA_POLICY, decideCustomerFile, foldCustomerFile, slaTermsAt, type Actor, type ComplaintEvent, type CustomerFileCommand, type CustomerFileEvent,
  type SlaClock, type SlaPolicy,
} from '@app/domain';

/** Builders of complaint events for read-model specs; times are minutes after T0. */
export const T0 = Date.parse('2026-03-02T08:00:00.000Z');
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const agent: Actor = { id: 'agent-1', role: 'agent' };

export function complaint(complaintId: string, options: { customerId?: string; cause?: string; severity?: string; minutes?: number; policy?: SlaPolicy; onSite?: boolean; segment?: string | null } = {}) {
  const receivedAt = at(options.minutes ?? 0);
  const severity = (options.severity ?? 'medium') as 'medium';
  const received: ComplaintEvent = {
    type: 'ComplaintReceived',
    data: {
      complaintId, receivedAt, receivedBy: agent, customer: { id: options.customerId ?? 'cust-1', name: '王先生', segment: (options.segment === undefined ? 'private-car' : options.segment) as 'private-car' },
      channel: 'phone', cause: (options.cause ?? 'service') as 'service', behaviour: null, purpose: 'criticism', severity, description: 'd', desiredOutcome: null,
      occurredAt: null, onSiteRequired: options.onSite ?? false, sla: slaTermsAt(options.policy ?? DEFAULT_SLA_POLICY, severity, receivedAt, options.onSite ?? false),
      personal: null,
    },
  };
  const base = { complaintId, by: agent };
  return {
    received,
    validated: (minutes: number): ComplaintEvent => ({ type: 'ComplaintValidated', data: { ...base, validatedAt: at(minutes), reason: 'ok', evidence: null } }),
    rejected: (minutes: number): ComplaintEvent => ({ type: 'ComplaintRejected', data: { ...base, rejectedAt: at(minutes), reason: 'no' } }),
    assigned: (minutes: number, department = 'station-ops', assignee = 'zhang'): ComplaintEvent => ({
      type: 'ComplaintAssigned', data: { ...base, assignedAt: at(minutes), department, assignee, reason: null, previous: null },
    }),
    apologised: (minutes: number, firstReply = true): ComplaintEvent => ({ type: 'ComplaintApologised', data: { ...base, apologisedAt: at(minutes), channel: 'phone', statement: 's', firstReply } }),
    escalated: (minutes: number, level = 1): ComplaintEvent => ({ type: 'ComplaintEscalated', data: { ...base, escalatedAt: at(minutes), to: 'manager', level, reason: 'r', trigger: 'authority' } }),
    resolved: (minutes: number, customerAccepted = true, callbackAfterMinutes = 48 * 60): ComplaintEvent => ({
      type: 'ComplaintResolved',
      data: { ...base, resolvedAt: at(minutes), resolutionClass: 'immediate', remedy: 'refund', rootCause: null, correctiveAction: null, customerAccepted, callbackDue: at(minutes + callbackAfterMinutes) },
    }),
    calledBack: (minutes: number, satisfaction: number): ComplaintEvent => ({
      type: 'CallbackDone', data: { ...base, calledBackAt: at(minutes), outcome: satisfaction > 2 ? 'satisfied' : 'unsatisfied', satisfaction, remarks: null, satisfied: satisfaction > 2 },
    }),
    reopened: (minutes: number, previousStatus: 'rejected' | 'resolved' | 'follow-up-required' | 'closed'): ComplaintEvent => ({
      type: 'ComplaintReopened', data: { ...base, reopenedAt: at(minutes), reason: 'again', previousStatus },
    }),
    visited: (minutes: number): ComplaintEvent => ({ type: 'OnSiteVisitRecorded', data: { ...base, visitedAt: at(minutes), notes: null } }),
    noted: (minutes: number, visibility: 'internal' | 'customer', firstReply = visibility === 'customer'): ComplaintEvent => ({
      type: 'ComplaintNoteAdded', data: { ...base, addedAt: at(minutes), visibility, channel: visibility === 'customer' ? 'phone' : null, text: 't', personal: null, firstReply },
    }),
    corrected: (minutes: number, from: Record<string, string | null>, to: Record<string, string | null>): ComplaintEvent => ({
      type: 'ComplaintCorrected', data: { ...base, correctedAt: at(minutes), reason: 'misfiled', changed: Object.keys(to) as never, from: from as never, to: to as never },
    }),
    breached: (clock: SlaClock, deadline: string, minutes: number): ComplaintEvent => ({
      type: 'SlaBreached', data: { complaintId, clock, deadline, detectedAt: at(minutes), by: { id: 'system:sla-monitor', role: 'system' } },
    }),
  };
}

type CustomerCommandOf<T extends CustomerFileCommand['type']> = Extract<CustomerFileCommand, { type: T }>;

/**
 * A customer file's events as the domain decides them: each step is a command decided on the file
 * as it stands (so the events are exactly what a handler would append), at T0 + minutes.
 */
export function customerFile(customerId: string) {
  const events: CustomerFileEvent[] = [];
  const step = <T extends CustomerFileCommand['type']>(type: T, data: CustomerCommandOf<T>['data'], minutes: number, actor: Actor = agent): CustomerFileEvent[] => {
    const decided = decideCustomerFile({ type, customerId, at: at(minutes), actor, data } as CustomerCommandOf<T>, foldCustomerFile(events));
    events.push(...decided);
    return decided;
  };
  return { events, step };
}
