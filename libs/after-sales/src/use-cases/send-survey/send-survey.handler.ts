import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SendSurvey } from '@app/domain';
import type { CommandOutcome } from '@app/complaints';
import { SatisfactionSurveyRepository } from '../../survey/survey.repository';
import { surveyIdFor } from '../../survey/survey.handlers';
import { SurveySubjectLocks } from '../../survey/survey-subject-locks';
import { SurveySubjectCommandExecutor } from '../../survey/survey-subject.executor';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';
import { WorkOrderCommandMessage } from '../work-order-command.base';

export class SendSurveyCommand extends WorkOrderCommandMessage<SendSurvey> {
  readonly type = 'SendSurvey';
}

/**
 * The older per-order survey (POST /work-orders/{id}/survey): the order's latest survey of the
 * survey aggregate (POST /surveys) travels with the command, so that the decider refuses a second
 * open survey of either kind.
 */
@CommandHandler(SendSurveyCommand)
export class SendSurveyHandler implements ICommandHandler<SendSurveyCommand, CommandOutcome> {
  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly surveys: SatisfactionSurveyRepository,
    private readonly locks: SurveySubjectLocks,
    private readonly subjects: SurveySubjectCommandExecutor,
  ) {}

  execute({ id, data, context }: SendSurveyCommand): Promise<CommandOutcome> {
    const subject = { kind: 'work-order', id };
    return this.locks.inTurn(subject, async () => {
      // Read before the facts: a survey the other route stores after this read refuses this send's append (the fence).
      const seen = await this.subjects.seen(id);
      const { latestSurvey } = await this.surveys.latestOf((number) => surveyIdFor(subject, number));
      const openSurvey = latestSurvey?.status === 'sent' && latestSurvey.expiresAt !== null
        ? { surveyId: latestSurvey.surveyId, sentAt: latestSurvey.sentAt, expiresAt: latestSurvey.expiresAt }
        : null;
      const [outcome] = await this.executor.executeWith({ type: 'SendSurvey', workOrderId: id, data: { ...data, openSurvey } }, context, [seen.fence(data.surveyId, context)]);
      return outcome;
    });
  }
}
