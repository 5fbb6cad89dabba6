import { DEFAULT_SURVEY_ANSWER_PERIOD, DEFAULT_SURVEY_CAMPAIGN_LIMIT, DEFAULT_SURVEY_COMPLAINT_THRESHOLD } from '@app/domain';

/**
 * The application's survey settings: how long a customer has to answer (SURVEY_ANSWER_PERIOD), how
 * many customers one campaign may reach (SURVEY_CAMPAIGN_LIMIT), and the score at or below which a
 * work order's survey opens a complaint (SURVEY_COMPLAINT_THRESHOLD; 0: never).
 */
export class SurveySettings {
  constructor(
    readonly answerPeriod: string = DEFAULT_SURVEY_ANSWER_PERIOD,
    readonly campaignLimit: number = DEFAULT_SURVEY_CAMPAIGN_LIMIT,
    readonly complaintThreshold: number = DEFAULT_SURVEY_COMPLAINT_THRESHOLD,
  ) {}
}
