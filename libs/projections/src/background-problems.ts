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

/**
 * The record as it stands (whoever wrote it); undefined when there is none. A document that is no such record
 * (text that is not JSON, a holder that is not a name, a list that is not of strings: written by hand, a restore
 * gone wrong) is nobody's list, `holder` null: it names no failure, and the holder's next comparison writes over it.
 */
export async function backgroundProblemsRecord(store: ReadStore): Promise<{ readonly holder: string | null; readonly problems: readonly string[] } | undefined> {
  let recorded: Partial<Record<keyof ProblemsDocument, unknown>> | undefined;
  try {
    recorded = await store.get<ProblemsDocument>(BACKGROUND_PROBLEMS, PROBLEMS_ID);
  } catch (error) {
    // Never recorded: the collection does not exist yet.
    if (error instanceof InvalidQueryError) return undefined;
    // A document whose text the store cannot read back.
    if (error instanceof SyntaxError) return { holder: null, problems: [] };
    throw error;
  }
  if (recorded === undefined) return undefined;
  // JSON that is no document at all (null) names nobody either.
  const { holder, problems } = recorded ?? {};
  return typeof holder === 'string' && holder !== '' && Array.isArray(problems) && problems.every((problem) => typeof problem === 'string')
    ? { holder, problems }
    : { holder: null, problems: [] };
}

/**
 * The holder's comparison: writes what it sees as failing (`seen`) over the record unless the record says just
 * that, as this holder's list (another holder's, a garbled one, or none while something fails is written over).
 * A record the store cannot read back (text it cannot turn into a document) is written over too: the write needs
 * none of it, and kept it would hide every later failure from /health. A store that is away fails the write as well.
 */
export async function syncBackgroundProblems(store: ReadStore, holder: string, seen: readonly string[], now: Date): Promise<void> {
  const recorded = await backgroundProblemsRecord(store).catch(() => ({ holder: null, problems: [] }));
  const same = seen.length === 0 ? recorded === undefined : recorded?.holder === holder && JSON.stringify(recorded.problems) === JSON.stringify(seen);
  if (!same) await recordBackgroundProblems(store, holder, seen, now);
}

/**
 * What the holder of the lease `leaseName` recorded as failing; nothing when nobody recorded, or when
 * the one that did no longer holds the lease (it stopped or died: its work is not running, and whoever
 * takes over records afresh). A record that cannot be read (garbled, or text the store cannot turn into a
 * document) is one line naming it: what fails beside the projections is then unknown here, and saying
 * nothing would read as "nothing fails" (a holder that can write replaces it within its next comparison).
 */
export async function recordedBackgroundProblems(store: ReadStore, leaseName: string): Promise<string[]> {
  let recorded: Awaited<ReturnType<typeof backgroundProblemsRecord>>;
  try {
    recorded = await backgroundProblemsRecord(store);
  } catch (error) {
    return [unreadableRecord((error as Error).message)];
  }
  if (recorded?.holder === null) return [unreadableRecord('it is no list of problems: written by hand, or a restore gone wrong')];
  if (!recorded || recorded.problems.length === 0) return [];
  return (await store.leaseHolder(leaseName)) === recorded.holder ? [...recorded.problems] : [];
}

const unreadableRecord = (why: string): string =>
  `the projector's problems record (read model ${BACKGROUND_PROBLEMS}, document ${PROBLEMS_ID}) cannot be read (${why}): what fails beside the projections `
  + '(notifications, webhook delivery, the SLA monitors, the merge completion) is not known here; the projector that holds the lease writes it over at its next comparison, '
  + 'so if this stays, that projector is not running or cannot write to the read store: read its log';
