import { generationFor, generationOf } from '@app/projections';
import { InvalidQueryError, generationCollection, type ReadStore } from '@app/read-store';
import { partialPeriodsClock, type AsOfCutEntry } from './stats/partial-period';

/** Prefix of the generations built "as of" a moment, by name (CLI: replay --until … --into NAME). */
export const asOfPrefix = (name: string): string => `asof_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
/**
 * Whether two as-of names lead to the same collections: `-` and `_` become the same character, and
 * neither SQLite's table names nor MongoDB's collection names may differ only in letter case.
 */
export const sameAsOfStorage = (a: string, b: string): boolean => asOfPrefix(a).toLowerCase() === asOfPrefix(b).toLowerCase();
/** The log position a default name stands for (`position-12` and an older release's `position-0012` both 12), else undefined. */
const positionNamed = (name: unknown): string | undefined => (typeof name === 'string' ? /^position-0{0,40}([1-9]\d{0,39}|0)$/.exec(name)?.[1] : undefined);
/** Two default names of one log position (`position-12`, `position-0012`): one cut, however a release spelled it. */
export const samePositionCut = (a: string, b: string): boolean => a !== b && positionNamed(a) !== undefined && positionNamed(a) === positionNamed(b);

/**
 * The order as-of names are listed in: runs of digits by their value, so `position-9` comes before `position-100`, and a name
 * of the old zero-padded form (`position-0012`, made before a cut had one spelling) stands beside `position-12`; two spellings
 * of one number, and names equal but for case, are then told apart by their characters, so that the order is one.
 */
export const compareAsOfNames = (a: string, b: string): number =>
  a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);

/** The catalogue of the as-of generations built (AsOfCatalogue), by name. */
export const AS_OF_CATALOGUE = generationCollection('analytics', 'as_of');

/** What an as-of generation may be named (AS_OF_NAME_RULE): what asOf names. */
export const AS_OF_NAME = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * The names of the built generations as a message lists them (at most 20, then how many more); `null` where the caller
 * may not read the catalogue (GET /analytics/as-of is not open to every role that reads with asOf).
 */
export function builtAsOfNames(names: readonly string[] | null): string {
  if (names === null) return 'GET /analytics/as-of lists the ones built, to a supervisor, an analyst, an auditor or an admin';
  if (names.length === 0) return 'none is built yet';
  const shown = names.slice(0, 20).join(', ');
  return `the ones built are ${shown}${names.length > 20 ? ` and ${names.length - 20} more` : ''} (GET /analytics/as-of lists them)`;
}

export class UnknownAsOfError extends Error {
  readonly code = 'as-of-not-found';
  /** `built`: the names of the as-of generations there are, so that the refusal can list them. */
  constructor(readonly asOf: string, readonly built: readonly string[] | null = []) {
    super(`No read model was built as of "${asOf}" (${builtAsOfNames(built)}); an analyst or admin builds it with POST /analytics/as-of {"until": "<date or position>", "name": "${asOf}"}, or on the server: npm run -s cli -- replay --until <date or position> --into ${asOf}`);
  }
}

/**
 * A read with asOf of a generation whose build has not finished: waiting for its turn (`queued`, a job of this instance), or
 * running or stopped by a kill (`building`: its tables hold part of it, or do not exist yet).
 */
export class AsOfNotBuiltError extends UnknownAsOfError {
  constructor(asOf: string, readonly stage: 'queued' | 'building' = 'building') {
    super(asOf, null);
    const why = stage === 'queued' ? 'its job is queued behind another build' : 'its build is running, or stopped before the end, and its tables hold part of it or none yet';
    this.message = `The read model as of "${asOf}" is not built yet: ${why}; GET /analytics/as-of/${asOf} shows its progress: read it once that says done`;
  }
}

/** What the reader reads of an as-of generation's catalogue entry (AsOfEntry): a read store edited by hand may hold anything. */
type CatalogueEntry = { readonly id: string; readonly name: string; readonly status?: unknown; readonly position?: unknown } & AsOfCutEntry;

/** Whether this process has a job building a generation of that name that has not finished (AsOfJobs). */
export type PendingAsOf = (asOf: string) => 'queued' | 'running' | undefined;

/**
 * Resolves a read model's logical collection to the live generation (blue/green), or to a named
 * generation built by an analyst (asOf).
 */
export class ReadModelReader {
  constructor(
    readonly store: ReadStore,
    private readonly current: ReadonlyArray<{ name: string; version: number }>,
    /** Told of every live read model read (the API uses it to know what a request depends on). */
    private readonly onLiveRead?: (readModel: string) => void,
    /** Told of every as-of generation read, with the last position it holds (undefined: its entry does not say), for the API to tell that position, not the live one's. */
    private readonly onAsOfRead?: (asOf: string, position: number | undefined) => void,
  ) {}

  private pendingAsOf: PendingAsOf | undefined;

  /** Told by the API's as-of jobs, so that a read of a generation still queued or starting says so rather than "build it". */
  followJobs(pending: PendingAsOf): void {
    this.pendingAsOf = pending;
  }

  /** The collection to read: of the live generation, or of the one built as of `asOf`. */
  async collection(readModel: string, logical: string, asOf?: string): Promise<string> {
    return (await this.resolve(readModel, logical, asOf)).collection;
  }

  /**
   * The collection of a period statistic, and the `now` its rows are marked partial by (isPartialPeriod): `clock`, or with asOf the
   * generation's cut when that is earlier (partialPeriodsClock). From the catalogue entry the read of the collection reads anyway.
   */
  async periodsCollection(readModel: string, logical: string, asOf: string | undefined, clock: Date): Promise<{ collection: string; now: Date }> {
    const { collection, entry } = await this.resolve(readModel, logical, asOf);
    return { collection, now: partialPeriodsClock(clock, entry) };
  }

  private async resolve(readModel: string, logical: string, asOf?: string, twinTried = false): Promise<{ collection: string; entry?: CatalogueEntry }> {
    if (asOf !== undefined) {
      const projection = this.current.find((candidate) => candidate.name === readModel);
      if (!projection) throw new Error(`unknown read model ${readModel}`);
      // Not a name (a moment, which the query lets through to be told this): never read as the name it would be stored under.
      if (!AS_OF_NAME.test(asOf)) throw new UnknownAsOfError(asOf, namesOf(await this.catalogue()));
      const collection = generationCollection(generationFor(projection, asOfPrefix(asOf)), logical);
      try {
        await this.store.find(collection, { limit: 1 });
      } catch (error) {
        // A generation another instance deleted is an unknown collection to the store, as one never built (the store says so);
        // so is one whose job waits for its turn, or has not made its tables yet: that one is told as not built yet, not "build it".
        if (error instanceof InvalidQueryError) {
          const pending = this.pendingAsOf?.(asOf);
          if (pending !== undefined) throw new AsOfNotBuiltError(asOf, pending === 'queued' ? 'queued' : 'building');
          // One read of the catalogue tells both whether it is being built and, if not, the names to list (it read the entry, then all of it again).
          const entries = await this.catalogue();
          if (entryOf(entries, asOf)?.status === 'building') throw new AsOfNotBuiltError(asOf);
          // position-12 built before a cut had one spelling was named position-0012 (and the reverse): the one cut, read under either name.
          const twin = twinTried ? undefined : positionTwinOf(entries, asOf);
          if (twin !== undefined) return this.resolve(readModel, logical, twin, true);
          throw new UnknownAsOfError(asOf, namesOf(entries));
        }
        throw error;
      }
      // Its tables exist from the build's first batch on: only a build the catalogue says is done is read (a read during the
      // build, or after its builder was killed, answered 200 with part of the figures). A generation with no entry (built
      // before the catalogue) is read as before.
      const entry = await this.catalogueEntry(asOf);
      if (entry?.status === 'building') throw new AsOfNotBuiltError(asOf);
      this.onAsOfRead?.(asOf, typeof entry?.position === 'number' ? entry.position : undefined);
      return entry === undefined ? { collection } : { collection, entry };
    }
    this.onLiveRead?.(readModel);
    const live = (await this.store.liveGenerations())[readModel];
    const fallback = this.current.find((projection) => projection.name === readModel);
    if (!live && !fallback) throw new Error(`unknown read model ${readModel}`);
    return { collection: generationCollection(live ?? generationOf(fallback!), logical) };
  }

  /**
   * The catalogue's entry of that generation, by its name or one that leads to the same collections (June and june): one `get` on
   * the path of a read that answers (the name as built), the whole catalogue only for another spelling of it.
   */
  private async catalogueEntry(asOf: string): Promise<CatalogueEntry | undefined> {
    try {
      const exact = await this.store.get<CatalogueEntry>(AS_OF_CATALOGUE, asOf);
      if (exact !== undefined) return exact;
    } catch (error) {
      if (error instanceof InvalidQueryError) return undefined;
      throw error;
    }
    return entryOf(await this.catalogue(), asOf);
  }

  /** Every entry of the catalogue; none when it cannot be read (it is made by the first build). */
  private async catalogue(): Promise<CatalogueEntry[]> {
    try {
      const entries: CatalogueEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.store.find<CatalogueEntry>(AS_OF_CATALOGUE, { limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        entries.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return entries;
    } catch (error) {
      if (error instanceof InvalidQueryError) return [];
      throw error;
    }
  }
}

/** The entry of that name, else one of a name that leads to the same collections (June and june). */
function entryOf(entries: readonly CatalogueEntry[], asOf: string): CatalogueEntry | undefined {
  return entries.find((entry) => entry.name === asOf) ?? entries.find((entry) => typeof entry.name === 'string' && sameAsOfStorage(entry.name, asOf));
}

/**
 * The name of another generation of the same log position as the default name `asOf` (`position-12` and `position-0012`, which
 * a release before a cut had one spelling made from until "0012"), the unpadded one first; undefined when asOf is no such name.
 */
function positionTwinOf(entries: readonly CatalogueEntry[], asOf: string): string | undefined {
  const wanted = positionNamed(asOf);
  if (wanted === undefined) return undefined;
  const twins = entries.map((entry) => entry.name).filter((name): name is string => typeof name === 'string' && name !== asOf && positionNamed(name) === wanted);
  return twins.sort((a, b) => a.length - b.length || compareAsOfNames(a, b))[0];
}

/** The names of the as-of generations built, sorted (an entry edited by hand without a name: its id). */
function namesOf(entries: readonly CatalogueEntry[]): string[] {
  return entries.map((entry) => (typeof entry.name === 'string' ? entry.name : entry.id)).sort(compareAsOfNames);
}
