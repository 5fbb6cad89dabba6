import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerFileNotFoundError, type CustomerFileState } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { CustomerFileRepository } from '../../customer-file-repository';

export class GetCustomerFileQuery {
  constructor(readonly customerId: string) {}
}

export interface CustomerFileView {
  readonly state: Exclude<CustomerFileState, { status: 'none' }>;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** The file folded from its stream: always up to date, whatever the read models say. */
@QueryHandler(GetCustomerFileQuery)
export class GetCustomerFileHandler implements IQueryHandler<GetCustomerFileQuery, CustomerFileView> {
  constructor(private readonly repository: CustomerFileRepository) {}

  async execute({ customerId }: GetCustomerFileQuery): Promise<CustomerFileView> {
    const { state, revision, events } = await this.repository.load(customerId);
    if (state.status === 'none') throw new CustomerFileNotFoundError(customerId);
    return { state, revision, events };
  }
}
