import { CommandHandler } from '@nestjs/cqrs';
import type { RegisterProduct } from '@app/domain';
import { ProductCommandHandler, ProductCommandMessage } from '../product-command.base';

export class RegisterProductCommand extends ProductCommandMessage<RegisterProduct> {
  readonly type = 'RegisterProduct';
}

@CommandHandler(RegisterProductCommand)
export class RegisterProductHandler extends ProductCommandHandler<RegisterProductCommand> {}
