import { CommandHandler } from '@nestjs/cqrs';
import type { RecordCustomerContact } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordCustomerContactCommand extends WorkOrderCommandMessage<RecordCustomerContact> {
  readonly type = 'RecordCustomerContact';
}

@CommandHandler(RecordCustomerContactCommand)
export class RecordCustomerContactHandler extends WorkOrderCommandHandler<RecordCustomerContactCommand> {}
