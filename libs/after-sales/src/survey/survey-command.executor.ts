import { Injectable } from '@nestjs/common';
import {
  SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS, SurveyNotFoundError, decideSatisfactionSurvey, surveyInScope, surveyStreamName,
  type SatisfactionSurveyCommand, type SatisfactionSurveyEvent, type SatisfactionSurveyState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { SatisfactionSurveyRepository } from './survey.repository';

/** Handles one satisfaction-survey command (read + fold, decide, append; see StreamCommandExecutor). */
@Injectable()
export class SatisfactionSurveyCommandExecutor extends AggregateCommandExecutor<SatisfactionSurveyCommand, SatisfactionSurveyEvent, SatisfactionSurveyState> {
  constructor(eventStore: EventStore, repository: SatisfactionSurveyRepository, clock: Clock) {
    super(eventStore, clock, {
      kind: 'survey',
      streamName: surveyStreamName,
      load: (id) => repository.load(id),
      // A survey outside the actor's departments (its subject's department or service point) is "not found".
      checkAccess: ({ state }, id, context) => {
        if (state.status !== 'none' && context.scope !== undefined && !surveyInScope(state, context.actor.id, context.scope)) throw new SurveyNotFoundError(id);
      },
      decide: (command, state) => decideSatisfactionSurvey(command, state),
      schemaVersionOf: (type) => SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS[type as SatisfactionSurveyEvent['type']],
    }, (command) => command.surveyId);
  }
}
