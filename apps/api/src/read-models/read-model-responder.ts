import type { FastifyReply } from 'fastify';
import { ReadModelPosition } from './read-model-position';

export const READ_MODEL_WAIT_MS = 5000;

/** Read-your-writes for every read-model query: wait for minPosition, then say where the read models are. */
export class ReadModelResponder {
  constructor(private readonly position: ReadModelPosition) {}

  async respond<T>(query: { minPosition?: number }, reply: FastifyReply, produce: () => Promise<T>): Promise<T> {
    const reached = query.minPosition === undefined ? await this.position.current() : await this.position.waitFor(query.minPosition, READ_MODEL_WAIT_MS);
    reply.header('X-Read-Model-Position', String(reached));
    return produce();
  }
}
