import type { ComplaintCommand } from '../complaint.commands';
import type { ComplaintEvent } from '../complaint.events';
import type { Actor } from '../principal';
import { DEFAULT_SLA_POLICY, slaTermsAt } from '../sla-policy';

/** Fixed ids, actors and clock for domain specs. */
export const complaintId = '7d4c2a8e-0b6f-4c1a-9f3e-2a1b3c4d5e6f';
export const agent: Actor = { id: 'agent-li', role: 'agent' };
export const supervisor: Actor = { id: 'sup-wang', role: 'supervisor' };
export const T0 = '2026-03-02T08:00:00.000Z';
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

type CommandOf<T extends ComplaintCommand['type']> = Extract<ComplaintCommand, { type: T }>;
export function command<T extends ComplaintCommand['type']>(type: T, data: CommandOf<T>['data'], minutes = 10, actor: Actor = supervisor): CommandOf<T> {
  return { type, complaintId, at: at(minutes), actor, data } as CommandOf<T>;
}

export const receive = (overrides: Partial<CommandOf<'ReceiveComplaint'>['data']> = {}) =>
  command('ReceiveComplaint', {
    customerId: 'cust-001', channel: 'phone', cause: 'product-quality', description: 'The pump stopped at 20 litres.',
    policy: DEFAULT_SLA_POLICY, ...overrides,
  }, 0, agent);

export const received: ComplaintEvent = {
  type: 'ComplaintReceived',
  data: {
    complaintId, receivedAt: T0, receivedBy: agent,
    customer: { id: 'cust-001', name: null, segment: null }, channel: 'phone', cause: 'product-quality',
    behaviour: null, purpose: null, severity: 'medium', description: 'The pump stopped at 20 litres.',
    desiredOutcome: null, occurredAt: null, onSiteRequired: false,
    sla: slaTermsAt(DEFAULT_SLA_POLICY, 'medium', T0, false), personal: null,
  },
};
export const validated: ComplaintEvent = {
  type: 'ComplaintValidated', data: { complaintId, validatedAt: at(10), by: supervisor, reason: 'meter log confirms', evidence: null },
};
export const rejected: ComplaintEvent = {
  type: 'ComplaintRejected', data: { complaintId, rejectedAt: at(10), by: supervisor, reason: 'meter calibrated yesterday' },
};
export const assigned: ComplaintEvent = {
  type: 'ComplaintAssigned',
  data: { complaintId, assignedAt: at(20), by: supervisor, department: 'station-ops', assignee: 'zhang', reason: null, previous: null },
};
export const resolvedAccepted: ComplaintEvent = {
  type: 'ComplaintResolved',
  data: {
    complaintId, resolvedAt: at(60), by: agent, resolutionClass: 'immediate', remedy: 'refund', rootCause: null,
    correctiveAction: null, customerAccepted: true, callbackDue: at(60 + 48 * 60),
  },
};
export const resolvedRefused: ComplaintEvent = {
  type: 'ComplaintResolved',
  data: { ...(resolvedAccepted.data as Extract<ComplaintEvent, { type: 'ComplaintResolved' }>['data']), customerAccepted: false },
};
export const calledBackSatisfied: ComplaintEvent = {
  type: 'CallbackDone',
  data: { complaintId, calledBackAt: at(120), by: agent, outcome: 'satisfied', satisfaction: 5, remarks: null, satisfied: true },
};
export const calledBackUnsatisfied: ComplaintEvent = {
  type: 'CallbackDone',
  data: { complaintId, calledBackAt: at(120), by: agent, outcome: 'unsatisfied', satisfaction: 2, remarks: null, satisfied: false },
};
