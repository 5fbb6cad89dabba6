import type { Actor } from '../principal';
import type { Channel } from '../taxonomy';
import type { SurveySubjectKind } from './survey.taxonomy';

/** A survey is known by its id (a UUID the application derives from the command id): it is the aggregate's id. */
interface CommandBase<Type extends string, Data> {
  readonly type: Type;
  readonly surveyId: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Data;
}

/**
 * What the application found out about the subject before the decision (the decider reads no other
 * stream): who the customer is, whether the subject has reached the point a survey follows (a
 * complaint called back, a work order handed over), and what the statistics group by.
 */
export interface SurveySubjectFacts {
  readonly kind: SurveySubjectKind;
  /** The complaint's or the work order's id; the campaign's id for a campaign. */
  readonly id: string;
  readonly customerId: string;
  /** The subject is called back / handed over (a campaign is always ready). */
  readonly ready: boolean;
  /** The subject's status as it stands, for the refusal's words. */
  readonly status: string;
  /** The department of a complaint (its assignment) or the service point of a work order: who sees the survey. */
  readonly department: string | null;
  readonly stationCode: string | null;
  readonly engineerId: string | null;
  /** The complaint's cause or the work order's fault cause. */
  readonly cause: string | null;
  /**
   * The subject's latest survey before this one (its surveys are numbered per subject, so the
   * application finds it by its id), or null for the first: a subject has at most one open survey.
   */
  readonly latestSurvey?: SubjectSurveyFacts | null;
}

/** What the rule "one open survey per subject" needs of the subject's latest survey. */
export interface SubjectSurveyFacts {
  readonly surveyId: string;
  readonly status: 'sent' | 'answered' | 'cancelled';
  readonly sentAt: string;
  /** null: an older per-order survey (POST /work-orders/{id}/survey), which takes an answer for ever. */
  readonly expiresAt: string | null;
}

/** A question as the sender asks it: a code of the default set (its labels), or an own code with its text. */
export interface SurveyQuestionRequest {
  readonly id: string;
  readonly text?: string;
}

export type SendSatisfactionSurvey = CommandBase<'SendSatisfactionSurvey', {
  readonly subject: SurveySubjectFacts;
  readonly channel: Channel;
  /** The default set (服务态度、响应速度、处理结果、总体满意度) when not given. */
  readonly questions?: readonly SurveyQuestionRequest[];
  /** How long the customer has to answer (ISO 8601, fixed-length units): the application's setting. */
  readonly answerPeriod: string;
  readonly reason?: string;
  /** The campaign that sends the survey (survey-campaign.ts), if one does. */
  readonly campaignId?: string;
}>;

export interface SurveyAnswerRequest {
  readonly questionId: string;
  readonly score: number;
  readonly comment?: string;
}

export type AnswerSatisfactionSurvey = CommandBase<'AnswerSatisfactionSurvey', {
  readonly answers: readonly SurveyAnswerRequest[];
  readonly comment?: string;
}>;

export type CancelSatisfactionSurvey = CommandBase<'CancelSatisfactionSurvey', { readonly reason: string }>;

export type SatisfactionSurveyCommand = SendSatisfactionSurvey | AnswerSatisfactionSurvey | CancelSatisfactionSurvey;
export type SatisfactionSurveyCommandType = SatisfactionSurveyCommand['type'];
