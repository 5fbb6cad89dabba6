import type { FastifyReply } from 'fastify';
import type { EventStore } from '@app/event-store';
import { RequestValidationError } from '../http/request-errors';
import { ReadModelPosition } from './read-model-position';

export const READ_MODEL_WAIT_MS = 5000;

/** Read-your-writes for every read-model query: wait for minPosition, then say where the read models are. */
export class ReadModelResponder {
  constructor(
    private readonly position: ReadModelPosition,
    private readonly eventStore: EventStore,
  ) {}

  async respond<T>(query: { minPosition?: number }, reply: FastifyReply, produce: () => Promise<T>): Promise<T> {
    // A position past the log's head was never returned by a command: say so now instead of waiting 5 s for nothing.
    if (query.minPosition !== undefined && query.minPosition > await this.position.current() && query.minPosition > await this.eventStore.headPosition()) {
      throw new RequestValidationError([{ field: 'minPosition', message: 'minPosition is beyond the end of the event log; pass the position a command returned' }]);
    }
    const reached = query.minPosition === undefined ? await this.position.current() : await this.position.waitFor(query.minPosition, READ_MODEL_WAIT_MS);
    reply.header('X-Read-Model-Position', String(reached));
    return produce();
  }
}
