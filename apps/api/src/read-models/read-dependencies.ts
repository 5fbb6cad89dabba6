import { AsyncLocalStorage } from 'node:async_hooks';
import type { ProjectionFailure } from '@app/projections';

/** The live read models a request has read so far (ReadModelReader tells, through `noteLiveRead`), and the as-of generations, with their positions. */
const reading = new AsyncLocalStorage<{ readonly live: Set<string>; readonly asOf: Map<string, number | undefined> }>();

/** Called by the ReadModelReader for every live collection it resolves: the request depends on that read model. */
export const noteLiveRead = (readModel: string): void => {
  reading.getStore()?.live.add(readModel);
};

/** Called by the ReadModelReader for every as-of generation it resolves, with the last position that generation holds. */
export const noteAsOfRead = (asOf: string, position: number | undefined): void => {
  reading.getStore()?.asOf.set(asOf, position);
};

/** Runs `produce` and tells which live read models it read, and which as-of generations (name → the position it holds). */
export async function withReadModelsRead<T>(produce: () => Promise<T>): Promise<{ result: T; read: ReadonlySet<string>; asOf: ReadonlyMap<string, number | undefined> }> {
  const read = { live: new Set<string>(), asOf: new Map<string, number | undefined>() };
  const result = await reading.run(read, produce);
  return { result, read: read.live, asOf: read.asOf };
}

/**
 * A read asked for `minPosition` and depends on a read model whose projection is failing below it:
 * the answer cannot hold that position until the projection gets past its failure (503, Retry-After).
 */
export class ProjectionFailedError extends Error {
  readonly code = 'projection-failed';

  constructor(readonly failure: ProjectionFailure, readonly minPosition: number, readonly retryAfterSeconds: number) {
    super(`The read model ${failure.projection} is held at position ${failure.position} (minPosition ${minPosition} was asked): its projection failed on the event at position ${failure.failedPosition}`
      + `${failure.eventType ? ` (${failure.eventType})` : ''} with "${failure.error}" and is retried; try again later, or read without minPosition to get what it holds. GET /health names every failing projection.`);
  }
}
