import type { Decider } from '@app/event-sourcing';
import type { DomainError } from '../domain-error';
import { principalKey, type Actor } from '../principal';

/**
 * A person's duty stream (docs/adr/0012, "One duty-stream decider"): the consistency boundary between
 * what is given to a person of the directory (an engineer's work orders, an agent's complaints) and
 * their deactivation. A giving appends its `taken` event in the same atomic append as the given
 * aggregate's own event; the deactivation appends `stoodDown` with the service network's event. Both
 * are checked against this stream's revision, so a giving decided before a deactivation that is stored
 * first conflicts, is decided again on the stream as it now stands, and is refused.
 *
 * One decider for every kind of duty: a kind only names its stream, its commands, its events and their
 * fields (the names stored in the log, never renamed: stored events keep reading as they were written).
 */
export interface DutyVocabulary {
  readonly streamPrefix: string;
  /** The data field naming the person (`engineerId`), the one naming what is given (`workOrderId`), and the state's list of those (`workOrderIds`). */
  readonly person: string;
  readonly item: string;
  readonly items: string;
  /** Command types: a giving, the deactivation's stand-down. */
  readonly take: string;
  readonly standDown: string;
  /** Their event types. */
  readonly taken: string;
  readonly stoodDown: string;
  /**
   * A duty opened with the person's addition (its command and event types, and the command's field with
   * the givings an older log made before the stream's first event): a stream that starts with its
   * opening holds everything ever given, so a deactivation can list it without a scan of the log.
   * Absent: the duty is a fence only, and its stream is never opened.
   */
  readonly opening?: { readonly open: string; readonly opened: string; readonly older: string };
  /**
   * A second kind of giving that is a fence only (an engineer given a complaint): refused after the
   * stand-down and recorded like the first, but not held (the state lists the first kind's items only).
   */
  readonly fenceOnly?: { readonly take: string; readonly taken: string; readonly item: string };
}

type Fields<K extends string, V> = { readonly [P in K]: V };
type Timed = { readonly at: string; readonly actor: Actor };
type OpeningOf<V extends DutyVocabulary> = V extends { readonly opening: infer O extends NonNullable<DutyVocabulary['opening']> } ? O : never;
type FenceOnlyOf<V extends DutyVocabulary> = V extends { readonly fenceOnly: infer F extends NonNullable<DutyVocabulary['fenceOnly']> } ? F : never;
/** Only a duty with an opening has givings looked up for it, and knows whether it was opened. */
type WithOpening<V extends DutyVocabulary, T> = [OpeningOf<V>] extends [never] ? unknown : T;
type Older<V extends DutyVocabulary> = WithOpening<V, Partial<Fields<OpeningOf<V>['older'], readonly string[]>>>;

export type DutyCommand<V extends DutyVocabulary> =
  | ({ readonly type: OpeningOf<V>['open']; readonly data: Fields<V['person'], string> } & Timed)
  | ({ readonly type: V['take']; readonly data: Fields<V['person'] | V['item'], string> } & Timed & Older<V>)
  | ({ readonly type: FenceOnlyOf<V>['take']; readonly data: Fields<V['person'] | FenceOnlyOf<V>['item'], string> } & Timed & Older<V>)
  | ({ readonly type: V['standDown']; readonly data: Fields<V['person'], string> } & Timed & Older<V>);

export type DutyEvent<V extends DutyVocabulary> =
  /** The givings before this stream began (`[]` for a person added since duty streams open with them). */
  | { readonly type: OpeningOf<V>['opened']; readonly data: Fields<V['person'], string> & Fields<V['items'], readonly string[]> & { readonly openedAt: string } }
  | { readonly type: V['taken']; readonly data: Fields<V['person'] | V['item'], string> & { readonly takenAt: string } }
  | { readonly type: FenceOnlyOf<V>['taken']; readonly data: Fields<V['person'] | FenceOnlyOf<V>['item'], string> & { readonly takenAt: string } }
  | { readonly type: V['stoodDown']; readonly data: Fields<V['person'], string> & { readonly stoodDownAt: string } };

/**
 * What was given, in the order given (given twice, once); with an opening, `opened` once the stream
 * holds the givings from before it began, so that they are all here.
 */
export type DutyState<V extends DutyVocabulary> = Fields<V['items'], readonly string[]> & WithOpening<V, { readonly opened: boolean }> &
  ({ readonly status: 'on-duty' } | { readonly status: 'stood-down'; readonly stoodDownAt: string });

/** One stream per person as the directory tells them apart (case and width aside). */
export const dutyStreamName = (vocabulary: DutyVocabulary, personId: string): string => `${vocabulary.streamPrefix}${principalKey(personId)}`;

/** The event types of a kind's duty, in the order the decider may write them. */
export const dutyEventTypes = <V extends DutyVocabulary>(vocabulary: V): ReadonlyArray<DutyEvent<V>['type']> =>
  [...(vocabulary.opening === undefined ? [] : [vocabulary.opening.opened]), vocabulary.taken, ...(vocabulary.fenceOnly === undefined ? [] : [vocabulary.fenceOnly.taken]), vocabulary.stoodDown] as ReadonlyArray<DutyEvent<V>['type']>;

/** Inside the generic decider: a command, an event and a state as plain records (the kind's types hold at its edges). */
type AnyCommand = { readonly type: string; readonly data: Readonly<Record<string, string>>; readonly at: string } & Readonly<Record<string, unknown>>;
type AnyEvent = { readonly type: string; readonly data: Readonly<Record<string, unknown>> };
type AnyState = { readonly status: 'on-duty' | 'stood-down'; readonly opened?: boolean; readonly stoodDownAt?: string } & Readonly<Record<string, unknown>>;

/**
 * The duty decider of a kind. `refusal` is the error a giving after the stand-down gets: the one the
 * giving's own directory check answers once it sees the deactivation (handlers decide again on it first).
 */
export function dutyDecider<V extends DutyVocabulary>(vocabulary: V, refusal: (personId: string) => DomainError): Decider<DutyCommand<V>, DutyEvent<V>, DutyState<V>> {
  const { person, item, items, opening, fenceOnly } = vocabulary;
  /** The givings a kind has: the held one, and the fence-only one. */
  const givings = [{ take: vocabulary.take, taken: vocabulary.taken, item }, ...(fenceOnly === undefined ? [] : [fenceOnly])];
  const held = (state: AnyState): readonly string[] => state[items] as readonly string[];
  const opened = (personId: string, given: readonly string[], openedAt: string): AnyEvent => ({ type: opening!.opened, data: { [person]: personId, [items]: given, openedAt } });
  /** An older log's duty, opened with what was given before it (the command's older givings) in the same append as the command's event. */
  const openingOfOlder = (command: AnyCommand, state: AnyState): AnyEvent[] => {
    const older = opening === undefined || state.opened === true ? undefined : (command[opening.older] as readonly string[] | undefined);
    return older === undefined ? [] : [opened(command.data[person]!, older, command.at)];
  };

  const decide = (command: AnyCommand, state: AnyState): AnyEvent[] => {
    const personId = command.data[person]!;
    const giving = givings.find(({ take }) => take === command.type);
    if (giving !== undefined) {
      if (state.status === 'stood-down') throw refusal(personId);
      return [...openingOfOlder(command, state), { type: giving.taken, data: { [person]: personId, [giving.item]: command.data[giving.item], takenAt: command.at } }];
    }
    if (command.type === vocabulary.standDown) {
      // Once: the service network refuses a second deactivation before this is asked.
      return state.status === 'stood-down' ? [] : [...openingOfOlder(command, state), { type: vocabulary.stoodDown, data: { [person]: personId, stoodDownAt: command.at } }];
    }
    if (command.type !== opening?.open) throw new TypeError(`Not a command of this duty: ${command.type}`);
    // The opening: only on a stream nothing was written to (one that holds givings without their opening is an older log's: its older givings open it).
    return state.opened === true || state.status === 'stood-down' || held(state).length > 0 ? [] : [opened(personId, [], command.at)];
  };

  // Total: history is fact, so an event of another kind (or a fence-only giving) changes nothing rather than throwing.
  const evolve = (state: AnyState, event: AnyEvent): AnyState => {
    if (event.type === vocabulary.taken) {
      const given = event.data[item] as string;
      return held(state).includes(given) ? state : { ...state, [items]: [...held(state), given] };
    }
    if (event.type === vocabulary.stoodDown) return { ...state, status: 'stood-down', stoodDownAt: event.data['stoodDownAt'] as string };
    if (event.type === opening?.opened) {
      // What was given before the stream began comes first, in log order; what it already holds follows.
      const before = [...new Set(event.data[items] as readonly string[])];
      return { ...state, opened: true, [items]: [...before, ...held(state).filter((id) => !before.includes(id))] };
    }
    return state;
  };

  const initialState: AnyState = { status: 'on-duty', [items]: [], ...(opening === undefined ? {} : { opened: false }) };
  return { decide, evolve, initialState } as unknown as Decider<DutyCommand<V>, DutyEvent<V>, DutyState<V>>;
}
