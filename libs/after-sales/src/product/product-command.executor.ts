import { Injectable } from '@nestjs/common';
import { PRODUCT_EVENT_SCHEMA_VERSIONS, decideProduct, productStreamName, type ProductCommand, type ProductEvent, type ProductState } from '@app/domain';
import { AggregateCommandExecutor, Clock } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ProductRepository } from './product.repository';

/** Handles one command on a product of the registry; the id is the canonical serial number. */
@Injectable()
export class ProductCommandExecutor extends AggregateCommandExecutor<ProductCommand, ProductEvent, ProductState> {
  constructor(eventStore: EventStore, repository: ProductRepository, clock: Clock) {
    super(eventStore, clock, {
      kind: 'product',
      streamName: productStreamName,
      load: (serialNumber) => repository.load(serialNumber),
      decide: (command, state) => decideProduct(command, state),
      schemaVersionOf: (type) => PRODUCT_EVENT_SCHEMA_VERSIONS[type as ProductEvent['type']],
    }, (command) => command.serialNumber);
  }
}
