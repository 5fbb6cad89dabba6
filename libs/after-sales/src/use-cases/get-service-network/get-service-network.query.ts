import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Agent, Engineer, ServiceUnit } from '@app/domain';
import { ServiceNetworkRepository } from '../../service-network/service-network.repository';

export class GetServiceNetworkQuery {}

/** The directory as lists (units in registration order, engineers and agents in the order they were added); revision -1 when empty. */
export interface ServiceNetworkView {
  readonly revision: number;
  readonly units: readonly ServiceUnit[];
  readonly engineers: readonly Engineer[];
  readonly agents: readonly Agent[];
}

@QueryHandler(GetServiceNetworkQuery)
export class GetServiceNetworkHandler implements IQueryHandler<GetServiceNetworkQuery, ServiceNetworkView> {
  constructor(private readonly repository: ServiceNetworkRepository) {}

  async execute(): Promise<ServiceNetworkView> {
    const { state, revision } = await this.repository.load();
    return { revision, units: [...state.units.values()], engineers: [...state.engineers.values()], agents: [...state.agents.values()] };
  }
}
