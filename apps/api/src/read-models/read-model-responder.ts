import type { FastifyReply } from 'fastify';
import type { EventStore } from '@app/event-store';
import { RequestValidationError } from '../http/request-errors';
import { ReadModelPosition } from './read-model-position';
import { ProjectionFailedError, withReadModelsRead } from './read-dependencies';

export const READ_MODEL_WAIT_MS = 5000;
/** What a read of a failing projection's model tells to wait (Retry-After) at most: the runner's longest back-off. */
const FAILED_RETRY_AFTER_MAX_S = 60;

/**
 * Read-your-writes for every read-model query: wait for minPosition, then say where the read models
 * are (with asOf: where that generation is, docs/adr/0005). A failing projection is not waited for; a read that asked for a position its read model
 * cannot reach until that projection gets past its failure is answered 503 `projection-failed`.
 */
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
    const { result, read, asOf } = await withReadModelsRead(produce);
    if (read.size === 0 && asOf.size > 0) {
      // An as-of read: the position its generation holds (it never moves), not how far the live read models are; none when its
      // catalogue entry does not say (a generation built before entries had one) rather than a live position that would mislead.
      const held = [...asOf.values()];
      if (held.every((position) => position !== undefined)) reply.header('X-Read-Model-Position', String(Math.min(...(held as number[]))));
      return result;
    }
    const anyFailing = await this.position.failing();
    if (anyFailing.length === 0) {
      reply.header('X-Read-Model-Position', String(reached));
      return result;
    }
    const positions = await this.position.positions();
    const failing = anyFailing.filter((failure) => read.has(failure.projection));
    if (failing.length === 0) {
      // Not held by the failing projection: the position every other read model has reached.
      const stuck = new Set(anyFailing.map((failure) => failure.projection));
      const running = Object.entries(positions).filter(([name]) => !stuck.has(name)).map(([, position]) => position);
      reply.header('X-Read-Model-Position', String(running.length === 0 ? reached : Math.min(...running)));
      return result;
    }
    // The answer holds what the failing read model holds: say where that is.
    const held = Math.min(...failing.map((failure) => positions[failure.projection] ?? failure.position));
    const behind = query.minPosition === undefined ? undefined : failing.find((failure) => (positions[failure.projection] ?? failure.position) < query.minPosition!);
    if (behind) {
      const retryAt = behind.nextRetryAt === null ? Number.NaN : Date.parse(behind.nextRetryAt);
      const seconds = Number.isFinite(retryAt) ? Math.ceil((retryAt - Date.now()) / 1000) : FAILED_RETRY_AFTER_MAX_S;
      throw new ProjectionFailedError({ ...behind, position: positions[behind.projection] ?? behind.position }, query.minPosition!, Math.min(FAILED_RETRY_AFTER_MAX_S, Math.max(1, seconds)));
    }
    reply.header('X-Read-Model-Position', String(held));
    return result;
  }
}
