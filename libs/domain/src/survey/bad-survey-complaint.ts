import type { ReceiveComplaint } from '../complaint.commands';
import type { Channel } from '../taxonomy';

/**
 * "An order's bad survey opens a complaint" (issue 18, docs/adr/0012): a work order's survey answered
 * with a score at or below the threshold opens a complaint for the customer. One rule for both routes
 * (POST /surveys and the older per-order survey): each hands it the answered survey in this shape.
 */

/** The threshold when the application sets nothing else (SURVEY_COMPLAINT_THRESHOLD): 2, 不满意 (unsatisfied) or worse. */
export const DEFAULT_SURVEY_COMPLAINT_THRESHOLD = 2;

/** A work order's survey as answered, whichever route sent it. */
export interface AnsweredOrderSurvey {
  /** The survey's id as the survey list has it (the older route's is `<order>:<cycle>:<its survey id>`). */
  readonly surveyId: string;
  readonly workOrderId: string;
  readonly customerId: string;
  /** The channel the survey was sent by: the customer answered through it. */
  readonly channel: Channel;
  readonly questions: readonly { readonly id: string; readonly text: string }[];
  readonly answers: readonly { readonly questionId: string; readonly score: number; readonly comment: string | null }[];
  readonly comment: string | null;
}

/** A complaint's description is at most this long (the HTTP intake's bound). */
const MAX_DESCRIPTION = 5000;

/**
 * The complaint a bad answer opens, or null when no score is at or below `threshold` (0: never).
 * Cause `service` (服务): the survey judges the after-sales service, not the product; behaviour
 * `passive-grumbling` (消极抱怨) and purpose `criticism` (批评性): a low score is said when asked,
 * not brought forward. The description names the survey, the order and each low score; it never
 * copies the customer's comments (their own words, "call me on 139…"): those stay on the survey, sealed
 * with the customer's key, and go with an erasure, while a complaint's description is not sealed
 * (docs/adr/0019). It says where to read them.
 */
export function complaintForBadSurvey(survey: AnsweredOrderSurvey, threshold: number): Omit<ReceiveComplaint['data'], 'policy'> | null {
  const low = survey.answers.filter((answer) => answer.score <= threshold);
  if (low.length === 0) return null;
  const textOf = (questionId: string) => survey.questions.find((question) => question.id === questionId)?.text ?? questionId;
  const scores = low.map(({ questionId, score }) => `${textOf(questionId)} ${score}/5`);
  const commented = survey.comment !== null || survey.answers.some((answer) => answer.comment !== null);
  const description = [
    `满意度调查评分低 / Low satisfaction survey score: survey ${survey.surveyId} of work order ${survey.workOrderId}.`,
    ...scores,
    ...(commented ? [`客户意见见该调查 / The customer's comments are on the survey (GET /surveys/${survey.surveyId}).`] : []),
  ].join('\n');
  return {
    customerId: survey.customerId, channel: survey.channel, cause: 'service', behaviour: 'passive-grumbling', purpose: 'criticism',
    description: description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description,
  };
}
