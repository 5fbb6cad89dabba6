import { Injectable } from '@nestjs/common';
import { evolveProduct, initialProductState, productStreamName, upcastProductEvent, type ProductState } from '@app/domain';
import type { LoadedStream } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';

/** Reads a product's stream (product-<serial number>, canonical) and folds it. */
@Injectable()
export class ProductRepository {
  constructor(private readonly eventStore: EventStore) {}

  load(serialNumber: string): Promise<LoadedStream<ProductState>> {
    return loadStream(this.eventStore, productStreamName(serialNumber), { initialState: initialProductState, evolve: evolveProduct, upcast: upcastProductEvent });
  }
}
