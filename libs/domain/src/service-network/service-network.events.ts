import type { ServiceUnitKind } from '../after-sales-taxonomy';
import type { Actor } from '../principal';
import type { Label } from '../taxonomy';

/** The one stream of the service network and directory: centre, branches, stations, departments, engineers and agents. */
export const SERVICE_NETWORK_STREAM = 'service-network';

export interface ServiceUnitRegistered {
  readonly type: 'ServiceUnitRegistered';
  readonly data: {
    readonly code: string;
    readonly kind: ServiceUnitKind;
    readonly name: Label;
    readonly parent: string | null;
    readonly regions: readonly string[];
    readonly registeredAt: string;
    readonly by: Actor;
    readonly reason: string;
  };
}

export interface ServiceUnitRenamed {
  readonly type: 'ServiceUnitRenamed';
  readonly data: { readonly code: string; readonly name: Label; readonly previousName: Label; readonly renamedAt: string; readonly by: Actor; readonly reason: string };
}

export interface ServiceUnitRegionsChanged {
  readonly type: 'ServiceUnitRegionsChanged';
  readonly data: {
    readonly code: string;
    readonly regions: readonly string[];
    readonly previousRegions: readonly string[];
    readonly changedAt: string;
    readonly by: Actor;
    readonly reason: string;
  };
}

export interface EngineerAdded {
  readonly type: 'EngineerAdded';
  readonly data: {
    readonly engineerId: string;
    readonly name: string;
    readonly station: string;
    readonly skills: readonly string[];
    readonly addedAt: string;
    readonly by: Actor;
    readonly reason: string;
  };
}

export interface EngineerDeactivated {
  readonly type: 'EngineerDeactivated';
  readonly data: { readonly engineerId: string; readonly station: string; readonly deactivatedAt: string; readonly by: Actor; readonly reason: string };
}

export interface AgentAdded {
  readonly type: 'AgentAdded';
  readonly data: { readonly agentId: string; readonly name: string; readonly units: readonly string[]; readonly addedAt: string; readonly by: Actor; readonly reason: string };
}

export interface AgentDeactivated {
  readonly type: 'AgentDeactivated';
  readonly data: { readonly agentId: string; readonly deactivatedAt: string; readonly by: Actor; readonly reason: string };
}

export type ServiceNetworkEvent = ServiceUnitRegistered | ServiceUnitRenamed | ServiceUnitRegionsChanged | EngineerAdded | EngineerDeactivated | AgentAdded | AgentDeactivated;
export type ServiceNetworkEventType = ServiceNetworkEvent['type'];

export const SERVICE_NETWORK_EVENT_TYPES: readonly ServiceNetworkEventType[] = [
  'ServiceUnitRegistered',
  'ServiceUnitRenamed',
  'ServiceUnitRegionsChanged',
  'EngineerAdded',
  'EngineerDeactivated',
  'AgentAdded',
  'AgentDeactivated',
];
