import { Injectable } from '@nestjs/common';
import {
  ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS, decideEngineerDuty, engineerDutyStreamName, evolveEngineerDuty, initialEngineerDutyState,
  type EngineerDutyCommand, type EngineerDutyEvent, type EngineerDutyState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock, type AppendPart, type CommandContext, type LoadedStream, type WithoutContext } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';
import { fenceContext } from '../fence-part';
import { ordersDispatchedBefore } from './older-dispatches';

const DUTY_FOLD = { initialState: initialEngineerDutyState, evolve: evolveEngineerDuty, upcast: (type: string, data: Record<string, unknown>) => ({ type, data }) as EngineerDutyEvent };

/** The duty as a decision reads it: folded, and for one not opened yet (an older log's), the orders the log gave before it. */
interface DutyAsDecided {
  readonly duty: EngineerDutyState;
  readonly olderOrders?: readonly string[];
}

/** One way of reading the duty for a decision; the executor below keeps two. */
class DutyStreamExecutor extends AggregateCommandExecutor<EngineerDutyCommand, EngineerDutyEvent, DutyAsDecided> {
  constructor(eventStore: EventStore, clock: Clock, load: (engineerId: string) => Promise<LoadedStream<DutyAsDecided>>) {
    super(eventStore, clock, {
      kind: 'engineer duty',
      streamName: engineerDutyStreamName,
      load,
      decide: (command, { duty, olderOrders }) => decideEngineerDuty(olderOrders === undefined || command.type === 'OpenEngineerDuty' ? command : { ...command, olderOrders }, duty),
      schemaVersionOf: (type) => ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS[type as EngineerDutyEvent['type']],
    }, (command) => command.data.engineerId);
  }
}

/**
 * An engineer's duty stream (engineer-duty-<id>, docs/adr/0012): its part in the append of an engineer's
 * addition (the duty opened), a dispatch's or a deactivation's (the fence).
 */
@Injectable()
export class EngineerDutyCommandExecutor {
  /** A giving or a stand-down: on a duty not opened yet, first the scan of the older log its opening records (once per engineer). */
  private readonly fence: DutyStreamExecutor;
  /** The opening with the engineer's addition: an engineer the directory did not know has no older orders to scan for. */
  private readonly opening: DutyStreamExecutor;

  constructor(private readonly eventStore: EventStore, clock: Clock) {
    this.fence = new DutyStreamExecutor(eventStore, clock, async (engineerId) => {
      const loaded = await this.load(engineerId);
      const { state, events } = loaded;
      if (state.opened || state.status === 'stood-down') return { ...loaded, state: { duty: state } };
      return { ...loaded, state: { duty: state, olderOrders: await ordersDispatchedBefore(eventStore, engineerId, events[0]?.position) } };
    });
    this.opening = new DutyStreamExecutor(eventStore, clock, async (engineerId) => {
      const loaded = await this.load(engineerId);
      return { ...loaded, state: { duty: loaded.state } };
    });
  }

  load(engineerId: string): Promise<LoadedStream<EngineerDutyState>> {
    return loadStream(this.eventStore, engineerDutyStreamName(engineerId), DUTY_FOLD);
  }

  /** The duty's part of the request's append (fenceContext): decided on the duty as each attempt reads it. */
  fencePart(command: WithoutContext<EngineerDutyCommand>, context: CommandContext): AppendPart {
    return (command.type === 'OpenEngineerDuty' ? this.opening : this.fence).part(command, fenceContext(context));
  }
}
