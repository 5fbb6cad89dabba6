import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RecordSurveyAnswer } from '@app/domain';
import type { CommandOutcome } from '@app/complaints';
import { BadSurveyComplaints } from '../../survey/bad-survey-complaints';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';
import { WorkOrderRepository } from '../../work-order/work-order.repository';
import { WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordSurveyAnswerCommand extends WorkOrderCommandMessage<RecordSurveyAnswer> {
  readonly type = 'RecordSurveyAnswer';
}

/**
 * Records the answer of the older per-order survey; a low score then opens a complaint by the same
 * rule as a survey sent with POST /surveys (BadSurveyComplaints), under the id the survey list gives it.
 */
@CommandHandler(RecordSurveyAnswerCommand)
export class RecordSurveyAnswerHandler implements ICommandHandler<RecordSurveyAnswerCommand, CommandOutcome> {
  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly workOrders: WorkOrderRepository,
    private readonly badSurveys: BadSurveyComplaints,
  ) {}

  async execute({ id, data, context }: RecordSurveyAnswerCommand): Promise<CommandOutcome> {
    const answered = await this.executor.execute({ type: 'RecordSurveyAnswer', workOrderId: id, data }, context);
    const { state } = await this.workOrders.load(id);
    if (state.status !== 'closed') return answered;
    const { survey } = state;
    if (survey === null || survey.answer === null) return answered;
    return this.badSurveys.afterAnswer({
      surveyId: `${id}:${state.cycle.number}:${survey.surveyId}`, workOrderId: id, customerId: state.customerId, channel: survey.channel,
      questions: survey.questions, ...survey.answer,
    }, answered, context);
  }
}
