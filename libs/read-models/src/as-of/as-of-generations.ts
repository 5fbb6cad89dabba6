import type { EventStore, RecordedEvent } from '@app/event-store';
import { ProjectionRunner, generationFor, isHandEditedHolder, leaseHolderIsGone, leaseHolderName, leaseRowAndMend, shownLeaseHolder } from '@app/projections';
import { generationCollection, type ReadStore } from '@app/read-store';
import { ALL_PROJECTIONS as PROJECTIONS } from '../all-projections';
import { AS_OF_CATALOGUE, AS_OF_NAME, asOfPrefix, compareAsOfNames, sameAsOfStorage, samePositionCut } from '../read-model-reader';
import { dropEarlierVersions, erasuresNotApplied, forgetInAsOfGeneration } from './as-of-erasure';
import type { AsOfUntil } from './as-of-until';

/**
 * Point-in-time ("as of") generations: every read model built from the events that had happened by a
 * moment, under a name (`asOf=NAME` on the queries). One implementation for the CLI
 * (`replay --until … --into NAME`) and the API's analyst jobs (`POST /analytics/as-of`).
 */

/** What a name may look like: it becomes part of collection names on every store. */
export const AS_OF_NAME_RULE = 'letters, digits, - and _ (at most 40)';

export { asOfUntilSpelling, parseAsOfUntil, parseIsoInstant, type AsOfUntil } from './as-of-until';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * Why a date (alone, or before its time) names no day of the calendar, said with a day that exists; undefined when it names one,
 * or is no date at all (a name such as 2026-02-30Tnoon is no date). One message for `until` of POST /analytics/as-of and for `asOf` of a read.
 */
export function missingDayProblem(field: string, text: string): string | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:$|T\d{2}:)/.exec(text);
  if (!date) return undefined;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const why = month < 1 || month > 12 ? 'a year has the months 01 to 12' : day < 1 ? 'days count from 01' : day > daysIn(year, month) ? `${MONTHS[month - 1]} ${date[1]} has ${daysIn(year, month)} days` : undefined;
  if (why === undefined) return undefined;
  const near = month < 1 || month > 12 ? `${date[1]}-12-31` : `${date[1]}-${date[2]}-${day < 1 ? '01' : String(daysIn(year, month)).padStart(2, '0')}`;
  return `${field} ${text} is a day that does not exist (${why}), so no read model is or can be built as of it: give a date that exists (${near})`;
}

/**
 * A moment after now (`clock` names whose: the server's, or the CLI's machine), refused with how to fix it: a generation holds what had happened when it was built and never
 * grows, so one "as of" a moment still to come would miss what happens until then under a name that says it holds it. No clock
 * skew is allowed: this instance's events are stamped by this clock (a command's time, or before it), so a later moment can only
 * miss events; other instances' clocks are the operators' to keep in step (docs/adr/0005). A position is never refused here (one
 * past the log's end is, apart).
 */
export function untilStillToCome(field: string, until: AsOfUntil, untilText: string, now: Date, head: number, clock = 'the server\'s time'): string | undefined {
  if (until.time === undefined || Date.parse(until.time) <= now.getTime()) return undefined;
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  return `${field} ${untilText} is still to come (${until.time}; ${clock} is ${now.toISOString()}): a generation holds what had happened when it was built and `
    + `never grows, so it would not be what its name says. Give a moment that has passed (${yesterday}, a day that has ended, or ${now.toISOString()}), `
    + `or the log's last position ("${head}") for the read models as they stand now`;
}

/**
 * The name a generation gets when none is given: the moment as written, made a valid name (`2026-06-30`, `position-1200`,
 * `2026-03-01T08-00-00plus08-00`). A `+` becomes `plus`, not `-` as the other signs do: `+12:00` and `-12:00` name
 * moments a day apart, which one name would have made a 409 for the second.
 */
export function defaultAsOfName(untilText: string): string {
  const name = /^\d+$/.test(untilText) ? `position-${untilText}` : untilText.replace(/\+/g, 'plus').replace(/[^A-Za-z0-9_-]/g, '-');
  return name.slice(0, 40);
}

export interface AsOfBuildProgress {
  /** Events of the log passed so far (cut at a moment, those after it included: they are read and skipped; cut at a position, the reading stops there). */
  readonly events: number;
  /** Events up to `until`, applied to the read models so far. */
  readonly applied: number;
  /** Position reached in the log. */
  readonly position: number;
}

export interface AsOfBuildOptions {
  readonly onProgress?: (progress: AsOfBuildProgress) => void;
  /** Aborting stops after the batch in progress; the half-built generation is dropped and the build throws AsOfBuildCancelledError. */
  readonly signal?: AbortSignal;
  /** Who builds it, for the catalogue (a process's host and pid): a build whose builder is gone is cleaned up. */
  readonly builder?: AsOfBuilder;
  readonly now?: () => Date;
  /**
   * Refuse (AsOfBuildRefusedError) when a generation of a name sharing its collections is in the catalogue once the name is held:
   * a job asked for when the name was free, whose name another process took before it started (the API's jobs; the CLI without --replace).
   */
  readonly onlyIfNew?: boolean;
}

export interface AsOfBuilder {
  readonly host: string;
  readonly pid: number;
  /** Tells two processes that had the same pid apart (the pid of a restarted process may come again). */
  readonly instance: string;
  /** Where the pid means this process (processSpace of @app/projections: boot and pid namespace); absent in an older version's entry. */
  readonly space?: string;
}

/**
 * Whether the builder of a building entry may still be building, seen from the process `self`: a builder on this host, in this pid
 * namespace, whose pid no longer runs (or is `self`'s pid under another instance: an earlier process) is gone. One of another machine
 * or pid namespace, or a record no version wrote (the read store edited by hand), counts as alive: its heartbeat tells. The one rule
 * of the API's sweeps and the CLI's (a killed `cli replay --into` or API instance leaves nothing in the way).
 */
export function asOfBuilderIsAlive(builder: AsOfBuilder, self: AsOfBuilder): boolean {
  if (builder === null || typeof builder !== 'object' || !Number.isSafeInteger(builder.pid) || builder.pid <= 0) return true;
  if (builder.instance === self.instance) return true;
  if (builder.host !== self.host) return true;
  if (builder.space !== undefined && builder.space !== self.space) return true;
  if (builder.pid === self.pid) return false;
  try {
    process.kill(builder.pid, 0);
    return true;
  } catch (error) {
    // Duck-typed: EPERM is a live process of another user.
    return (error as { code?: unknown })?.code === 'EPERM';
  }
}

/** A builder as a refusal names it (`web-2, pid 4242`); a record no version wrote (edited by hand) is not echoed. */
export function shownAsOfBuilder(builder: AsOfBuilder | undefined): string {
  const valid = builder !== null && typeof builder === 'object' && typeof builder.host === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(builder.host)
    && Number.isSafeInteger(builder.pid) && builder.pid > 0;
  return valid ? `${builder.host}, pid ${builder.pid}` : 'a process its catalogue entry does not name';
}

/**
 * A build refused: another process builds that name (`held`: nothing of its was touched; `lost`: its lease ran out and
 * another took it mid-build, so it stopped writing and left the name to that one), nobody holds its lease but rm_leases was
 * made again and holds leases back for one expiry (`held-back`: the message says until when), or a generation of that name was
 * built after the job was asked for (`exists`). `holder` names the other process's lease, as /health shows holders.
 */
export class AsOfBuildRefusedError extends Error {
  constructor(readonly generation: string, message: string, readonly reason: 'held' | 'held-back' | 'lost' | 'exists' = 'held', readonly holder?: string) {
    super(message);
    this.name = 'AsOfBuildRefusedError';
  }
}

export class AsOfBuildCancelledError extends Error {
  constructor(readonly generation: string) {
    super(`the as-of generation ${generation} was cancelled`);
  }
}

/** The generations of every read model that an as-of build named `name` writes. */
export const asOfGenerations = (name: string): string[] => PROJECTIONS.map((projection) => generationFor(projection, asOfPrefix(name)));

/**
 * Builds every read model as it stood at `until` into the generations of `name`, beside the live ones
 * (which keep serving), and records it in the catalogue. A generation of that name is built again.
 */
export async function buildAsOfGeneration(events: EventStore, readStore: ReadStore, until: AsOfUntil, untilText: string, name: string, options: AsOfBuildOptions = {}): Promise<AsOfEntry> {
  const now = options.now ?? (() => new Date());
  const catalogue = await AsOfCatalogue.open(readStore);
  // One build of a name at a time, across processes: two instances asked for one name at once (before either had listed it as
  // building) both built into its collections, the second dropping what the first had built. The lease is the read store's
  // own (rm_leases), renewed with the heartbeat and given up at the end; the other build is refused before it touches anything.
  const lease = asOfLeaseName(name);
  // As the projector's lease: host, pid and process space, so that a holder killed on this host (Ctrl-C of `cli replay`, kill -9)
  // is seen to be gone and its lease taken at once, not after AS_OF_STALE_AFTER_MS.
  const holder = leaseHolderName();
  if (!(await readStore.acquireLease(lease, holder, AS_OF_STALE_AFTER_MS))) {
    const current = await readStore.leaseHolder(lease);
    const replaced = current !== null && leaseHolderIsGone(current) && (await readStore.acquireLease(lease, holder, AS_OF_STALE_AFTER_MS, { replacing: current }));
    // Nobody holds it, yet it was refused: rm_leases was made again (dropped by hand) and leases without a row are held back one
    // expiry, in case a process that held one goes on (docs/adr/0005). Said so, with the time to ask again, not "held by unknown".
    const remade = !replaced && current === null ? await readStore.leasesRemadeAt() : null;
    const heldBack = remade !== null && remade.getTime() + AS_OF_STALE_AFTER_MS > Date.now();
    // The hold-back ended between the refusal and this look: taken now, as any lease without a row is.
    const takenSince = remade !== null && !heldBack && (await readStore.acquireLease(lease, holder, AS_OF_STALE_AFTER_MS));
    if (!replaced && !takenSince) {
      if (remade !== null && heldBack) {
        const until = new Date(remade.getTime() + AS_OF_STALE_AFTER_MS).toISOString();
        throw new AsOfBuildRefusedError(name, `"${name}" cannot be built yet: nobody holds its lease ${lease}, but rm_leases, the read store's table of leases, was made again at `
          + `${remade.toISOString()} (it went missing), and leases without a row are held back until ${until}, one expiry (${AS_OF_STALE_AFTER_MS / 1000} s), in case a process `
          + 'that held one before goes on; ask again then', 'held-back');
      }
      const shown = shownLeaseHolder(current ?? 'unknown');
      if (isHandEditedHolder(current)) {
        // A row no process wrote (edited by hand) holds the name until it expires: say which row, and how to free it, as /health does for the projector's.
        const { row, mend } = leaseRowAndMend(lease);
        throw new AsOfBuildRefusedError(name, `"${name}" cannot be built: its lease ${lease} (${row}) is held by a name no process gives (edited by hand?), so no build of it starts until that row expires; ${mend} and ask again`, 'held', shown);
      }
      throw new AsOfBuildRefusedError(name, `"${name}" is being built by another process (lease ${lease} held by ${shown}; it runs out ${AS_OF_STALE_AFTER_MS / 1000} s after that process last renewed it, so within ${AS_OF_STALE_AFTER_MS / 1000} s once that process stops); wait for that build (GET /analytics/as-of/${name} shows it once it is listed), or ask again after`, 'held', shown);
    }
  }
  try {
    const clash = options.onlyIfNew ? await catalogue.clashing(name) : undefined;
    if (clash) {
      throw new AsOfBuildRefusedError(name, `"${name}" was built by another process after this job was asked for (an as-of generation "${clash.name}" exists, ${clash.status}, until ${clash.until}); use it, or DELETE /analytics/as-of/${clash.name} and ask again`, 'exists');
    }
    return await buildClaimed(events, readStore, catalogue, until, untilText, name, options, now, () => readStore.acquireLease(lease, holder, AS_OF_STALE_AFTER_MS), lease);
  } finally {
    await readStore.releaseLease(lease, holder).catch(() => undefined);
  }
}

/** The read-store lease that holds an as-of name (names that share collections share it). */
export const asOfLeaseName = (name: string): string => `as-of:${asOfPrefix(name).toLowerCase()}`;

/** buildAsOfGeneration once its name is held (`renew` keeps it held, with each heartbeat). */
async function buildClaimed(
  events: EventStore, readStore: ReadStore, catalogue: AsOfCatalogue, until: AsOfUntil, untilText: string, name: string, options: AsOfBuildOptions,
  now: () => Date, renew: () => Promise<boolean>, lease: string,
): Promise<AsOfEntry> {
  // A renewal that says no: the lease ran out (a pause longer than its TTL) and another process took it and builds the name now.
  // This build stops writing, and drops nothing: the generations and the catalogue entry are that process's now.
  let lost = false;
  let onLost: () => void = () => undefined;
  const lostLease = new Promise<'lost'>((resolve) => (onLost = () => resolve('lost')));
  const lostError = () => new AsOfBuildRefusedError(name, `the build of "${name}" stopped: its lease ${lease} ran out and another process took it (it builds "${name}" now); nothing of this build was made queryable`, 'lost');
  const hold = async (): Promise<void> => {
    if (lost || !(await renew())) {
      lost = true;
      throw lostError();
    }
  };
  for (const generation of asOfGenerations(name)) await readStore.dropGeneration(generation);
  const startedAt = now().toISOString();
  const building: AsOfEntry = { id: name, name, until: untilText, status: 'building', startedAt, heartbeatAt: startedAt, ...(options.builder ? { builder: options.builder } : {}) };
  await catalogue.put(building);
  let applied = 0;
  let passed = 0;
  let lastBeat = Date.now();
  let beating: Promise<void> = Promise.resolve();
  // Every projection asks about every event: each position is counted once, by the first to ask (they ask in log order).
  let counted = 0;
  const within = (event: RecordedEvent): boolean =>
    until.position !== undefined ? event.position <= until.position : String(event.metadata['occurredAt'] ?? event.recordedAt) <= until.time!;
  // The last position the generation holds: cut at a moment, the runner reads on to the end of the log, so its own position is the head's.
  let held = 0;
  // The latest business time (occurredAt, else recordedAt: as `within` and the statistics' buckets read it) of the events it
  // holds: the moment a generation cut at a position holds the history up to (partialPeriodsClock). Imported history is
  // recorded at its import, long after it occurred.
  let lastOccurred: number | undefined;
  const include = (event: RecordedEvent): boolean => {
    const keep = within(event);
    if (keep && event.position > counted) {
      applied += 1;
      const occurred = Date.parse(String(event.metadata['occurredAt'] ?? event.recordedAt));
      if (Number.isFinite(occurred) && (lastOccurred === undefined || occurred > lastOccurred)) lastOccurred = occurred;
    }
    if (keep) held = Math.max(held, event.position);
    counted = Math.max(counted, event.position);
    return keep;
  };
  const first = PROJECTIONS[0]!.name;
  const runner = new ProjectionRunner(events, readStore, PROJECTIONS, {
    generationPrefix: asOfPrefix(name), include, activate: false, batchSize: 2000,
    // Cut at a position, the log after it is not read at all; cut at a moment, it is read and skipped
    // (business time does not follow the log's order: an event recorded later may have happened before).
    ...(until.position !== undefined ? { untilPosition: until.position } : {}),
    // A commit tells how many events it passed: a difference of positions is no count (bytes on KurrentDB).
    onCommit: (projection, position, count) => {
      if (projection !== first) return;
      passed += count;
      options.onProgress?.({ events: passed, applied, position });
      // A heartbeat: a building entry that stops beating (its process died) is cleaned up by the next sweep.
      if (Date.now() - lastBeat >= HEARTBEAT_MS) {
        lastBeat = Date.now();
        beating = renew().then(async (held) => {
          if (!held) {
            lost = true;
            onLost();
            return;
          }
          await catalogue.put({ ...building, heartbeatAt: now().toISOString() });
        }).catch(() => undefined);
      }
    },
  });
  const cancelled = new Promise<'cancelled'>((resolve) => {
    if (options.signal?.aborted) resolve('cancelled');
    options.signal?.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });
  try {
    await runner.start();
    // caughtUp rejects once a cancellation has stopped the runner: that rejection is the cancellation's.
    const caughtUp = runner.caughtUp(24 * 3600_000).then(() => 'caught-up' as const, (error: unknown) => (options.signal?.aborted ? ('cancelled' as const) : Promise.reject(error)));
    const outcome = await Promise.race([caughtUp, cancelled, lostLease]);
    await runner.stop();
    if (outcome === 'cancelled') throw new AsOfBuildCancelledError(name);
    if (outcome === 'lost') throw lostError();
    await beating;
    // Held still before the phases after the run (they may take longer than the lease's TTL: each renews it).
    await hold();
  } catch (error) {
    await runner.stop().catch(() => undefined);
    if (!lost) await dropAsOf(readStore, name).catch(() => undefined);
    throw error;
  }
  // An erasure that completed while this generation was built skipped it (a completion cleans the listed
  // generations only), and the build read the values before the keys closed (docs/adr/0019). Listed as
  // finishing first, then the log read: an erasure whose completion lists the catalogue before this is in
  // that read; one that lists it after finds the generation finishing and cleans it itself.
  await catalogue.put({ ...building, heartbeatAt: now().toISOString(), finishing: true });
  const erasures = await erasuresNotApplied(events, within, runner.position());
  await hold();
  if (erasures.length > 0) {
    await forgetInAsOfGeneration(readStore, name, erasures);
    await hold();
    await readStore.forgetDeleted();
  }
  let documents = 0;
  for (const projection of PROJECTIONS) {
    for (const spec of projection.collections) documents += await readStore.count(generationCollection(generationFor(projection, asOfPrefix(name)), spec.name));
  }
  await hold();
  const done: AsOfEntry = {
    id: name, name, until: untilText, status: 'done', startedAt, builtAt: now().toISOString(), heartbeatAt: now().toISOString(),
    position: held, events: passed, applied, documents, ...(lastOccurred === undefined ? {} : { lastOccurredAt: new Date(lastOccurred).toISOString() }),
  };
  await catalogue.put(done);
  return done;
}

/** Drops the generations of `name` and its catalogue entry (nothing happens for a name that does not exist). */
export async function dropAsOf(readStore: ReadStore, name: string): Promise<void> {
  for (const generation of asOfGenerations(name)) await readStore.dropGeneration(generation);
  // Those of earlier versions too (built before an upgrade): nothing reads them, and they may hold personal data.
  await dropEarlierVersions(readStore, name);
  await (await AsOfCatalogue.open(readStore)).remove(name);
}

/**
 * Every as-of generation forgets what the erasures erased (ADR 0019, "Amendment: as-of generations"):
 * the finished ones, and those whose build has finished reading and is cleaning itself (`finishing`).
 * One whose build still reads is left to that build, which reads the erasures of the log before it is
 * listed as done. A completion cut short between two generations does them all again at the next
 * start. Answers the names of the generations it went through.
 */
export async function forgetInAsOfGenerations(readStore: ReadStore, erasures: readonly RecordedEvent[]): Promise<string[]> {
  if (erasures.length === 0) return [];
  const done: string[] = [];
  for (const entry of await (await AsOfCatalogue.open(readStore)).list()) {
    if (entry.status !== 'done' && entry['finishing'] !== true) continue;
    await forgetInAsOfGeneration(readStore, entry.name, erasures);
    done.push(entry.name);
  }
  return done;
}

/** How often a build in progress says it is alive; an entry silent for STALE_AFTER_MS is abandoned. */
const HEARTBEAT_MS = 5_000;
export const AS_OF_STALE_AFTER_MS = 30_000;

/** One as-of generation in the catalogue. `building` while a build runs; `done` once it can be queried. */
export type AsOfEntry = {
  readonly id: string;
  readonly name: string;
  /** `until` as it was given (a date, a date-time or a position). */
  readonly until: string;
  readonly status: 'building' | 'done';
  readonly startedAt: string;
  readonly heartbeatAt: string;
  readonly builder?: AsOfBuilder;
  readonly builtAt?: string;
  readonly position?: number;
  /** Events of the log read; `applied` of them were up to `until`. */
  readonly events?: number;
  readonly applied?: number;
  /** Documents in all its collections. */
  readonly documents?: number;
  /**
   * When the last event it holds happened (the latest occurredAt, else recordedAt, of those applied): for a cut at a position, the moment its
   * period statistics are marked partial by (partialPeriodsClock), shown as `eventsUntil`. Absent when it holds no event, or was built by an earlier version.
   */
  readonly lastOccurredAt?: string;
} & Record<string, unknown>;

const CATALOGUE = AS_OF_CATALOGUE;
const CATALOGUE_CHECKPOINT = 'analytics';

/**
 * The list of as-of generations, a collection of the read store beside the read models (so every
 * API instance and the CLI on the same store see the same list). Single-document writes only.
 */
export class AsOfCatalogue {
  private constructor(private readonly store: ReadStore) {}

  static async open(store: ReadStore): Promise<AsOfCatalogue> {
    await store.ensureCollections([{ name: CATALOGUE }]);
    return new AsOfCatalogue(store);
  }

  async list(): Promise<AsOfEntry[]> {
    const entries: AsOfEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.find<AsOfEntry>(CATALOGUE, { limit: 500, ...(cursor === undefined ? {} : { cursor }) });
      entries.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return entries.sort((a, b) => compareAsOfNames(a.name, b.name));
  }

  async get(name: string): Promise<AsOfEntry | undefined> {
    return this.store.get<AsOfEntry>(CATALOGUE, name);
  }

  /**
   * An entry whose name leads to the same collections as `name` (`2026-06-30`, `2026_06_30` and `June` / `june` do), or that is
   * the same log position under an older release's default name (`position-0012` for `position-12`, and the reverse): reads
   * of either name find it, so a second build of that cut would only be a copy.
   */
  async clashing(name: string): Promise<AsOfEntry | undefined> {
    const entries = await this.list();
    return entries.find((entry) => sameAsOfStorage(entry.name, name)) ?? entries.find((entry) => samePositionCut(entry.name, name));
  }

  put(entry: AsOfEntry): Promise<void> {
    return this.store.commit(CATALOGUE_CHECKPOINT, [{ kind: 'put', collection: CATALOGUE, document: entry }], Date.now());
  }

  remove(name: string): Promise<void> {
    return this.store.commit(CATALOGUE_CHECKPOINT, [{ kind: 'delete', collection: CATALOGUE, id: name }], Date.now());
  }

  /**
   * Drops the half-built generations of builds whose process is gone: a builder on this host whose
   * pid no longer runs (or runs as another instance), or a heartbeat older than AS_OF_STALE_AFTER_MS.
   * `self` is the sweeping process: its own builds are never swept (its job ends or fails them itself).
   */
  async sweep(self: AsOfBuilder, now = new Date()): Promise<string[]> {
    const swept: string[] = [];
    for (const entry of await this.list()) {
      if (await this.sweepEntry(entry, self, now)) swept.push(entry.name);
    }
    return swept;
  }

  /**
   * Drops one entry if its build is gone; answers whether it did. The name's lease is taken first (its dead holder
   * replaced), and the entry read again under it: a build of that name started since the entry was read holds the
   * lease, or wrote another entry, and is left alone (two sweeps, or a sweep and a new build, raced before).
   */
  async sweepEntry(entry: AsOfEntry, self: AsOfBuilder, now = new Date()): Promise<boolean> {
    if (entry.status !== 'building' || entry.builder?.instance === self.instance) return false;
    const silent = now.getTime() - Date.parse(entry.heartbeatAt) > AS_OF_STALE_AFTER_MS;
    if (!silent && (entry.builder === undefined || asOfBuilderIsAlive(entry.builder, self))) return false;
    const lease = asOfLeaseName(entry.name);
    const holder = leaseHolderName();
    let taken = await this.store.acquireLease(lease, holder, AS_OF_STALE_AFTER_MS);
    if (!taken) {
      const current = await this.store.leaseHolder(lease);
      taken = current !== null && leaseHolderIsGone(current) && (await this.store.acquireLease(lease, holder, AS_OF_STALE_AFTER_MS, { replacing: current }));
    }
    if (!taken) return false;
    try {
      const still = await this.get(entry.name);
      if (still?.status !== 'building' || still.startedAt !== entry.startedAt || still.builder?.instance !== entry.builder?.instance) return false;
      await dropAsOf(this.store, entry.name);
      return true;
    } finally {
      await this.store.releaseLease(lease, holder).catch(() => undefined);
    }
  }
}
