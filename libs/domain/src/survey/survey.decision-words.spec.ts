import { satisfactionSurveyDecisionWords } from './survey.decision-words';
import { deskAgent, minutesAfter, surveyId, surveySent } from './testing/survey.fixtures';

describe('satisfaction survey decision words', () => {
  it('names the customer, the subject, the channel, the questions and the expiry, in Chinese and English', () => {
    expect(satisfactionSurveyDecisionWords(surveySent)).toEqual({
      'zh-CN': `向客户 cust-001 发送满意度调查 ${surveyId}（投诉 c-2026-0001，电话，4 个问题：服务态度、响应速度、处理结果、总体满意度），2026-04-01T08:00:00.000Z 前答复有效`,
      en: `Sent satisfaction survey ${surveyId} to customer cust-001 (complaint c-2026-0001, Phone, 4 questions: Service attitude, Speed of response, Outcome, Overall satisfaction), open until 2026-04-01T08:00:00.000Z`,
    });
  });

  it('gives the scores of an answer but never quotes its comments (the customer\'s own words, erasable), and the reason of a cancellation', () => {
    expect(satisfactionSurveyDecisionWords({
      type: 'SatisfactionSurveyAnswered',
      data: { surveyId, answeredAt: minutesAfter(60), by: deskAgent, answers: [{ questionId: 'overall', score: 4 }], personal: { comment: '满意，请回电 139', answerComments: { overall: '很好' } } },
    })).toEqual({ 'zh-CN': `记录满意度调查 ${surveyId} 的答复：overall 4/5`, en: `Recorded the answer to satisfaction survey ${surveyId}: overall 4/5` });
    expect(satisfactionSurveyDecisionWords({ type: 'SatisfactionSurveyCancelled', data: { surveyId, cancelledAt: minutesAfter(60), by: deskAgent, reason: '重复发送' } }).en)
      .toBe(`Cancelled satisfaction survey ${surveyId}. Reason: 重复发送`);
  });
});
