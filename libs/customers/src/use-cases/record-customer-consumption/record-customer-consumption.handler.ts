import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RecordCustomerConsumption } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { ConsumptionAlertPolicySource } from '../../ports';

export class RecordCustomerConsumptionCommand {
  constructor(
    readonly customerId: string,
    readonly data: Omit<RecordCustomerConsumption['data'], 'policy'>,
    readonly context: CommandContext,
  ) {}
}

/** The month's figure, decided with the alert policy in force: a drop of a key customer is recorded beside it. */
@CommandHandler(RecordCustomerConsumptionCommand)
export class RecordCustomerConsumptionHandler implements ICommandHandler<RecordCustomerConsumptionCommand, CommandOutcome> {
  constructor(
    private readonly executor: CustomerFileCommandExecutor,
    private readonly policies: ConsumptionAlertPolicySource,
  ) {}

  execute({ customerId, data, context }: RecordCustomerConsumptionCommand): Promise<CommandOutcome> {
    return this.executor.execute({ type: 'RecordCustomerConsumption', customerId, data: { ...data, policy: this.policies.current() } }, context);
  }
}
