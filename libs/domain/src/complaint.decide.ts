import type { ComplaintCommand, ComplaintCommandType, EscalateComplaint, RecordCallback, RecordSlaAtRisk, RecordSlaBreach } from './complaint.commands';
import {
  ComplaintAlreadyExistsError, ComplaintNotFoundError, IllegalTransitionError, InvalidComplaintCommandError, type IllegalTransitionCode,
} from './complaint.errors';
import type { CallbackDone, ComplaintEscalated, ComplaintEvent, SlaAtRisk, SlaBreached, SlaClock } from './complaint.events';
import { assertNever, type ComplaintState, type ComplaintStatus, type ExistingComplaint } from './complaint.state';
import { DEPARTMENT_CODE_RULE, isDepartmentCode, isReservedCode, RESERVED_ADVICE, reservedCodeMessage } from './department';
import { samePrincipal } from './principal';
import { parseDuration } from './duration';
import { deadlineAfter, slaTermsAt } from './sla-policy';
import { addAttachment, addNote, contactAtIntake, correct, updateContact } from './complaint.workspace';
import { linkDuplicate, relateComplaint, tagComplaint, unlinkDuplicate, unrelateComplaint } from './complaint.tags';
import { MEANINGFUL_TEXT_RULE, isMeaningfulText } from './visible-text';

/**
 * decide(command, state) → events. Pure: the time, the ids, the actor and the SLA policy come
 * in with the command. A rule break throws one of the domain errors and yields no event.
 */
export function decide(command: ComplaintCommand, state: ComplaintState): ComplaintEvent[] {
  for (const [field, text] of freeTextsOf(command)) {
    if (text !== undefined && text !== null && !isMeaningfulText(text)) throw new InvalidComplaintCommandError('blank-text', field, `${field} ${MEANINGFUL_TEXT_RULE}.`);
  }
  if (command.type === 'ReceiveComplaint') {
    if (state.status !== 'none') throw new ComplaintAlreadyExistsError(command.complaintId);
    const data = command.data;
    if (data.occurredAt !== undefined && Date.parse(data.occurredAt) > Date.parse(command.at)) {
      throw new InvalidComplaintCommandError('occurred-in-future', 'occurredAt', 'occurredAt cannot be after the time the complaint is received.');
    }
    if (command.data.policy.callback !== undefined && parseDuration(command.data.policy.callback) === undefined) {
      throw new InvalidComplaintCommandError('invalid-policy', 'policy', `SLA policy ${command.data.policy.version} has invalid durations.`);
    }
    const severity = data.severity ?? 'medium';
    const onSiteRequired = data.onSiteRequired ?? false;
    // Checked before anything is recorded: a bad phone refuses the whole intake.
    const contact = contactAtIntake(command.complaintId, command.at, command.actor, data.contact);
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
          description: data.descriptionIsPersonal === true ? null : data.description,
          desiredOutcome: data.desiredOutcome ?? null,
          occurredAt: data.occurredAt ?? null,
          onSiteRequired,
          sla: slaTermsAt(data.policy, severity, command.at, onSiteRequired),
          personal: data.descriptionIsPersonal === true ? { description: data.description } : null,
        },
      },
      ...(contact === null ? [] : [contact]),
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
      if (!isDepartmentCode(command.data.department)) {
        throw new InvalidComplaintCommandError('invalid-department', 'department', `department must be ${DEPARTMENT_CODE_RULE}.`);
      }
      // Also while the directory is empty (it checks nothing then): the statistics would merge this department or handler with the unassigned row.
      for (const field of ['department', 'assignee'] as const) {
        const value = command.data[field];
        if (isReservedCode(value)) {
          throw new InvalidComplaintCommandError('reserved-code', field, reservedCodeMessage(field, value, RESERVED_ADVICE[field]));
        }
      }
      const previous = state.status === 'assigned' ? state.assignment : null;
      if (previous && previous.department === command.data.department && samePrincipal(previous.assignee, command.data.assignee)) {
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
          callbackDue: state.sla.durations.callback === undefined ? null : deadlineAfter(command.at, state.sla.durations.callback, state.sla.calendar),
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

    case 'RecordOnSiteVisit':
      if (!state.onSiteRequired) {
        throw new IllegalTransitionError('on-site-not-required', command.type, state.status, 'This complaint was not received as needing an on-site visit.');
      }
      if (state.status === 'rejected' || state.status === 'closed') {
        throw new IllegalTransitionError('not-open', command.type, state.status, `A ${state.status} complaint takes no visit; reopen it first.`);
      }
      return [{ type: 'OnSiteVisitRecorded', data: { ...base, visitedAt: command.at, notes: command.data.notes ?? null } }];

    case 'RecordSlaBreach':
      return [recordBreach(command, state)];

    case 'RecordSlaAtRisk':
      return [recordAtRisk(command, state)];

    case 'AddComplaintNote':
      return [addNote(command, state)];

    case 'UpdateComplaintContact':
      return [updateContact(command, state)];

    case 'CorrectComplaint':
      return [correct(command, state)];

    case 'AddComplaintAttachment':
      return [addAttachment(command, state)];

    case 'TagComplaint':
      return [tagComplaint(command, state)];

    case 'RelateComplaint':
      return [relateComplaint(command, state)];

    case 'UnrelateComplaint':
      return [unrelateComplaint(command, state)];

    case 'LinkDuplicate':
      return linkDuplicate(command, state);

    case 'UnlinkDuplicate':
      return unlinkDuplicate(command, state);

    default:
      return assertNever(command);
  }
}

/** Deadline of a clock in this state, or null when the clock does not apply (yet). */
/**
 * The free texts a command records as given (issue 19): a blank one, spaces or invisible characters
 * alone, is refused whichever way the command came (HTTP, where Text refuses it first, the CLI, an
 * import). The workspace and tag commands check their own texts as they trim them.
 */
function freeTextsOf(command: ComplaintCommand): ReadonlyArray<readonly [string, string | null | undefined]> {
  switch (command.type) {
    case 'ReceiveComplaint':
      return [['customerName', command.data.customerName], ['description', command.data.description], ['desiredOutcome', command.data.desiredOutcome]];
    case 'ValidateComplaint':
      return [['reason', command.data.reason], ['evidence', command.data.evidence]];
    case 'RejectComplaint':
    case 'ReopenComplaint':
    case 'EscalateComplaint':
    case 'AssignComplaint':
      return [['reason', command.data.reason]];
    case 'ApologiseForComplaint':
      return [['statement', command.data.statement]];
    case 'ResolveComplaint':
      return [['rootCause', command.data.rootCause], ['correctiveAction', command.data.correctiveAction]];
    case 'RecordCallback':
      return [['remarks', command.data.remarks]];
    case 'RecordOnSiteVisit':
      return [['notes', command.data.notes]];
    case 'RecordSlaBreach':
    case 'RecordSlaAtRisk':
    case 'AddComplaintNote':
    case 'UpdateComplaintContact':
    case 'CorrectComplaint':
    case 'AddComplaintAttachment':
    case 'TagComplaint':
    case 'RelateComplaint':
    case 'UnrelateComplaint':
    case 'LinkDuplicate':
    case 'UnlinkDuplicate':
      return [];
    default:
      return assertNever(command);
  }
}

export function clockDeadline(state: ExistingComplaint, clock: SlaClock): string | null {
  switch (clock) {
    case 'first-reply':
      return state.sla.firstReplyDue;
    case 'answer':
      return state.sla.answerDue;
    case 'on-site':
      return state.sla.onSiteDue;
    case 'callback':
      return 'resolution' in state ? state.resolution.callbackDue : null;
    default:
      return assertNever(clock);
  }
}

/**
 * The SLA steps an event takes, with their times: the one rule every read model follows, as
 * clockMet does for the decider. An answer (a resolution or a rejection) is also a reply.
 */
export function clockStepsOf(event: ComplaintEvent): ReadonlyArray<{ readonly clock: SlaClock; readonly at: string }> {
  switch (event.type) {
    case 'ComplaintApologised':
      return [{ clock: 'first-reply', at: event.data.apologisedAt }];
    case 'ComplaintNoteAdded':
      // A reply sent to the customer is a reply; an internal note is not.
      return event.data.visibility === 'customer' ? [{ clock: 'first-reply', at: event.data.addedAt }] : [];
    case 'ComplaintRejected':
      return [{ clock: 'first-reply', at: event.data.rejectedAt }, { clock: 'answer', at: event.data.rejectedAt }];
    case 'ComplaintResolved':
      return [{ clock: 'first-reply', at: event.data.resolvedAt }, { clock: 'answer', at: event.data.resolvedAt }];
    case 'CallbackDone':
      return [{ clock: 'callback', at: event.data.calledBackAt }];
    case 'OnSiteVisitRecorded':
      return [{ clock: 'on-site', at: event.data.visitedAt }];
    default:
      return [];
  }
}

/** Whether the step a clock waits for has happened (an answer is also a reply). */
export function clockMet(state: ExistingComplaint, clock: SlaClock): boolean {
  switch (clock) {
    case 'first-reply':
      return state.firstReplyAt !== null || state.answeredAt !== null;
    case 'answer':
      return state.answeredAt !== null;
    case 'on-site':
      return state.visitedAt !== null;
    case 'callback':
      return state.status === 'follow-up-required' || state.status === 'closed';
    default:
      return assertNever(clock);
  }
}

function recordBreach(command: RecordSlaBreach, state: ExistingComplaint): SlaBreached {
  const { clock } = command.data;
  const deadline = clockDeadline(state, clock);
  if (deadline === null) throw new IllegalTransitionError('clock-not-running', command.type, state.status, `The ${clock} clock does not run for this complaint now.`);
  if (state.breaches.includes(clock)) throw new IllegalTransitionError('breach-already-recorded', command.type, state.status, `The ${clock} breach is already recorded.`);
  if (clockMet(state, clock)) throw new IllegalTransitionError('clock-met', command.type, state.status, `The ${clock} step has already happened.`);
  if (Date.parse(command.at) < Date.parse(deadline)) {
    throw new IllegalTransitionError('deadline-not-passed', command.type, state.status, `The ${clock} deadline ${deadline} has not passed.`);
  }
  return { type: 'SlaBreached', data: { complaintId: command.complaintId, clock, deadline, detectedAt: command.at, by: command.actor } };
}

function recordAtRisk(command: RecordSlaAtRisk, state: ExistingComplaint): SlaAtRisk {
  const { clock, leadTime } = command.data;
  const lead = parseDuration(leadTime);
  if (lead === undefined || lead <= 0) throw new InvalidComplaintCommandError('invalid-policy', 'leadTime', `The lead time of an SLA warning must be an ISO 8601 duration above zero (got ${leadTime}).`);
  const deadline = clockDeadline(state, clock);
  if (deadline === null) throw new IllegalTransitionError('clock-not-running', command.type, state.status, `The ${clock} clock does not run for this complaint now.`);
  if (clockMet(state, clock)) throw new IllegalTransitionError('clock-met', command.type, state.status, `The ${clock} step has already happened.`);
  if (state.warnings.includes(clock)) throw new IllegalTransitionError('at-risk-already-recorded', command.type, state.status, `The ${clock} warning is already recorded.`);
  const at = Date.parse(command.at);
  if (at >= Date.parse(deadline) || state.breaches.includes(clock)) {
    throw new IllegalTransitionError('deadline-passed', command.type, state.status, `The ${clock} deadline ${deadline} has passed: that is a breach, not a warning.`);
  }
  if (at < Date.parse(deadline) - lead) {
    throw new IllegalTransitionError('not-yet-at-risk', command.type, state.status, `The ${clock} deadline ${deadline} is more than ${leadTime} away.`);
  }
  return { type: 'SlaAtRisk', data: { complaintId: command.complaintId, clock, deadline, leadTime, warnedAt: command.at, by: command.actor } };
}

function requireStatus(
  command: ComplaintCommandType,
  state: ExistingComplaint,
  allowed: readonly ComplaintStatus[],
  code: IllegalTransitionCode,
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
  if (!isMeaningfulText(command.data.to)) throw new InvalidComplaintCommandError('blank-text', 'to', `to ${MEANINGFUL_TEXT_RULE}: name who takes the complaint over, a unit or an agent.`);
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
