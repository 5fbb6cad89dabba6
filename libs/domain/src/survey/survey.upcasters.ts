import { upcastEventData } from '../event-versions';
import type { SatisfactionSurveyEvent, SatisfactionSurveyEventType } from './survey.events';

/** Schema version of each event type as written today (see complaint.upcasters.ts for the rule). */
export const SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS: Readonly<Record<SatisfactionSurveyEventType, number>> = {
  SatisfactionSurveySent: 1,
  SatisfactionSurveyAnswered: 1,
  SatisfactionSurveyCancelled: 1,
};

/** A stored survey event in today's shape; applied on every read. */
export function upcastSatisfactionSurveyEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): SatisfactionSurveyEvent {
  return { type, data: upcastEventData({ versions: SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS }, type, data, schemaVersion) } as SatisfactionSurveyEvent;
}
