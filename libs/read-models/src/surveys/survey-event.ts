import { SATISFACTION_SURVEY_EVENT_TYPES, SURVEY_STREAM_PREFIX, upcastSatisfactionSurveyEvent, type SatisfactionSurveyEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

const SURVEY = Symbol('decoded satisfaction-survey event');
const SURVEY_TYPES = new Set<string>(SATISFACTION_SURVEY_EVENT_TYPES);

/** A satisfaction-survey event of a `survey-<id>` stream, in today's shape, decoded once; undefined for anything else. */
export function satisfactionSurveyEventOf(recorded: RecordedEvent): SatisfactionSurveyEvent | undefined {
  const decodable = recorded as RecordedEvent & Record<symbol, SatisfactionSurveyEvent | null | undefined>;
  const known = decodable[SURVEY];
  if (known !== undefined) return known ?? undefined;
  const event = recorded.stream.startsWith(SURVEY_STREAM_PREFIX) && SURVEY_TYPES.has(recorded.type)
    ? upcastSatisfactionSurveyEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion'])
    : undefined;
  if (Object.isExtensible(decodable)) Object.defineProperty(decodable, SURVEY, { value: event ?? null, enumerable: false });
  return event;
}
