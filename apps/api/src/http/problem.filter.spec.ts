import { StreamDeletedError, StreamNotFoundError } from '@app/event-store';
import { toProblem } from './problem.filter';

describe('toProblem: event store errors', () => {
  it('answers 410 stream-deleted for a stream tombstoned on the server, and 404 stream-not-found for one that does not exist', () => {
    expect(toProblem(new StreamDeletedError('complaint-1'))).toMatchObject({ status: 410, code: 'stream-deleted', detail: expect.stringMatching(/complaint-1 was deleted/) });
    expect(toProblem(new StreamNotFoundError('complaint-2'))).toMatchObject({ status: 404, code: 'stream-not-found' });
  });
});
