import type { Projection } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';

/**
 * The projections the app runs, with one that throws on an event of a poisoned stream (a bug met by
 * real data, as a survey question named `valueOf` once did): a test hook that startApp takes
 * (`projections`), which no configuration or request can reach. Add a stream to `poisoned` to make the
 * projection fail on it; remove it and the next retry gets past.
 */
export function withFailingProjection(name: string, eventType: string, poisoned: ReadonlySet<string>): Projection[] {
  return ALL_PROJECTIONS.map((projection) => (projection.name !== name ? projection : {
    ...projection,
    apply(event, context) {
      if (event.type === eventType && poisoned.has(event.stream)) throw new TypeError(`test fault on ${event.stream}`);
      projection.apply(event, context);
    },
  }));
}
