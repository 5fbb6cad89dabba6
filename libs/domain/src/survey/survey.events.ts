import type { Words } from '../decision-words';
import type { Actor } from '../principal';
import type { Channel } from '../taxonomy';
import type { SurveySubjectKind } from './survey.taxonomy';

export interface SatisfactionSurveyQuestion {
  readonly id: string;
  readonly label: Words;
}

export interface SatisfactionSurveyAnswer {
  readonly questionId: string;
  /** 1 (very unsatisfied) to 5 (very satisfied). */
  readonly score: number;
  readonly comment: string | null;
}

/** Sent: to a customer, through a channel (a notifier may send the invitation from this event). */
export interface SatisfactionSurveySent {
  readonly type: 'SatisfactionSurveySent';
  readonly data: {
    readonly surveyId: string;
    readonly subject: { readonly kind: SurveySubjectKind; readonly id: string };
    readonly customerId: string;
    readonly channel: Channel;
    readonly questions: readonly SatisfactionSurveyQuestion[];
    readonly sentAt: string;
    /** After this instant an answer is refused. */
    readonly expiresAt: string;
    readonly by: Actor;
    /** What the statistics group by, as the subject stood when the survey was sent. */
    readonly department: string | null;
    readonly stationCode: string | null;
    readonly engineerId: string | null;
    readonly cause: string | null;
    readonly reason: string | null;
    /** The campaign that sent the survey; absent for a survey sent on its own. */
    readonly campaignId?: string;
  };
}

export interface SatisfactionSurveyAnswered {
  readonly type: 'SatisfactionSurveyAnswered';
  readonly data: {
    readonly surveyId: string;
    readonly answeredAt: string;
    /** Who recorded the answer (the desk, for the customer). */
    readonly by: Actor;
    readonly answers: readonly SatisfactionSurveyAnswer[];
    readonly comment: string | null;
  };
}

export interface SatisfactionSurveyCancelled {
  readonly type: 'SatisfactionSurveyCancelled';
  readonly data: { readonly surveyId: string; readonly cancelledAt: string; readonly by: Actor; readonly reason: string };
}

export type SatisfactionSurveyEvent = SatisfactionSurveySent | SatisfactionSurveyAnswered | SatisfactionSurveyCancelled;
export type SatisfactionSurveyEventType = SatisfactionSurveyEvent['type'];

export const SATISFACTION_SURVEY_EVENT_TYPES: readonly SatisfactionSurveyEventType[] = ['SatisfactionSurveySent', 'SatisfactionSurveyAnswered', 'SatisfactionSurveyCancelled'];

export const SURVEY_STREAM_PREFIX = 'survey-';
export const surveyStreamName = (surveyId: string): string => `${SURVEY_STREAM_PREFIX}${surveyId}`;

/** The lowest and highest score of an answer. */
export const SURVEY_SCORE_MIN = 1;
export const SURVEY_SCORE_MAX = 5;
