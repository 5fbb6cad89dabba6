import type { DepartmentScope } from '../access-control';
import type { Actor } from '../principal';
import type { ServiceNetworkState } from '../service-network/service-network.state';
import { EngineerDeactivatedError } from './work-order.errors';
import type { ExistingWorkOrder } from './work-order.state';

/**
 * The service point a work order is with: the department that a token limited to departments must
 * hold to see it (an engineer's token is limited to its station's code). Null before the first
 * dispatch, and for an order cancelled before it.
 */
export function servicePointOf(order: ExistingWorkOrder): string | null {
  return 'dispatch' in order && order.dispatch !== null ? order.dispatch.stationCode : null;
}

/**
 * Whether a principal limited to departments sees and acts on a work order, narrowed as complaints
 * are: one with a service point of its departments, or one not dispatched yet that it reported
 * itself. A redispatch to another station moves the order out of the first station's sight.
 */
export function workOrderInScope(order: { readonly reportedBy: Actor; readonly servicePoint: string | null }, actorId: string, scope: DepartmentScope): boolean {
  if (scope === 'all') return true;
  if (order.servicePoint !== null) return scope.includes(order.servicePoint);
  return order.reportedBy.id === actorId;
}

/**
 * Whether the actor may act on work orders at all: an engineer whom the service network has
 * deactivated may not, whatever order and command (their token stays valid until an admin revokes
 * it, and reads are left to it). Checked against the network as it stands when the command is
 * decided. Other roles, and engineer principals the directory does not list, are not the network's
 * to judge (ADR 0012, "An engineer who left").
 */
export function requireActingEngineer(network: ServiceNetworkState, actor: Actor): void {
  if (actor.role !== 'engineer') return;
  const engineer = network.engineers.get(actor.id);
  if (engineer !== undefined && !engineer.active) throw new EngineerDeactivatedError(engineer.id, engineer.deactivatedAt);
}
