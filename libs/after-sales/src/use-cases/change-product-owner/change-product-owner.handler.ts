import { CommandHandler } from '@nestjs/cqrs';
import type { ChangeProductOwner } from '@app/domain';
import { ProductCommandHandler, ProductCommandMessage } from '../product-command.base';

export class ChangeProductOwnerCommand extends ProductCommandMessage<ChangeProductOwner> {
  readonly type = 'ChangeProductOwner';
}

@CommandHandler(ChangeProductOwnerCommand)
export class ChangeProductOwnerHandler extends ProductCommandHandler<ChangeProductOwnerCommand> {}
