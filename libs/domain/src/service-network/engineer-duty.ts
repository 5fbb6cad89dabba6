import { DomainError } from '../domain-error';
import { dutyDecider, dutyEventTypes, dutyStreamName, type DutyCommand, type DutyEvent, type DutyState } from './duty-stream';

/**
 * An engineer's duty (docs/adr/0012, "A dispatch and a deactivation at one moment"): a dispatch, a
 * redispatch and a reopen that goes to an engineer take the order here in the same atomic append as
 * the order's own events; the deactivation stands the engineer down with the service network's event
 * (the fence the turns' lease is not). Its events are also the orders the deactivation lists from the
 * log: from its first event, `EngineerDutyOpened` (with the engineer's addition, or for an older log's
 * engineer with the orders given before), it holds them all. Decided by the one duty-stream decider.
 */
export const ENGINEER_DUTY = {
  streamPrefix: 'engineer-duty-',
  person: 'engineerId', item: 'workOrderId', items: 'workOrderIds',
  take: 'TakeWorkOrder', standDown: 'StandDownEngineer', taken: 'EngineerWorkOrderTaken', stoodDown: 'EngineerStoodDown',
  /**
   * Opened with the engineer's addition (in the same append as `EngineerAdded`). `olderOrders` is looked
   * up for a duty not opened yet (an older log's engineer): the orders the log's `WorkOrderDispatched`
   * events gave the engineer before this stream's first event, recorded once, as `EngineerDutyOpened`
   * before the command's own event, so no later read of the duty scans for them again.
   */
  opening: { open: 'OpenEngineerDuty', opened: 'EngineerDutyOpened', older: 'olderOrders' },
  /**
   * A complaint assigned to the engineer (the directory lets a complaint go to an engineer of its
   * department): fenced against the deactivation as an order is, but not one of the orders the
   * deactivation lists (docs/adr/0012, "An assignment to an engineer and their deactivation").
   */
  fenceOnly: { take: 'TakeComplaint', taken: 'EngineerComplaintTaken', item: 'complaintId' },
} as const;
export const ENGINEER_DUTY_STREAM_PREFIX = ENGINEER_DUTY.streamPrefix;
export const engineerDutyStreamName = (engineerId: string): string => dutyStreamName(ENGINEER_DUTY, engineerId);

export type EngineerDutyCommand = DutyCommand<typeof ENGINEER_DUTY>;
export type OpenEngineerDuty = Extract<EngineerDutyCommand, { readonly type: 'OpenEngineerDuty' }>;
export type TakeWorkOrder = Extract<EngineerDutyCommand, { readonly type: 'TakeWorkOrder' }>;
export type StandDownEngineer = Extract<EngineerDutyCommand, { readonly type: 'StandDownEngineer' }>;
/** `EngineerDutyOpened`: the orders given before this stream began (`[]` for an engineer added since duty streams open with them); schema 1. */
export type EngineerDutyEvent = DutyEvent<typeof ENGINEER_DUTY>;
export type EngineerDutyState = DutyState<typeof ENGINEER_DUTY>;

export const ENGINEER_DUTY_EVENT_TYPES = dutyEventTypes(ENGINEER_DUTY);
export const ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS: Readonly<Record<EngineerDutyEvent['type'], number>> = { EngineerDutyOpened: 1, EngineerWorkOrderTaken: 1, EngineerComplaintTaken: 1, EngineerStoodDown: 1 };

/**
 * An order given to an engineer whose deactivation is stored: 400 engineer-inactive, as the
 * dispatch's own check answers once it sees the deactivation (handlers decide again on it first).
 */
export class EngineerStoodDownError extends DomainError {
  readonly code = 'engineer-inactive';
  readonly kind = 'invalid' as const;
  readonly field = 'engineerId';
  constructor(readonly engineerId: string) {
    super(`Engineer ${engineerId} is no longer active (deactivated while this order was being given to them); nothing was written. Dispatch the order to an active engineer.`);
  }
}

export const engineerDutyDecider = dutyDecider(ENGINEER_DUTY, (engineerId) => new EngineerStoodDownError(engineerId));
export const { decide: decideEngineerDuty, evolve: evolveEngineerDuty, initialState: initialEngineerDutyState } = engineerDutyDecider;
