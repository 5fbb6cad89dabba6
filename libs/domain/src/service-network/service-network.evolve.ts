import { assertNever } from '../assert-never';
import type { ServiceNetworkEvent } from './service-network.events';
import { initialServiceNetworkState, type ServiceNetworkState } from './service-network.state';

/** Total, like every evolve: an event about a unit or engineer the state lacks (imported history) changes nothing. */
export function evolveServiceNetwork(state: ServiceNetworkState, event: ServiceNetworkEvent): ServiceNetworkState {
  switch (event.type) {
    case 'ServiceUnitRegistered': {
      const { code, kind, name, parent, regions, registeredAt } = event.data;
      return { ...state, units: new Map(state.units).set(code, { code, kind, name, parent, regions, registeredAt }) };
    }
    case 'ServiceUnitRenamed': {
      const unit = state.units.get(event.data.code);
      return unit ? { ...state, units: new Map(state.units).set(unit.code, { ...unit, name: event.data.name }) } : state;
    }
    case 'ServiceUnitRegionsChanged': {
      const unit = state.units.get(event.data.code);
      return unit ? { ...state, units: new Map(state.units).set(unit.code, { ...unit, regions: event.data.regions }) } : state;
    }
    case 'EngineerAdded': {
      const { engineerId, name, station, skills, addedAt } = event.data;
      return { ...state, engineers: new Map(state.engineers).set(engineerId, { id: engineerId, name, station, skills, active: true, addedAt, deactivatedAt: null }) };
    }
    case 'EngineerDeactivated': {
      const engineer = state.engineers.get(event.data.engineerId);
      if (!engineer) return state;
      return { ...state, engineers: new Map(state.engineers).set(engineer.id, { ...engineer, active: false, deactivatedAt: event.data.deactivatedAt }) };
    }
    case 'AgentAdded': {
      const { agentId, name, units, addedAt } = event.data;
      return { ...state, agents: new Map(state.agents).set(agentId, { id: agentId, name, units, active: true, addedAt, deactivatedAt: null }) };
    }
    case 'AgentDeactivated': {
      const agent = state.agents.get(event.data.agentId);
      if (!agent) return state;
      return { ...state, agents: new Map(state.agents).set(agent.id, { ...agent, active: false, deactivatedAt: event.data.deactivatedAt }) };
    }
    default:
      return assertNever(event);
  }
}

export function foldServiceNetwork(events: Iterable<ServiceNetworkEvent>, state: ServiceNetworkState = initialServiceNetworkState): ServiceNetworkState {
  let current = state;
  for (const event of events) current = evolveServiceNetwork(current, event);
  return current;
}
