import { SqliteEventStore, type AllSubscription, type SubscribeToAllOptions, type SubscriptionMessage } from '@app/event-store';
import { SqliteReadStore } from '@app/read-store';
import { complaint } from '../testing-fixtures';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hostname, tmpdir } from 'node:os';
import { processSpace } from '@app/projections';
import { AS_OF_CATALOGUE, AsOfNotBuiltError, ReadModelReader, asOfPrefix } from '../read-model-reader';
import { ALL_PROJECTIONS } from '../all-projections';
import { COMPLAINT_LIST } from '../complaint-list/complaint-list.projection';
import { COMPLAINT_STATS } from '../stats/complaint-stats.projection';
import {
  AS_OF_STALE_AFTER_MS, AsOfBuildRefusedError, AsOfCatalogue, asOfGenerations, asOfLeaseName, buildAsOfGeneration, missingDayProblem, parseAsOfUntil, untilStillToCome, type AsOfBuilder, type AsOfEntry,
} from './as-of-generations';

/** Counts the events its subscriptions hand out: what a build reads of the log. */
class CountingEventStore extends SqliteEventStore {
  delivered = 0;
  override subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const inner = super.subscribeToAll(options);
    const store = this;
    return {
      async *[Symbol.asyncIterator](): AsyncGenerator<SubscriptionMessage> {
        for await (const message of inner) {
          if (message.kind === 'event') store.delivered += 1;
          yield message;
        }
      },
      close: () => inner.close(),
    };
  }
}

const id = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/** `count` complaints received into `events`, one stream and one minute apart each. */
async function receive(events: SqliteEventStore, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const received = complaint(id(index), { minutes: index }).received;
    await events.append(`complaint-${id(index)}`, [{ eventId: id(index), type: received.type, data: received.data, metadata: {} }]);
  }
}

describe('as-of until: a moment that has passed, on a day that exists', () => {
  const now = new Date('2026-12-06T10:00:00.000Z');
  const stillToCome = (text: string, head = 3929) => untilStillToCome('until', parseAsOfUntil(text)!, text, now, head);

  it('refuses a moment after the server\'s now, giving that now, a day that has ended, and the log\'s last position for the read models as they stand', () => {
    expect(stillToCome('2030-01-01')).toBe('until 2030-01-01 is still to come (2030-01-01T23:59:59.999Z; the server\'s time is 2026-12-06T10:00:00.000Z): '
      + 'a generation holds what had happened when it was built and never grows, so it would not be what its name says. Give a moment that has passed '
      + '(2026-12-05, a day that has ended, or 2026-12-06T10:00:00.000Z), or the log\'s last position ("3929") for the read models as they stand now');
  });

  it('refuses today\'s date: a date means the end of that day, which is still to come', () => {
    expect(stillToCome('2026-12-06')).toMatch(/^until 2026-12-06 is still to come \(2026-12-06T23:59:59\.999Z;/);
    expect(stillToCome('2026-12-05')).toBeUndefined();
  });

  it('allows no clock skew: the server\'s now is accepted, a millisecond after it is not', () => {
    expect(stillToCome('2026-12-06T10:00:00.000Z')).toBeUndefined();
    expect(stillToCome('2026-12-06T18:00:00+08:00')).toBeUndefined();
    expect(stillToCome('2026-12-06T10:00:00.001Z')).toMatch(/is still to come/);
    expect(stillToCome('2026-12-06T18:00:01+08:00')).toMatch(/^until 2026-12-06T18:00:01\+08:00 is still to come \(2026-12-06T10:00:01\.000Z;/);
  });

  it('takes a position whatever the clock (a position past the end is refused apart)', () => {
    expect(stillToCome('99999999')).toBeUndefined();
  });

  it('says why a day does not exist, and which days the month has, for a date alone or before a time', () => {
    expect(missingDayProblem('until', '2019-02-29')).toBe('until 2019-02-29 is a day that does not exist (February 2019 has 28 days), so no read model is or can be built as of it: give a date that exists (2019-02-28)');
    expect(missingDayProblem('asOf', '2026-04-31')).toMatch(/^asOf 2026-04-31 is a day that does not exist \(April 2026 has 30 days\)/);
    expect(missingDayProblem('until', '1900-02-29T08:00:00Z')).toMatch(/^until 1900-02-29T08:00:00Z is a day that does not exist \(February 1900 has 28 days\)/);
    expect(missingDayProblem('until', '2026-13-01')).toMatch(/^until 2026-13-01 is a day that does not exist \(a year has the months 01 to 12\)/);
    expect(missingDayProblem('until', '2026-06-00')).toMatch(/^until 2026-06-00 is a day that does not exist \(days count from 01\)/);
    for (const exists of ['2024-02-29', '2000-02-29', '2026-06-30', '2026-12-31T23:59:59Z', 'yesterday', '1200', '2026-6-1', '2026-02-30Tnoon']) expect(missingDayProblem('until', exists)).toBeUndefined();
  });
});

describe('as-of generations', () => {
  it('cut at a log position, stop reading the log there: the events after the cut are neither applied nor read', async () => {
    const events = new CountingEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    await receive(events, 3000);
    const entry = await buildAsOfGeneration(events, readStore, { position: 1200 }, '1200', 'position-1200');
    expect(entry).toMatchObject({ status: 'done', position: 1200, applied: 1200 });
    // The event at the cut is the last one asked for (where positions have gaps, the first after it would be).
    expect(events.delivered).toBe(1200);
    expect(entry.events).toBe(1200);
    await readStore.close();
    await events.close();
  });
});

describe('as-of generations: the moment their period statistics are marked partial by', () => {
  it('records when the last event it holds happened; a read of a period statistic is marked by it, from the catalogue entry it reads anyway', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    await receive(events, 5);
    const [third] = await events.readAll({ fromPosition: 3, maxCount: 1 });
    // Given a generation cut at position 3 / Then its entry says when the event at 3 happened
    const entry = await buildAsOfGeneration(events, readStore, { position: 3 }, '3', 'three');
    expect(entry.lastOccurredAt).toBe(new Date(String(third!.metadata['occurredAt'] ?? third!.recordedAt)).toISOString());
    expect((await (await AsOfCatalogue.open(readStore)).get('three'))?.lastOccurredAt).toBe(entry.lastOccurredAt);
    // When a period statistic reads it, with the clock a year later / Then its rows are marked by that moment; without asOf, by the clock
    const gets: string[] = [];
    // Every read of the catalogue, a get or a page of a find.
    const catalogueReads: string[] = [];
    const counting = new Proxy(readStore, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if ((property !== 'get' && property !== 'find') || typeof value !== 'function') return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        return (collection: string, ...rest: unknown[]) => {
          if (property === 'get') gets.push(collection);
          if (collection === AS_OF_CATALOGUE) catalogueReads.push(property);
          return (value as (...args: unknown[]) => unknown).call(target, collection, ...rest);
        };
      },
    });
    const reader = new ReadModelReader(counting, ALL_PROJECTIONS);
    const clock = new Date(Date.parse(entry.lastOccurredAt!) + 365 * 86_400_000);
    const read = await reader.periodsCollection(COMPLAINT_STATS, 'buckets', 'three', clock);
    expect(read).toEqual({ collection: await reader.collection(COMPLAINT_STATS, 'buckets', 'three'), now: new Date(entry.lastOccurredAt!) });
    // No catalogue read more than the read of the collection makes
    expect(gets.filter((name) => name === gets[0]).length).toBe(2);
    expect((await reader.periodsCollection(COMPLAINT_STATS, 'buckets', undefined, clock)).now).toEqual(clock);
    // A generation of no event records none: it is marked by when it was built
    const empty = await buildAsOfGeneration(events, readStore, { position: 0 }, '0', 'none');
    expect(empty.lastOccurredAt).toBeUndefined();
    expect((await reader.periodsCollection(COMPLAINT_STATS, 'buckets', 'none', clock)).now).toEqual(new Date(empty.builtAt!));
    // A read as of a name never built (the 404): one read of the catalogue gives both whether it is building and the names to list
    // (it read the entry, then the whole catalogue again for the names).
    catalogueReads.length = 0;
    await expect(reader.periodsCollection(COMPLAINT_STATS, 'buckets', 'never-built', clock)).rejects.toThrow(/^No read model was built as of "never-built" \(the ones built are none, three /);
    expect(catalogueReads).toEqual(['find']);
    // … and so does one of a generation whose build has made no table yet: one read, which says it is building.
    const catalogue = await AsOfCatalogue.open(readStore);
    await catalogue.put({ id: 'July', name: 'July', until: '2026-07-31', status: 'building', startedAt: '2026-08-01T00:00:00.000Z', heartbeatAt: '2026-08-01T00:00:00.000Z' });
    catalogueReads.length = 0;
    await expect(reader.collection(COMPLAINT_STATS, 'buckets', 'july')).rejects.toThrow(/^The read model as of "july" is not built yet/);
    expect(catalogueReads).toHaveLength(1);
    await readStore.close();
    await events.close();
  });

  it('takes imported history at the moment it happened, not when it was recorded (an import records years of it in minutes)', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    // Given events that happened in 2019, recorded now, as an import writes them (occurredAt in the metadata)
    for (const [index, occurredAt] of ['2019-03-02T08:00:00.000Z', '2019-03-20T08:00:00.000Z', '2019-04-10T08:00:00.000Z'].entries()) {
      const received = complaint(id(index), { minutes: index }).received;
      await events.append(`complaint-${id(index)}`, [{ eventId: id(index), type: received.type, data: received.data, metadata: { occurredAt } }]);
    }
    // When a generation is cut at position 2 / Then its moment is March 20th 2019, so March 2019 reads partial, not today
    const entry = await buildAsOfGeneration(events, readStore, { position: 2 }, '2', 'imported');
    expect(entry.lastOccurredAt).toBe('2019-03-20T08:00:00.000Z');
    await readStore.close();
    await events.close();
  });
});

describe('as-of generations: read only once built', () => {
  // A read with asOf during the build, or after its builder was killed, answered 200 with part of the figures (a quick
  // attacker's HIGH): the tables exist from the first batch on; the catalogue says whether the build is done.
  it('refuses a read of a generation the catalogue says is building, saying where its progress is; reads it once done', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    await receive(events, 5);
    const done = await buildAsOfGeneration(events, readStore, { position: 5 }, '5', 'June');
    const reader = new ReadModelReader(readStore, ALL_PROJECTIONS);
    const collection = await reader.collection(COMPLAINT_LIST, 'complaints', 'June');
    expect((await readStore.find(collection)).items).toHaveLength(5);
    const catalogue = await AsOfCatalogue.open(readStore);
    await catalogue.put({ ...done, status: 'building' });
    await expect(reader.collection(COMPLAINT_LIST, 'complaints', 'June')).rejects.toThrow(AsOfNotBuiltError);
    await expect(reader.collection(COMPLAINT_LIST, 'complaints', 'June')).rejects.toThrow(/not built yet: .*GET \/analytics\/as-of\/June shows its progress/);
    await catalogue.put(done);
    expect(await reader.collection(COMPLAINT_LIST, 'complaints', 'June')).toBe(collection);
    await readStore.close();
    await events.close();
  });

  it('finds an old zero-padded default name (position-0005) clashing with the name its cut has now (position-5), so a second build of the cut is refused', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    await receive(events, 5);
    await buildAsOfGeneration(events, readStore, { position: 5 }, '0005', 'position-0005');
    const catalogue = await AsOfCatalogue.open(readStore);
    expect((await catalogue.clashing('position-5'))?.name).toBe('position-0005');
    expect((await catalogue.clashing('position-05'))?.name).toBe('position-0005');
    expect(await catalogue.clashing('position-50')).toBeUndefined();
    expect(await catalogue.clashing('position-')).toBeUndefined();
    await expect(buildAsOfGeneration(events, readStore, { position: 5 }, '5', 'position-5', { onlyIfNew: true })).rejects.toThrow(/an as-of generation "position-0005" exists/);
    await readStore.close();
    await events.close();
  });

  it('reads a generation of an old zero-padded default name (position-0005) by the name its cut has now (position-5), and by either spelling', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    await receive(events, 5);
    // As a release before a cut had one spelling named it, from until "0005".
    await buildAsOfGeneration(events, readStore, { position: 5 }, '0005', 'position-0005');
    const reader = new ReadModelReader(readStore, ALL_PROJECTIONS);
    const collection = await reader.collection(COMPLAINT_LIST, 'complaints', 'position-0005');
    expect((await readStore.find(collection)).items).toHaveLength(5);
    expect(await reader.collection(COMPLAINT_LIST, 'complaints', 'position-5')).toBe(collection);
    expect(await reader.collection(COMPLAINT_LIST, 'complaints', 'position-05')).toBe(collection);
    await expect(reader.collection(COMPLAINT_LIST, 'complaints', 'position-50')).rejects.toThrow(/No read model was built as of "position-50" \(the ones built are position-0005/);
    await readStore.close();
    await events.close();
  });

  it('tells a generation whose build has made no table yet as not built (the catalogue says building, or a job of this process waits), not "build it"', async () => {
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    const reader = new ReadModelReader(readStore, ALL_PROJECTIONS);
    await expect(reader.collection(COMPLAINT_LIST, 'complaints', 'July')).rejects.toThrow(/No read model was built as of "July"/);
    const catalogue = await AsOfCatalogue.open(readStore);
    await catalogue.put({ id: 'July', name: 'July', until: '2026-07-31T23:59:59.999Z', status: 'building', startedAt: '2026-08-01T00:00:00.000Z', heartbeatAt: '2026-08-01T00:00:00.000Z' });
    await expect(reader.collection(COMPLAINT_LIST, 'complaints', 'July')).rejects.toThrow(/^The read model as of "July" is not built yet: its build is running.*GET \/analytics\/as-of\/July shows its progress/);
    reader.followJobs((name) => (name === 'August' ? 'queued' : undefined));
    await expect(reader.collection(COMPLAINT_LIST, 'complaints', 'August')).rejects.toThrow(/^The read model as of "August" is not built yet: its job is queued behind another build/);
    await expect(reader.collection(COMPLAINT_LIST, 'complaints', 'September')).rejects.toThrow(/No read model was built as of "September"/);
    await readStore.close();
  });
});

describe('as-of generations: the name lease', () => {
  afterEach(() => jest.restoreAllMocks());
  const name = 'June';
  // The lease the code takes: `as-of:` and the name's collection prefix, lower-cased (June and june share collections).
  const lease = `as-of:${asOfPrefix(name).toLowerCase()}`;
  // Another host's holder counts as alive: only its lease running out frees the name.
  const otherHolder = 'web-2:4242:0123abcd:89abcdef';

  async function stores(count = 20) {
    const events = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    await receive(events, count);
    return { events, readStore, close: async () => Promise.all([readStore.close(), events.close()]) };
  }

  /** What there is of `name`'s generations: its catalogue entry and the generations with a checkpoint. */
  async function traces(readStore: SqliteReadStore) {
    const entry = await (await AsOfCatalogue.open(readStore)).get(name);
    const checkpoints = await Promise.all(asOfGenerations(name).map((generation) => readStore.checkpoint(generation)));
    return { entry, checkpoints: checkpoints.filter((position) => position > 0).length };
  }

  it.each([[{}], [{ onlyIfNew: true }]])('refuses a build while another live process holds the name (%j), naming it, with nothing dropped or built', async (options) => {
    const { events, readStore, close } = await stores();
    const built = await buildAsOfGeneration(events, readStore, { position: 10 }, '10', name);
    const before = await traces(readStore);
    expect(before.checkpoints).toBeGreaterThan(0);
    expect(await readStore.acquireLease(lease, otherHolder, AS_OF_STALE_AFTER_MS)).toBe(true);

    const refusal = buildAsOfGeneration(events, readStore, { position: 20 }, '20', name, options);
    await expect(refusal).rejects.toBeInstanceOf(AsOfBuildRefusedError);
    await expect(refusal).rejects.toMatchObject({ reason: 'held', holder: otherHolder });
    await expect(refusal).rejects.toThrow(new RegExp(`held by ${otherHolder}; it runs out 30 s after`));
    // Nothing of the other's (here: the earlier build's) was dropped, nothing was built, and the lease is still the other's.
    expect(await traces(readStore)).toEqual(before);
    expect((await traces(readStore)).entry).toEqual(built);
    expect(await readStore.leaseHolder(lease)).toBe(otherHolder);
    await close();
  });

  // A hand-made row was named only "unrecognised", with no word of the row nor the mend (an attacker's LOW); /health says both for the projector's.
  it('names the lease row a hand-edited holder sits in, and how to mend it, never echoing the text', async () => {
    const { events, readStore, close } = await stores();
    expect(await readStore.acquireLease(lease, 'someone typed\u001b[31m this', AS_OF_STALE_AFTER_MS)).toBe(true);
    const refusal = buildAsOfGeneration(events, readStore, { position: 20 }, '20', name);
    await expect(refusal).rejects.toMatchObject({ reason: 'held', holder: 'unrecognised' });
    await expect(refusal).rejects.toThrow(`the row name = '${lease}' of rm_leases in the read store`);
    await expect(refusal).rejects.toThrow(`delete that row (DELETE FROM rm_leases WHERE name = '${lease}' in read.sqlite; MongoDB: the rm_leases document of _id '${lease}')`);
    await expect(refusal).rejects.not.toThrow(/typed/);
    expect((await traces(readStore)).entry).toBeUndefined();
    await close();
  });

  // The hold-back may end between the refused take and the look at when rm_leases was made again: the build then said "being built by
  // another process (… held by unknown)" where nobody held the name (a reviewer's LOW). It takes the lease now, as any lease without a row.
  it('builds when the hold-back of a remade rm_leases ended between the refused take and the look', async () => {
    const { events, readStore, close } = await stores(5);
    let refusedOnce = false;
    const racing = new Proxy(readStore, {
      get(target, property, receiver) {
        if (property === 'acquireLease') {
          return async (...args: Parameters<SqliteReadStore['acquireLease']>) => {
            if (!refusedOnce) {
              refusedOnce = true;
              return false;
            }
            return target.acquireLease(...args);
          };
        }
        if (property === 'leasesRemadeAt') return async () => new Date(Date.now() - AS_OF_STALE_AFTER_MS - 1000);
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const built = await buildAsOfGeneration(events, racing, { position: 5 }, '5', name);
    expect(refusedOnce).toBe(true);
    expect(built).toMatchObject({ name, status: 'done' });
    await close();
  });

  // For one ttl after rm_leases was made again (dropped by hand), a lease without a row is held back (ADR 0005): the refusal said
  // "held by unknown", as if a process built the name, where nobody holds it (a reviewer's MEDIUM).
  it('says the lease table was made again and until when leases are held back, when nobody holds the name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-asof-'));
    const filename = join(dir, 'read.sqlite');
    const events = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename });
    try {
      await receive(events, 5);
      expect(await readStore.leaseHolder(lease)).toBeNull();
      const hand = new Database(filename);
      hand.exec('DROP TABLE rm_leases');
      hand.close();
      const before = Date.now();
      const refusal = buildAsOfGeneration(events, readStore, { position: 5 }, '5', name);
      await expect(refusal).rejects.toMatchObject({ reason: 'held-back' });
      const message = await refusal.then(() => '', (error: unknown) => (error as Error).message);
      expect(message).not.toMatch(/another process|unknown/);
      expect(message).toMatch(/rm_leases, the read store's table of leases, was made again at .* \(it went missing\)/);
      const until = /held back until (\S+?), one expiry/.exec(message)?.[1];
      expect(until).toBeDefined();
      const untilMs = Date.parse(until!);
      expect(untilMs).toBeGreaterThanOrEqual(before + AS_OF_STALE_AFTER_MS - 1000);
      expect(untilMs).toBeLessThanOrEqual(Date.now() + AS_OF_STALE_AFTER_MS);
      expect(message).toMatch(/ask again then/);
      expect((await traces(readStore)).entry).toBeUndefined();
    } finally {
      await readStore.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the lease of a holder whose process on this host is gone (killed: it could not give it up) and builds', async () => {
    const { events, readStore, close } = await stores();
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    const dead = `${hostname()}:${child.pid}:0123abcd:${processSpace()}`;
    expect(await readStore.acquireLease(lease, dead, AS_OF_STALE_AFTER_MS)).toBe(true);

    const entry = await buildAsOfGeneration(events, readStore, { position: 20 }, '20', name, { onlyIfNew: true });
    expect(entry).toMatchObject({ status: 'done', position: 20, applied: 20 });
    // Given up at the end, as any build's.
    expect(await readStore.leaseHolder(lease)).toBeNull();
    await close();
  });

  it('holds the lease under a name of the projector lease\'s shape (host:pid:random:space), so that the next build sees it is gone', async () => {
    const { events, readStore, close } = await stores();
    const seen: string[] = [];
    const acquire = readStore.acquireLease.bind(readStore);
    jest.spyOn(readStore, 'acquireLease').mockImplementation(async (leaseName, holder, ttl, options) => {
      seen.push(holder);
      return acquire(leaseName, holder, ttl, options);
    });
    await buildAsOfGeneration(events, readStore, { position: 20 }, '20', name, { builder: { host: hostname(), pid: process.pid, instance: 'f'.repeat(36), space: processSpace() } });
    expect(seen.length).toBeGreaterThan(0);
    for (const holder of seen) expect(holder).toMatch(new RegExp(`^${hostname().replace(/[.]/g, '\\.')}:${process.pid}:[0-9a-f]{8}:${processSpace()}$`));
    await close();
  });

  it('stops when a renewal says the lease was taken by another, and makes nothing queryable nor drops what is now the other\'s', async () => {
    const { events, readStore, close } = await stores();
    const acquire = readStore.acquireLease.bind(readStore);
    let calls = 0;
    jest.spyOn(readStore, 'acquireLease').mockImplementation(async (leaseName, holder, ttl, options) => {
      calls += 1;
      if (calls === 1) return acquire(leaseName, holder, ttl, options);
      // Its lease ran out meanwhile and another process took it: every renewal says no.
      await readStore.releaseLease(leaseName, holder);
      await acquire(leaseName, otherHolder, ttl);
      return false;
    });
    const build = buildAsOfGeneration(events, readStore, { position: 20 }, '20', name);
    await expect(build).rejects.toMatchObject({ reason: 'lost' });
    await expect(build).rejects.toThrow(/ran out and another process took it/);
    const after = await traces(readStore);
    expect(after.entry?.status).not.toBe('done');
    // The generations are the other process's now: not dropped under it.
    expect(after.checkpoints).toBeGreaterThan(0);
    expect(await readStore.leaseHolder(lease)).toBe(otherHolder);
    await close();
  });

  it('stops in the middle of the run when a heartbeat\'s renewal says the lease is lost', async () => {
    const { events, readStore, close } = await stores(5000);
    const acquire = readStore.acquireLease.bind(readStore);
    let calls = 0;
    jest.spyOn(readStore, 'acquireLease').mockImplementation(async (leaseName, holder, ttl, options) => {
      calls += 1;
      return calls === 1 ? acquire(leaseName, holder, ttl, options) : false;
    });
    // Every clock reading is a heartbeat's worth later: the first commit beats.
    let clock = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => (clock += 6_000));
    const progress: number[] = [];
    const build = buildAsOfGeneration(events, readStore, { position: 5000 }, '5000', name, { onProgress: ({ events: passed }) => progress.push(passed) });
    await expect(build).rejects.toMatchObject({ reason: 'lost' });
    jest.spyOn(Date, 'now').mockRestore();
    // Stopped after a batch or two of 2000, not at the end of the log.
    expect(Math.max(...progress)).toBeLessThan(5000);
    expect((await traces(readStore)).entry?.status).not.toBe('done');
    await close();
  });
});

describe('as-of generations: the sweep of builds whose process is gone', () => {
  // The sweep runs on every instance's timer and in the CLI: it read the catalogue once and dropped what it judged dead,
  // so a build of that name started in between (by another sweeper's instance, the CLI) lost its tables; and a build of the
  // sweeping process itself, silent for a while in a phase without heartbeat, was dropped under it (a reviewer's MEDIUMs).
  const name = 'sweep-q3';
  const self: AsOfBuilder = { host: hostname(), pid: process.pid, instance: 'the-sweeper', space: processSpace() };
  const exited = () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    return child.pid;
  };
  const building = (builder: AsOfBuilder, startedAt = '2026-01-01T00:00:00.000Z'): AsOfEntry =>
    ({ id: name, name, until: '20', status: 'building', startedAt, heartbeatAt: startedAt, builder });
  async function planted(entry: AsOfEntry) {
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    const catalogue = await AsOfCatalogue.open(readStore);
    await catalogue.put(entry);
    return { readStore, catalogue };
  }

  it('drops the entry of a killed builder, taking and giving up its name\'s lease', async () => {
    const deadPid = exited();
    const { readStore, catalogue } = await planted(building({ host: hostname(), pid: deadPid, instance: 'killed', space: processSpace() }));
    expect(await readStore.acquireLease(asOfLeaseName(name), `${hostname()}:${deadPid}:0123abcd:${processSpace()}`, AS_OF_STALE_AFTER_MS)).toBe(true);
    expect(await catalogue.sweep(self)).toEqual([name]);
    expect(await catalogue.get(name)).toBeUndefined();
    expect(await readStore.leaseHolder(asOfLeaseName(name))).toBeNull();
    await readStore.close();
  });

  it('leaves an entry whose name\'s lease a live process holds: a build of that name started after the entry was read', async () => {
    const { readStore, catalogue } = await planted(building({ host: hostname(), pid: exited(), instance: 'killed', space: processSpace() }));
    const live = `${hostname()}:${process.pid}:fedcba98:${processSpace()}`;
    expect(await readStore.acquireLease(asOfLeaseName(name), live, AS_OF_STALE_AFTER_MS)).toBe(true);
    expect(await catalogue.sweep(self)).toEqual([]);
    expect(await catalogue.get(name)).toMatchObject({ status: 'building', builder: { instance: 'killed' } });
    expect(await readStore.leaseHolder(asOfLeaseName(name))).toBe(live);
    await readStore.close();
  });

  it('leaves an entry written again since it was read (another build of the name), even with the lease free', async () => {
    const stale = building({ host: hostname(), pid: exited(), instance: 'killed', space: processSpace() });
    const { readStore, catalogue } = await planted(building({ host: 'desk-2', pid: 4242, instance: 'the-new-build' }, new Date().toISOString()));
    expect(await catalogue.sweepEntry(stale, self)).toBe(false);
    expect(await catalogue.get(name)).toMatchObject({ builder: { instance: 'the-new-build' } });
    expect(await readStore.leaseHolder(asOfLeaseName(name))).toBeNull();
    await readStore.close();
  });

  it('never drops a build of the sweeping process itself, however long its heartbeat has been silent', async () => {
    const { readStore, catalogue } = await planted(building(self, '2020-01-01T00:00:00.000Z'));
    expect(await catalogue.sweep(self)).toEqual([]);
    expect(await catalogue.get(name)).toMatchObject({ status: 'building' });
    await readStore.close();
  });

  it('drops a silent build of another host once its lease has run out', async () => {
    const { readStore, catalogue } = await planted(building({ host: 'desk-2', pid: 4242, instance: 'far-away' }, '2020-01-01T00:00:00.000Z'));
    expect(await catalogue.sweep(self)).toEqual([name]);
    expect(await catalogue.get(name)).toBeUndefined();
    await readStore.close();
  });
});
