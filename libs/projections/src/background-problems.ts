import { InvalidQueryError, generationCollection, type ReadDocument, type ReadStore } from '@app/read-store';

/**
 * Where the process that holds the projector lease records what keeps failing in the work beside its
 * projections (notifications, webhook delivery, the SLA monitors, the merge completion), so that an API
 * that runs none of it (PROJECTIONS=external, or waiting for the lease) can name it in /health, as it
 * does the failing projections the runner records (PROJECTION_FAILURES). One document: the holder's list.
 */
export const BACKGROUND_PROBLEMS = generationCollection('projector', 'problems');
const PROBLEMS_CHECKPOINT = 'projector-problems';
const PROBLEMS_ID = 'current';

interface ProblemsDocument extends ReadDocument {
  /** The lease holder that wrote the list: a list left by a holder that no longer holds the lease says nothing. */
  readonly holder: string;
  readonly problems: string[];
  readonly recordedAt: string;
}

/** Replaces the recorded list with `holder`'s (an empty list clears it). */
export async function recordBackgroundProblems(store: ReadStore, holder: string, problems: readonly string[], now: Date): Promise<void> {
  await store.ensureCollections([{ name: BACKGROUND_PROBLEMS }]);
  await store.commit(PROBLEMS_CHECKPOINT, [problems.length > 0
    ? { kind: 'put', collection: BACKGROUND_PROBLEMS, document: { id: PROBLEMS_ID, holder, problems: [...problems], recordedAt: now.toISOString() } }
    : { kind: 'delete', collection: BACKGROUND_PROBLEMS, id: PROBLEMS_ID }], 0);
}

/** The record as it stands (whoever wrote it); undefined when there is none. */
export async function backgroundProblemsRecord(store: ReadStore): Promise<{ readonly holder: string; readonly problems: readonly string[] } | undefined> {
  try {
    const recorded = await store.get<ProblemsDocument>(BACKGROUND_PROBLEMS, PROBLEMS_ID);
    return recorded ? { holder: recorded.holder, problems: recorded.problems } : undefined;
  } catch (error) {
    // Never recorded: the collection does not exist yet.
    if (error instanceof InvalidQueryError) return undefined;
    throw error;
  }
}

/**
 * What the holder of the lease `leaseName` recorded as failing; nothing when nobody recorded, or when
 * the one that did no longer holds the lease (it stopped or died: its work is not running, and whoever
 * takes over records afresh).
 */
export async function recordedBackgroundProblems(store: ReadStore, leaseName: string): Promise<string[]> {
  const recorded = await backgroundProblemsRecord(store);
  if (!recorded || recorded.problems.length === 0) return [];
  return (await store.leaseHolder(leaseName)) === recorded.holder ? [...recorded.problems] : [];
}
