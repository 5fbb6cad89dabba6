import { Injectable, Optional } from '@nestjs/common';
import {
  CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS, CustomerFileMergedError, customerFileStreamName, decideCustomerFile, followSurvivors,
  type CustomerFileCommand, type CustomerFileEvent, type CustomerFileEventType, type CustomerFileState,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { AggregateCommandExecutor, Clock, PersonalDataSealer } from '@app/complaints';
import { CustomerFileRepository } from './customer-file-repository';

/**
 * Handles one customer-file command (read + fold, decide, append; see StreamCommandExecutor). A
 * decision that records nothing (a file opened again at intake) appends nothing. Who may see a file
 * when limited to departments depends on the customer's complaints in the read models, so the HTTP
 * edge checks it before a command reaches this (docs/adr/0013).
 */
@Injectable()
export class CustomerFileCommandExecutor extends AggregateCommandExecutor<CustomerFileCommand, CustomerFileEvent, CustomerFileState> {
  constructor(eventStore: EventStore, repository: CustomerFileRepository, clock: Clock, @Optional() sealer?: PersonalDataSealer) {
    super(eventStore, clock, {
      kind: 'customer file',
      streamName: customerFileStreamName,
      load: (id) => repository.load(id),
      decide: (command, state) => decideCustomerFile(command, state),
      // A file merged into one merged on since: the refusal names the end of the chain, where the command should go.
      explainRefusal: async (error) => (error instanceof CustomerFileMergedError
        ? error.followedTo((await followSurvivors(error.survivorId, async (customerId) => (await repository.load(customerId)).state)).customerId)
        : error),
      schemaVersionOf: (type) => CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS[type as CustomerFileEventType],
      customerOf: (id) => id,
    }, (command) => command.customerId, sealer);
  }
}
