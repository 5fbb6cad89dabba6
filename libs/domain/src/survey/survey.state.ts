import { departmentInScope } from '../access-control';
import { samePrincipal } from '../principal';
import type { SatisfactionSurveyAnswer, SatisfactionSurveySent } from './survey.events';

export type NoSurvey = { readonly status: 'none' };
type SurveyCore = SatisfactionSurveySent['data'];
export type SentSurvey = SurveyCore & { readonly status: 'sent' };
export type AnsweredSurvey = SurveyCore & {
  readonly status: 'answered';
  readonly answer: { readonly answeredAt: string; readonly answers: readonly SatisfactionSurveyAnswer[]; readonly comment: string | null };
};
export type CancelledSurvey = SurveyCore & { readonly status: 'cancelled'; readonly cancellation: { readonly cancelledAt: string; readonly reason: string } };

/** One satisfaction survey: sent, then answered or cancelled (both final). */
export type SatisfactionSurveyState = NoSurvey | SentSurvey | AnsweredSurvey | CancelledSurvey;
export type ExistingSatisfactionSurvey = Exclude<SatisfactionSurveyState, NoSurvey>;
export type SatisfactionSurveyStatus = SatisfactionSurveyState['status'];

export const initialSatisfactionSurveyState: SatisfactionSurveyState = { status: 'none' };

/**
 * Whether a principal limited to departments sees and acts on a survey, as for its subject: one of a
 * department (or service point) of its own, or one without a department that it sent itself.
 */
export function surveyInScope(survey: { readonly department: string | null; readonly by: { readonly id: string } }, actorId: string, scope: 'all' | readonly string[]): boolean {
  if (scope === 'all') return true;
  if (survey.department !== null) return departmentInScope(scope, survey.department);
  return samePrincipal(survey.by.id, actorId);
}
