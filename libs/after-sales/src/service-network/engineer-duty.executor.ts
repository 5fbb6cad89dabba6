import { Injectable } from '@nestjs/common';
import {
  ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS, decideEngineerDuty, engineerDutyStreamName, evolveEngineerDuty, initialEngineerDutyState,
  type EngineerDutyCommand, type EngineerDutyEvent, type EngineerDutyState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock, type AppendPart, type CommandContext, type LoadedStream, type WithoutContext } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';
import { fenceContext } from '../fence-part';

const DUTY_FOLD = { initialState: initialEngineerDutyState, evolve: evolveEngineerDuty, upcast: (type: string, data: Record<string, unknown>) => ({ type, data }) as EngineerDutyEvent };

/** An engineer's duty stream (engineer-duty-<id>, docs/adr/0012): its part in a dispatch's or a deactivation's append. */
@Injectable()
export class EngineerDutyCommandExecutor extends AggregateCommandExecutor<EngineerDutyCommand, EngineerDutyEvent, EngineerDutyState> {
  constructor(private readonly eventStore: EventStore, clock: Clock) {
    super(eventStore, clock, {
      kind: 'engineer duty',
      streamName: engineerDutyStreamName,
      load: (engineerId) => loadStream(eventStore, engineerDutyStreamName(engineerId), DUTY_FOLD),
      decide: decideEngineerDuty,
      schemaVersionOf: (type) => ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS[type as EngineerDutyEvent['type']],
    }, (command) => command.data.engineerId);
  }

  load(engineerId: string): Promise<LoadedStream<EngineerDutyState>> {
    return loadStream(this.eventStore, engineerDutyStreamName(engineerId), DUTY_FOLD);
  }

  /** The duty's part of the request's append (fenceContext): decided on the duty as each attempt reads it. */
  fencePart(command: WithoutContext<EngineerDutyCommand>, context: CommandContext): AppendPart {
    return this.part(command, fenceContext(context));
  }
}
