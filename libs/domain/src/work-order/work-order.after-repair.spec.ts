import { deciderSpecification } from '@app/event-sourcing/testing';
import {
  agent, at, chargeableRepairHistory, closed, closedHistory, cny, command, dispatch, expiredProduct, feeCharged, findingsExpired, network, onSiteHistory, quoted, signedOff,
  surveySent, testPassed, workOrderId,
} from './testing/work-order.fixtures';
import { networkHistory } from '../service-network/testing/service-network.fixtures';
import { foldServiceNetwork } from '../service-network/service-network.evolve';
import type { ServiceNetworkState } from '../service-network/service-network.state';
import type { ServiceNetworkEvent } from '../service-network/service-network.events';
import type { RecordSurveyAnswer, SendSurvey } from './work-order.commands';
import { workOrderDecider } from './work-order.decider';
import { IllegalWorkOrderTransitionError, InvalidWorkOrderCommandError } from './work-order.errors';
import type { WorkOrderEvent } from './work-order.events';
import { foldWorkOrder } from './work-order.evolve';

const spec = deciderSpecification(workOrderDecider);
const questions: SendSurvey['data']['questions'] = [{ id: 'speed', text: '维修是否及时？' }, { id: 'quality', text: '维修质量是否满意？' }, { id: 'attitude', text: '工程师服务态度如何？' }];
const send = (overrides: Partial<SendSurvey['data']> = {}) => command('SendSurvey', { surveyId: 'repair-2026', channel: 'phone', questions, ...overrides }, 21 * 60, agent);
const answer = (answers: RecordSurveyAnswer['data']['answers'], comment?: string) =>
  command('RecordSurveyAnswer', { answers, ...(comment === undefined ? {} : { comment }) }, 30 * 60, agent);
const reopen = (minutes: number, engineerId?: string, directory: ServiceNetworkState = network) =>
  command('ReopenWorkOrder', { reason: '同一喷枪又在20升处停机', network: directory, ...(engineerId === undefined ? {} : { engineerId }) }, minutes, agent);
const zhangAdded: ServiceNetworkEvent = { type: 'EngineerAdded', data: { engineerId: 'eng-zhang', name: '张工', station: 'dandong-station', skills: ['pump'], addedAt: at(5), by: agent, reason: 'hired' } };
/** 张工 joined 丹东服务站; in wangLeft 王工 has left it too. */
const zhangJoined = foldServiceNetwork([...networkHistory, zhangAdded]);
const wangLeft = foldServiceNetwork([
  ...networkHistory, zhangAdded, { type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: at(6), by: agent, reason: 'left the company' } },
]);
const DAY = 24 * 60;
const quoteRefusedClosed: WorkOrderEvent = { type: 'WorkOrderClosed', data: { workOrderId, closedAt: at(18 * 60 + 50), by: agent, outcome: 'quote-refused', notes: 'r', cycle: 1, surveyDue: null } };

describe('work order after the hand-over', () => {
  describe('the satisfaction survey', () => {
    it('sends the survey after the hand-over', () => {
      spec.given(closedHistory).when(send()).then([surveySent]);
    });

    it('refuses a survey before the hand-over, and a second one', () => {
      spec.given(onSiteHistory).when(send()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-closed'));
      spec.given([...closedHistory, surveySent]).when(send()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('survey-already-sent'));
    });

    it('refuses the older per-order survey while a survey of the order is open, and sends it once that one is done', () => {
      const openSurvey = { surveyId: '0d3c2b1a-0000-4000-8000-000000000001', sentAt: at(20 * 60), expiresAt: at(40 * DAY) };
      spec.given(closedHistory).when(send({ openSurvey })).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('survey-already-open');
        expect(error.message).toContain(openSurvey.surveyId);
        expect(error.message).toContain('answer or cancel');
      });
      // Expired by the time of the command: no longer open.
      spec.given(closedHistory).when(send({ openSurvey: { ...openSurvey, expiresAt: at(20 * 60 + 1) } })).then([surveySent]);
      spec.given(closedHistory).when(send({ openSurvey: null })).then([surveySent]);
    });

    it.each<[string, Partial<SendSurvey['data']>, string, string]>([
      ['no question', { questions: [] }, 'questions-required', 'questions'],
      ['a question asked twice', { questions: [questions[0]!, questions[0]!] }, 'duplicate-question', 'questions[1].id'],
      ['a question id that is not a plain code', { questions: [{ id: 'how fast', text: 't' }] }, 'invalid-question-id', 'questions[0].id'],
      ['a question with no text', { questions: [{ id: 'speed', text: '' }] }, 'question-text-required', 'questions[0].text'],
      ['a survey id that is not a plain code', { surveyId: 'repair survey' }, 'invalid-survey-id', 'surveyId'],
    ])('refuses a survey with %s', (_name, overrides, code, field) => {
      spec.given(closedHistory).when(send(overrides)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field }));
    });

    it('records the answers: scores 1–5 with free text', () => {
      spec.given([...closedHistory, surveySent]).when(answer([{ questionId: 'speed', score: 4, comment: '第二天上午就到了' }, { questionId: 'quality', score: 5 }], '很好')).then([{
        type: 'WorkOrderSurveyAnswered',
        data: {
          workOrderId, answeredAt: at(30 * 60), by: agent, surveyId: 'repair-2026',
          answers: [{ questionId: 'speed', score: 4 }, { questionId: 'quality', score: 5 }],
          // The customer's words under personal, sealed with their key (v2, issue 19).
          personal: { comment: '很好', answerComments: { speed: '第二天上午就到了' } },
        },
      }]);
    });

    it.each<[string, RecordSurveyAnswer['data']['answers'], string, string]>([
      ['no answer', [], 'answers-required', 'answers'],
      ['a question the survey does not ask', [{ questionId: 'price', score: 3 }], 'unknown-question', 'answers[0].questionId'],
      ['a question answered twice', [{ questionId: 'speed', score: 3 }, { questionId: 'speed', score: 4 }], 'duplicate-answer', 'answers[1].questionId'],
      ['a score of 0', [{ questionId: 'speed', score: 0 }], 'invalid-score', 'answers[0].score'],
      ['a score of 6', [{ questionId: 'speed', score: 6 }], 'invalid-score', 'answers[0].score'],
      ['a score of 3.5', [{ questionId: 'speed', score: 3.5 }], 'invalid-score', 'answers[0].score'],
    ])('refuses an answer with %s', (_name, answers, code, field) => {
      spec.given([...closedHistory, surveySent]).when(answer(answers)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field }));
    });

    it('refuses an answer to a survey not sent, or answered already', () => {
      spec.given(closedHistory).when(answer([{ questionId: 'speed', score: 5 }])).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('survey-not-sent'));
      spec.given(onSiteHistory).when(answer([{ questionId: 'speed', score: 5 }])).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-closed'));
      spec.given([...closedHistory, surveySent]).when(answer([{ questionId: 'speed', score: 5 }])).thenProduces((events) => {
        spec.given([...closedHistory, surveySent, ...events]).when(answer([{ questionId: 'quality', score: 5 }])).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('survey-already-answered'));
        expect(foldWorkOrder([...closedHistory, surveySent, ...events])).toMatchObject({ survey: { surveyId: 'repair-2026', answer: { answers: [{ questionId: 'speed', score: 5 }] } } });
      });
    });

    it('sends a survey after a refused quote too, with no survey clock', () => {
      spec.given([...onSiteHistory, ...findingsExpired, quoted, quoteRefusedClosed]).when(send()).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderSurveySent'));
    });
  });

  describe('a repeat repair', () => {
    it('reopens the order when the fault returns within the window, as a new cycle with deadlines from now', () => {
      spec.given(closedHistory).when(reopen(20 * 60 + 10 * DAY)).then([{
        type: 'WorkOrderReopened',
        data: {
          workOrderId, reopenedAt: at(20 * 60 + 10 * DAY), by: agent, reason: '同一喷枪又在20升处停机', cycle: 2, previousClosedAt: at(20 * 60),
          onSiteDue: at(20 * 60 + 10 * DAY + DAY), completionDue: at(20 * 60 + 10 * DAY + 3 * DAY),
        },
      }]);
    });

    it('goes back to the same engineer with a fresh repair, keeping the order\'s numbers and links', () => {
      spec.given(closedHistory).when(reopen(20 * 60 + DAY)).thenProduces((events) => {
        const state = foldWorkOrder([...closedHistory, ...events]);
        expect(state).toMatchObject({
          status: 'dispatched', dispatch: { engineerId: 'eng-wang' }, cycle: { number: 2 }, visitCount: 1,
          repair: { findings: null, warranty: null, work: [], arrivedAt: null, lastTest: null },
        });
        spec.given([...closedHistory, ...events]).when(command('ScheduleVisit', { scheduledFor: at(30 * 60 + DAY) }, 20 * 60 + DAY + 5)).thenProduces(([scheduled]) => {
          expect(scheduled?.type === 'WorkOrderVisitScheduled' && scheduled.data.visitNumber).toBe(2);
        });
      });
    });

    it('refuses to reopen to an engineer who is no longer active, naming the active engineers of the station to reopen with', () => {
      spec.given(closedHistory).when(reopen(20 * 60 + DAY, undefined, wangLeft)).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('engineer-no-longer-active');
        expect(error.message).toContain('eng-wang');
        expect(error.message).toContain('engineerId');
        expect(error.message).toContain('eng-zhang');
      });
    });

    it('reopens to another active engineer of the station when named: the reopen and a redispatch that says why', () => {
      spec.given(closedHistory).when(reopen(20 * 60 + DAY, 'eng-zhang', wangLeft)).thenProduces((events) => {
        expect(events.map((event) => event.type)).toEqual(['WorkOrderReopened', 'WorkOrderDispatched']);
        expect(events[1]).toMatchObject({
          data: { station: { code: 'dandong-station' }, engineer: { id: 'eng-zhang', name: '张工' }, previous: { stationCode: 'dandong-station', engineerId: 'eng-wang' }, reason: expect.stringContaining('repeat repair') },
        });
        expect(foldWorkOrder([...closedHistory, ...events])).toMatchObject({ status: 'dispatched', dispatch: { engineerId: 'eng-zhang' }, cycle: { number: 2 } });
      });
    });

    it('refuses to move the repeat repair off an engineer who is still active (that is a supervisor\'s redispatch)', () => {
      spec.given(closedHistory).when(reopen(20 * 60 + DAY, 'eng-zhang', zhangJoined)).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('already-dispatched');
        expect(error.message).toContain('redispatch');
      });
      spec.given(closedHistory).when(reopen(20 * 60 + DAY, 'eng-wang', zhangJoined)).thenProduces((events) => expect(events.map((event) => event.type)).toEqual(['WorkOrderReopened']));
    });

    it('refuses to reopen to an engineer who is unknown, inactive or of another station', () => {
      for (const [engineerId, code] of [['eng-nobody', 'unknown-engineer'], ['eng-wang', 'engineer-inactive'], ['eng-liu', 'engineer-not-at-station']] as const) {
        spec.given(closedHistory).when(reopen(20 * 60 + DAY, engineerId, wangLeft)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field: 'engineerId' }));
      }
    });

    it('reopens exactly at the end of the window, and refuses one minute later, telling to open a new order', () => {
      spec.given(closedHistory).when(reopen(20 * 60 + 30 * DAY)).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderReopened'));
      spec.given(closedHistory).when(reopen(20 * 60 + 30 * DAY + 1)).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('repeat-window-passed');
        expect(error.message).toMatch(/within P30D.*Open a new work order/);
      });
    });

    it('follows the window configured at the report', () => {
      const shortWindow = closedHistory.map((event) => (event.type === 'WorkOrderReported' ? { ...event, data: { ...event.data, repeatRepairWindow: 'P7D' } } : event));
      spec.given(shortWindow).when(reopen(20 * 60 + 8 * DAY)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('repeat-window-passed'));
    });

    it('refuses to reopen an order still open, or one closed because the quote was refused', () => {
      spec.given(onSiteHistory).when(reopen(20 * 60)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-reopenable'));
      spec.given([...onSiteHistory, ...findingsExpired, quoted, quoteRefusedClosed]).when(reopen(20 * 60)).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('not-reopenable');
        expect(error.message).toMatch(/new work order/);
      });
    });

    it('refuses to cancel a reopened order when a fee was charged in an earlier cycle, and keeps that fee on the order', () => {
      const paidAndReopened = [...chargeableRepairHistory, feeCharged, testPassed, signedOff, closed];
      spec.given(paidAndReopened).when(reopen(20 * 60 + DAY)).thenProduces((events) => {
        const given = [...paidAndReopened, ...events];
        expect(foldWorkOrder(given)).toMatchObject({
          status: 'dispatched', repair: { fee: null }, feesCharged: [{ cycle: 1, amount: cny(78_000), quoteNumber: 1, at: at(19 * 60 + 30) }],
        });
        spec.given(given).when(command('CancelWorkOrder', { reason: '客户不再需要' }, 20 * 60 + DAY + 5, agent)).thenThrows(IllegalWorkOrderTransitionError, (error) => {
          expect(error.code).toBe('fee-already-charged');
          expect(error.message).toContain('CNY 780.00 in repair cycle 1');
        });
      });
    });

    it('still cancels a reopened order that was never charged', () => {
      spec.given(closedHistory).when(reopen(20 * 60 + DAY)).thenProduces((events) => {
        expect(foldWorkOrder([...closedHistory, ...events])).toMatchObject({ feesCharged: [] });
        spec.given([...closedHistory, ...events]).when(command('CancelWorkOrder', { reason: '客户不再需要' }, 20 * 60 + DAY + 5, agent))
          .thenProduces(([event]) => expect(event?.type).toBe('WorkOrderCancelled'));
      });
    });

    it('refuses a reopen with no reason', () => {
      spec.given(closedHistory).when({ ...reopen(20 * 60 + DAY), data: { reason: '', network } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('reason-required'));
    });
  });

  describe('when closed', () => {
    it.each([
      command('RecordCustomerContact', { channel: 'phone' }, 21 * 60),
      dispatch({ reason: 'r' }),
      command('CancelWorkOrder', { reason: 'r' }, 21 * 60),
      command('RecordArrival', {}, 21 * 60),
      command('RecordFindings', { findings: 'f', faultCause: 'unknown', product: expiredProduct }, 21 * 60),
      command('RecordFee', { amount: { currency: 'CNY', minorUnits: 100 }, method: 'cash' }, 21 * 60),
      command('HandOverWorkOrder', {}, 21 * 60),
    ])('refuses $type', (cmd) => {
      spec.given(closedHistory).when(cmd).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error).toMatchObject({ code: 'not-open', currentStatus: 'closed' }));
    });

    it('takes a link to the complaint a bad survey opened', () => {
      spec.given([...closedHistory, surveySent]).when(command('LinkComplaint', { complaintId: 'c-77', reason: 'survey score 1' }, 31 * 60, agent)).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'WorkOrderLinkedToComplaint', data: { complaintId: 'c-77' } });
      });
    });

    it('folds into a closed order whose survey clock runs from the hand-over', () => {
      expect(foldWorkOrder(closedHistory)).toMatchObject({ status: 'closed', closure: { outcome: 'repaired', closedAt: at(20 * 60), surveyDue: at(68 * 60) } });
    });
  });
});
