import { CommandHandler } from '@nestjs/cqrs';
import type { SendSurvey } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class SendSurveyCommand extends WorkOrderCommandMessage<SendSurvey> {
  readonly type = 'SendSurvey';
}

@CommandHandler(SendSurveyCommand)
export class SendSurveyHandler extends WorkOrderCommandHandler<SendSurveyCommand> {}
