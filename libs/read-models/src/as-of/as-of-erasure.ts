import type { EventStore, RecordedEvent } from '@app/event-store';
import { DocumentNotLoaded, UnitOfWork, generationFor, type Projection } from '@app/projections';
import { InvalidQueryError, type ReadStore } from '@app/read-store';
import { ALL_PROJECTIONS, ERASING_PROJECTIONS } from '../all-projections';
import { asOfPrefix } from '../read-model-reader';

/** The type of the erasure event: what the as-of generations apply outside the log. */
export const ERASURE_EVENT_TYPE = 'CustomerFilePersonalDataErased';

/**
 * What an erasure does to the live read models, done to one as-of generation (docs/adr/0019,
 * "Amendment: as-of generations"): a generation built up to a moment before the erasure never sees its
 * event, and would keep the erased name, address and phones for ever. Each projection that forgets
 * personal data on an erasure (ERASING_PROJECTIONS) applies the erasure events to the generation's
 * documents, as its live runner does, and the generation's checkpoint stays where its build left it.
 * The tables of earlier versions of the read models (a generation built before an upgrade) are dropped:
 * `asOf` no longer reads them, and the current projection cannot tell what their documents mean.
 * Idempotent (a value already null is written again as null, or not at all).
 */
export async function forgetInAsOfGeneration(readStore: ReadStore, name: string, erasures: readonly RecordedEvent[]): Promise<void> {
  if (erasures.length === 0) return;
  for (const projection of ERASING_PROJECTIONS) await applyOutsideTheLog(readStore, projection, generationFor(projection, asOfPrefix(name)), erasures);
  await dropEarlierVersions(readStore, name);
}

/** Drops the generations of `name` of every earlier version of every read model, those that hold anything. */
export async function dropEarlierVersions(readStore: ReadStore, name: string): Promise<void> {
  for (const projection of ALL_PROJECTIONS) {
    for (let version = 1; version < projection.version; version += 1) {
      const generation = generationFor({ name: projection.name, version }, asOfPrefix(name));
      // A generation that never committed holds no document: the probe spares a write transaction per version.
      if (await readStore.checkpoint(generation) > 0) await readStore.dropGeneration(generation);
    }
  }
}

/** The erasures of the log that a generation built with `applied` (what it took of the log) did not apply: those after its moment, or after where it stopped. */
export async function erasuresNotApplied(events: EventStore, applied: (event: RecordedEvent) => boolean, reached: number): Promise<RecordedEvent[]> {
  const erasures: RecordedEvent[] = [];
  let last = 0;
  for (;;) {
    const page = await events.readAll({ ...(last === 0 ? {} : { fromPosition: last }), maxCount: 500, filter: { eventTypes: [ERASURE_EVENT_TYPE] } });
    const fresh = page.filter((event) => event.position > last);
    if (fresh.length === 0) return erasures;
    erasures.push(...fresh.filter((event) => event.position > reached || !applied(event)));
    last = fresh[fresh.length - 1]!.position;
  }
}

/** Applies events to a generation's documents in one commit that leaves its checkpoint where it is. */
async function applyOutsideTheLog(readStore: ReadStore, projection: Projection, generation: string, events: readonly RecordedEvent[]): Promise<void> {
  const unit = new UnitOfWork(readStore, generation);
  try {
    await unit.load(events.flatMap((event) => projection.reads?.(event) ?? []));
    for (const event of events) {
      for (;;) {
        unit.begin();
        try {
          projection.apply(event, unit);
          unit.end();
          break;
        } catch (error) {
          unit.rollback();
          if (!(error instanceof DocumentNotLoaded)) throw error;
          await unit.load([[error.collection, error.id]]);
        }
      }
    }
  } catch (error) {
    // A generation of an earlier version of the projection (built before an upgrade) is not this one: nothing here to clean.
    if (error instanceof InvalidQueryError) return;
    throw error;
  }
  await unit.settle();
  const changes = unit.changes();
  if (changes.length === 0) return;
  const position = await readStore.checkpoint(generation);
  await readStore.commit(generation, changes, position, { expectedPosition: position });
}
