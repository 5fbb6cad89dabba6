import { afterSalesLabel, type WorkOrderClock } from '../after-sales-taxonomy';
import { assertNever } from '../assert-never';
import { localDateOf } from '../business-calendar';
import { DEPARTMENT_CODE_RULE, isDepartmentCode } from '../department';
import { parseDuration } from '../duration';
import { MAX_MINOR_UNITS, compareMoney, formatMoney, moneyProblem, sumMoney, type Money } from '../money';
import { SERIAL_NUMBER_RULE, decideWarranty, isSerialNumber } from '../product';
import { activeEngineersOf, isServicePoint, personById, didYouMean, unitByCode, type Engineer, type ServiceNetworkState } from '../service-network';
import { validateSlaPolicy } from '../sla-policy';
import { MEANINGFUL_TEXT_RULE, isMeaningfulText } from '../visible-text';
import { surveyAnswerParts } from '../survey/survey.events';
import type {
  ConfirmQuote, DispatchWorkOrder, EscalateWorkOrder, QuoteRepair, RefuseQuote, RecordFee, RecordFindings, RecordRepairWork, RecordSurveyAnswer, RecordWorkOrderSlaBreach,
  ReopenWorkOrder, ReportFault, SendSurvey, WorkOrderCommand, WorkOrderCommandType,
} from './work-order.commands';
import {
  IllegalWorkOrderTransitionError, InvalidWorkOrderCommandError, WorkOrderAlreadyExistsError, WorkOrderNotFoundError,
  type InvalidWorkOrderCommand, type WorkOrderRefusal,
} from './work-order.errors';
import type { OpenWorkOrderStatus, PartUsed, QuoteLine, WorkOrderEvent } from './work-order.events';
import { cycleDeadlines, surveyDeadline, workOrderSlaTermsAt } from './work-order.sla-terms';
import { workOrderClockDeadline, workOrderClockMet, workOrderClockStepsOf } from './work-order.sla';
import { hasChargeableWork, type ExistingWorkOrder, type Quote, type WorkOrderState, type WorkOrderStatus } from './work-order.state';

/** Seed 002's performance review counts repeat repairs within 30 days. */
export const DEFAULT_REPEAT_REPAIR_WINDOW = 'P30D';
const PART_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const MAX_PART_QUANTITY = 10_000;

/**
 * decide(command, state) → events for one repair work order. Pure: the time, the actor and the
 * looked-up values (SLA policy, service network, product registry state) come in with the command.
 * A broken rule throws one of the work-order errors and yields no event.
 */
export function decideWorkOrder(command: WorkOrderCommand, state: WorkOrderState): WorkOrderEvent[] {
  const events = decideStep(command, state);
  return state.status === 'none' ? events : [...lateBreaches(command, state, events), ...events];
}

/**
 * The breaches a late step brings to light: a step taken after its clock's deadline, before the SLA
 * monitor recorded the breach (it runs every few seconds), would leave the order without the breach
 * that the statistics count from the step's time (an arrival 0.76 s late). The decision records it
 * with the step, before it, as the monitor would have — once per clock and cycle, as
 * RecordWorkOrderSlaBreach; detected at the command's time. Deterministic: the command's time
 * against the deadline in the state, never the clock of the machine.
 */
function lateBreaches(command: WorkOrderCommand, state: ExistingWorkOrder, events: readonly WorkOrderEvent[]): WorkOrderEvent[] {
  const seen = new Set<WorkOrderClock>();
  return events.flatMap(workOrderClockStepsOf).flatMap(({ clock, at }): WorkOrderEvent[] => {
    if (seen.has(clock)) return [];
    seen.add(clock);
    const deadline = workOrderClockDeadline(state, clock);
    if (deadline === null || state.breaches.includes(clock) || workOrderClockMet(state, clock) || Date.parse(at) <= Date.parse(deadline)) return [];
    return [{ type: 'WorkOrderSlaBreached', data: { workOrderId: command.workOrderId, clock, deadline, cycle: state.cycle.number, detectedAt: command.at, by: command.actor } }];
  });
}

function decideStep(command: WorkOrderCommand, state: WorkOrderState): WorkOrderEvent[] {
  for (const [field, text] of otherTextsOf(command)) {
    if (text !== undefined && !isMeaningfulText(text)) invalid('blank-text', field, `${field} ${MEANINGFUL_TEXT_RULE}.`);
  }
  if (command.type === 'ReportFault') {
    if (state.status !== 'none') throw new WorkOrderAlreadyExistsError(command.workOrderId);
    return [report(command)];
  }
  if (state.status === 'none') throw new WorkOrderNotFoundError(command.workOrderId);
  const base = { workOrderId: command.workOrderId, by: command.actor };

  switch (command.type) {
    case 'RecordCustomerContact':
      requireStatus(command.type, state, ['reported', 'dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely', 'signed-off']);
      return [{
        type: 'WorkOrderCustomerContacted',
        data: { ...base, contactedAt: command.at, channel: command.data.channel, notes: command.data.notes ?? null, firstContact: state.firstContactAt === null },
      }];

    case 'DispatchWorkOrder':
      return [dispatch(command, state)];

    case 'RecordRemoteDiagnosis': {
      requireStatus(command.type, state, ['dispatched', 'visit-scheduled']);
      if (state.repair.arrivedAt !== null) {
        refuse('already-visited', command.type, state, 'An engineer has been on site in this repair: record the findings there, not a remote diagnosis.');
      }
      required(command.data.findings, 'findings-required', 'findings', 'Say what the remote diagnosis found.');
      return [{ type: 'WorkOrderRemotelyDiagnosed', data: { ...base, diagnosedAt: command.at, outcome: command.data.outcome, findings: command.data.findings } }];
    }

    case 'ScheduleVisit': {
      requireStatus(command.type, state, ['dispatched', 'visit-scheduled']);
      const scheduledFor = futureInstant(command.data.scheduledFor, command.at, 'scheduledFor');
      const rescheduled = state.status === 'visit-scheduled';
      if (rescheduled) required(command.data.reason, 'reason-required', 'reason', 'Moving a scheduled visit needs a reason (the customer asked, the engineer is held up …).');
      return [{
        type: 'WorkOrderVisitScheduled',
        data: {
          ...base, scheduledAt: command.at, visitNumber: rescheduled ? state.visit.number : state.visitCount + 1, scheduledFor, rescheduled,
          reason: command.data.reason ?? null,
        },
      }];
    }

    case 'RecordArrival': {
      requireStatus(command.type, state, ['dispatched', 'visit-scheduled']);
      // An engineer may turn up without a visit scheduled (an urgent call nearby): that is a visit of its own.
      const visit = state.status === 'visit-scheduled' ? state.visit : { number: state.visitCount + 1, scheduledFor: null };
      return [{
        type: 'WorkOrderEngineerArrived',
        data: {
          ...base, arrivedAt: command.at, visitNumber: visit.number, scheduledFor: visit.scheduledFor, engineerId: state.dispatch.engineerId,
          notes: command.data.notes ?? null,
        },
      }];
    }

    case 'RecordFailedVisit': {
      requireStatus(command.type, state, ['visit-scheduled', 'on-site'], {
        dispatched: ['no-visit', 'No visit is scheduled or under way: schedule one instead.'],
      });
      const scheduledFor = futureInstant(command.data.nextVisitAt, command.at, 'nextVisitAt');
      return [{
        type: 'WorkOrderVisitFailed',
        data: {
          ...base, failedAt: command.at, visitNumber: state.visit.number, reason: command.data.reason, notes: command.data.notes ?? null,
          nextVisit: { visitNumber: state.visitCount + 1, scheduledFor },
        },
      }];
    }

    case 'RecordFindings':
      return recordFindings(command, state);

    case 'QuoteRepair':
      return [quote(command, state)];

    case 'ConfirmQuote': {
      requireStatus(command.type, state, ['dispatched', 'visit-scheduled', 'on-site']);
      const pending = answeredQuote(command, state);
      required(command.data.confirmedBy, 'confirmed-by-required', 'confirmedBy', 'Name the customer who confirmed the quote.');
      return [{
        type: 'WorkOrderQuoteConfirmed',
        data: { ...base, confirmedAt: command.at, quoteNumber: pending.number, total: pending.total, personal: { confirmedBy: command.data.confirmedBy }, channel: command.data.channel },
      }];
    }

    case 'RefuseQuote': {
      requireStatus(command.type, state, ['dispatched', 'visit-scheduled', 'on-site']);
      const pending = answeredQuote(command, state);
      required(command.data.reason, 'reason-required', 'reason', 'Record why the customer refused the quote.');
      const { continueWithFreeWork } = command.data;
      const refused: WorkOrderEvent = {
        type: 'WorkOrderQuoteRefused',
        data: { ...base, refusedAt: command.at, quoteNumber: pending.number, total: pending.total, reason: command.data.reason, continueWithFreeWork },
      };
      if (continueWithFreeWork) return [refused];
      // Refused and nothing free to do: the order closes without chargeable work (no survey clock: nothing was repaired).
      return [refused, { type: 'WorkOrderClosed', data: { ...base, closedAt: command.at, outcome: 'quote-refused', notes: command.data.reason, cycle: state.cycle.number, surveyDue: null } }];
    }

    case 'RecordRepairWork':
      return [recordWork(command, state)];

    case 'RecordFee':
      return [recordFee(command, state)];

    case 'RecordTest':
      requireStatus(command.type, state, ['on-site']);
      if (state.repair.work.length === 0) refuse('no-work-recorded', command.type, state, 'Test the work once it is done: no work is recorded yet.');
      return [{ type: 'WorkOrderTested', data: { ...base, testedAt: command.at, passed: command.data.passed, notes: command.data.notes ?? null } }];

    case 'RecordSignOff': {
      const notPassed: [WorkOrderRefusal, string] = ['test-not-passed', 'No sign-off before the test and commissioning have passed.'];
      requireStatus(command.type, state, ['on-site', 'fixed-remotely'], {
        dispatched: state.status === 'dispatched' && state.repair.lastTest?.passed ? undefined : notPassed,
        'visit-scheduled': state.status === 'visit-scheduled' && state.repair.lastTest?.passed ? undefined : notPassed,
      });
      if (state.status === 'on-site') {
        if (!state.repair.lastTest?.passed) refuse(notPassed[0], command.type, state, notPassed[1]);
        if (state.repair.quote?.status === 'pending') refuse('quote-pending', command.type, state, 'A quote is still waiting for the customer: confirm or refuse it before the sign-off.');
      }
      required(command.data.signedBy, 'signed-by-required', 'signedBy', 'Name the customer who signed (客户签字确认).');
      return [{ type: 'WorkOrderSignedOff', data: { ...base, signedOffAt: command.at, personal: { signedBy: command.data.signedBy }, remarks: command.data.remarks ?? null } }];
    }

    case 'HandOverWorkOrder': {
      const unsigned: [WorkOrderRefusal, string] = ['not-signed-off', 'The customer has not signed the work order yet (客户签字确认 comes before the hand-over).'];
      requireStatus(command.type, state, ['signed-off'], { dispatched: unsigned, 'visit-scheduled': unsigned, 'on-site': unsigned, 'fixed-remotely': unsigned });
      if (hasChargeableWork(state.repair) && state.repair.fee === null) {
        refuse('fee-not-recorded', command.type, state, 'Chargeable work was done under the confirmed quote: record the fee before the hand-over.');
      }
      const outcome = state.repair.remoteDiagnosis?.outcome === 'fixed-remotely' ? 'fixed-remotely' : 'repaired';
      return [{
        type: 'WorkOrderClosed',
        data: { ...base, closedAt: command.at, outcome, notes: command.data.notes ?? null, cycle: state.cycle.number, surveyDue: surveyDeadline(state.sla, command.at) },
      }];
    }

    case 'SendSurvey':
      return [sendSurvey(command, state)];

    case 'RecordSurveyAnswer':
      return [answerSurvey(command, state)];

    case 'CancelWorkOrder': {
      requireStatus(command.type, state, ['reported', 'dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely']);
      // Fees of every cycle: a reopen starts the repair over, not the money the customer paid.
      if (state.feesCharged.length > 0) {
        const fees = state.feesCharged.map((charged) => `${formatMoney(charged.amount)} in repair cycle ${charged.cycle}`).join(', ');
        refuse('fee-already-charged', command.type, state, `A fee has been charged on this order (${fees}): finish it, or settle the fee, rather than cancel it.`);
      }
      required(command.data.reason, 'reason-required', 'reason', 'Record why the order is cancelled.');
      return [{ type: 'WorkOrderCancelled', data: { ...base, cancelledAt: command.at, reason: command.data.reason, previousStatus: state.status as OpenWorkOrderStatus } }];
    }

    case 'ReopenWorkOrder':
      return reopen(command, state);

    case 'EscalateWorkOrder':
      return [escalate(command, state)];

    case 'LinkComplaint':
      required(command.data.complaintId, 'complaint-id-required', 'complaintId', 'Name the complaint to link.');
      if (state.linkedComplaintIds.includes(command.data.complaintId)) {
        refuse('already-linked', command.type, state, `Complaint ${command.data.complaintId} is already linked to this order.`);
      }
      return [{ type: 'WorkOrderLinkedToComplaint', data: { ...base, linkedAt: command.at, complaintId: command.data.complaintId, reason: command.data.reason ?? null } }];

    case 'RecordWorkOrderSlaBreach':
      return [recordBreach(command, state)];

    default:
      return assertNever(command);
  }
}

function report(command: ReportFault): WorkOrderEvent {
  const data = command.data;
  if (!isSerialNumber(data.product.serialNumber)) {
    invalid('invalid-serial-number', 'product.serialNumber', `A serial number is ${SERIAL_NUMBER_RULE}; got ${JSON.stringify(data.product.serialNumber)}.`);
  }
  if (data.region !== undefined && !isDepartmentCode(data.region)) invalid('invalid-region', 'region', `A region is ${DEPARTMENT_CODE_RULE}.`);
  required(data.faultDescription, 'description-required', 'faultDescription', 'Describe the fault as the customer reports it.');
  const problems = validateSlaPolicy(data.policy);
  if (problems.length > 0) invalid('invalid-policy', 'policy', `SLA policy ${String(data.policy.version)} cannot be used: ${problems.join('; ')}.`);
  const repeatRepairWindow = data.repeatRepairWindow ?? DEFAULT_REPEAT_REPAIR_WINDOW;
  const windowMs = parseDuration(repeatRepairWindow);
  if (!windowMs) {
    invalid('invalid-repeat-window', 'repeatRepairWindow', 'The repeat-repair window is a positive ISO 8601 duration in weeks, days or hours, such as P30D.');
  }
  if (windowMs > MAX_REPEAT_REPAIR_WINDOW_DAYS * 86_400_000) {
    invalid('invalid-repeat-window', 'repeatRepairWindow', `The repeat-repair window is at most a year (P${MAX_REPEAT_REPAIR_WINDOW_DAYS}D), like a repair's own warranty; ${repeatRepairWindow} is longer: check the digits.`);
  }
  const priority = data.priority ?? 'medium';
  return {
    type: 'WorkOrderReported',
    data: {
      workOrderId: command.workOrderId, reportedAt: command.at, reportedBy: command.actor, customerId: data.customerId,
      personal: { contact: data.contact, address: data.address }, region: data.region ?? null, product: data.product, faultDescription: data.faultDescription, channel: data.channel,
      priority, linkedComplaintId: data.complaintId ?? null, sla: workOrderSlaTermsAt(data.policy, priority, command.at), repeatRepairWindow,
    },
  };
}

/** Dispatch (派单/派工) to a service point and one of its active engineers, as the directory has them; a redispatch says why. */
function dispatch(command: DispatchWorkOrder, state: ExistingWorkOrder): WorkOrderEvent {
  requireStatus(command.type, state, ['reported', 'dispatched', 'visit-scheduled', 'on-site'], {
    'fixed-remotely': ['not-dispatchable', 'The fault was fixed remotely: there is nothing left to dispatch.'],
    'signed-off': ['not-dispatchable', 'The customer has signed the work order: there is nothing left to dispatch.'],
  });
  const { stationCode, engineerId, network } = command.data;
  const station = unitByCode(network.units, stationCode);
  if (!station) {
    const servicePoints = [...network.units.values()].filter(isServicePoint).map((unit) => unit.code);
    invalid('unknown-station', 'stationCode', `No service unit with code ${stationCode} in the service network${didYouMean(stationCode, servicePoints)}. GET /service-network lists the stations and their engineers.`);
  }
  if (!isServicePoint(station)) invalid('not-a-service-point', 'stationCode', `${stationCode} is the ${station.kind}; dispatch to a branch or a service station.`);
  const engineer = activeEngineerAt(network, station.code, engineerId);
  const previous = state.status === 'reported' ? null : { stationCode: state.dispatch.stationCode, engineerId: state.dispatch.engineerId };
  if (previous) {
    // The directory's ids (engineer.id): a redispatch to the same person spelt in another case is no move.
    if (previous.stationCode === station.code && previous.engineerId === engineer.id) {
      refuse('already-dispatched', command.type, state, `The order is already with ${engineer.id} at ${station.code}.`);
    }
    required(command.data.reason, 'reason-required', 'reason', 'A redispatch states its reason.');
  }
  return {
    type: 'WorkOrderDispatched',
    data: {
      workOrderId: command.workOrderId, dispatchedAt: command.at, by: command.actor, station: { code: station.code, name: station.name },
      engineer: { id: engineer.id, name: engineer.name }, reason: command.data.reason ?? null, previous,
    },
  };
}

/**
 * The findings on site, and with them the warranty decision computed from the product registry for
 * the day the fault was reported (in the business calendar's time zone). A repeat repair is judged on
 * the original report: the fault is the same fault.
 */
function recordFindings(command: RecordFindings, state: ExistingWorkOrder): WorkOrderEvent[] {
  requireStatus(command.type, state, ['on-site']);
  const { findings, faultCause, product } = command.data;
  required(findings, 'findings-required', 'findings', 'Say what was found on site.');
  const damageReason = faultCause === 'customer-damage' ? command.data.damageReason ?? '' : null;
  if (damageReason !== null) required(damageReason, 'damage-reason-required', 'damageReason', 'Damage caused by the customer excludes the warranty: record why it is the customer\'s.');
  if (product.status === 'registered' && product.serialNumber !== state.product.serialNumber) {
    invalid('product-mismatch', 'product', `The registry record is for ${product.serialNumber}, but this order is for ${state.product.serialNumber}.`);
  }
  const { quote } = state.repair;
  if (state.repair.work.length > 0 || (quote !== null && quote.status !== 'refused')) {
    refuse('findings-locked', command.type, state, 'Work or a quote already rests on the findings and the warranty decision: they can no longer change in this repair.');
  }
  const base = { workOrderId: command.workOrderId, by: command.actor };
  const decision = decideWarranty(product, localDateOf(state.reportedAt, state.sla.calendar.timeZone), faultCause, damageReason);
  return [
    { type: 'WorkOrderFindingsRecorded', data: { ...base, recordedAt: command.at, findings, faultCause, damageReason } },
    { type: 'WorkOrderWarrantyAssessed', data: { ...base, assessedAt: command.at, decision } },
  ];
}

/** A quote (报价) for what the warranty decision leaves chargeable, in one currency of integer minor units. */
function quote(command: QuoteRepair, state: ExistingWorkOrder): WorkOrderEvent {
  requireStatus(command.type, state, ['dispatched', 'visit-scheduled', 'on-site']);
  const { warranty, quote: current } = state.repair;
  if (warranty === null) refuse('warranty-not-assessed', command.type, state, 'Record the findings first: the quote follows the warranty decision.');
  if (warranty.chargeable.length === 0) refuse('covered-by-warranty', command.type, state, 'The warranty covers everything in this repair: there is nothing to quote.');
  if (current?.status === 'confirmed') refuse('quote-already-confirmed', command.type, state, `The customer has confirmed quote ${current.number}.`);
  const { lines } = command.data;
  if (lines.length === 0) invalid('quote-empty', 'lines', 'A quote has at least one line.');
  const amounts = lines.map((line, index) => {
    required(line.description, 'description-required', `lines[${index}].description`, 'Describe each quoted line.');
    const amount = positiveAmount(line.amount, `lines[${index}].amount`);
    if (!warranty.chargeable.includes(line.kind)) {
      refuse('charge-covered-by-warranty', command.type, state, `The warranty covers ${afterSalesLabel('chargeKind', line.kind).en.toLowerCase()} (${line.kind}) in this repair: it cannot be charged.`);
    }
    return amount;
  });
  if (new Set(amounts.map((amount) => amount.currency)).size > 1) invalid('mixed-currencies', 'lines', 'Every line of a quote is in the same currency.');
  // Each line is at most MAX_MINOR_UNITS, so this float sum is exact enough to compare with the bound.
  const units = amounts.reduce((sum, amount) => sum + amount.minorUnits, 0);
  if (units > MAX_MINOR_UNITS) {
    const bound = formatMoney({ currency: amounts[0]!.currency, minorUnits: MAX_MINOR_UNITS });
    invalid('invalid-money', 'lines', `The lines add up to more than a quote may total (${bound}, ${MAX_MINOR_UNITS} minor units): check the amounts.`);
  }
  const total = sumMoney(amounts as [Money, ...Money[]]);
  const quoted: QuoteLine[] = lines.map((line) => ({ kind: line.kind, description: line.description, amount: line.amount }));
  return {
    type: 'WorkOrderQuoted',
    data: {
      workOrderId: command.workOrderId, quotedAt: command.at, by: command.actor, quoteNumber: state.quoteCount + 1, lines: quoted, total,
      replaces: current?.status === 'pending' ? current.number : null,
    },
  };
}

function recordWork(command: RecordRepairWork, state: ExistingWorkOrder): WorkOrderEvent {
  requireStatus(command.type, state, ['on-site']);
  const { warranty, quote: current } = state.repair;
  if (warranty === null) refuse('findings-not-recorded', command.type, state, 'Record the findings (and with them the warranty decision) before the work.');
  required(command.data.description, 'description-required', 'description', 'Describe the work done.');
  const parts: PartUsed[] = command.data.parts.map((part, index) => {
    if (!PART_NUMBER.test(part.partNumber)) invalid('invalid-part-number', `parts[${index}].partNumber`, 'A part number is 1–64 letters, digits, . _ / or -.');
    if (!Number.isInteger(part.quantity) || part.quantity < 1 || part.quantity > MAX_PART_QUANTITY) {
      invalid('invalid-quantity', `parts[${index}].quantity`, `A quantity is a whole number from 1 to ${MAX_PART_QUANTITY}; got ${JSON.stringify(part.quantity)}.`);
    }
    return { partNumber: part.partNumber, name: part.name ?? null, quantity: part.quantity };
  });
  const { chargeable } = command.data;
  if (chargeable) {
    if (warranty.chargeable.length === 0) refuse('covered-by-warranty', command.type, state, 'The warranty covers everything in this repair: the work is free.');
    if (current?.status !== 'confirmed') refuse('quote-not-confirmed', command.type, state, 'No chargeable work before the customer has confirmed the quote.');
  }
  return {
    type: 'WorkOrderRepairWorkRecorded',
    data: {
      workOrderId: command.workOrderId, recordedAt: command.at, by: command.actor, description: command.data.description, parts, chargeable,
      quoteNumber: chargeable && current ? current.number : null,
    },
  };
}

/** The fee charged (收取相应的服务费用): only under a confirmed quote, for chargeable work done, never above the quote. */
function recordFee(command: RecordFee, state: ExistingWorkOrder): WorkOrderEvent {
  requireStatus(command.type, state, ['dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely', 'signed-off']);
  const { warranty, quote: current, fee } = state.repair;
  if (fee !== null) refuse('fee-already-charged', command.type, state, `A fee of ${formatMoney(fee.amount)} is already recorded.`);
  if (warranty === null) refuse('warranty-not-assessed', command.type, state, 'No fee without a warranty decision on the findings.');
  if (warranty.chargeable.length === 0) {
    refuse('fee-on-warranty-repair', command.type, state, `The repair is in warranty and the customer did not cause the damage: it is free (${afterSalesLabel('warrantyVerdict', warranty.verdict).en}).`);
  }
  if (current?.status !== 'confirmed') refuse('quote-not-confirmed', command.type, state, 'No fee before the customer has confirmed the quote.');
  if (!hasChargeableWork(state.repair)) refuse('no-chargeable-work', command.type, state, 'Record the chargeable work first: the fee is for work done under the confirmed quote.');
  const amount = positiveAmount(command.data.amount, 'amount');
  if (amount.currency !== current.total.currency) invalid('currency-mismatch', 'amount', `The quote is in ${current.total.currency}; charge the fee in it.`);
  if (compareMoney(amount, current.total) > 0) {
    refuse('fee-exceeds-quote', command.type, state, `The fee ${formatMoney(amount)} is above the ${formatMoney(current.total)} the customer confirmed.`);
  }
  return {
    type: 'WorkOrderFeeCharged',
    data: {
      workOrderId: command.workOrderId, chargedAt: command.at, by: command.actor, quoteNumber: current.number, amount, method: command.data.method,
      receiptNumber: command.data.receiptNumber ?? null,
    },
  };
}

function sendSurvey(command: SendSurvey, state: ExistingWorkOrder): WorkOrderEvent {
  if (state.status !== 'closed') refuse('not-closed', command.type, state, 'The satisfaction survey follows the hand-over (维修完成后客户满意度调查).');
  if (state.survey !== null) refuse('survey-already-sent', command.type, state, `Survey ${state.survey.surveyId} was sent at ${state.survey.sentAt}.`);
  const open = command.data.openSurvey;
  if (open && Date.parse(command.at) <= Date.parse(open.expiresAt)) {
    refuse('survey-already-open', command.type, state,
      `Survey ${open.surveyId} of this order (sent at ${open.sentAt}, POST /surveys) is still open until ${open.expiresAt}: record its answer or cancel it before sending another.`);
  }
  const { surveyId, questions } = command.data;
  if (!isDepartmentCode(surveyId)) invalid('invalid-survey-id', 'surveyId', `A survey id is ${DEPARTMENT_CODE_RULE}.`);
  if (questions.length === 0) invalid('questions-required', 'questions', 'A survey asks at least one question.');
  const seen = new Set<string>();
  questions.forEach((question, index) => {
    if (!isDepartmentCode(question.id)) invalid('invalid-question-id', `questions[${index}].id`, `A question id is ${DEPARTMENT_CODE_RULE}.`);
    if (seen.has(question.id)) invalid('duplicate-question', `questions[${index}].id`, `Question ${question.id} is asked twice.`);
    seen.add(question.id);
    required(question.text, 'question-text-required', `questions[${index}].text`, 'Each question has its text.');
  });
  return {
    type: 'WorkOrderSurveySent',
    data: { workOrderId: command.workOrderId, sentAt: command.at, by: command.actor, surveyId, channel: command.data.channel, questions: questions.map(({ id, text }) => ({ id, text })) },
  };
}

function answerSurvey(command: RecordSurveyAnswer, state: ExistingWorkOrder): WorkOrderEvent {
  if (state.status !== 'closed') refuse('not-closed', command.type, state, 'Only a closed order has a survey to answer.');
  const { survey } = state;
  if (survey === null) refuse('survey-not-sent', command.type, state, 'No survey has been sent for this order.');
  if (survey.answer !== null) refuse('survey-already-answered', command.type, state, `Survey ${survey.surveyId} was answered at ${survey.answer.answeredAt}.`);
  const { answers } = command.data;
  if (answers.length === 0) invalid('answers-required', 'answers', 'An answer scores at least one question.');
  const answered = new Set<string>();
  const recorded = answers.map((answer, index) => {
    if (!survey.questions.some((question) => question.id === answer.questionId)) {
      invalid('unknown-question', `answers[${index}].questionId`, `Survey ${survey.surveyId} has no question ${answer.questionId}.`);
    }
    if (answered.has(answer.questionId)) invalid('duplicate-answer', `answers[${index}].questionId`, `Question ${answer.questionId} is answered twice.`);
    answered.add(answer.questionId);
    if (!Number.isInteger(answer.score) || answer.score < 1 || answer.score > 5) invalid('invalid-score', `answers[${index}].score`, 'A score is a whole number from 1 to 5.');
    return { questionId: answer.questionId, score: answer.score, comment: answer.comment ?? null };
  });
  return {
    type: 'WorkOrderSurveyAnswered',
    // The comments under personal, sealed with the customer's key (v2, issue 19; docs/adr/0019).
    data: { workOrderId: command.workOrderId, answeredAt: command.at, by: command.actor, surveyId: survey.surveyId, ...surveyAnswerParts(recorded, command.data.comment ?? null) },
  };
}

/** An engineer of the service point who is still active, or the error that says which of these it is not. */
function activeEngineerAt(network: ServiceNetworkState, stationCode: string, engineerId: string): Engineer {
  // Named as the directory tells ids apart (ENG.ZHOU is eng.zhou); the event records the directory's spelling.
  const engineer = personById(network.engineers, engineerId);
  if (!engineer) invalid('unknown-engineer', 'engineerId', `No engineer with id ${engineerId} in the service network.`);
  if (engineer.station !== stationCode) invalid('engineer-not-at-station', 'engineerId', `Engineer ${engineerId} works from ${engineer.station}, not ${stationCode}.`);
  if (!engineer.active) invalid('engineer-inactive', 'engineerId', `Engineer ${engineerId} is no longer active.`);
  return engineer;
}

/**
 * A repeat repair: the fault returned within the window after the hand-over; later it is a new order.
 * It goes back to the engineer who did the repair (they know the fault). One who has left cannot take
 * it, and the order is never left with nobody (the on-site clock starts at the reopen, and 派工 always
 * names a person): the reopen then names another active engineer of the station, which redispatches.
 */
function reopen(command: ReopenWorkOrder, state: ExistingWorkOrder): WorkOrderEvent[] {
  if (state.status !== 'closed' || state.closure.outcome === 'quote-refused') {
    const why = state.status === 'cancelled' ? 'A cancelled order is not reopened: open a new work order.'
      : state.status === 'closed' ? 'Nothing was repaired on this order (the customer refused the quote): open a new work order.'
      : 'The order is still open.';
    refuse('not-reopenable', command.type, state, why);
  }
  const windowMs = parseDuration(state.repeatRepairWindow) ?? 0;
  const elapsedMs = Date.parse(command.at) - Date.parse(state.closure.closedAt);
  if (elapsedMs > windowMs) {
    refuse(
      'repeat-window-passed', command.type, state,
      `The order was handed over at ${state.closure.closedAt}; a returning fault reopens it only within ${state.repeatRepairWindow}. Open a new work order for this fault.`,
    );
  }
  required(command.data.reason, 'reason-required', 'reason', 'Say how the fault came back.');
  const { engineerId, network } = command.data;
  const { stationCode, engineerId: previousEngineer } = state.dispatch;
  const reopened: WorkOrderEvent = {
    type: 'WorkOrderReopened',
    data: {
      workOrderId: command.workOrderId, reopenedAt: command.at, by: command.actor, reason: command.data.reason, cycle: state.cycle.number + 1,
      previousClosedAt: state.closure.closedAt, ...cycleDeadlines(state.sla, command.at),
    },
  };
  if (engineerId === undefined) {
    if (network.engineers.get(previousEngineer)?.active !== true) {
      const active = activeEngineersOf(network, stationCode).map((engineer) => engineer.id);
      refuse(
        'engineer-no-longer-active', command.type, state,
        `${previousEngineer}, who did the repair, is no longer active: reopen with engineerId, an active engineer of ${stationCode} (${active.length > 0 ? active.join(', ') : 'it has none: add one first'}).`,
      );
    }
    return [reopened];
  }
  const engineer = activeEngineerAt(network, stationCode, engineerId);
  if (engineer.id === previousEngineer) return [reopened];
  // Moving the order off an engineer who is still there is a redispatch, a supervisor's decision with its reason.
  if (network.engineers.get(previousEngineer)?.active === true) {
    refuse('already-dispatched', command.type, state, `The repeat repair goes back to ${previousEngineer}, who did the repair and is active: reopen without engineerId, then redispatch with a reason if it should move.`);
  }
  const station = network.units.get(stationCode);
  return [reopened, {
    type: 'WorkOrderDispatched',
    data: {
      workOrderId: command.workOrderId, dispatchedAt: command.at, by: command.actor, station: { code: stationCode, name: station?.name ?? state.dispatch.stationName },
      engineer: { id: engineer.id, name: engineer.name }, reason: `Reopened for a repeat repair (${command.data.reason}); ${previousEngineer} is no longer active.`,
      previous: { stationCode, engineerId: previousEngineer },
    },
  }];
}

function escalate(command: EscalateWorkOrder, state: ExistingWorkOrder): WorkOrderEvent {
  if (state.status === 'closed' || state.status === 'cancelled') {
    refuse('not-escalatable', command.type, state, `A ${state.status} order cannot be escalated${state.status === 'closed' ? '; reopen it if the fault returned' : ''}.`);
  }
  const current = state.escalation?.level ?? 0;
  const level = command.data.level ?? current + 1;
  if (!Number.isInteger(level) || level < 1) invalid('invalid-level', 'level', 'The escalation level is a positive whole number.');
  if (level <= current) refuse('escalation-level-not-higher', command.type, state, `The order is already escalated to level ${current}; a new escalation goes higher.`);
  required(command.data.to, 'escalation-target-required', 'to', 'Name whom the order is escalated to.');
  required(command.data.reason, 'reason-required', 'reason', 'An escalation states its reason.');
  const { clock } = command.data;
  let deadline: string | null = null;
  if (clock !== undefined) {
    deadline = runningDeadline(command.type, state, clock);
  }
  return {
    type: 'WorkOrderEscalated',
    data: {
      workOrderId: command.workOrderId, escalatedAt: command.at, by: command.actor, to: command.data.to, level, reason: command.data.reason,
      trigger: clock === undefined ? 'authority' : 'sla-at-risk', clock: clock ?? null, deadline,
    },
  };
}

function recordBreach(command: RecordWorkOrderSlaBreach, state: ExistingWorkOrder): WorkOrderEvent {
  const { clock } = command.data;
  if (state.breaches.includes(clock)) refuse('breach-already-recorded', command.type, state, `The ${clock} breach is already recorded.`);
  const deadline = runningDeadline(command.type, state, clock);
  if (Date.parse(command.at) < Date.parse(deadline)) refuse('deadline-not-passed', command.type, state, `The ${clock} deadline ${deadline} has not passed.`);
  return { type: 'WorkOrderSlaBreached', data: { workOrderId: command.workOrderId, clock, deadline, cycle: state.cycle.number, detectedAt: command.at, by: command.actor } };
}

/** The deadline of a clock that runs and whose step has not happened; refused otherwise. */
function runningDeadline(command: WorkOrderCommandType, state: ExistingWorkOrder, clock: WorkOrderClock): string {
  const deadline = workOrderClockDeadline(state, clock);
  if (deadline === null) refuse('clock-not-running', command, state, `The ${clock} clock does not run for this order now.`);
  if (workOrderClockMet(state, clock)) refuse('clock-met', command, state, `The ${clock} step has already happened.`);
  return deadline;
}

/** Why a status refuses a command when the command says nothing more precise. */
const STATUS_REFUSALS: Record<Exclude<WorkOrderStatus, 'none'>, [WorkOrderRefusal, string]> = {
  reported: ['not-dispatched', 'No on-site work before dispatch: dispatch the order to a station and an engineer first.'],
  dispatched: ['not-on-site', 'The engineer is not on site: record the arrival first.'],
  'visit-scheduled': ['not-on-site', 'The engineer is not on site: record the arrival first.'],
  'on-site': ['already-on-site', 'The engineer is already on site.'],
  'fixed-remotely': ['already-fixed', 'The fault was fixed remotely: the customer\'s confirmation is next.'],
  'signed-off': ['already-signed-off', 'The customer has signed the work order: only the hand-over is left.'],
  closed: ['not-open', 'The order is closed; reopen it if the fault returned.'],
  cancelled: ['not-open', 'The order is cancelled.'],
};

function requireStatus<S extends ExistingWorkOrder['status']>(
  command: WorkOrderCommandType,
  state: ExistingWorkOrder,
  allowed: readonly S[],
  overrides: Partial<Record<ExistingWorkOrder['status'], [WorkOrderRefusal, string] | undefined>> = {},
): asserts state is Extract<ExistingWorkOrder, { status: S }> {
  if ((allowed as readonly string[]).includes(state.status)) return;
  const [code, message] = overrides[state.status] ?? STATUS_REFUSALS[state.status];
  refuse(code, command, state, message);
}

/**
 * The pending quote the customer's answer names. A quote replaces a pending one, so an answer without
 * its number would settle whichever quote came last (¥480.00 accepted, ¥48,000.00 confirmed): the
 * answer names the quote the customer saw, and one that a later quote replaced is refused, naming the
 * current one for the desk to put to the customer.
 */
function answeredQuote(command: ConfirmQuote | RefuseQuote, state: Extract<ExistingWorkOrder, { status: 'dispatched' | 'visit-scheduled' | 'on-site' }>): Quote {
  const pending = state.repair.quote;
  if (pending?.status !== 'pending') refuse('no-pending-quote', command.type, state, 'There is no quote waiting for the customer.');
  const { quoteNumber } = command.data;
  if (quoteNumber === pending.number) return pending;
  if (Number.isSafeInteger(quoteNumber) && quoteNumber >= 1 && quoteNumber < pending.number) {
    refuse('quote-superseded', command.type, state,
      `Quote #${quoteNumber} was replaced by quote #${pending.number} (${formatMoney(pending.total)}), which is the one waiting for the customer: put quote #${pending.number} to the customer and send their answer with quoteNumber ${pending.number}.`);
  }
  invalid('unknown-quote', 'quoteNumber', `This order has no quote #${quoteNumber}; the quote waiting for the customer is #${pending.number} (${formatMoney(pending.total)}).`);
}

/**
 * The texts a command records as given that no rule of its own checks (issue 19: notes of spaces
 * alone were recorded on an arrival, a test, a hand-over): blank ones are refused, whichever way
 * the command came (HTTP, where Text refuses them first, the CLI, an import). Required texts with a
 * code of their own (findings-required …) are checked where they are decided.
 */
function otherTextsOf(command: WorkOrderCommand): ReadonlyArray<readonly [string, string | undefined]> {
  switch (command.type) {
    case 'ReportFault':
      return [['address', command.data.address], ['contact.name', command.data.contact.name]];
    case 'RecordCustomerContact':
    case 'RecordArrival':
    case 'RecordFailedVisit':
    case 'RecordTest':
    case 'HandOverWorkOrder':
      return [['notes', command.data.notes]];
    case 'RecordSignOff':
      return [['remarks', command.data.remarks]];
    case 'RecordFee':
      return [['receiptNumber', command.data.receiptNumber]];
    case 'RecordRepairWork':
      return command.data.parts.map((part, index) => [`parts[${index}].name`, part.name] as const);
    case 'RecordSurveyAnswer':
      return [['comment', command.data.comment], ...command.data.answers.map((answer, index) => [`answers[${index}].comment`, answer.comment] as const)];
    case 'DispatchWorkOrder':
    case 'RecordRemoteDiagnosis':
    case 'ScheduleVisit':
    case 'RecordFindings':
    case 'QuoteRepair':
    case 'ConfirmQuote':
    case 'RefuseQuote':
    case 'SendSurvey':
    case 'CancelWorkOrder':
    case 'ReopenWorkOrder':
    case 'EscalateWorkOrder':
    case 'LinkComplaint':
    case 'RecordWorkOrderSlaBreach':
      return [];
    default:
      return assertNever(command);
  }
}

function refuse(code: WorkOrderRefusal, command: WorkOrderCommandType, state: ExistingWorkOrder, message: string): never {
  throw new IllegalWorkOrderTransitionError(code, command, state.status, `${message} This order is ${state.status}.`);
}

function invalid(code: InvalidWorkOrderCommand, field: string, message: string): never {
  throw new InvalidWorkOrderCommandError(code, field, message);
}

function required(text: string | undefined, code: InvalidWorkOrderCommand, field: string, message: string): asserts text is string {
  if (text === undefined || !isMeaningfulText(text)) invalid(code, field, message);
}

function positiveAmount(candidate: Money, field: string): Money {
  const problem = moneyProblem(candidate);
  if (problem) invalid('invalid-money', field, problem.message);
  if (candidate.minorUnits === 0) invalid('invalid-amount', field, 'An amount charged or quoted is more than zero.');
  return candidate;
}

/** The longest repeat-repair window: a year (a leap one included), the longest a repair's own warranty usually runs; after it a returning fault is a new order. */
export const MAX_REPEAT_REPAIR_WINDOW_DAYS = 366;

/** How far ahead a visit may be scheduled: a year, so that a mistyped year (2062 for 2026, 9999) is caught when it is typed. */
export const MAX_VISIT_LEAD_DAYS = 366;
const MAX_VISIT_LEAD_MS = MAX_VISIT_LEAD_DAYS * 24 * 3_600_000;

/** A time the command names, as an ISO instant in UTC, from the command's own time to a year after it. */
function futureInstant(text: string, now: string, field: string): string {
  const instant = Date.parse(text);
  if (!Number.isFinite(instant)) invalid('invalid-time', field, `${field} is an ISO 8601 date-time with its offset, e.g. 2026-03-03T09:00:00+08:00.`);
  if (instant < Date.parse(now)) invalid('visit-in-past', field, `${field} is before now (${now}).`);
  const latest = new Date(Date.parse(now) + MAX_VISIT_LEAD_MS).toISOString();
  if (instant > Date.parse(latest)) {
    invalid('visit-too-far-ahead', field, `${field} (${new Date(instant).toISOString()}) is more than a year after now (${now}): a visit is scheduled at most a year ahead (${MAX_VISIT_LEAD_DAYS} days, until ${latest}); check the year.`);
  }
  return new Date(instant).toISOString();
}
