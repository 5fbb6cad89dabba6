import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldSatisfactionSurvey } from './survey.evolve';
import { SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS, upcastSatisfactionSurveyEvent } from './survey.upcasters';
import { deskAgent, surveyId, surveySent } from './testing/survey.fixtures';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/satisfaction-survey-answered.v1.json'), 'utf8')) as {
  type: string; data: Record<string, unknown>; metadata: Record<string, unknown>;
};

describe('satisfaction survey event versioning (the comments under personal, issue 19)', () => {
  it('writes SatisfactionSurveyAnswered as schema v2', () => {
    expect(SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS.SatisfactionSurveyAnswered).toBe(2);
  });

  it('upcasts a stored v1 answer: the comments move under personal, the scores stay', () => {
    expect(upcastSatisfactionSurveyEvent(fixture.type, fixture.data, () => fixture.metadata['schemaVersion'])).toEqual({
      type: 'SatisfactionSurveyAnswered',
      data: {
        surveyId, answeredAt: '2026-03-02T09:00:00.000Z', by: deskAgent,
        answers: [{ questionId: 'overall', score: 2 }, { questionId: 'speed', score: 1 }],
        personal: { comment: '请回电 13900001111', answerComments: { speed: '等了三天' } },
      },
    });
  });

  it('upcasts a v1 answer without a comment to one without a personal part', () => {
    const plain = { ...fixture.data, answers: [{ questionId: 'overall', score: 4, comment: null }], comment: null };
    expect(upcastSatisfactionSurveyEvent(fixture.type, plain, () => 1).data).toEqual({ surveyId, answeredAt: '2026-03-02T09:00:00.000Z', by: deskAgent, answers: [{ questionId: 'overall', score: 4 }], personal: null });
  });

  it('keeps reading a v1 answer\'s comments (written in plain text, they stay so)', () => {
    const state = foldSatisfactionSurvey([surveySent, upcastSatisfactionSurveyEvent(fixture.type, fixture.data, () => 1)]);
    expect(state).toMatchObject({ status: 'answered', answer: { answers: [{ questionId: 'overall', comment: null }, { questionId: 'speed', comment: '等了三天' }], comment: '请回电 13900001111' } });
  });

  it('leaves a v2 answer alone', () => {
    const v2 = { surveyId, answeredAt: '2026-03-02T09:00:00.000Z', by: deskAgent, answers: [{ questionId: 'overall', score: 4 }], personal: null };
    expect(upcastSatisfactionSurveyEvent('SatisfactionSurveyAnswered', v2, () => 2).data).toBe(v2);
  });
});
