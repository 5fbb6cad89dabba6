import { Injectable } from '@nestjs/common';
import { requireActingPrincipal, type Actor } from '@app/domain';
import { ActingCheck } from '@app/complaints';
import { ServiceNetworkRepository } from './service-network.repository';

/**
 * The complaint executor's ActingCheck: an agent the service network has deactivated no longer acts
 * on complaints (403 agent-deactivated). Only an agent's command reads the network, and then only
 * what was written to it since the last read (ServiceNetworkRepository.current()).
 */
@Injectable()
export class ServiceNetworkActingCheck extends ActingCheck {
  constructor(private readonly network: ServiceNetworkRepository) {
    super();
  }

  override async requireActing(actor: Actor): Promise<void> {
    if (actor.role !== 'agent') return;
    requireActingPrincipal(await this.network.current(), actor);
  }
}
