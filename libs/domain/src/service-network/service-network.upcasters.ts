import { upcastEventData } from '../event-versions';
import type { ServiceNetworkEvent, ServiceNetworkEventType } from './service-network.events';

/** Schema version of each event type as written today (see complaint.upcasters.ts for the rule). */
export const SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS: Readonly<Record<ServiceNetworkEventType, number>> = {
  ServiceUnitRegistered: 1,
  ServiceUnitRenamed: 1,
  ServiceUnitRegionsChanged: 1,
  EngineerAdded: 1,
  EngineerDeactivated: 1,
  AgentAdded: 1,
  AgentDeactivated: 1,
};

/** A stored service-network event in today's shape; applied on every read. */
export function upcastServiceNetworkEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): ServiceNetworkEvent {
  return { type, data: upcastEventData({ versions: SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS }, type, data, schemaVersion) } as ServiceNetworkEvent;
}
