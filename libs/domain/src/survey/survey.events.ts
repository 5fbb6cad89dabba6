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

/** A score as the answer event records it; the comments are apart, under `personal`. */
export interface SatisfactionSurveyScore {
  readonly questionId: string;
  readonly score: number;
}

/**
 * The customer's own words in an answer ("call me on 139…"): sealed with the customer's data key,
 * so that an erasure leaves none of them (docs/adr/0019). Null when the answer gave no comment, or
 * once the customer was erased.
 */
export interface SatisfactionSurveyComments {
  /** The comment on the whole answer. */
  readonly comment: string | null;
  /** The comment given with a question's score, by question id (only those given). */
  readonly answerComments: Readonly<Record<string, string>>;
}

/** v2 (issue 19): the comments moved under `personal`; v1 kept them in each answer and at the top (upcaster). */
export interface SatisfactionSurveyAnswered {
  readonly type: 'SatisfactionSurveyAnswered';
  readonly data: {
    readonly surveyId: string;
    readonly answeredAt: string;
    /** Who recorded the answer (the desk, for the customer). */
    readonly by: Actor;
    readonly answers: readonly SatisfactionSurveyScore[];
    readonly personal: SatisfactionSurveyComments | null;
  };
}

/** The answer with its comments back in place (null where none was given or the customer was erased). */
export function satisfactionSurveyAnswerOf(data: Pick<SatisfactionSurveyAnswered['data'], 'answeredAt' | 'answers' | 'personal'>): {
  readonly answeredAt: string; readonly answers: readonly SatisfactionSurveyAnswer[]; readonly comment: string | null;
} {
  const comments = data.personal;
  return {
    answeredAt: data.answeredAt,
    answers: data.answers.map(({ questionId, score }) => ({ questionId, score, comment: comments?.answerComments[questionId] ?? null })),
    comment: comments?.comment ?? null,
  };
}

/** The scores of an answer, and its comments as its personal part (null when none was given): what both survey events record. */
export function surveyAnswerParts(answers: readonly SatisfactionSurveyAnswer[], comment: string | null): {
  readonly answers: readonly SatisfactionSurveyScore[]; readonly personal: SatisfactionSurveyComments | null;
} {
  const commented = answers.filter((item): item is SatisfactionSurveyAnswer & { readonly comment: string } => item.comment !== null);
  return {
    answers: answers.map(({ questionId, score }) => ({ questionId, score })),
    personal: comment === null && commented.length === 0 ? null : { comment, answerComments: Object.fromEntries(commented.map((item) => [item.questionId, item.comment])) },
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
