import { Injectable, Optional } from '@nestjs/common';
import {
  SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS, SurveyNotFoundError, decideSatisfactionSurvey, surveyInScope, surveyStreamName,
  type SatisfactionSurveyCommand, type SatisfactionSurveyEvent, type SatisfactionSurveyState,
} from '@app/domain';
import { ActingCheck, AggregateCommandExecutor, Clock, PersonalDataSealer } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { SatisfactionSurveyRepository } from './survey.repository';

/** Handles one satisfaction-survey command (read + fold, decide, append; see StreamCommandExecutor). */
@Injectable()
export class SatisfactionSurveyCommandExecutor extends AggregateCommandExecutor<SatisfactionSurveyCommand, SatisfactionSurveyEvent, SatisfactionSurveyState> {
  constructor(eventStore: EventStore, repository: SatisfactionSurveyRepository, clock: Clock, @Optional() acting?: ActingCheck, @Optional() sealer?: PersonalDataSealer) {
    super(eventStore, clock, {
      kind: 'survey',
      streamName: surveyStreamName,
      load: (id) => repository.load(id),
      // A survey outside the actor's departments (its subject's department or service point) is "not found".
      checkAccess: async ({ state }, id, context) => {
        // A deactivated agent first, whatever the survey (an answer stored whose low score could then open no complaint).
        await acting?.requireActing(context.actor);
        if (state.status !== 'none' && context.scope !== undefined && !surveyInScope(state, context.actor.id, context.scope)) throw new SurveyNotFoundError(id);
      },
      decide: (command, state) => decideSatisfactionSurvey(command, state),
      schemaVersionOf: (type) => SATISFACTION_SURVEY_EVENT_SCHEMA_VERSIONS[type as SatisfactionSurveyEvent['type']],
      // An answer's comments are the customer's words: sealed with the customer's key (docs/adr/0019).
      customerOf: (_id, state, event) => (event.type === 'SatisfactionSurveySent' ? event.data.customerId : state.status === 'none' ? null : state.customerId),
    }, (command) => command.surveyId, sealer);
  }
}
