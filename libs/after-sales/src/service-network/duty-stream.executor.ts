import type { Decider } from '@app/event-sourcing';
import { dutyStreamName, type DutyCommand, type DutyEvent, type DutyState, type DutyVocabulary } from '@app/domain';
import { AggregateCommandExecutor, type AppendPart, type Clock, type CommandContext, type LoadedStream, type WithoutContext } from '@app/complaints';
import type { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';
import { fenceContext } from '../fence-part';

/** A kind of duty as its executor needs it: its words, its decider, and its events' schema versions. */
export interface DutyKind<V extends DutyVocabulary> {
  /** In messages: "engineer duty". */
  readonly name: string;
  readonly vocabulary: V;
  readonly decider: Decider<DutyCommand<V>, DutyEvent<V>, DutyState<V>>;
  readonly schemaVersions: Readonly<Record<DutyEvent<V>['type'], number>>;
  /**
   * For a duty with an opening: what an older log gave the person before `until` (the stream's first
   * event; absent: the whole log), recorded once with the duty's opening (docs/adr/0012).
   */
  readonly olderGivings?: (eventStore: EventStore, personId: string, until: number | undefined) => Promise<string[]>;
}

/** The duty as a decision reads it: folded, and for one not opened yet (an older log's), what the log gave before it. */
interface DutyAsDecided<S> {
  readonly duty: S;
  readonly older?: readonly string[];
}

/** One way of reading the duty for a decision; a duty executor keeps two. */
class DutyDecisions<V extends DutyVocabulary> extends AggregateCommandExecutor<DutyCommand<V>, DutyEvent<V>, DutyAsDecided<DutyState<V>>> {
  constructor(eventStore: EventStore, clock: Clock, { name, vocabulary, decider, schemaVersions }: DutyKind<V>, load: (personId: string) => Promise<LoadedStream<DutyAsDecided<DutyState<V>>>>) {
    const older = vocabulary.opening?.older;
    super(eventStore, clock, {
      kind: name,
      streamName: (personId) => dutyStreamName(vocabulary, personId),
      load,
      decide: (command, { duty, older: given }) => decider.decide(given === undefined || older === undefined ? command : { ...command, [older]: given }, duty),
      schemaVersionOf: (type) => schemaVersions[type as DutyEvent<V>['type']],
    }, (command) => (command.data as Readonly<Record<string, string>>)[vocabulary.person]!);
  }
}

/**
 * A person's duty stream (docs/adr/0012, "One duty-stream decider"): its part in the append of a giving
 * (the fence), of the deactivation (the stand-down) and, for a duty with an opening, of the person's
 * addition. Each part is decided on the duty as each attempt reads it, under a command id of its own
 * derived from the request's (fenceContext).
 */
export class DutyCommandExecutor<V extends DutyVocabulary> {
  /** A giving or a stand-down: on a duty not opened yet, first the lookup of the older log its opening records (once per person). */
  private readonly fence: DutyDecisions<V>;
  /** The opening with the person's addition: a person the directory did not know has no older givings to look up. */
  private readonly opening: DutyDecisions<V>;
  private readonly fold: { readonly initialState: DutyState<V>; evolve(state: DutyState<V>, event: DutyEvent<V>): DutyState<V>; upcast(type: string, data: Record<string, unknown>): DutyEvent<V> };

  protected constructor(private readonly eventStore: EventStore, clock: Clock, private readonly kind: DutyKind<V>) {
    this.fold = { initialState: kind.decider.initialState, evolve: kind.decider.evolve, upcast: (type, data) => ({ type, data }) as DutyEvent<V> };
    const { olderGivings } = kind;
    this.fence = new DutyDecisions(eventStore, clock, kind, async (personId) => {
      const loaded = await this.load(personId);
      const { state, events } = loaded;
      const opened = (state as { readonly opened?: boolean }).opened !== false;
      if (olderGivings === undefined || opened || state.status === 'stood-down') return { ...loaded, state: { duty: state } };
      return { ...loaded, state: { duty: state, older: await olderGivings(eventStore, personId, events[0]?.position) } };
    });
    this.opening = new DutyDecisions(eventStore, clock, kind, async (personId) => {
      const loaded = await this.load(personId);
      return { ...loaded, state: { duty: loaded.state } };
    });
  }

  load(personId: string): Promise<LoadedStream<DutyState<V>>> {
    return loadStream(this.eventStore, dutyStreamName(this.kind.vocabulary, personId), this.fold);
  }

  /** The duty's part of the request's append (fenceContext): decided on the duty as each attempt reads it. */
  fencePart(command: WithoutContext<DutyCommand<V>>, context: CommandContext): AppendPart {
    return (command.type === this.kind.vocabulary.opening?.open ? this.opening : this.fence).part(command, fenceContext(context));
  }
}
