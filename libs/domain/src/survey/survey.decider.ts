import type { Decider } from '@app/event-sourcing';
import type { SatisfactionSurveyCommand } from './survey.commands';
import { decideSatisfactionSurvey } from './survey.decide';
import type { SatisfactionSurveyEvent } from './survey.events';
import { evolveSatisfactionSurvey } from './survey.evolve';
import { initialSatisfactionSurveyState, type SatisfactionSurveyState } from './survey.state';

export const satisfactionSurveyDecider: Decider<SatisfactionSurveyCommand, SatisfactionSurveyEvent, SatisfactionSurveyState> = {
  decide: decideSatisfactionSurvey,
  evolve: evolveSatisfactionSurvey,
  initialState: initialSatisfactionSurveyState,
};
