import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Engineer, ServiceUnit } from '@app/domain';
import { ServiceNetworkRepository } from '../../service-network/service-network.repository';

export class GetServiceNetworkQuery {}

/** The directory as lists (units in registration order, then engineers in the order they were added); revision -1 when empty. */
export interface ServiceNetworkView {
  readonly revision: number;
  readonly units: readonly ServiceUnit[];
  readonly engineers: readonly Engineer[];
}

@QueryHandler(GetServiceNetworkQuery)
export class GetServiceNetworkHandler implements IQueryHandler<GetServiceNetworkQuery, ServiceNetworkView> {
  constructor(private readonly repository: ServiceNetworkRepository) {}

  async execute(): Promise<ServiceNetworkView> {
    const { state, revision } = await this.repository.load();
    return { revision, units: [...state.units.values()], engineers: [...state.engineers.values()] };
  }
}
