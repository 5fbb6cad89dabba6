import { DEFAULT_SURVEY_COMPLAINT_THRESHOLD, complaintForBadSurvey, type AnsweredOrderSurvey } from './bad-survey-complaint';

const answered: AnsweredOrderSurvey = {
  surveyId: 's-1', workOrderId: 'wo-1', customerId: 'cust-002', channel: 'phone',
  questions: [{ id: 'attitude', text: '服务态度' }, { id: 'result', text: '处理结果' }, { id: 'overall', text: '总体满意度' }],
  answers: [{ questionId: 'attitude', score: 4, comment: null }, { questionId: 'result', score: 2, comment: '第二天又坏了' }, { questionId: 'overall', score: 1, comment: null }],
  comment: '很失望',
};

describe('a work order\'s bad survey opens a complaint', () => {
  it('given a score at or below the threshold, opens a service complaint for the customer, by the survey\'s channel, naming the low scores and where the comments are, never copying them', () => {
    expect(complaintForBadSurvey(answered, DEFAULT_SURVEY_COMPLAINT_THRESHOLD)).toEqual({
      customerId: 'cust-002', channel: 'phone', cause: 'service', behaviour: 'passive-grumbling', purpose: 'criticism',
      description: '满意度调查评分低 / Low satisfaction survey score: survey s-1 of work order wo-1.\n处理结果 2/5\n总体满意度 1/5\n客户意见见该调查 / The customer\'s comments are on the survey (GET /surveys/s-1).',
    });
  });

  it('says nothing of comments when the answer has none', () => {
    const plain = { ...answered, answers: answered.answers.map((answer) => ({ ...answer, comment: null })), comment: null };
    expect(complaintForBadSurvey(plain, 2)?.description).toBe('满意度调查评分低 / Low satisfaction survey score: survey s-1 of work order wo-1.\n处理结果 2/5\n总体满意度 1/5');
  });

  it('given every score above the threshold, opens nothing', () => {
    expect(complaintForBadSurvey({ ...answered, answers: [{ questionId: 'overall', score: 3, comment: null }] }, 2)).toBeNull();
  });

  it('takes a score equal to the threshold as low, and a threshold of 0 as never', () => {
    const three = { ...answered, answers: [{ questionId: 'overall', score: 3, comment: null }] };
    expect(complaintForBadSurvey(three, 3)?.description).toContain('总体满意度 3/5');
    expect(complaintForBadSurvey({ ...answered, answers: [{ questionId: 'overall', score: 1, comment: null }] }, 0)).toBeNull();
  });

  it('keeps the description within a complaint\'s 5000 characters', () => {
    const long = { ...answered, questions: answered.questions.map((question) => ({ ...question, text: 'x'.repeat(3000) })) };
    expect(complaintForBadSurvey(long, 2)?.description).toHaveLength(5000);
  });
});
