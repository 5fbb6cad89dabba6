import { assertNever } from '../assert-never';
import type { ActionRefusal } from '../complaint.actions';
import type { Actor } from '../principal';
import { probeWithoutStacks } from '../probe-without-stacks';
import { initialProductState } from '../product';
import { initialServiceNetworkState } from '../service-network';
import type { WorkOrderCommand } from './work-order.commands';
import { decideWorkOrder } from './work-order.decide';
import { IllegalWorkOrderTransitionError, InvalidWorkOrderCommandError } from './work-order.errors';
import type { WorkOrderEvent } from './work-order.events';
import type { ExistingWorkOrder, WorkOrderState } from './work-order.state';

/**
 * A work-order command as the application takes it. A dispatch says whether it means the first
 * dispatch or a redispatch: the two are one command to the domain, but redispatching is a
 * supervisor's decision, so the route that may only dispatch must not redispatch by accident.
 */
export type WorkOrderRequest = WorkOrderCommand & { readonly redispatch?: boolean };

/** decideWorkOrder behind the dispatch mode of the request: what the command executor decides, and what allowedActions asks. */
export function decideWorkOrderRequest(request: WorkOrderRequest, state: WorkOrderState): WorkOrderEvent[] {
  requireDispatchMode(request, state);
  return decideWorkOrder(request, state);
}

function requireDispatchMode(command: WorkOrderRequest, state: WorkOrderState): void {
  if (command.type !== 'DispatchWorkOrder' || command.redispatch === undefined) return;
  const dispatched = state.status === 'dispatched' || state.status === 'visit-scheduled' || state.status === 'on-site';
  if (dispatched && !command.redispatch) {
    throw new IllegalWorkOrderTransitionError('already-dispatched', command.type, state.status,
      `The order is already with ${state.dispatch.engineerId} at ${state.dispatch.stationCode}: moving it is a redispatch, with a reason. This order is ${state.status}.`);
  }
  if (state.status === 'reported' && command.redispatch) {
    throw new IllegalWorkOrderTransitionError('not-dispatched', command.type, state.status, 'Nothing to redispatch: the order has not been dispatched yet. This order is reported.');
  }
}

/** The commands a person takes on an existing work order, named as their routes are (POST /work-orders/{id}/<action>). */
export const WORK_ORDER_ACTIONS = [
  'dispatch', 'redispatch', 'contact', 'remote-diagnosis', 'schedule-visit', 'arrive', 'failed-visit', 'findings', 'quote', 'confirm-quote', 'refuse-quote',
  'work', 'fee', 'test', 'sign-off', 'hand-over', 'survey', 'survey-answer', 'cancel', 'reopen', 'escalate', 'link-complaint',
] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

/**
 * Whether the order's state lets `action` be taken, asked of the decision the command runs
 * (decideWorkOrderRequest) so that a front-end and the decider cannot disagree: the action is tried
 * with placeholder data, and only a refusal of the transition (409, IllegalWorkOrderTransitionError)
 * counts. Each placeholder is shaped so that every state check of its command runs before the first
 * check of the data, and the data check then fails (an empty text, an unknown engineer, an amount
 * of zero): a refusal of the data (400) means the state allows the action and the real data decides.
 * What other aggregates add (an open survey of POST /surveys, a registry record) is not looked up.
 */
export function workOrderActionRefusal(action: WorkOrderAction, state: ExistingWorkOrder, at: string, actor: Actor): ActionRefusal | null {
  return probeWithoutStacks(() => decideWorkOrderRequest(placeholderRequest(action, state.id, at, actor), state), (error) => {
    if (error instanceof IllegalWorkOrderTransitionError) return { code: error.code, message: error.message };
    if (error instanceof InvalidWorkOrderCommandError) return null;
    throw error;
  });
}

function placeholderRequest(action: WorkOrderAction, workOrderId: string, at: string, actor: Actor): WorkOrderRequest {
  const base = { workOrderId, at, actor };
  // No station: a dispatch the state allows is then refused as unknown-station (400).
  const network = initialServiceNetworkState;
  switch (action) {
    case 'dispatch':
      return { ...base, type: 'DispatchWorkOrder', data: { stationCode: '', engineerId: '', network }, redispatch: false };
    case 'redispatch':
      return { ...base, type: 'DispatchWorkOrder', data: { stationCode: '', engineerId: '', network, reason: '-' }, redispatch: true };
    case 'contact':
      return { ...base, type: 'RecordCustomerContact', data: { channel: 'phone' } };
    case 'remote-diagnosis':
      return { ...base, type: 'RecordRemoteDiagnosis', data: { outcome: 'on-site-needed', findings: '' } };
    case 'schedule-visit':
      return { ...base, type: 'ScheduleVisit', data: { scheduledFor: '' } };
    // No data to refuse: allowed exactly when the state allows it.
    case 'arrive':
      return { ...base, type: 'RecordArrival', data: {} };
    case 'failed-visit':
      return { ...base, type: 'RecordFailedVisit', data: { reason: 'other', nextVisitAt: '' } };
    // Findings given (findings-locked comes after that check), an unregistered product: judged "not registered", never refused.
    case 'findings':
      return { ...base, type: 'RecordFindings', data: { findings: '-', faultCause: 'product-defect', product: initialProductState } };
    case 'quote':
      return { ...base, type: 'QuoteRepair', data: { lines: [] } };
    // Quote 0, which no order has: no-pending-quote when nothing waits, else unknown-quote (400) for the real number to decide.
    case 'confirm-quote':
      return { ...base, type: 'ConfirmQuote', data: { quoteNumber: 0, confirmedBy: '', channel: 'phone' } };
    case 'refuse-quote':
      return { ...base, type: 'RefuseQuote', data: { quoteNumber: 0, reason: '', continueWithFreeWork: true } };
    // Free work: chargeable work also needs the confirmed quote, which the real data decides.
    case 'work':
      return { ...base, type: 'RecordRepairWork', data: { description: '', parts: [], chargeable: false } };
    // Zero: every refusal of the state comes first; "above the quote" depends on the real amount.
    case 'fee':
      return { ...base, type: 'RecordFee', data: { amount: { currency: 'CNY', minorUnits: 0 }, method: 'cash' } };
    case 'test':
      return { ...base, type: 'RecordTest', data: { passed: true } };
    case 'sign-off':
      return { ...base, type: 'RecordSignOff', data: { signedBy: '' } };
    case 'hand-over':
      return { ...base, type: 'HandOverWorkOrder', data: {} };
    case 'survey':
      return { ...base, type: 'SendSurvey', data: { surveyId: '', channel: 'phone', questions: [], openSurvey: null } };
    case 'survey-answer':
      return { ...base, type: 'RecordSurveyAnswer', data: { answers: [] } };
    case 'cancel':
      return { ...base, type: 'CancelWorkOrder', data: { reason: '' } };
    // An engineer nobody has: whether the repair's engineer is still active only decides whether the reopen names another.
    case 'reopen':
      return { ...base, type: 'ReopenWorkOrder', data: { reason: '-', engineerId: '', network } };
    // One level above the current: "not higher" is never reached; a clock is the real data's.
    case 'escalate':
      return { ...base, type: 'EscalateWorkOrder', data: { to: '', reason: '-' } };
    case 'link-complaint':
      return { ...base, type: 'LinkComplaint', data: { complaintId: '' } };
    default:
      return assertNever(action);
  }
}
