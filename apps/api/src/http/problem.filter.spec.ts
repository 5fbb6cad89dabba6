import {
  CustomerFileConflictError, CustomerFileMergedError, CustomerFileNotFoundError, EngineerDeactivatedError, IllegalWorkOrderTransitionError, InvalidCustomerFileCommandError, InvalidMoneyError,
  InvalidWorkOrderCommandError, NothingToChangeError, ServiceNetworkConflictError, ServiceUnitNotFoundError, WorkOrderNotFoundError,
} from '@app/domain';
import { StreamDeletedError, StreamNotFoundError } from '@app/event-store';
import { TurnBusyError } from '@app/event-sourcing';
import { toProblem } from './problem.filter';

describe('toProblem: event store errors', () => {
  it('answers 410 stream-deleted for a stream tombstoned on the server, and 404 stream-not-found for one that does not exist', () => {
    expect(toProblem(new StreamDeletedError('complaint-1'))).toMatchObject({ status: 410, code: 'stream-deleted', detail: expect.stringMatching(/complaint-1 was deleted/) });
    expect(toProblem(new StreamNotFoundError('complaint-2'))).toMatchObject({ status: 404, code: 'stream-not-found' });
  });
});

describe('toProblem: a turn another API instance holds too long', () => {
  it('answers 503 turn-busy saying nothing was written and to try again (never a 500)', () => {
    expect(toProblem(new TurnBusyError('engineer-turn:eng-1', 5_000))).toMatchObject({ status: 503, code: 'turn-busy', detail: expect.stringMatching(/nothing was written\. Try again/) });
  });
});

describe('toProblem: refusals of the customer file, by their kind', () => {
  it('answers 404, 409 and 400 with the code, the field to fix and the survivor of a merged file', () => {
    expect(toProblem(new CustomerFileNotFoundError('cust-1'))).toMatchObject({ status: 404, code: 'customer-file-not-found' });
    expect(toProblem(new NothingToChangeError('cust-1', 'importance'))).toMatchObject({ status: 409, code: 'nothing-changed' });
    expect(toProblem(new CustomerFileMergedError('cust-1', 'cust-2', '2026-03-02T08:00:00.000Z'))).toMatchObject({ status: 409, code: 'customer-file-merged', survivorId: 'cust-2' });
    expect(toProblem(new InvalidCustomerFileCommandError('invalid-phone', 'contacts[0].phone', 'contacts[0].phone must be a phone number'))).toMatchObject({
      status: 400, code: 'invalid-phone', errors: [{ field: 'contacts[0].phone', message: 'contacts[0].phone must be a phone number' }],
    });
    expect(toProblem(new CustomerFileConflictError('survivor-erased', 'MergeCustomerFile', 'erased'))).toMatchObject({ status: 409, code: 'survivor-erased', command: 'MergeCustomerFile' });
  });
});

describe('toProblem: after-sales refusals, by their kind', () => {
  it('answers 404 for what does not exist, with its code', () => {
    expect(toProblem(new WorkOrderNotFoundError('wo-1'))).toMatchObject({ status: 404, code: 'work-order-not-found', detail: 'No work order with id wo-1.' });
    expect(toProblem(new ServiceUnitNotFoundError('nowhere'))).toMatchObject({ status: 404, code: 'service-unit-not-found' });
  });

  it('answers 409 for a command the state refuses, naming the command and the current status', () => {
    const refused = new IllegalWorkOrderTransitionError('quote-not-confirmed', 'RecordFee', 'on-site', 'No fee before the customer has confirmed the quote.');
    expect(toProblem(refused)).toMatchObject({ status: 409, code: 'quote-not-confirmed', command: 'RecordFee', currentStatus: 'on-site' });
    expect(toProblem(new ServiceNetworkConflictError('engineer-inactive', 'DeactivateEngineer', 'gone'))).toMatchObject({ status: 409, code: 'engineer-inactive', command: 'DeactivateEngineer' });
    expect(toProblem(new ServiceNetworkConflictError('engineer-inactive', 'DeactivateEngineer', 'gone'))).not.toHaveProperty('currentStatus');
  });

  it('answers 403 for a principal that may not act now at all, whatever the command (an engineer the service network deactivated)', () => {
    const refused = new EngineerDeactivatedError('eng-wang', '2026-03-02T08:00:00.000Z');
    expect(toProblem(refused)).toMatchObject({ status: 403, title: 'Forbidden', code: 'engineer-deactivated', detail: refused.message });
    expect(toProblem(refused)).not.toHaveProperty('errors');
  });

  it('answers 400 for a command that breaks a rule whatever the state, with the field it names', () => {
    const unknown = new InvalidWorkOrderCommandError('unknown-station', 'stationCode', 'No service unit with code x in the service network.');
    expect(toProblem(unknown)).toMatchObject({ status: 400, code: 'unknown-station', errors: [{ field: 'stationCode', message: unknown.message }] });
    expect(toProblem(new InvalidMoneyError('unknown-currency', 'not a currency'))).toMatchObject({ status: 400, code: 'unknown-currency' });
    expect(toProblem(new InvalidMoneyError('unknown-currency', 'not a currency'))).not.toHaveProperty('errors');
  });
});
