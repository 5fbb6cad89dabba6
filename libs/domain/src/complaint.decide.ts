import type { ComplaintCommand, ComplaintCommandType, EscalateComplaint, RecordCallback } from './complaint.commands';
import {
  ComplaintAlreadyExistsError, ComplaintNotFoundError, IllegalTransitionError, InvalidComplaintCommandError,
} from './complaint.errors';
import type { ComplaintEvent, ComplaintEscalated, CallbackDone } from './complaint.events';
import { assertNever, type ComplaintState, type ComplaintStatus, type ExistingComplaint } from './complaint.state';
import { addDuration, parseDuration } from './duration';
import { slaTermsAt } from './sla-policy';

/**
 * decide(command, state) → events. Pure: the time, the ids, the actor and the SLA policy come
 * in with the command. A rule break throws one of the domain errors and yields no event.
 */
export function decide(command: ComplaintCommand, state: ComplaintState): ComplaintEvent[] {
  if (command.type === 'ReceiveComplaint') {
    if (state.status !== 'none') throw new ComplaintAlreadyExistsError(command.complaintId);
    const data = command.data;
    if (data.occurredAt !== undefined && Date.parse(data.occurredAt) > Date.parse(command.at)) {
      throw new InvalidComplaintCommandError('occurred-in-future', 'occurredAt', 'occurredAt cannot be after the time the complaint is received.');
    }
    if (parseDuration(command.data.policy.callback) === undefined) {
      throw new InvalidComplaintCommandError('invalid-policy', 'policy', `SLA policy ${command.data.policy.version} has invalid durations.`);
    }
    const severity = data.severity ?? 'medium';
    const onSiteRequired = data.onSiteRequired ?? false;
    return [
      {
        type: 'ComplaintReceived',
        data: {
          complaintId: command.complaintId,
          receivedAt: command.at,
          receivedBy: command.actor,
          customer: { id: data.customerId, name: data.customerName ?? null, segment: data.segment ?? null },
          channel: data.channel,
          cause: data.cause,
          behaviour: data.behaviour ?? null,
          purpose: data.purpose ?? null,
          severity,
          description: data.description,
          desiredOutcome: data.desiredOutcome ?? null,
          occurredAt: data.occurredAt ?? null,
          onSiteRequired,
          sla: slaTermsAt(data.policy, severity, command.at, onSiteRequired),
        },
      },
    ];
  }

  if (state.status === 'none') throw new ComplaintNotFoundError(command.complaintId);
  const base = { complaintId: command.complaintId, by: command.actor };

  switch (command.type) {
    case 'ValidateComplaint':
      requireStatus(command.type, state, ['received'], 'not-received', 'Only a received complaint can be judged well-founded.');
      return [{ type: 'ComplaintValidated', data: { ...base, validatedAt: command.at, reason: command.data.reason, evidence: command.data.evidence ?? null } }];

    case 'RejectComplaint':
      requireStatus(command.type, state, ['received'], 'not-received', 'Only a received complaint can be judged not well-founded.');
      return [{ type: 'ComplaintRejected', data: { ...base, rejectedAt: command.at, reason: command.data.reason } }];

    case 'AssignComplaint': {
      requireStatus(command.type, state, ['validated', 'assigned'], 'not-validated', 'Only a validated complaint can be assigned (or an assigned one reassigned).');
      const previous = state.status === 'assigned' ? state.assignment : null;
      if (previous && previous.department === command.data.department && previous.assignee === command.data.assignee) {
        throw new IllegalTransitionError('already-assigned', command.type, state.status, `The complaint is already assigned to ${previous.assignee} in ${previous.department}.`);
      }
      return [{
        type: 'ComplaintAssigned',
        data: { ...base, assignedAt: command.at, department: command.data.department, assignee: command.data.assignee, reason: command.data.reason ?? null, previous },
      }];
    }

    case 'ApologiseForComplaint':
      // The seeds want the apology early ("handle the feelings first"): allowed in every status.
      return [{
        type: 'ComplaintApologised',
        data: { ...base, apologisedAt: command.at, channel: command.data.channel, statement: command.data.statement, firstReply: state.firstReplyAt === null },
      }];

    case 'EscalateComplaint':
      return [escalate(command, state)];

    case 'ResolveComplaint': {
      requireStatus(command.type, state, ['assigned'], 'not-assigned', 'Only an assigned complaint can be resolved.');
      const data = command.data;
      return [{
        type: 'ComplaintResolved',
        data: {
          ...base,
          resolvedAt: command.at,
          resolutionClass: data.resolutionClass,
          remedy: data.remedy,
          rootCause: data.rootCause ?? null,
          correctiveAction: data.correctiveAction ?? null,
          customerAccepted: data.customerAccepted,
          callbackDue: addDuration(command.at, state.sla.durations.callback),
        },
      }];
    }

    case 'RecordCallback':
      return [callBack(command, state)];

    case 'ReopenComplaint': {
      if (state.status !== 'rejected' && state.status !== 'resolved' && state.status !== 'follow-up-required' && state.status !== 'closed') {
        throw new IllegalTransitionError('not-reopenable', command.type, state.status, 'Only a rejected, resolved or called-back complaint can be reopened.');
      }
      return [{ type: 'ComplaintReopened', data: { ...base, reopenedAt: command.at, reason: command.data.reason, previousStatus: state.status } }];
    }

    default:
      return assertNever(command);
  }
}

function requireStatus(
  command: ComplaintCommandType,
  state: ExistingComplaint,
  allowed: readonly ComplaintStatus[],
  code: string,
  message: string,
): void {
  if (!allowed.includes(state.status)) {
    throw new IllegalTransitionError(code, command, state.status, `${message} This complaint is ${state.status}.`);
  }
}

function escalate(command: EscalateComplaint, state: ExistingComplaint): ComplaintEscalated {
  switch (state.status) {
    case 'rejected':
    case 'closed':
      throw new IllegalTransitionError('not-escalatable', command.type, state.status, `A ${state.status} complaint cannot be escalated; reopen it first.`);
    case 'received':
    case 'validated':
    case 'assigned':
    case 'resolved':
    case 'follow-up-required':
      break;
    default:
      return assertNever(state);
  }
  const current = state.escalation?.level ?? 0;
  const level = command.data.level ?? current + 1;
  if (!Number.isInteger(level) || level < 1) {
    throw new InvalidComplaintCommandError('invalid-level', 'level', 'The escalation level must be a positive integer.');
  }
  if (level <= current) {
    throw new IllegalTransitionError('escalation-level-not-higher', command.type, state.status, `The complaint is already escalated to level ${current}; a new escalation must go higher.`);
  }
  const refused = state.status === 'resolved' && !state.resolution.customerAccepted;
  return {
    type: 'ComplaintEscalated',
    data: {
      complaintId: command.complaintId,
      escalatedAt: command.at,
      by: command.actor,
      to: command.data.to,
      level,
      reason: command.data.reason,
      trigger: refused ? 'resolution-refused' : 'authority',
    },
  };
}

function callBack(command: RecordCallback, state: ExistingComplaint): CallbackDone {
  if (state.status !== 'resolved') {
    throw new IllegalTransitionError('not-resolved', command.type, state.status, `Only a resolved complaint can be called back. This complaint is ${state.status}.`);
  }
  if (!state.resolution.customerAccepted && !state.refusalEscalated) {
    throw new IllegalTransitionError(
      'resolution-refused-not-escalated', command.type, state.status,
      'The customer refused the resolution: escalate the complaint before closing it with a callback.',
    );
  }
  const { satisfaction, outcome } = command.data;
  if (!Number.isInteger(satisfaction) || satisfaction < 1 || satisfaction > 5) {
    throw new InvalidComplaintCommandError('invalid-satisfaction', 'satisfaction', 'Satisfaction is an integer from 1 to 5.');
  }
  return {
    type: 'CallbackDone',
    data: {
      complaintId: command.complaintId,
      calledBackAt: command.at,
      by: command.actor,
      outcome,
      satisfaction,
      remarks: command.data.remarks ?? null,
      satisfied: satisfaction > 2 && outcome !== 'unsatisfied',
    },
  };
}
