import { Injectable, Optional } from '@nestjs/common';
import {
  COMPLAINT_EVENT_SCHEMA_VERSIONS, ComplaintNotFoundError, complaintInScope, complaintStreamName, decide, departmentOf, evolve,
  type ComplaintCommand, type ComplaintEvent, type ComplaintState,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { ComplaintRepository } from './complaint-repository';
import { ActingCheck, Clock, PersonalDataSealer } from './ports';
import { AggregateCommandExecutor } from './stream-command-executor';

/** Handles one complaint command (read + fold, decide, append; see StreamCommandExecutor). */
@Injectable()
export class ComplaintCommandExecutor extends AggregateCommandExecutor<ComplaintCommand, ComplaintEvent, ComplaintState> {
  constructor(eventStore: EventStore, repository: ComplaintRepository, clock: Clock, @Optional() sealer?: PersonalDataSealer, @Optional() acting?: ActingCheck) {
    super(eventStore, clock, {
      kind: 'complaint',
      streamName: complaintStreamName,
      load: (id) => repository.load(id),
      checkAccess: async ({ state }, id, context) => {
        // A deactivated agent first, whatever the complaint: the refusal says nothing about it.
        await acting?.requireActing(context.actor);
        // A complaint outside the actor's departments is "not found": its existence does not leak.
        if (state.status !== 'none' && context.scope !== undefined && !complaintInScope({ receivedBy: state.receivedBy, department: departmentOf(state) }, context.actor.id, context.scope)) {
          throw new ComplaintNotFoundError(id);
        }
      },
      decide: (command, state) => decide(command, state),
      // Decided events are of the current schema, so no upcast: the fold a load would make of them.
      evolve: (state, event) => evolve(state, event),
      schemaVersionOf: (type) => COMPLAINT_EVENT_SCHEMA_VERSIONS[type as ComplaintEvent['type']],
      customerOf: (_id, state, event) => (event.type === 'ComplaintReceived' ? event.data.customer.id : state.status === 'none' ? null : state.customer.id),
    }, (command) => command.complaintId, sealer);
  }
}
