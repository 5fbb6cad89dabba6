import { upcastEventData, type Upcaster } from '../event-versions';
import type { SatisfactionSurveyEvent, SatisfactionSurveyEventType } from './survey.events';

/** Schema version of each event type as written today (see complaint.upcasters.ts for the rule). */
export const SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS: Readonly<Record<SatisfactionSurveyEventType, number>> = {
  SatisfactionSurveySent: 1,
  SatisfactionSurveyAnswered: 2,
  SatisfactionSurveyCancelled: 1,
};

type StoredAnswer = { readonly questionId: string; readonly score: number; readonly comment?: string | null };

/** upcasters[type][v] turns version v into version v + 1. */
const UPCASTERS: Partial<Record<SatisfactionSurveyEventType, Record<number, Upcaster>>> = {
  // v1 kept each comment in its answer and the overall one at the top, in plain text; v2 keeps them
  // under `personal`, where encryption finds them (issue 19). A v1 event was written in plain text and
  // stays readable as it was. A v1 answer never had `personal`: data with it is already v2 (a copy that
  // lost its schema version).
  SatisfactionSurveyAnswered: {
    1: surveyAnswerV1ToV2,
  },
};

/** A v1 answer (comments in the answers and at the top) in the v2 shape; data that already holds `personal` is taken as v2. Also the order survey's (WorkOrderSurveyAnswered). */
export function surveyAnswerV1ToV2(data: Record<string, unknown>): Record<string, unknown> {
  return 'personal' in data ? data : answerV1ToV2(data);
}

function answerV1ToV2({ answers, comment, ...rest }: Record<string, unknown>): Record<string, unknown> {
  const given = (answers as readonly StoredAnswer[]).filter((answer) => typeof answer.comment === 'string');
  const answerComments = Object.fromEntries(given.map((answer) => [answer.questionId, answer.comment as string]));
  const overall = typeof comment === 'string' ? comment : null;
  return {
    ...rest,
    answers: (answers as readonly StoredAnswer[]).map(({ questionId, score }) => ({ questionId, score })),
    personal: overall === null && given.length === 0 ? null : { comment: overall, answerComments },
  };
}

/** A stored survey event in today's shape; applied on every read. */
export function upcastSatisfactionSurveyEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): SatisfactionSurveyEvent {
  return { type, data: upcastEventData({ versions: SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS, upcasters: UPCASTERS }, type, data, schemaVersion) } as SatisfactionSurveyEvent;
}
