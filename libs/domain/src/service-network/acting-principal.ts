import { DomainError } from '../domain-error';
import type { Actor } from '../principal';
import { EngineerDeactivatedError, NotTheDispatchedEngineerError } from '../work-order/work-order.errors';
import { personById } from './directory';
import type { ServiceNetworkState } from './service-network.state';

/**
 * The acting agent has been deactivated in the service network: their token, still valid, no longer
 * acts on any complaint or work order (403, nothing written). Their work goes on with someone else.
 */
export class AgentDeactivatedError extends DomainError {
  readonly code = 'agent-deactivated';
  readonly kind = 'forbidden' as const;
  constructor(readonly agentId: string, readonly deactivatedAt: string | null) {
    super(`Agent ${agentId} was deactivated in the service network${deactivatedAt === null ? '' : ` at ${deactivatedAt}`} and may no longer act on complaints, work orders, surveys or customer files; nothing was written. `
      + 'To go on with a complaint: a supervisor reassigns it to an active agent (POST /complaints/{id}/assign), and another agent of the desk takes on a work order; the admin revokes the token (POST /access/tokens/{tokenId}/revoke).');
  }
}

/**
 * Whether the actor may act at all: an engineer or an agent whom the service network has deactivated
 * may not, whatever aggregate and command (their token stays valid until an admin revokes it, and
 * reads are left to it). Checked against the network as it stands when the command is decided. Other
 * roles, and principals the directory does not list, are not the network's to judge (ADR 0012, "An
 * engineer who left").
 */
export function requireActingPrincipal(network: ServiceNetworkState, actor: Actor): void {
  const deactivated = actorDeactivation(network, actor);
  if (deactivated !== null) throw deactivated;
}

/**
 * Why the actor may not act at all, as requireActingPrincipal refuses it (the same code and words),
 * or null: what GET /session and a complaint's allowedActions tell a front-end before it offers an
 * action the API would refuse.
 */
export function actorDeactivation(network: ServiceNetworkState, actor: Actor): AgentDeactivatedError | EngineerDeactivatedError | null {
  if (actor.role === 'engineer') {
    const engineer = personById(network.engineers, actor.id);
    if (engineer !== undefined && !engineer.active) return new EngineerDeactivatedError(engineer.id, engineer.deactivatedAt);
  }
  if (actor.role === 'agent') {
    const agent = personById(network.agents, actor.id);
    if (agent !== undefined && !agent.active) return new AgentDeactivatedError(agent.id, agent.deactivatedAt);
  }
  return null;
}

/**
 * An engineer acts only on the work orders dispatched to them: an engineer whom the directory lists
 * (matched as requireActingPrincipal matches) and who is not the order's dispatched engineer is
 * refused (403 not-the-dispatched-engineer), whatever the command; an order not dispatched yet, other
 * roles, and engineer principals the directory does not list are left to the roles and the state, as
 * the deactivation check leaves them (ADR 0012, "An engineer acts on the orders dispatched to them").
 */
export function requireDispatchedEngineer(network: ServiceNetworkState, actor: Actor, order: { readonly workOrderId: string; readonly dispatchedTo: string | null }): void {
  if (actor.role !== 'engineer' || order.dispatchedTo === null) return;
  const engineer = personById(network.engineers, actor.id);
  if (engineer !== undefined && engineer.id !== order.dispatchedTo) throw new NotTheDispatchedEngineerError(order.workOrderId, engineer.id, order.dispatchedTo);
}

