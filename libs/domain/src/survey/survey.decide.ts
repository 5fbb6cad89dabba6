import { assertNever } from '../assert-never';
import { addDuration, parseDuration } from '../duration';
import type { Words } from '../decision-words';
import type { AnswerSatisfactionSurvey, SatisfactionSurveyCommand, SendSatisfactionSurvey, SurveyQuestionRequest } from './survey.commands';
import { InvalidSurveyCommandError, SurveyConflictError, SurveyNotFoundError } from './survey.errors';
import { SURVEY_SCORE_MAX, SURVEY_SCORE_MIN, surveyAnswerParts, type SatisfactionSurveyScore, type SatisfactionSurveyEvent, type SatisfactionSurveyQuestion } from './survey.events';
import type { ExistingSatisfactionSurvey, SatisfactionSurveyState } from './survey.state';
import { isSurveyCode, surveyCodes, surveyLabel } from './survey.taxonomy';

/** A survey asks at most this many questions. */
export const MAX_SURVEY_QUESTIONS = 20;
/** The longest answer period a sender may set: a year. */
const MAX_ANSWER_PERIOD_MS = 366 * 86_400_000;

/** The default question set (seed 002): 服务态度、响应速度、处理结果、总体满意度. */
export const defaultSurveyQuestions = (): SatisfactionSurveyQuestion[] =>
  surveyCodes('surveyQuestion').map((id) => ({ id, label: surveyLabel('surveyQuestion', id) }));

/** decide(command, survey) → events, for one satisfaction survey. */
export function decideSatisfactionSurvey(command: SatisfactionSurveyCommand, state: SatisfactionSurveyState): SatisfactionSurveyEvent[] {
  if (command.type === 'SendSatisfactionSurvey') return [send(command, state)];
  if (state.status === 'none') throw new SurveyNotFoundError(command.surveyId);
  switch (command.type) {
    case 'AnswerSatisfactionSurvey':
      return [answer(command, state)];
    case 'CancelSatisfactionSurvey': {
      final(state, command.type);
      const reason = command.data.reason.trim();
      if (reason === '') throw new InvalidSurveyCommandError('reason-required', 'reason', 'Say why the survey is cancelled.');
      return [{ type: 'SatisfactionSurveyCancelled', data: { surveyId: state.surveyId, cancelledAt: command.at, by: command.actor, reason } }];
    }
    default:
      return assertNever(command);
  }
}

function send(command: SendSatisfactionSurvey, state: SatisfactionSurveyState): SatisfactionSurveyEvent {
  if (state.status !== 'none') throw new SurveyConflictError('survey-exists', command.type, `Survey ${command.surveyId} was sent at ${state.sentAt}.`);
  const { subject, channel, answerPeriod } = command.data;
  if (!subject.ready) {
    const after = subject.kind === 'complaint' ? 'the callback (回访)' : 'the hand-over (交接)';
    throw new SurveyConflictError('subject-not-ready', command.type, `A satisfaction survey follows ${after}: ${subject.kind} ${subject.id} is ${subject.status}.`);
  }
  const open = subject.latestSurvey;
  // Open: sent, neither answered nor cancelled, and still taking an answer (up to its expiry, as answer() does).
  if (open && open.status === 'sent' && (open.expiresAt === null || Date.parse(command.at) <= Date.parse(open.expiresAt))) {
    const still = open.expiresAt === null
      // The older per-order survey has neither an expiry nor a cancellation: its answer is the way on.
      ? `open (an older per-order survey, with no expiry): record its answer (POST /work-orders/${subject.id}/survey-answer) before sending another`
      : `open until ${open.expiresAt}: record its answer or cancel it before sending another`;
    throw new SurveyConflictError('survey-already-open', command.type, `Survey ${open.surveyId} of ${subject.kind} ${subject.id} (sent at ${open.sentAt}) is still ${still}.`);
  }
  const period = parseDuration(answerPeriod);
  if (period === undefined || period <= 0 || period > MAX_ANSWER_PERIOD_MS) {
    throw new InvalidSurveyCommandError('invalid-answer-period', 'answerPeriod', `The answer period is an ISO 8601 duration in weeks, days, hours or minutes, up to a year (e.g. P30D); got ${JSON.stringify(answerPeriod)}.`);
  }
  return {
    type: 'SatisfactionSurveySent',
    data: {
      surveyId: command.surveyId, subject: { kind: subject.kind, id: subject.id }, customerId: subject.customerId, channel,
      questions: command.data.questions === undefined ? defaultSurveyQuestions() : surveyQuestions(command.data.questions),
      sentAt: command.at, expiresAt: addDuration(command.at, answerPeriod), by: command.actor,
      department: subject.department, stationCode: subject.stationCode, engineerId: subject.engineerId, cause: subject.cause,
      reason: command.data.reason?.trim() || null,
      ...(command.data.campaignId === undefined ? {} : { campaignId: command.data.campaignId }),
    },
  };
}

/** The questions a sender asks, with their labels; refuses an empty or too long list, a question asked twice, and an own code without its text. */
export function surveyQuestions(requested: readonly SurveyQuestionRequest[]): SatisfactionSurveyQuestion[] {
  if (requested.length === 0 || requested.length > MAX_SURVEY_QUESTIONS) {
    throw new InvalidSurveyCommandError('survey-question-text-required', 'questions', `A survey asks 1 to ${MAX_SURVEY_QUESTIONS} questions; leave questions out for the default set (${surveyCodes('surveyQuestion').join(', ')}).`);
  }
  const seen = new Set<string>();
  return requested.map(({ id, text }, index) => {
    if (seen.has(id)) throw new InvalidSurveyCommandError('duplicate-survey-question', `questions[${index}].id`, `Question ${id} is asked twice.`);
    seen.add(id);
    const own = text?.trim();
    if (own) return { id, label: { 'zh-CN': own, en: own } satisfies Words };
    if (!isSurveyCode('surveyQuestion', id)) {
      throw new InvalidSurveyCommandError('survey-question-text-required', `questions[${index}].text`, `Question ${id} is not one of the default set (${surveyCodes('surveyQuestion').join(', ')}): give its text.`);
    }
    return { id, label: surveyLabel('surveyQuestion', id) };
  });
}

function answer(command: AnswerSatisfactionSurvey, state: ExistingSatisfactionSurvey): SatisfactionSurveyEvent {
  final(state, command.type);
  if (command.at > state.expiresAt) {
    throw new SurveyConflictError('survey-expired', command.type, `Survey ${state.surveyId} could be answered until ${state.expiresAt}.`);
  }
  const { answers } = command.data;
  if (answers.length === 0) throw new InvalidSurveyCommandError('survey-answers-required', 'answers', 'Record the score of at least one question.');
  const seen = new Set<string>();
  const recorded: Array<SatisfactionSurveyScore & { readonly comment: string | null }> = answers.map(({ questionId, score, comment }, index) => {
    if (!state.questions.some((question) => question.id === questionId)) {
      throw new InvalidSurveyCommandError('unknown-survey-question', `answers[${index}].questionId`, `Survey ${state.surveyId} asks ${state.questions.map((question) => question.id).join(', ')}; not ${questionId}.`);
    }
    if (seen.has(questionId)) throw new InvalidSurveyCommandError('duplicate-survey-question', `answers[${index}].questionId`, `Question ${questionId} is answered twice.`);
    seen.add(questionId);
    if (!Number.isInteger(score) || score < SURVEY_SCORE_MIN || score > SURVEY_SCORE_MAX) {
      throw new InvalidSurveyCommandError('invalid-survey-score', `answers[${index}].score`, `A score is a whole number from ${SURVEY_SCORE_MIN} to ${SURVEY_SCORE_MAX}; got ${JSON.stringify(score)}.`);
    }
    return { questionId, score, comment: comment?.trim() || null };
  });
  const comment = command.data.comment?.trim() || null;
  return {
    type: 'SatisfactionSurveyAnswered',
    // The customer's own words under personal, sealed with their key by the executor (docs/adr/0019).
    data: { surveyId: state.surveyId, answeredAt: command.at, by: command.actor, ...surveyAnswerParts(recorded, comment) },
  };
}

/** An answered or cancelled survey takes nothing more. */
function final(state: ExistingSatisfactionSurvey, command: SatisfactionSurveyCommand['type']): void {
  if (state.status === 'answered') throw new SurveyConflictError('survey-answered', command, `Survey ${state.surveyId} was answered at ${state.answer.answeredAt}.`);
  if (state.status === 'cancelled') throw new SurveyConflictError('survey-cancelled', command, `Survey ${state.surveyId} was cancelled at ${state.cancellation.cancelledAt}: ${state.cancellation.reason}`);
}

/** How long a customer has to answer when the application sets nothing else (SURVEY_ANSWER_PERIOD). */
export const DEFAULT_SURVEY_ANSWER_PERIOD = 'P30D';
