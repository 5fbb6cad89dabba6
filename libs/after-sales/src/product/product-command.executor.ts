import { Injectable } from '@nestjs/common';
import { PRODUCT_EVENT_SCHEMA_VERSIONS, decideProduct, productStreamName, type ProductCommand, type ProductEvent, type ProductState } from '@app/domain';
import { Clock, StreamCommandExecutor, type CommandContext, type CommandOutcome, type WithoutContext } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ProductRepository } from './product.repository';

/** Handles one command on a product of the registry; the id is the canonical serial number. */
@Injectable()
export class ProductCommandExecutor {
  private readonly executor: StreamCommandExecutor<ProductCommand, ProductEvent, ProductState>;

  constructor(eventStore: EventStore, repository: ProductRepository, clock: Clock) {
    this.executor = new StreamCommandExecutor(eventStore, clock, {
      kind: 'product',
      streamName: productStreamName,
      load: (serialNumber) => repository.load(serialNumber),
      decide: (command, state) => decideProduct(command, state),
      schemaVersionOf: (type) => PRODUCT_EVENT_SCHEMA_VERSIONS[type as ProductEvent['type']],
    });
  }

  execute(command: WithoutContext<ProductCommand>, context: CommandContext): Promise<CommandOutcome> {
    return this.executor.execute(command.serialNumber, command, context);
  }
}
