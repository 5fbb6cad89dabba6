import { CommandHandler } from '@nestjs/cqrs';
import type { ExtendWarranty } from '@app/domain';
import { ProductCommandHandler, ProductCommandMessage } from '../product-command.base';

export class ExtendWarrantyCommand extends ProductCommandMessage<ExtendWarranty> {
  readonly type = 'ExtendWarranty';
}

@CommandHandler(ExtendWarrantyCommand)
export class ExtendWarrantyHandler extends ProductCommandHandler<ExtendWarrantyCommand> {}
