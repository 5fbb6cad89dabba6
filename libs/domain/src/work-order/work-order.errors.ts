import { DomainError } from '../domain-error';
import type { WorkOrderCommandType } from './work-order.commands';

/** The closed set of refusals decideWorkOrder may throw; the HTTP edge maps each by its kind. */
export abstract class WorkOrderDomainError extends DomainError {}

export class WorkOrderNotFoundError extends WorkOrderDomainError {
  readonly code = 'work-order-not-found';
  readonly kind = 'not-found' as const;
  constructor(readonly workOrderId: string) {
    super(`No work order with id ${workOrderId}.`);
  }
}

export class WorkOrderAlreadyExistsError extends WorkOrderDomainError {
  readonly code = 'work-order-already-exists';
  readonly kind = 'conflict' as const;
  constructor(readonly workOrderId: string) {
    super(`Work order ${workOrderId} has already been reported.`);
  }
}

/**
 * The acting engineer has been deactivated in the service network: their token, still valid, no
 * longer acts on any work order (403, nothing written). Their orders go on with someone else.
 */
export class EngineerDeactivatedError extends WorkOrderDomainError {
  readonly code = 'engineer-deactivated';
  readonly kind = 'forbidden' as const;
  constructor(readonly engineerId: string, readonly deactivatedAt: string | null) {
    super(`Engineer ${engineerId} was deactivated in the service network${deactivatedAt === null ? '' : ` at ${deactivatedAt}`} and may no longer act on work orders; nothing was written. `
      + 'To go on with an order: a supervisor redispatches the order to an active engineer of its station (redispatch, with a reason), or reopens a repaired one with engineerId.');
  }
}

/**
 * An engineer acting on an order dispatched to another engineer (403, nothing written): the field work
 * of an order is its dispatched engineer's. Someone else taking it over is a supervisor's redispatch.
 */
export class NotTheDispatchedEngineerError extends WorkOrderDomainError {
  readonly code = 'not-the-dispatched-engineer';
  readonly kind = 'forbidden' as const;
  constructor(readonly workOrderId: string, readonly engineerId: string, readonly dispatchedTo: string) {
    super(`Work order ${workOrderId} is dispatched to ${dispatchedTo}, not to ${engineerId}: only the engineer it is dispatched to acts on it; nothing was written. `
      + `If ${engineerId} takes it over, a supervisor redispatches it to them first (POST /work-orders/${workOrderId}/redispatch, with a reason).`);
  }
}

/** Every rule the order's state can break, by its stable code. */
export const WORK_ORDER_REFUSAL_CODES = [
  'not-dispatched', 'not-open', 'not-on-site', 'already-on-site', 'already-fixed', 'already-signed-off', 'not-dispatchable', 'already-dispatched', 'already-visited', 'no-visit', 'findings-locked', 'findings-not-recorded', 'warranty-not-assessed', 'covered-by-warranty', 'charge-covered-by-warranty', 'quote-already-confirmed', 'no-pending-quote', 'quote-superseded', 'quote-not-confirmed', 'quote-pending', 'fee-already-charged', 'fee-on-warranty-repair', 'no-chargeable-work', 'fee-exceeds-quote', 'no-work-recorded', 'test-not-passed', 'not-signed-off', 'fee-not-recorded', 'not-closed', 'survey-already-sent', 'survey-already-open', 'survey-not-sent', 'survey-already-answered', 'not-reopenable', 'repeat-window-passed', 'engineer-no-longer-active', 'not-escalatable', 'escalation-level-not-higher', 'already-linked', 'clock-not-running', 'clock-met', 'breach-already-recorded', 'deadline-not-passed',
] as const;
export type WorkOrderRefusal = (typeof WORK_ORDER_REFUSAL_CODES)[number];

/** The command is not allowed in the order's current state (409, nothing written). */
export class IllegalWorkOrderTransitionError extends WorkOrderDomainError {
  readonly kind = 'conflict' as const;
  constructor(
    readonly code: WorkOrderRefusal,
    readonly command: WorkOrderCommandType,
    readonly currentStatus: string,
    message: string,
  ) {
    super(message);
  }
}

export const INVALID_WORK_ORDER_COMMAND_CODES = [
  'invalid-serial-number', 'invalid-region', 'invalid-policy', 'invalid-repeat-window', 'description-required', 'unknown-station', 'not-a-service-point', 'unknown-engineer', 'engineer-not-at-station', 'engineer-inactive', 'reason-required', 'findings-required', 'invalid-time', 'visit-in-past', 'visit-too-far-ahead', 'damage-reason-required', 'product-mismatch', 'quote-empty', 'invalid-money', 'invalid-amount', 'mixed-currencies', 'currency-mismatch', 'confirmed-by-required', 'unknown-quote', 'invalid-part-number', 'invalid-quantity', 'signed-by-required', 'invalid-survey-id', 'questions-required', 'invalid-question-id', 'duplicate-question', 'question-text-required', 'answers-required', 'unknown-question', 'duplicate-answer', 'invalid-score', 'invalid-level', 'escalation-target-required', 'complaint-id-required', 'blank-text',
] as const;
export type InvalidWorkOrderCommand = (typeof INVALID_WORK_ORDER_COMMAND_CODES)[number];

/** The command itself breaks a rule whatever the state: a value out of range, an unknown station or engineer (400). */
export class InvalidWorkOrderCommandError extends WorkOrderDomainError {
  readonly kind = 'invalid' as const;
  constructor(
    readonly code: InvalidWorkOrderCommand,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
