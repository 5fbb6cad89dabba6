import { departmentInScope, type DepartmentScope } from '../access-control';
import { samePrincipal, type Actor } from '../principal';
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
  if (order.servicePoint !== null) return departmentInScope(scope, order.servicePoint);
  return samePrincipal(order.reportedBy.id, actorId);
}

