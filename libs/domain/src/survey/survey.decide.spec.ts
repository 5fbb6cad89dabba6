import { deciderSpecification } from '@app/event-sourcing/testing';
import { satisfactionSurveyDecider } from './survey.decider';
import { InvalidSurveyCommandError, SurveyConflictError, SurveyNotFoundError } from './survey.errors';
import type { SatisfactionSurveyEvent } from './survey.events';
import { foldSatisfactionSurvey } from './survey.evolve';
import { T0, calledBackComplaint, deskAgent, handedOverOrder, minutesAfter, surveyCommand, surveyId, surveySent } from './testing/survey.fixtures';

const spec = deciderSpecification(satisfactionSurveyDecider);
const send = (overrides: Partial<Parameters<typeof surveyCommand<'SendSatisfactionSurvey'>>[1]> = {}) =>
  surveyCommand('SendSatisfactionSurvey', { subject: calledBackComplaint, channel: 'phone', answerPeriod: 'P30D', ...overrides });
const answer = (answers: Array<{ questionId: string; score: number; comment?: string }>, minutes = 60, comment?: string) =>
  surveyCommand('AnswerSatisfactionSurvey', { answers, ...(comment === undefined ? {} : { comment }) }, minutes);
const cancel = (reason: string, minutes = 60) => surveyCommand('CancelSatisfactionSurvey', { reason }, minutes);
const answered: SatisfactionSurveyEvent = {
  type: 'SatisfactionSurveyAnswered',
  data: { surveyId, answeredAt: minutesAfter(60), by: deskAgent, answers: [{ questionId: 'overall', score: 4 }], personal: null },
};
const cancelled: SatisfactionSurveyEvent = { type: 'SatisfactionSurveyCancelled', data: { surveyId, cancelledAt: minutesAfter(60), by: deskAgent, reason: '客户要求不再联系' } };

describe('satisfaction survey decider', () => {
  describe('sending', () => {
    it('sends the default questions (服务态度、响应速度、处理结果、总体满意度) for a called-back complaint, open for the answer period', () => {
      spec.given([]).when(send()).then([surveySent]);
    });

    it('records what the statistics group by for a handed-over work order: its station, engineer and fault cause', () => {
      spec.given([]).when(send({ subject: handedOverOrder, channel: 'email', reason: '维修完成后回访' })).thenProduces(([event]) => {
        expect(event).toMatchObject({
          type: 'SatisfactionSurveySent',
          data: { subject: { kind: 'work-order', id: handedOverOrder.id }, customerId: 'cust-002', channel: 'email', stationCode: 'dandong-station', engineerId: 'eng-wang', cause: 'wear-and-tear', department: 'dandong-station', reason: '维修完成后回访' },
        });
      });
    });

    it('asks the questions given: a default code takes its labels, an own code its text', () => {
      spec.given([]).when(send({ questions: [{ id: 'speed' }, { id: 'parts', text: '配件是否齐全？' }] })).thenProduces(([event]) => {
        expect(event?.type === 'SatisfactionSurveySent' && event.data.questions).toEqual([
          { id: 'speed', label: { 'zh-CN': '响应速度', en: 'Speed of response' } },
          { id: 'parts', label: { 'zh-CN': '配件是否齐全？', en: '配件是否齐全？' } },
        ]);
      });
    });

    it('carries the id of the campaign that sends it; a survey sent on its own has none', () => {
      spec.given([]).when(send({ campaignId: '5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50' })).thenProduces(([event]) => {
        expect(event?.type === 'SatisfactionSurveySent' && event.data.campaignId).toBe('5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50');
      });
      spec.given([]).when(send()).thenProduces(([event]) => expect(event?.data).not.toHaveProperty('campaignId'));
    });

    it('computes the expiry from the answer period', () => {
      spec.given([]).when(send({ answerPeriod: 'P2DT12H' })).thenProduces(([event]) => {
        expect(event?.type === 'SatisfactionSurveySent' && event.data.expiresAt).toBe('2026-03-04T20:00:00.000Z');
      });
    });

    it('refuses a survey for a complaint not yet called back (409, its status named)', () => {
      spec.given([]).when(send({ subject: { ...calledBackComplaint, ready: false, status: 'resolved' } })).thenThrows(SurveyConflictError, (error) => {
        expect(error).toMatchObject({ code: 'subject-not-ready', kind: 'conflict', command: 'SendSatisfactionSurvey' });
        expect(error.message).toContain('callback');
        expect(error.message).toContain('resolved');
      });
    });

    it('refuses a survey for a work order not yet handed over', () => {
      spec.given([]).when(send({ subject: { ...handedOverOrder, ready: false, status: 'on-site' } })).thenThrows(SurveyConflictError, (error) => {
        expect(error).toMatchObject({ code: 'subject-not-ready' });
        expect(error.message).toContain('hand-over');
      });
    });

    it('refuses to send a survey twice under one id', () => {
      spec.given([surveySent]).when(send()).thenThrows(SurveyConflictError, (error) => expect(error).toMatchObject({ code: 'survey-exists' }));
    });

    describe('one open survey per subject', () => {
      const latest = (status: 'sent' | 'answered' | 'cancelled', expiresAt = '2026-03-02T08:00:00.000Z') =>
        ({ surveyId: '0d3c2b1a-0000-4000-8000-000000000001', status, sentAt: '2026-02-01T08:00:00.000Z', expiresAt });

      it('refuses a second survey while the subject\'s latest is open (409, naming it and how to go on)', () => {
        spec.given([]).when(send({ subject: { ...calledBackComplaint, latestSurvey: latest('sent', '2026-03-03T08:00:00.000Z') } })).thenThrows(SurveyConflictError, (error) => {
          expect(error).toMatchObject({ code: 'survey-already-open', kind: 'conflict', command: 'SendSatisfactionSurvey' });
          expect(error.message).toContain('0d3c2b1a-0000-4000-8000-000000000001');
          expect(error.message).toContain('complaint c-2026-0001');
          expect(error.message).toContain('answer or cancel');
        });
      });

      it('refuses it up to the instant the open survey expires, and sends once it has', () => {
        spec.given([]).when(send({ subject: { ...calledBackComplaint, latestSurvey: latest('sent', T0) } })).thenThrows(SurveyConflictError, (error) => expect(error).toMatchObject({ code: 'survey-already-open' }));
        spec.given([]).when(send({ subject: { ...calledBackComplaint, latestSurvey: latest('sent', '2026-03-02T07:59:59.999Z') } })).thenProduces(([event]) => expect(event?.type).toBe('SatisfactionSurveySent'));
      });

      it('counts an older per-order survey not yet answered as open for ever (it has no expiry)', () => {
        const older = { surveyId: 'wo-1:1:repair-2026', status: 'sent' as const, sentAt: '2026-02-01T08:00:00.000Z', expiresAt: null };
        spec.given([]).when(send({ subject: { ...handedOverOrder, latestSurvey: older } })).thenThrows(SurveyConflictError, (error) => {
          expect(error).toMatchObject({ code: 'survey-already-open' });
          expect(error.message).toContain('wo-1:1:repair-2026');
          expect(error.message).toContain('no expiry');
        });
        spec.given([]).when(send({ subject: { ...handedOverOrder, latestSurvey: { ...older, status: 'answered' } } })).thenProduces(([event]) => expect(event?.type).toBe('SatisfactionSurveySent'));
      });

      it('sends another once the latest was answered or cancelled', () => {
        for (const status of ['answered', 'cancelled'] as const) {
          spec.given([]).when(send({ subject: { ...calledBackComplaint, latestSurvey: latest(status, '2026-04-01T08:00:00.000Z') } })).thenProduces(([event]) => expect(event?.type).toBe('SatisfactionSurveySent'));
        }
      });

      it('sends the first survey of a subject (no latest)', () => {
        spec.given([]).when(send({ subject: { ...calledBackComplaint, latestSurvey: null } })).then([surveySent]);
      });
    });

    it.each(['P0D', 'P1M', 'P400D', '30 days', ''])('refuses an answer period that is not a positive duration up to a year (%p)', (answerPeriod) => {
      spec.given([]).when(send({ answerPeriod })).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-answer-period', field: 'answerPeriod' }));
    });

    it('refuses an own question without its text, naming the default set', () => {
      spec.given([]).when(send({ questions: [{ id: 'parts' }] })).thenThrows(InvalidSurveyCommandError, (error) => {
        expect(error).toMatchObject({ code: 'survey-question-text-required', field: 'questions[0].text' });
        expect(error.message).toContain('attitude, speed, result, overall');
      });
    });

    it('refuses an empty question list and one question asked twice', () => {
      spec.given([]).when(send({ questions: [] })).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'survey-question-text-required', field: 'questions' }));
      spec.given([]).when(send({ questions: [{ id: 'speed' }, { id: 'speed' }] })).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'duplicate-survey-question', field: 'questions[1].id' }));
    });
  });

  describe('answering', () => {
    it('records the scores, and the comments apart under personal (sealed with the customer\'s key), each answer an event', () => {
      spec.given([surveySent]).when(answer([{ questionId: 'overall', score: 4 }, { questionId: 'attitude', score: 5, comment: ' 很耐心 ' }], 60, '谢谢')).then([{
        type: 'SatisfactionSurveyAnswered',
        data: {
          surveyId, answeredAt: minutesAfter(60), by: deskAgent, answers: [{ questionId: 'overall', score: 4 }, { questionId: 'attitude', score: 5 }],
          personal: { comment: '谢谢', answerComments: { attitude: '很耐心' } },
        },
      }]);
    });

    it('records no personal part for an answer without a comment', () => {
      spec.given([surveySent]).when(answer([{ questionId: 'overall', score: 4, comment: '  ' }])).then([answered]);
    });

    it('folds the comments back into the answers, and none once they cannot be read (the customer erased)', () => {
      const commented: SatisfactionSurveyEvent = {
        type: 'SatisfactionSurveyAnswered',
        data: { surveyId, answeredAt: minutesAfter(60), by: deskAgent, answers: [{ questionId: 'overall', score: 2 }, { questionId: 'speed', score: 1 }], personal: { comment: '请回电 139', answerComments: { speed: '等了三天' } } },
      };
      expect(foldSatisfactionSurvey([surveySent, commented])).toMatchObject({
        status: 'answered', answer: { answers: [{ questionId: 'overall', score: 2, comment: null }, { questionId: 'speed', score: 1, comment: '等了三天' }], comment: '请回电 139' },
      });
      const erased = { ...commented, data: { ...commented.data, personal: null } } as SatisfactionSurveyEvent;
      expect(foldSatisfactionSurvey([surveySent, erased])).toMatchObject({
        status: 'answered', answer: { answers: [{ questionId: 'overall', score: 2, comment: null }, { questionId: 'speed', score: 1, comment: null }], comment: null },
      });
    });

    it('takes an answer up to the expiry and refuses one after it (409)', () => {
      const thirtyDays = 30 * 24 * 60;
      spec.given([surveySent]).when(answer([{ questionId: 'overall', score: 3 }], thirtyDays)).thenProduces(([event]) => expect(event?.type).toBe('SatisfactionSurveyAnswered'));
      spec.given([surveySent]).when(answer([{ questionId: 'overall', score: 3 }], thirtyDays + 1)).thenThrows(SurveyConflictError, (error) => {
        expect(error).toMatchObject({ code: 'survey-expired', command: 'AnswerSatisfactionSurvey' });
        expect(error.message).toContain('2026-04-01T08:00:00.000Z');
      });
    });

    it('refuses a second answer (409)', () => {
      spec.given([surveySent, answered]).when(answer([{ questionId: 'speed', score: 2 }], 90)).thenThrows(SurveyConflictError, (error) => expect(error).toMatchObject({ code: 'survey-answered' }));
    });

    it('refuses an answer to a cancelled survey (409)', () => {
      spec.given([surveySent, cancelled]).when(answer([{ questionId: 'speed', score: 2 }], 90)).thenThrows(SurveyConflictError, (error) => expect(error).toMatchObject({ code: 'survey-cancelled' }));
    });

    it('refuses an answer to a survey never sent (404)', () => {
      spec.given([]).when(answer([{ questionId: 'speed', score: 2 }])).thenThrows(SurveyNotFoundError, (error) => expect(error).toMatchObject({ surveyId, kind: 'not-found' }));
    });

    it.each([0, 6, 2.5, -1])('refuses a score outside 1–5 (%p)', (score) => {
      spec.given([surveySent]).when(answer([{ questionId: 'speed', score }])).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-survey-score', field: 'answers[0].score' }));
    });

    it('refuses a question the survey does not ask, one answered twice, and no answer at all', () => {
      spec.given([surveySent]).when(answer([{ questionId: 'parts', score: 3 }])).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'unknown-survey-question', field: 'answers[0].questionId' }));
      spec.given([surveySent]).when(answer([{ questionId: 'speed', score: 3 }, { questionId: 'speed', score: 4 }])).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'duplicate-survey-question', field: 'answers[1].questionId' }));
      spec.given([surveySent]).when(answer([])).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'survey-answers-required' }));
    });
  });

  describe('cancelling', () => {
    it('cancels an open survey with its reason', () => {
      spec.given([surveySent]).when(cancel(' 客户要求不再联系 ')).then([cancelled]);
    });

    it('refuses a cancellation without a reason', () => {
      spec.given([surveySent]).when(cancel('  ')).thenThrows(InvalidSurveyCommandError, (error) => expect(error).toMatchObject({ code: 'reason-required', field: 'reason' }));
    });

    it('refuses to cancel an answered or a cancelled survey, and one never sent', () => {
      spec.given([surveySent, answered]).when(cancel('late')).thenThrows(SurveyConflictError, (error) => expect(error).toMatchObject({ code: 'survey-answered' }));
      spec.given([surveySent, cancelled]).when(cancel('again')).thenThrows(SurveyConflictError, (error) => expect(error).toMatchObject({ code: 'survey-cancelled' }));
      spec.given([]).when(cancel('none')).thenThrows(SurveyNotFoundError);
    });
  });

  describe('the state', () => {
    it('folds sent → answered, and ignores what comes after a final event', () => {
      expect(foldSatisfactionSurvey([surveySent, answered, cancelled])).toMatchObject({ status: 'answered', answer: { answeredAt: minutesAfter(60) } });
      expect(foldSatisfactionSurvey([answered])).toEqual({ status: 'none' });
    });
  });
});
