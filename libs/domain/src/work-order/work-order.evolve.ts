import { assertNever } from '../assert-never';
import { satisfactionSurveyAnswerOf } from '../survey/survey.events';
import type { WorkOrderEvent } from './work-order.events';
import {
  NO_REPAIR_PROGRESS, initialWorkOrderState, type Dispatch, type ExistingWorkOrder, type RepairProgress, type WorkOrderCore, type WorkOrderState,
} from './work-order.state';

// evolve() is total: history is fact, so an event that would not be decided today (imported or
// legacy history) still folds into the closest sensible state instead of throwing.
const UNKNOWN_DISPATCH: Dispatch = { stationCode: 'unknown', stationName: { 'zh-CN': '未知', en: 'unknown' }, engineerId: 'unknown', engineerName: 'unknown', dispatchedAt: '' };

export function evolveWorkOrder(state: WorkOrderState, event: WorkOrderEvent): WorkOrderState {
  if (event.type === 'WorkOrderReported') {
    const data = event.data;
    return {
      status: 'reported',
      id: data.workOrderId,
      customerId: data.customerId,
      // Unknown once the customer's personal data were erased (the key is gone).
      contact: data.personal?.contact ?? null,
      address: data.personal?.address ?? null,
      region: data.region,
      product: data.product,
      faultDescription: data.faultDescription,
      channel: data.channel,
      priority: data.priority,
      reportedAt: data.reportedAt,
      reportedBy: data.reportedBy,
      sla: data.sla,
      repeatRepairWindow: data.repeatRepairWindow,
      linkedComplaintIds: data.linkedComplaintId === null ? [] : [data.linkedComplaintId],
      firstContactAt: null,
      escalation: null,
      cycle: { number: 1, startedAt: data.reportedAt, onSiteDue: data.sla.onSiteDue, completionDue: data.sla.completionDue },
      breaches: [],
      visitCount: 0,
      quoteCount: 0,
      feesCharged: [],
    };
  }
  if (state.status === 'none') return state;
  const core = coreOf(state);

  switch (event.type) {
    case 'WorkOrderCustomerContacted':
      return { ...state, firstContactAt: state.firstContactAt ?? event.data.contactedAt };
    case 'WorkOrderDispatched': {
      const { station, engineer, dispatchedAt } = event.data;
      const dispatch: Dispatch = { stationCode: station.code, stationName: station.name, engineerId: engineer.id, engineerName: engineer.name, dispatchedAt };
      if (state.status === 'cancelled') return { ...state, dispatch };
      // A redispatch drops a scheduled visit (the new engineer agrees their own) but keeps what the repair has found.
      return { ...core, status: 'dispatched', dispatch, repair: repairOf(state) };
    }
    case 'WorkOrderRemotelyDiagnosed': {
      const { outcome, findings, diagnosedAt } = event.data;
      const contacted = { firstContactAt: state.firstContactAt ?? diagnosedAt };
      const repair = { ...repairOf(state), remoteDiagnosis: { outcome, findings, at: diagnosedAt } };
      if (outcome === 'fixed-remotely') return { ...core, ...contacted, status: 'fixed-remotely', dispatch: dispatchOf(state), repair };
      return 'repair' in state ? { ...state, ...contacted, repair } : { ...core, ...contacted, status: 'dispatched', dispatch: dispatchOf(state), repair };
    }
    case 'WorkOrderVisitScheduled': {
      const { visitNumber, scheduledFor, scheduledAt } = event.data;
      return {
        ...core, firstContactAt: state.firstContactAt ?? scheduledAt, visitCount: Math.max(core.visitCount, visitNumber),
        status: 'visit-scheduled', dispatch: dispatchOf(state), repair: repairOf(state), visit: { number: visitNumber, scheduledFor },
      };
    }
    case 'WorkOrderEngineerArrived': {
      const { visitNumber, scheduledFor, arrivedAt } = event.data;
      const repair = repairOf(state);
      return {
        ...core, firstContactAt: state.firstContactAt ?? arrivedAt, visitCount: Math.max(core.visitCount, visitNumber),
        status: 'on-site', dispatch: dispatchOf(state), repair: { ...repair, arrivedAt: repair.arrivedAt ?? arrivedAt },
        visit: { number: visitNumber, scheduledFor, arrivedAt },
      };
    }
    case 'WorkOrderVisitFailed': {
      const { visitNumber, scheduledFor } = event.data.nextVisit;
      return {
        ...core, visitCount: Math.max(core.visitCount, visitNumber),
        status: 'visit-scheduled', dispatch: dispatchOf(state), repair: repairOf(state), visit: { number: visitNumber, scheduledFor },
      };
    }
    case 'WorkOrderFindingsRecorded': {
      const { findings, faultCause, damageReason, recordedAt } = event.data;
      return withRepair(state, (repair) => ({ ...repair, findings: { text: findings, faultCause, damageReason, at: recordedAt } }));
    }
    case 'WorkOrderWarrantyAssessed':
      return withRepair(state, (repair) => ({ ...repair, warranty: event.data.decision }));
    case 'WorkOrderQuoted': {
      const { quoteNumber, lines, total } = event.data;
      const quoted = withRepair(state, (repair) => ({ ...repair, quote: { number: quoteNumber, lines, total, status: 'pending' } }));
      return quoted.status === 'none' ? quoted : { ...quoted, quoteCount: Math.max(quoted.quoteCount, quoteNumber) };
    }
    case 'WorkOrderQuoteConfirmed':
    case 'WorkOrderQuoteRefused': {
      const { quoteNumber, total } = event.data;
      const status = event.type === 'WorkOrderQuoteConfirmed' ? 'confirmed' : 'refused';
      return withRepair(state, (repair) => ({
        ...repair,
        quote: repair.quote?.number === quoteNumber ? { ...repair.quote, status } : { number: quoteNumber, lines: [], total, status },
      }));
    }
    case 'WorkOrderRepairWorkRecorded': {
      const { description, parts, chargeable, recordedAt } = event.data;
      // New work needs a new test before the customer signs.
      return withRepair(state, (repair) => ({ ...repair, work: [...repair.work, { description, parts, chargeable, recordedAt }], lastTest: null }));
    }
    case 'WorkOrderFeeCharged': {
      const { amount, quoteNumber, chargedAt } = event.data;
      const charged = withRepair(state, (repair) => ({ ...repair, fee: { amount, quoteNumber, at: chargedAt } }));
      return charged.status === 'none' ? charged : { ...charged, feesCharged: [...core.feesCharged, { cycle: core.cycle.number, amount, quoteNumber, at: chargedAt }] };
    }
    case 'WorkOrderTested':
      return withRepair(state, (repair) => ({ ...repair, lastTest: { passed: event.data.passed, at: event.data.testedAt } }));
    case 'WorkOrderSignedOff':
      return { ...core, status: 'signed-off', dispatch: dispatchOf(state), repair: repairOf(state), signOff: { signedBy: event.data.personal?.signedBy ?? null, at: event.data.signedOffAt } };
    case 'WorkOrderClosed': {
      const { outcome, closedAt, surveyDue } = event.data;
      return { ...core, status: 'closed', dispatch: dispatchOf(state), repair: repairOf(state), closure: { outcome, closedAt, surveyDue }, survey: null };
    }
    case 'WorkOrderSurveySent': {
      if (state.status !== 'closed') return state;
      const { surveyId, channel, sentAt, questions } = event.data;
      return { ...state, survey: { surveyId, channel, sentAt, questions, answer: null } };
    }
    case 'WorkOrderSurveyAnswered': {
      if (state.status !== 'closed' || state.survey === null) return state;
      const { answers, comment, answeredAt } = satisfactionSurveyAnswerOf(event.data);
      return { ...state, survey: { ...state.survey, answer: { answers, comment, answeredAt } } };
    }
    case 'WorkOrderCancelled':
      return { ...core, status: 'cancelled', dispatch: 'dispatch' in state ? state.dispatch : null, cancellation: { reason: event.data.reason, at: event.data.cancelledAt } };
    case 'WorkOrderReopened': {
      const { cycle, reopenedAt, onSiteDue, completionDue } = event.data;
      // A repeat repair starts over with the same engineer; the first-contact breach, if any, stays on the order.
      return {
        ...core, cycle: { number: cycle, startedAt: reopenedAt, onSiteDue, completionDue }, breaches: core.breaches.filter((clock) => clock === 'first-contact'),
        status: 'dispatched', dispatch: dispatchOf(state), repair: NO_REPAIR_PROGRESS,
      };
    }
    case 'WorkOrderEscalated':
      return { ...state, escalation: { level: event.data.level, to: event.data.to, at: event.data.escalatedAt } };
    case 'WorkOrderLinkedToComplaint':
      return state.linkedComplaintIds.includes(event.data.complaintId) ? state : { ...state, linkedComplaintIds: [...state.linkedComplaintIds, event.data.complaintId] };
    case 'WorkOrderSlaBreached':
      return state.breaches.includes(event.data.clock) ? state : { ...state, breaches: [...state.breaches, event.data.clock] };
    default:
      return assertNever(event);
  }
}

export function foldWorkOrder(events: Iterable<WorkOrderEvent>, state: WorkOrderState = initialWorkOrderState): WorkOrderState {
  let current = state;
  for (const event of events) current = evolveWorkOrder(current, event);
  return current;
}

function coreOf(state: ExistingWorkOrder): WorkOrderCore {
  const {
    id, customerId, contact, address, region, product, faultDescription, channel, priority, reportedAt, reportedBy, sla, repeatRepairWindow,
    linkedComplaintIds, firstContactAt, escalation, cycle, breaches, visitCount, quoteCount, feesCharged,
  } = state;
  return {
    id, customerId, contact, address, region, product, faultDescription, channel, priority, reportedAt, reportedBy, sla, repeatRepairWindow,
    linkedComplaintIds, firstContactAt, escalation, cycle, breaches, visitCount, quoteCount, feesCharged,
  };
}

function dispatchOf(state: ExistingWorkOrder): Dispatch {
  return 'dispatch' in state && state.dispatch !== null ? state.dispatch : UNKNOWN_DISPATCH;
}

function repairOf(state: ExistingWorkOrder): RepairProgress {
  return 'repair' in state ? state.repair : NO_REPAIR_PROGRESS;
}

/** A fact of the repair changes; an order with no repair under way (reported, cancelled) keeps no such fact. */
function withRepair(state: ExistingWorkOrder, update: (repair: RepairProgress) => RepairProgress): WorkOrderState {
  return 'repair' in state ? { ...state, repair: update(state.repair) } : state;
}
