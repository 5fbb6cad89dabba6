import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProductNotFoundError, canonicalSerialNumber, lastCoveredDay, type RegisteredProduct } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { ProductRepository } from '../../product/product.repository';

export class GetProductQuery {
  /** As the customer wrote it: any case, spaces around. */
  constructor(readonly serialNumber: string) {}
}

export interface ProductView {
  readonly state: RegisteredProduct;
  /** The last day the warranty covers, as the registry has it now. */
  readonly lastCoveredDay: string;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery, ProductView> {
  constructor(private readonly repository: ProductRepository) {}

  async execute({ serialNumber }: GetProductQuery): Promise<ProductView> {
    const canonical = canonicalSerialNumber(serialNumber);
    const { state, revision, events } = await this.repository.load(canonical);
    if (state.status === 'none') throw new ProductNotFoundError(canonical);
    return { state, lastCoveredDay: lastCoveredDay(state.warranty), revision, events };
  }
}
