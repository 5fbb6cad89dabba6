import { DomainError, type Actor, type Role } from '@app/domain';

/** Why an action is refused: the code and the words of the problem+json its command would answer. */
export interface ActionReason {
  readonly code: string;
  readonly message: string;
}

/** One entry of a resource's allowedActions. */
export interface AllowedAction<A extends string> {
  readonly action: A;
  readonly allowed: boolean;
  readonly reason: ActionReason | null;
}

/**
 * Each action with whether this principal may take it now, and why not, in the order the commands
 * check it: the role as the action's route allows it (its @Roles), then whether the principal may
 * act at all (the 403 every command of a deactivated engineer or agent answers), then the state as
 * the aggregate's decision judges it. A front-end shows this and re-implements none of these rules.
 */
export function allowedActions<A extends string>(
  actions: readonly A[],
  actor: Actor,
  rolesOf: (action: A) => readonly Role[],
  deactivation: ActionReason | null,
  refusalOf: (action: A) => ActionReason | null,
): Array<AllowedAction<A>> {
  return actions.map((action) => {
    const roles = rolesOf(action);
    if (!(roles as readonly string[]).includes(actor.role)) {
      return { action, allowed: false, reason: { code: 'role-not-allowed', message: `The ${actor.role} role may not ${action}; allowed: ${roles.join(', ')}.` } };
    }
    if (deactivation !== null) return { action, allowed: false, reason: deactivation };
    const refusal = refusalOf(action);
    return refusal === null ? { action, allowed: true, reason: null } : { action, allowed: false, reason: refusal };
  });
}

/** The refusal a check of the acting principal gives every command now (403 agent-deactivated, engineer-deactivated), or null. */
export async function actingRefusal(requireActing: () => Promise<void>): Promise<ActionReason | null> {
  try {
    await requireActing();
    return null;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'forbidden') return { code: error.code, message: error.message };
    throw error;
  }
}
