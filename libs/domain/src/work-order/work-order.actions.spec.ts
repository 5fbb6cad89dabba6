import { initialProductState } from '../product';
import {
  agent, arrived, at, chargeableRepairHistory, closedHistory, cny, dispatched, findingsExpired, fixedRemotely, freeRepairHistory, network, onSiteHistory, quoted, reported,
  signedOffHistory, supervisor, surveySent, workOrderId,
} from './testing/work-order.fixtures';
import { WORK_ORDER_ACTIONS, decideWorkOrderRequest, workOrderActionRefusal, type WorkOrderAction, type WorkOrderRequest } from './work-order.actions';
import { IllegalWorkOrderTransitionError } from './work-order.errors';
import type { WorkOrderEvent } from './work-order.events';
import { foldWorkOrder } from './work-order.evolve';
import type { ExistingWorkOrder } from './work-order.state';

const now = at(21 * 60);
const stateAfter = (events: WorkOrderEvent[]) => foldWorkOrder(events) as ExistingWorkOrder;
const allowedAfter = (events: WorkOrderEvent[]): WorkOrderAction[] => {
  const state = stateAfter(events);
  return WORK_ORDER_ACTIONS.filter((action) => workOrderActionRefusal(action, state, now, supervisor) === null);
};
const cancelledHistory = (): WorkOrderEvent[] => {
  const history = [reported, dispatched];
  return [...history, ...decideWorkOrderRequest({ type: 'CancelWorkOrder', workOrderId, at: at(30), actor: supervisor, data: { reason: 'replaced' } }, stateAfter(history))];
};

/** For each action, a command a person could really send: valid data, the fixtures' network and survey. */
function realRequest(action: WorkOrderAction): WorkOrderRequest {
  const base = { workOrderId, at: now, actor: supervisor };
  const later = at(30 * 60);
  const requests: Record<WorkOrderAction, WorkOrderRequest> = {
    dispatch: { ...base, type: 'DispatchWorkOrder', data: { stationCode: 'dandong-station', engineerId: 'eng-wang', network }, redispatch: false },
    redispatch: { ...base, type: 'DispatchWorkOrder', data: { stationCode: 'dalian-branch', engineerId: 'eng-liu', network, reason: 'closer to the site' }, redispatch: true },
    contact: { ...base, type: 'RecordCustomerContact', data: { channel: 'phone' } },
    'remote-diagnosis': { ...base, type: 'RecordRemoteDiagnosis', data: { outcome: 'on-site-needed', findings: 'pulser' } },
    'schedule-visit': { ...base, type: 'ScheduleVisit', data: { scheduledFor: later, reason: 'customer asked' } },
    arrive: { ...base, type: 'RecordArrival', data: {} },
    'failed-visit': { ...base, type: 'RecordFailedVisit', data: { reason: 'customer-absent', nextVisitAt: later } },
    findings: { ...base, type: 'RecordFindings', data: { findings: 'worn', faultCause: 'product-defect', product: initialProductState } },
    quote: { ...base, type: 'QuoteRepair', data: { lines: [{ kind: 'labour', description: '1 h', amount: cny(100) }] } },
    'confirm-quote': { ...base, type: 'ConfirmQuote', data: { quoteNumber: 1, confirmedBy: '李先生', channel: 'phone' } },
    'refuse-quote': { ...base, type: 'RefuseQuote', data: { quoteNumber: 1, reason: 'too dear', continueWithFreeWork: true } },
    work: { ...base, type: 'RecordRepairWork', data: { description: 'replaced', parts: [], chargeable: false } },
    fee: { ...base, type: 'RecordFee', data: { amount: cny(100), method: 'cash' } },
    test: { ...base, type: 'RecordTest', data: { passed: true } },
    'sign-off': { ...base, type: 'RecordSignOff', data: { signedBy: '李先生' } },
    'hand-over': { ...base, type: 'HandOverWorkOrder', data: {} },
    survey: { ...base, type: 'SendSurvey', data: { surveyId: 'repair-2026', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }] } },
    'survey-answer': { ...base, type: 'RecordSurveyAnswer', data: { answers: [{ questionId: 'speed', score: 5 }] } },
    cancel: { ...base, type: 'CancelWorkOrder', data: { reason: 'replaced' } },
    reopen: { ...base, type: 'ReopenWorkOrder', data: { reason: 'stops again', network } },
    escalate: { ...base, type: 'EscalateWorkOrder', data: { to: 'branch-manager', reason: 'part from the factory' } },
    'link-complaint': { ...base, type: 'LinkComplaint', data: { complaintId: '7d4c2a8e-0b6f-4c1a-9f3e-2a1b3c4d5e6f' } },
  };
  return requests[action];
}

/** The refusal code of the real command, or null when the decider accepts it. */
function realOutcome(action: WorkOrderAction, state: ExistingWorkOrder): string | null {
  try {
    decideWorkOrderRequest(realRequest(action), state);
    return null;
  } catch (error) {
    if (error instanceof IllegalWorkOrderTransitionError) return error.code;
    throw error;
  }
}

describe('the actions a work order allows, asked of the decision its commands run', () => {
  it('a reported order is dispatched (not redispatched), contacted, cancelled, escalated', () => {
    expect(allowedAfter([reported])).toEqual(['dispatch', 'contact', 'cancel', 'escalate', 'link-complaint']);
    expect(workOrderActionRefusal('redispatch', stateAfter([reported]), now, supervisor)).toEqual({
      code: 'not-dispatched', message: 'Nothing to redispatch: the order has not been dispatched yet. This order is reported.',
    });
  });

  it('a dispatched order is redispatched (a second dispatch is refused), diagnosed and visited', () => {
    expect(allowedAfter([reported, dispatched])).toEqual([
      'redispatch', 'contact', 'remote-diagnosis', 'schedule-visit', 'arrive', 'cancel', 'escalate', 'link-complaint',
    ]);
    expect(workOrderActionRefusal('dispatch', stateAfter([reported, dispatched]), now, supervisor)?.code).toBe('already-dispatched');
  });

  it('on site: findings, work and a test once work is recorded; the quote waits for the findings', () => {
    expect(allowedAfter(onSiteHistory)).toEqual(['redispatch', 'contact', 'failed-visit', 'findings', 'cancel', 'escalate', 'link-complaint']);
    expect(workOrderActionRefusal('quote', stateAfter(onSiteHistory), now, supervisor)).toEqual({
      code: 'warranty-not-assessed', message: 'Record the findings first: the quote follows the warranty decision. This order is on-site.',
    });
    expect(allowedAfter(freeRepairHistory)).toEqual(['redispatch', 'contact', 'failed-visit', 'work', 'test', 'cancel', 'escalate', 'link-complaint']);
  });

  it('a pending quote is confirmed or refused; findings are locked once a quote rests on them', () => {
    const pending = [...onSiteHistory, ...findingsExpired, quoted];
    expect(allowedAfter(pending)).toEqual(expect.arrayContaining(['quote', 'confirm-quote', 'refuse-quote']));
    expect(workOrderActionRefusal('findings', stateAfter(pending), now, supervisor)?.code).toBe('findings-locked');
    expect(allowedAfter(chargeableRepairHistory)).toEqual(expect.arrayContaining(['fee', 'work', 'test']));
  });

  it('a remote fix goes to the sign-off; a signed-off order only to its hand-over and contacts (its free repair takes no fee)', () => {
    expect(allowedAfter([reported, dispatched, fixedRemotely])).toEqual(['contact', 'sign-off', 'cancel', 'escalate', 'link-complaint']);
    expect(allowedAfter(signedOffHistory)).toEqual(['contact', 'hand-over', 'escalate', 'link-complaint']);
  });

  it('a closed order is surveyed and reopened within its window; after the window it says why not', () => {
    expect(allowedAfter(closedHistory)).toEqual(['survey', 'reopen', 'link-complaint']);
    expect(allowedAfter([...closedHistory, surveySent])).toEqual(['survey-answer', 'reopen', 'link-complaint']);
    const afterWindow = workOrderActionRefusal('reopen', stateAfter(closedHistory), at(20 * 60 + 31 * 24 * 60), supervisor);
    expect(afterWindow?.code).toBe('repeat-window-passed');
  });

  it('a cancelled order takes only links and says it is not open', () => {
    expect(allowedAfter(cancelledHistory())).toEqual(['link-complaint']);
    expect(workOrderActionRefusal('contact', stateAfter(cancelledHistory()), now, supervisor)).toEqual({ code: 'not-open', message: 'The order is cancelled. This order is cancelled.' });
  });

  it('agrees with the decider on a real command of every action in every stage: allowed is accepted, refused is refused with the same code', () => {
    const histories: WorkOrderEvent[][] = [
      [reported], [reported, dispatched], [reported, dispatched, fixedRemotely], onSiteHistory, [...onSiteHistory, ...findingsExpired, quoted], chargeableRepairHistory,
      freeRepairHistory, signedOffHistory, closedHistory, [...closedHistory, surveySent], cancelledHistory(), [reported, dispatched, arrived],
    ];
    const disagreements = histories.flatMap((history) => {
      const state = stateAfter(history);
      return WORK_ORDER_ACTIONS.flatMap((action) => {
        const reported = workOrderActionRefusal(action, state, now, agent)?.code ?? null;
        const real = realOutcome(action, state);
        return reported === real ? [] : [`${state.status} after ${history.length} events, ${action}: reported ${String(reported)}, decided ${String(real)}`];
      });
    });
    expect(disagreements).toEqual([]);
  });
});
