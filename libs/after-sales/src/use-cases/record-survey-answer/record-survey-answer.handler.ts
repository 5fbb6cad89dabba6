import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RecordSurveyAnswer } from '@app/domain';
import type { CommandOutcome } from '@app/complaints';
import { BadSurveyComplaints } from '../../survey/bad-survey-complaints';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';
import { WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordSurveyAnswerCommand extends WorkOrderCommandMessage<RecordSurveyAnswer> {
  readonly type = 'RecordSurveyAnswer';
}

/** Records the answer of the older per-order survey; a low score then opens a complaint by the same rule as POST /surveys (BadSurveyComplaints). */
@CommandHandler(RecordSurveyAnswerCommand)
export class RecordSurveyAnswerHandler implements ICommandHandler<RecordSurveyAnswerCommand, CommandOutcome> {
  constructor(private readonly executor: WorkOrderCommandExecutor, private readonly badSurveys: BadSurveyComplaints) {}

  async execute({ id, data, context }: RecordSurveyAnswerCommand): Promise<CommandOutcome> {
    return this.badSurveys.afterOrderSurveyAnswer(id, await this.executor.execute({ type: 'RecordSurveyAnswer', workOrderId: id, data }, context), context);
  }
}
