import type { Decider } from '@app/event-sourcing';
import type { ServiceNetworkCommand } from './service-network.commands';
import { decideServiceNetwork } from './service-network.decide';
import type { ServiceNetworkEvent } from './service-network.events';
import { evolveServiceNetwork } from './service-network.evolve';
import { initialServiceNetworkState, type ServiceNetworkState } from './service-network.state';

export const serviceNetworkDecider: Decider<ServiceNetworkCommand, ServiceNetworkEvent, ServiceNetworkState> = {
  decide: decideServiceNetwork,
  evolve: evolveServiceNetwork,
  initialState: initialServiceNetworkState,
};
