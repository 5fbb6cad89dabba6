import { CommandHandler } from '@nestjs/cqrs';
import type { RecordSurveyAnswer } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordSurveyAnswerCommand extends WorkOrderCommandMessage<RecordSurveyAnswer> {
  readonly type = 'RecordSurveyAnswer';
}

@CommandHandler(RecordSurveyAnswerCommand)
export class RecordSurveyAnswerHandler extends WorkOrderCommandHandler<RecordSurveyAnswerCommand> {}
