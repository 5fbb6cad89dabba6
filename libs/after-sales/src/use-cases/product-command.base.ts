import { Injectable } from '@nestjs/common';
import { canonicalSerialNumber, type ProductCommand } from '@app/domain';
import { AggregateCommandHandler, AggregateCommandMessage, type WithoutContext } from '@app/complaints';
import { ProductCommandExecutor } from '../product/product-command.executor';

/** A command about one product of the registry, known by its serial number as the customer wrote it. */
export abstract class ProductCommandMessage<C extends ProductCommand> extends AggregateCommandMessage<C> {}

/** The serial number is made canonical (trimmed, upper case) here: it is the stream's id. */
@Injectable()
export abstract class ProductCommandHandler<M extends ProductCommandMessage<ProductCommand>> extends AggregateCommandHandler<M, ProductCommand> {
  constructor(executor: ProductCommandExecutor) {
    super(executor, (type, serialNumber, data) => ({ type, serialNumber: canonicalSerialNumber(serialNumber), data }) as WithoutContext<ProductCommand>);
  }
}
