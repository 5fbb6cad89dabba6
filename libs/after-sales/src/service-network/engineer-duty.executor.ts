import { Injectable } from '@nestjs/common';
import { ENGINEER_DUTY, ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS, engineerDutyDecider } from '@app/domain';
import { Clock, type AppendPart, type CommandContext } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { DutyCommandExecutor } from './duty-stream.executor';
import { ordersDispatchedBefore } from './older-dispatches';

/**
 * An engineer's duty stream (engineer-duty-<id>, docs/adr/0012): its part in the append of an engineer's
 * addition (the duty opened), a dispatch's or a deactivation's (the fence). A duty not opened yet (an
 * older log's) is opened with the orders the log's dispatches gave the engineer before it. A complaint
 * assigned to the engineer is fenced here too (through AssigneeDutyFence), not listed.
 */
@Injectable()
export class EngineerDutyCommandExecutor extends DutyCommandExecutor<typeof ENGINEER_DUTY> {
  constructor(eventStore: EventStore, clock: Clock) {
    super(eventStore, clock, { name: 'engineer duty', vocabulary: ENGINEER_DUTY, decider: engineerDutyDecider, schemaVersions: ENGINEER_DUTY_EVENT_SCHEMA_VERSIONS, olderGivings: ordersDispatchedBefore });
  }

  /** A complaint assigned to the engineer: the fence only (the deactivation lists orders, not complaints). */
  takeComplaintPart(engineerId: string, complaintId: string, context: CommandContext): AppendPart {
    return this.fencePart({ type: 'TakeComplaint', data: { engineerId, complaintId } }, context);
  }
}
