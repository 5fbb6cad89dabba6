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
 * deactivation lists from the log: from its first event, `EngineerDutyOpened` (with the engineer's
 * addition, or for an older log's engineer with the orders given before), it holds them all.
 */
export const ENGINEER_DUTY_STREAM_PREFIX = 'engineer-duty-';
/** One stream per engineer as the directory tells them apart (case and width aside). */
export const engineerDutyStreamName = (engineerId: string): string => `${ENGINEER_DUTY_STREAM_PREFIX}${principalKey(engineerId)}`;

/**
 * The duty opened with the engineer's addition (in the same append as `EngineerAdded`): a stream that
 * starts with `EngineerDutyOpened` holds every order ever given to the engineer, so the deactivation's
 * list needs no scan of the log.
 */
export interface OpenEngineerDuty {
  readonly type: 'OpenEngineerDuty';
  readonly data: { readonly engineerId: string };
  readonly at: string;
  readonly actor: Actor;
}
export interface TakeWorkOrder {
  readonly type: 'TakeWorkOrder';
  readonly data: { readonly engineerId: string; readonly workOrderId: string };
  readonly at: string;
  readonly actor: Actor;
  /**
   * Looked up for a duty not opened yet (an older log's engineer): the orders the log's
   * `WorkOrderDispatched` events gave the engineer before this stream's first event (the whole log when
   * it has none). Recorded once, as `EngineerDutyOpened` before the command's own event, so no later
   * read of the duty scans for them again.
   */
  readonly olderOrders?: readonly string[];
}
export interface StandDownEngineer {
  readonly type: 'StandDownEngineer';
  readonly data: { readonly engineerId: string };
  readonly at: string;
  readonly actor: Actor;
  /** As {@link TakeWorkOrder.olderOrders}. */
  readonly olderOrders?: readonly string[];
}
export type EngineerDutyCommand = OpenEngineerDuty | TakeWorkOrder | StandDownEngineer;

export type EngineerDutyEvent =
  /** The orders given before this stream began (`[]` for an engineer added since duty streams open with them); schema 1. */
  | { readonly type: 'EngineerDutyOpened'; readonly data: { readonly engineerId: string; readonly workOrderIds: readonly string[]; readonly openedAt: string } }
  | { readonly type: 'EngineerWorkOrderTaken'; readonly data: { readonly engineerId: string; readonly workOrderId: string; readonly takenAt: string } }
  | { readonly type: 'EngineerStoodDown'; readonly data: { readonly engineerId: string; readonly stoodDownAt: string } };

export const ENGINEER_DUTY_EVENT_TYPES: ReadonlyArray<EngineerDutyEvent['type']> = ['EngineerDutyOpened', 'EngineerWorkOrderTaken', 'EngineerStoodDown'];
export const ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS: Readonly<Record<EngineerDutyEvent['type'], number>> = { EngineerDutyOpened: 1, EngineerWorkOrderTaken: 1, EngineerStoodDown: 1 };

/**
 * The orders given to the engineer, in the order given (an order given twice, once); `opened` once the
 * stream holds the orders given before it began (`EngineerDutyOpened`), so that they are all here.
 */
export type EngineerDutyState =
  | { readonly status: 'on-duty'; readonly workOrderIds: readonly string[]; readonly opened: boolean }
  | { readonly status: 'stood-down'; readonly workOrderIds: readonly string[]; readonly opened: boolean; readonly stoodDownAt: string };

export const initialEngineerDutyState: EngineerDutyState = { status: 'on-duty', workOrderIds: [], opened: false };

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
    case 'OpenEngineerDuty':
      // Only a stream nothing was written to: one that holds orders without their opening is an older log's (olderOrders opens it).
      return state.opened || state.status === 'stood-down' || state.workOrderIds.length > 0 ? [] : [opening(command.data.engineerId, [], command.at)];
    case 'TakeWorkOrder': {
      if (state.status === 'stood-down') throw new EngineerStoodDownError(command.data.engineerId);
      const { engineerId, workOrderId } = command.data;
      return [...openingOfOlder(command, state), { type: 'EngineerWorkOrderTaken', data: { engineerId, workOrderId, takenAt: command.at } }];
    }
    case 'StandDownEngineer':
      // Once: the service network refuses a second deactivation before this is asked.
      return state.status === 'stood-down' ? [] : [...openingOfOlder(command, state), { type: 'EngineerStoodDown', data: { engineerId: command.data.engineerId, stoodDownAt: command.at } }];
    default:
      return assertNever(command);
  }
}

const opening = (engineerId: string, workOrderIds: readonly string[], openedAt: string): EngineerDutyEvent => ({ type: 'EngineerDutyOpened', data: { engineerId, workOrderIds, openedAt } });

/** An older log's duty, opened with the orders given before it (olderOrders) in the same append as the command's event. */
function openingOfOlder(command: TakeWorkOrder | StandDownEngineer, state: EngineerDutyState): EngineerDutyEvent[] {
  return state.opened || command.olderOrders === undefined ? [] : [opening(command.data.engineerId, command.olderOrders, command.at)];
}

export function evolveEngineerDuty(state: EngineerDutyState, event: EngineerDutyEvent): EngineerDutyState {
  switch (event.type) {
    case 'EngineerDutyOpened': {
      // The orders given before the stream began come first, in log order; those it already holds follow.
      const before = [...new Set(event.data.workOrderIds)];
      return { ...state, opened: true, workOrderIds: [...before, ...state.workOrderIds.filter((id) => !before.includes(id))] };
    }
    case 'EngineerWorkOrderTaken':
      return state.workOrderIds.includes(event.data.workOrderId) ? state : { ...state, workOrderIds: [...state.workOrderIds, event.data.workOrderId] };
    case 'EngineerStoodDown':
      return { status: 'stood-down', workOrderIds: state.workOrderIds, opened: state.opened, stoodDownAt: event.data.stoodDownAt };
    default:
      return assertNever(event);
  }
}

export const engineerDutyDecider: Decider<EngineerDutyCommand, EngineerDutyEvent, EngineerDutyState> = {
  decide: decideEngineerDuty,
  evolve: evolveEngineerDuty,
  initialState: initialEngineerDutyState,
};
