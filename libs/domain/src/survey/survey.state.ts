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
