import { CommandHandler } from '@nestjs/cqrs';
import type { RecordCustomerEvaluation } from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

export class RecordCustomerEvaluationCommand extends CustomerFileCommandMessage<RecordCustomerEvaluation> {
  readonly type = 'RecordCustomerEvaluation';
}

@CommandHandler(RecordCustomerEvaluationCommand)
export class RecordCustomerEvaluationHandler extends CustomerFileCommandHandler<RecordCustomerEvaluationCommand> {}
