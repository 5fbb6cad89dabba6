import { Injectable } from '@nestjs/common';
import {
  type SubjectSurveyFacts, evolveSatisfactionSurvey, initialSatisfactionSurveyState, surveyStreamName, upcastSatisfactionSurveyEvent, type SatisfactionSurveyState,
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

  /**
   * A subject's surveys, numbered 1, 2 … (surveyIdFor): the latest that exists, with the number
   * after it (where the next survey goes). A number whose stream `commandId` wrote (a retry) is
   * the number to take again: its facts are those of the survey before it.
   */
  async latestOf(idOf: (number: number) => string, commandId?: string): Promise<{ nextSurveyId: string; latestSurvey: SubjectSurveyFacts | null }> {
    let latestSurvey: SubjectSurveyFacts | null = null;
    for (let number = 1; ; number += 1) {
      const surveyId = idOf(number);
      const { state, events } = await this.load(surveyId);
      if (state.status === 'none' || (commandId !== undefined && events.some((event) => event.metadata['commandId'] === commandId))) return { nextSurveyId: surveyId, latestSurvey };
      latestSurvey = { surveyId, status: state.status, sentAt: state.sentAt, expiresAt: state.expiresAt };
    }
  }
}
