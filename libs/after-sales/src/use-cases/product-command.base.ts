import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import { canonicalSerialNumber, type ProductCommand } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { ProductCommandExecutor } from '../product/product-command.executor';

/** A command about one product of the registry, known by its serial number as the customer wrote it. */
export abstract class ProductCommandMessage<C extends ProductCommand> {
  abstract readonly type: C['type'];
  constructor(
    readonly serialNumber: string,
    readonly data: C['data'],
    readonly context: CommandContext,
  ) {}
}

/** The serial number is made canonical (trimmed, upper case) here: it is the stream's id. */
@Injectable()
export abstract class ProductCommandHandler<M extends ProductCommandMessage<ProductCommand>> implements ICommandHandler<ProductCommandMessage<ProductCommand>, CommandOutcome> {
  constructor(private readonly executor: ProductCommandExecutor) {}

  execute(message: M): Promise<CommandOutcome> {
    const { type, serialNumber, data, context } = message;
    return this.executor.execute({ type, serialNumber: canonicalSerialNumber(serialNumber), data } as Parameters<ProductCommandExecutor['execute']>[0], context);
  }
}
