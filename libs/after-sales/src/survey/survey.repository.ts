import { Injectable } from '@nestjs/common';
import {
  evolveSatisfactionSurvey, initialSatisfactionSurveyState, surveyStreamName, upcastSatisfactionSurveyEvent, type SatisfactionSurveyState,
} from '@app/domain';
import type { LoadedStream } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';

/** Reads a survey's stream (survey-<id>) and folds it. */
@Injectable()
export class SatisfactionSurveyRepository {
  constructor(private readonly eventStore: EventStore) {}

  load(surveyId: string): Promise<LoadedStream<SatisfactionSurveyState>> {
    return loadStream(this.eventStore, surveyStreamName(surveyId), { initialState: initialSatisfactionSurveyState, evolve: evolveSatisfactionSurvey, upcast: upcastSatisfactionSurveyEvent });
  }
}
