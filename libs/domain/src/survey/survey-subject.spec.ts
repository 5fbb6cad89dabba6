import { deciderSpecification } from '@app/event-sourcing/testing';
import { SurveySubjectChangedError, surveySubjectDecider, surveySubjectStreamName, type SurveySubjectCommand, type SurveySubjectEvent } from './survey-subject';

const spec = deciderSpecification(surveySubjectDecider);
const subject = { kind: 'work-order', id: '0f8d7c6b-5a49-4382-9170-6e5d4c3b2a19' } as const;
const agent = { id: 'li.na', role: 'agent' } as const;
const record = (surveyId: string, seenRevision: number): SurveySubjectCommand => ({ type: 'RecordSubjectSurvey', data: { subject, surveyId, seenRevision }, at: '2026-03-01T08:00:00.000Z', actor: agent });
const sent = (surveyId: string): SurveySubjectEvent => ({ type: 'SubjectSurveySent', data: { subject, surveyId, sentAt: '2026-03-01T08:00:00.000Z' } });

describe("a work order's surveys (the fence between its two survey routes)", () => {
  it('records the first survey of a subject decided on no survey', () => {
    spec.given([]).when(record('s-1', -1)).then([sent('s-1')]);
  });

  it('records a survey decided on every survey sent before it', () => {
    spec.given([sent('s-1'), sent('s-2')]).when(record('s-3', 1)).then([sent('s-3')]);
  });

  it('refuses a survey decided before another was sent (409 concurrent-modification), however long ago it was decided', () => {
    spec.given([sent('s-1')]).when(record('s-2', -1)).thenThrows(SurveySubjectChangedError, (error) => expect(error).toMatchObject({ code: 'concurrent-modification', kind: 'conflict', subject }));
  });

  it('has one stream per work order, whatever the case of its id', () => {
    expect(surveySubjectStreamName({ kind: 'work-order', id: subject.id.toUpperCase() })).toBe(`subject-surveys-work-order-${subject.id}`);
  });
});
