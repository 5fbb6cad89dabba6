import type { Decider } from '@app/event-sourcing';
import { assertNever } from '../assert-never';
import { DomainError } from '../domain-error';
import { principalKey, type Actor } from '../principal';

/**
 * An engineer's duty: the consistency boundary between the orders given to an engineer and their
 * deactivation (docs/adr/0012, "A dispatch and a deactivation at one moment"). A dispatch, a
 * redispatch and a reopen that goes to an engineer append `EngineerWorkOrderTaken` here in the same
 * atomic append as the order's own events; the deactivation appends `EngineerStoodDown` with the
 * service network's event. Both are checked against this stream's revision, so a dispatch decided
 * before a deactivation that is stored first conflicts, is decided again on the stream as it now
 * stands, and is refused: the fence the turns' lease is not. Its events are also the orders the
 * deactivation lists from the log.
 */
export const ENGINEER_DUTY_STREAM_PREFIX = 'engineer-duty-';
/** One stream per engineer as the directory tells them apart (case and width aside). */
export const engineerDutyStreamName = (engineerId: string): string => `${ENGINEER_DUTY_STREAM_PREFIX}${principalKey(engineerId)}`;

export interface TakeWorkOrder {
  readonly type: 'TakeWorkOrder';
  readonly data: { readonly engineerId: string; readonly workOrderId: string };
  readonly at: string;
  readonly actor: Actor;
}
export interface StandDownEngineer {
  readonly type: 'StandDownEngineer';
  readonly data: { readonly engineerId: string };
  readonly at: string;
  readonly actor: Actor;
}
export type EngineerDutyCommand = TakeWorkOrder | StandDownEngineer;

export type EngineerDutyEvent =
  | { readonly type: 'EngineerWorkOrderTaken'; readonly data: { readonly engineerId: string; readonly workOrderId: string; readonly takenAt: string } }
  | { readonly type: 'EngineerStoodDown'; readonly data: { readonly engineerId: string; readonly stoodDownAt: string } };

export const ENGINEER_DUTY_EVENT_TYPES: ReadonlyArray<EngineerDutyEvent['type']> = ['EngineerWorkOrderTaken', 'EngineerStoodDown'];
export const ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS: Readonly<Record<EngineerDutyEvent['type'], number>> = { EngineerWorkOrderTaken: 1, EngineerStoodDown: 1 };

/** The orders given to the engineer, in the order given (an order given twice, once). */
export type EngineerDutyState =
  | { readonly status: 'on-duty'; readonly workOrderIds: readonly string[] }
  | { readonly status: 'stood-down'; readonly workOrderIds: readonly string[]; readonly stoodDownAt: string };

export const initialEngineerDutyState: EngineerDutyState = { status: 'on-duty', workOrderIds: [] };

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

export function decideEngineerDuty(command: EngineerDutyCommand, state: EngineerDutyState): EngineerDutyEvent[] {
  switch (command.type) {
    case 'TakeWorkOrder':
      if (state.status === 'stood-down') throw new EngineerStoodDownError(command.data.engineerId);
      return [{ type: 'EngineerWorkOrderTaken', data: { ...command.data, takenAt: command.at } }];
    case 'StandDownEngineer':
      // Once: the service network refuses a second deactivation before this is asked.
      return state.status === 'stood-down' ? [] : [{ type: 'EngineerStoodDown', data: { engineerId: command.data.engineerId, stoodDownAt: command.at } }];
    default:
      return assertNever(command);
  }
}

export function evolveEngineerDuty(state: EngineerDutyState, event: EngineerDutyEvent): EngineerDutyState {
  switch (event.type) {
    case 'EngineerWorkOrderTaken':
      return state.workOrderIds.includes(event.data.workOrderId) ? state : { ...state, workOrderIds: [...state.workOrderIds, event.data.workOrderId] };
    case 'EngineerStoodDown':
      return { status: 'stood-down', workOrderIds: state.workOrderIds, stoodDownAt: event.data.stoodDownAt };
    default:
      return assertNever(event);
  }
}

export const engineerDutyDecider: Decider<EngineerDutyCommand, EngineerDutyEvent, EngineerDutyState> = {
  decide: decideEngineerDuty,
  evolve: evolveEngineerDuty,
  initialState: initialEngineerDutyState,
};
