import type { Decider } from '@app/event-sourcing';
import type { CustomerFileCommand } from './customer-file.commands';
import { decideCustomerFile } from './customer-file.decide';
import type { CustomerFileEvent } from './customer-file.events';
import { evolveCustomerFile } from './customer-file.evolve';
import { initialCustomerFileState, type CustomerFileState } from './customer-file.state';

export const customerFileDecider: Decider<CustomerFileCommand, CustomerFileEvent, CustomerFileState> = {
  decide: decideCustomerFile,
  evolve: evolveCustomerFile,
  initialState: initialCustomerFileState,
};

/** One stream per customer file, named by the customer id complaints already use. */
export const customerFileStreamName = (customerId: string): string => `customer-${customerId}`;
