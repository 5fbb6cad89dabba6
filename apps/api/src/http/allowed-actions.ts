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

/** What an action does, as "The agent role may not …" says it (an action is named by its route's last word, often a noun). */
export const ACTION_WORDS: Readonly<Record<string, string>> = {
  // A complaint's.
  apologise: 'apologise to the customer', validate: 'validate the complaint', reject: 'reject the complaint', assign: 'assign the complaint', escalate: 'escalate it',
  resolve: 'resolve the complaint', callback: 'record the follow-up call', reopen: 'reopen it', visit: 'record a visit', notes: 'add a note', contact: 'record a contact with the customer',
  correct: 'correct the complaint', attachments: 'attach a file', tags: 'tag the complaint', related: 'relate it to another complaint', unrelate: 'undo a relation to another complaint',
  // A work order's.
  dispatch: 'dispatch the order', redispatch: 'redispatch the order', 'remote-diagnosis': 'record a remote diagnosis', 'schedule-visit': 'schedule a visit',
  arrive: 'record the arrival on site', 'failed-visit': 'record a failed visit', findings: 'record the findings', quote: 'give a quote', 'confirm-quote': 'confirm the quote',
  'refuse-quote': 'record a refused quote', work: 'record the repair work', fee: 'record the fee', test: 'record the test', 'sign-off': 'record the customer\'s sign-off',
  'hand-over': 'hand the product over', survey: 'send the order\'s survey', 'survey-answer': 'record the survey\'s answer', cancel: 'cancel the order',
  'link-complaint': 'link a complaint',
};
const wordsOf = (action: string): string => ACTION_WORDS[action] ?? `take the action ${action}`;

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
      return { action, allowed: false, reason: { code: 'role-not-allowed', message: `The ${actor.role} role may not ${wordsOf(action)}; allowed: ${roles.join(', ')}.` } };
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
