import type { Decider } from '@app/event-sourcing';
import { assertNever } from '../assert-never';
import { DomainError } from '../domain-error';
import type { Actor } from '../principal';

/**
 * The surveys of one work order, as a consistency boundary (docs/adr/0012, "One open survey across
 * both routes"). The older per-order survey is recorded on the order's stream, a survey of the survey
 * aggregate on its own numbered stream; each route decides "one open survey" from what it read of the
 * other. Both now also append `SubjectSurveySent` here, in the same atomic append, at the revision of
 * this stream they read *before* reading the other's: a send stored by the other route in between
 * moves it, the append conflicts and the decision is refused (then taken again on fresh facts), so
 * two sends at one moment never both land, however long an instance was frozen between its check and
 * its append. Not under `survey-` (the survey aggregate's prefix) nor `work-order-`.
 */
export const SURVEY_SUBJECT_STREAM_PREFIX = 'subject-surveys-';
export const surveySubjectStreamName = (subject: SurveySubjectRef): string => `${SURVEY_SUBJECT_STREAM_PREFIX}${subject.kind}-${subject.id.toLowerCase()}`;

export interface SurveySubjectRef {
  readonly kind: 'work-order';
  readonly id: string;
}

export interface RecordSubjectSurvey {
  readonly type: 'RecordSubjectSurvey';
  readonly data: {
    readonly subject: SurveySubjectRef;
    /** The survey as the route that sent it names it (the aggregate's id, or the order's own survey id). */
    readonly surveyId: string;
    /** This stream's revision when the sender read the subject's surveys (-1: no stream): the decision's facts. */
    readonly seenRevision: number;
  };
  readonly at: string;
  readonly actor: Actor;
}
export type SurveySubjectCommand = RecordSubjectSurvey;

export type SurveySubjectEvent = {
  readonly type: 'SubjectSurveySent';
  readonly data: { readonly subject: SurveySubjectRef; readonly surveyId: string; readonly sentAt: string };
};
export const SURVEY_SUBJECT_EVENT_TYPES: ReadonlyArray<SurveySubjectEvent['type']> = ['SubjectSurveySent'];
export const SURVEY_SUBJECT_EVENT_SCHEMA_VERSIONS: Readonly<Record<SurveySubjectEvent['type'], number>> = { SubjectSurveySent: 1 };

/** The stream's revision (-1: none yet): what a sender's facts are checked against. */
export interface SurveySubjectState {
  readonly revision: number;
}
export const initialSurveySubjectState: SurveySubjectState = { revision: -1 };

/**
 * Another survey of the subject was sent after this one's facts were read: 409, nothing written
 * (the send handlers decide again on fresh facts first; this is the answer once they gave up).
 */
export class SurveySubjectChangedError extends DomainError {
  readonly code = 'concurrent-modification';
  readonly kind = 'conflict' as const;
  constructor(readonly subject: SurveySubjectRef) {
    super(`Another survey of ${subject.kind} ${subject.id} was sent while this one was being decided; nothing was written. Look at its surveys (GET /surveys) and send again if one is still needed.`);
  }
}

export function decideSurveySubject(command: SurveySubjectCommand, state: SurveySubjectState): SurveySubjectEvent[] {
  switch (command.type) {
    case 'RecordSubjectSurvey': {
      const { subject, surveyId, seenRevision } = command.data;
      if (state.revision !== seenRevision) throw new SurveySubjectChangedError(subject);
      return [{ type: 'SubjectSurveySent', data: { subject, surveyId, sentAt: command.at } }];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveSurveySubject(state: SurveySubjectState, event: SurveySubjectEvent): SurveySubjectState {
  switch (event.type) {
    case 'SubjectSurveySent':
      return { revision: state.revision + 1 };
    default:
      return assertNever(event.type);
  }
}

export const surveySubjectDecider: Decider<SurveySubjectCommand, SurveySubjectEvent, SurveySubjectState> = {
  decide: decideSurveySubject,
  evolve: evolveSurveySubject,
  initialState: initialSurveySubjectState,
};
