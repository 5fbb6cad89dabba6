import { DomainError } from '../domain-error';
import type { SatisfactionSurveyCommandType } from './survey.commands';

/** The closed set of refusals of the satisfaction-survey decider. */
export abstract class SatisfactionSurveyDomainError extends DomainError {}

export class SurveyNotFoundError extends SatisfactionSurveyDomainError {
  readonly code = 'survey-not-found';
  readonly kind = 'not-found' as const;
  constructor(readonly surveyId: string) {
    super(`No satisfaction survey ${surveyId}.`);
  }
}

export const SURVEY_CONFLICT_CODES = ['survey-exists', 'subject-not-ready', 'survey-already-open', 'survey-answered', 'survey-cancelled', 'survey-expired'] as const;
export type SurveyConflict = (typeof SURVEY_CONFLICT_CODES)[number];

/** The command does not fit the survey (or its subject) as it stands: 409, nothing written. */
export class SurveyConflictError extends SatisfactionSurveyDomainError {
  readonly kind = 'conflict' as const;
  constructor(
    readonly code: SurveyConflict,
    readonly command: SatisfactionSurveyCommandType,
    message: string,
  ) {
    super(message);
  }
}

export const INVALID_SURVEY_COMMAND_CODES = [
  'invalid-answer-period', 'survey-question-text-required', 'duplicate-survey-question', 'unknown-survey-question', 'invalid-survey-score',
  'survey-answers-required', 'reason-required',
] as const;
export type InvalidSurveyCommand = (typeof INVALID_SURVEY_COMMAND_CODES)[number];

export class InvalidSurveyCommandError extends SatisfactionSurveyDomainError {
  readonly kind = 'invalid' as const;
  constructor(
    readonly code: InvalidSurveyCommand,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
