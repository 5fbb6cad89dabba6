import { Injectable } from '@nestjs/common';
import {
  SURVEY_SUBJECT_EVENT_SCHEMA_VERSIONS, decideSurveySubject, evolveSurveySubject, initialSurveySubjectState, surveySubjectStreamName,
  type SurveySubjectCommand, type SurveySubjectEvent, type SurveySubjectState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock, type AppendPart, type CommandContext } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';
import { fenceContext } from '../fence-part';

const SUBJECT_FOLD = { initialState: initialSurveySubjectState, evolve: evolveSurveySubject, upcast: (type: string, data: Record<string, unknown>) => ({ type, data }) as SurveySubjectEvent };
const workOrder = (id: string) => ({ kind: 'work-order', id }) as const;

/** A work order's surveys stream (subject-surveys-work-order-<id>, docs/adr/0012): the fence both survey routes append to. */
@Injectable()
export class SurveySubjectCommandExecutor extends AggregateCommandExecutor<SurveySubjectCommand, SurveySubjectEvent, SurveySubjectState> {
  constructor(private readonly eventStore: EventStore, clock: Clock) {
    super(eventStore, clock, {
      kind: 'work order\'s surveys',
      streamName: (id) => surveySubjectStreamName(workOrder(id)),
      load: (id) => loadStream(eventStore, surveySubjectStreamName(workOrder(id)), SUBJECT_FOLD),
      decide: decideSurveySubject,
      schemaVersionOf: (type) => SURVEY_SUBJECT_EVENT_SCHEMA_VERSIONS[type as SurveySubjectEvent['type']],
    }, (command) => command.data.subject.id);
  }

  /**
   * Read before the facts a send decides on: the send's part of its append (`fence`) checks that no
   * survey of the order was recorded since.
   */
  async seen(workOrderId: string): Promise<{ fence(surveyId: string, context: CommandContext): AppendPart }> {
    const { revision } = await loadStream(this.eventStore, surveySubjectStreamName(workOrder(workOrderId)), SUBJECT_FOLD);
    return {
      fence: (surveyId, context) => this.part({ type: 'RecordSubjectSurvey', data: { subject: workOrder(workOrderId), surveyId, seenRevision: revision } }, fenceContext(context)),
    };
  }
}
