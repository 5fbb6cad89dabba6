import { assertNever } from '../assert-never';
import { satisfactionSurveyAnswerOf, type SatisfactionSurveyEvent } from './survey.events';
import { initialSatisfactionSurveyState, type SatisfactionSurveyState } from './survey.state';

/** Total: an answer or a cancellation of a survey that is not open (imported history) changes nothing. */
export function evolveSatisfactionSurvey(state: SatisfactionSurveyState, event: SatisfactionSurveyEvent): SatisfactionSurveyState {
  switch (event.type) {
    case 'SatisfactionSurveySent':
      return { ...event.data, status: 'sent' };
    case 'SatisfactionSurveyAnswered': {
      if (state.status !== 'sent') return state;
      return { ...state, status: 'answered', answer: satisfactionSurveyAnswerOf(event.data) };
    }
    case 'SatisfactionSurveyCancelled':
      if (state.status !== 'sent') return state;
      return { ...state, status: 'cancelled', cancellation: { cancelledAt: event.data.cancelledAt, reason: event.data.reason } };
    default:
      return assertNever(event);
  }
}

export function foldSatisfactionSurvey(events: Iterable<SatisfactionSurveyEvent>, state: SatisfactionSurveyState = initialSatisfactionSurveyState): SatisfactionSurveyState {
  let current = state;
  for (const event of events) current = evolveSatisfactionSurvey(current, event);
  return current;
}
