import type { RecordedEvent } from '@app/event-store';
import { DocumentNotLoaded, UnitOfWork, generationFor, type Projection } from '@app/projections';
import { InvalidQueryError, type ReadStore } from '@app/read-store';
import { ERASING_PROJECTIONS } from '../all-projections';
import { asOfPrefix } from '../read-model-reader';
import { AsOfCatalogue } from './as-of-generations';

/**
 * What an erasure does to the live read models, done to every as-of generation too (docs/adr/0019,
 * ADR 0019 "As-of generations"): a generation built up to a moment before the erasure never sees its
 * event, and would keep the erased name, address and phones for ever. Each projection that forgets
 * personal data on an erasure (ERASING_PROJECTIONS) applies the erasure events to each generation's
 * documents, as its live runner does, and the generation's checkpoint stays where its build left it.
 * Idempotent (a value already null is written again as null, or not at all), so a completion cut short
 * between two generations does them all again at the next start. Only finished generations: one still
 * building is a gap (ADR 0019). Answers the names of the generations it went through.
 */
export async function forgetInAsOfGenerations(readStore: ReadStore, erasures: readonly RecordedEvent[]): Promise<string[]> {
  if (erasures.length === 0) return [];
  const done: string[] = [];
  for (const entry of await (await AsOfCatalogue.open(readStore)).list()) {
    if (entry.status !== 'done') continue;
    for (const projection of ERASING_PROJECTIONS) await applyOutsideTheLog(readStore, projection, generationFor(projection, asOfPrefix(entry.name)), erasures);
    done.push(entry.name);
  }
  return done;
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
