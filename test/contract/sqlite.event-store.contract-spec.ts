import Database from 'better-sqlite3';
import { LOG_CHAIN_START, logLink } from '@app/event-sourcing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreUnavailableError, SqliteEventStore, type RecordedEvent, type SubscriptionMessage } from '@app/event-store';
import { describeEventStoreContract } from '@app/event-store/testing';

describeEventStoreContract('SQLite in memory', async () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

describeEventStoreContract('SQLite file, synchronous=FULL, committed on the writer thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: true });
  return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describeEventStoreContract('SQLite file, committed on the caller\'s thread (writerThread: false)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: false });
  return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describe('SQLite event store on disk', () => {
  it('answers an append only once it is committed: another connection reads it the moment the promise resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ filename, writerThread: true });
    const other = new Database(filename, { readonly: true });
    try {
      const count = other.prepare<[string], number>('SELECT COUNT(*) FROM events WHERE stream = ?').pluck();
      const appends = Array.from({ length: 20 }, (_, index) => store.append(`s-${index % 4}`, [{
        eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'Noted', data: { index }, metadata: {},
      }]).then((result) => ({ result, seen: count.get(`s-${index % 4}`)! })));
      for (const { result, seen } of await Promise.all(appends)) expect(seen).toBeGreaterThanOrEqual(result.nextRevision + 1);
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });


  it('keeps every acknowledged event across a close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    try {
      const first = new SqliteEventStore({ filename });
      const events = Array.from({ length: 10 }, (_, index) => ({
        eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'Noted', data: { index }, metadata: {},
      }));
      await Promise.all(events.map((event, index) => first.append(`s-${index % 3}`, [event])));
      await first.close();
      const reopened = new SqliteEventStore({ filename });
      const all = await reopened.readAll();
      expect(all.map((event) => event.data['index']).sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await expect(reopened.append('s-0', [events[0]!])).resolves.toMatchObject({ position: all.find((event) => event.eventId === events[0]!.eventId)!.position });
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects every append of a batch the writer thread cannot commit as unavailable, stores none of them, and writes again once it can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ filename, writerThread: true });
    const other = new Database(filename);
    const event = (index: number) => ({ eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'Noted', data: { index }, metadata: {} });
    try {
      await store.append('before', [event(1)]);
      // Every insert now fails inside the writer thread's transaction, as a full disk or an I/O error would make it.
      other.exec("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no room'); END");
      const refused = await Promise.allSettled([store.append('a', [event(2)]), store.append('b', [event(3)])]);
      for (const outcome of refused) {
        expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(EventStoreUnavailableError) });
        expect((outcome as PromiseRejectedResult).reason.message).toMatch(/could not commit: no room/);
      }
      expect((await store.readAll()).map((recorded) => recorded.stream)).toEqual(['before']);
      other.exec('DROP TRIGGER refuse');
      await expect(store.append('a', [event(2)])).resolves.toMatchObject({ nextRevision: 0 });
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses appends with a clear error once closed', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await store.close();
    await expect(store.append('s', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'T', data: {}, metadata: {} }])).rejects.toThrow(/closed/);
  });

  it('moves a filtered subscription past the events it has read through, so no commit rescans the log from the last match', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    // Every read of the log (a subscription's own, or the one its store shares between subscriptions) goes through readRows.
    const internals = store as unknown as { readRows: (options: { fromPosition?: number }) => unknown };
    const read = internals.readRows.bind(store);
    const reads: number[] = [];
    jest.spyOn(internals, 'readRows').mockImplementation((options) => {
      reads.push(options.fromPosition ?? 0);
      return read(options);
    });
    const event = (index: number) => ({ eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'Noted', data: { index }, metadata: {} });
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: ['wanted-'] } });
    const iterator = subscription[Symbol.asyncIterator]();
    await expect(iterator.next()).resolves.toMatchObject({ value: { kind: 'caught-up' } });
    const next = iterator.next();
    let last = 0;
    for (let index = 0; index < 20; index += 1) {
      last = (await store.append(`other-${index}`, [event(index)])).position;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const wanted = await store.append('wanted-1', [event(100)]);
    await expect(next).resolves.toMatchObject({ value: { kind: 'event', event: { position: wanted.position } } });
    // The subscription woke for each unrelated append; each read started where the one before had reached.
    expect(reads.length).toBeGreaterThan(20);
    expect(reads.filter((from) => from === 1).length).toBeLessThanOrEqual(2);
    expect(reads[reads.length - 1]).toBeGreaterThan(last);
    await subscription.close();
    await store.close();
  });

  it('wakes a subscription when another connection (another process) commits, without waiting for the poll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    // A poll of a minute: only the change check can deliver the event within the test's time.
    const reader = new SqliteEventStore({ filename, pollIntervalMs: 60_000 });
    const writer = new SqliteEventStore({ filename });
    try {
      const subscription = reader.subscribeToAll();
      const iterator = subscription[Symbol.asyncIterator]();
      await expect(iterator.next()).resolves.toMatchObject({ value: { kind: 'caught-up' } });
      const next = iterator.next();
      const written = await writer.append('other-process', [{ eventId: '00000000-0000-4000-8000-000000000007', type: 'Noted', data: {}, metadata: {} }]);
      await expect(next).resolves.toMatchObject({ value: { kind: 'event', event: { position: written.position, stream: 'other-process' } } });
      await subscription.close();
    } finally {
      await reader.close();
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 10_000);
});

describe('SQLite event store: one read of the log per commit for every subscription (docs/adr/0003)', () => {
  const event = (index: number) => ({ eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'Noted', data: { index }, metadata: {} });

  /** Counts the statements run on the store's reading connection that touch the log (the writer thread's connection is another). */
  function countLogQueries(store: SqliteEventStore): { count: () => number; restore: () => void } {
    const db = (store as unknown as { db: Database.Database }).db;
    const prototype = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<'all' | 'get' | 'iterate', (...args: unknown[]) => unknown>;
    let count = 0;
    const spies = (['all', 'get', 'iterate'] as const).map((method) => {
      const original = prototype[method];
      return jest.spyOn(prototype, method).mockImplementation(function (this: Database.Statement, ...args: unknown[]) {
        if (this.database === db && /\bevents\b/.test(this.source)) count += 1;
        return original.apply(this, args);
      });
    });
    return { count: () => count, restore: () => spies.forEach((spy) => spy.mockRestore()) };
  }

  it('reads each commit once for all its live subscriptions, filtered or not, and asks no head position, on the writer thread\'s commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    // No poll within the test: only the commits (and the change check) wake the subscriptions.
    const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), writerThread: true, pollIntervalMs: 60_000 });
    const filters = [{ eventTypes: ['Noted'] }, { streamPrefixes: ['s-'] }, { eventTypePrefixes: ['No'] }, undefined];
    const subscriptions = filters.map((filter) => store.subscribeToAll(filter ? { filter } : {}));
    try {
      await store.append('before', [event(0)]);
      const iterators = subscriptions.map((subscription) => subscription[Symbol.asyncIterator]());
      const nextEvent = async (iterator: AsyncIterator<SubscriptionMessage>): Promise<RecordedEvent> => {
        for (;;) {
          const { value } = await iterator.next();
          if (value.kind === 'event' && value.event.stream !== 'before') return value.event;
        }
      };
      // Every subscription caught up and waiting: only live delivery from here on.
      for (const iterator of iterators) await expect(iterator.next()).resolves.toMatchObject({ value: { kind: expect.any(String) } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const queries = countLogQueries(store);
      const commits = 10;
      try {
        for (let index = 1; index <= commits; index += 1) {
          const received = iterators.map(nextEvent);
          const { position } = await store.append(`s-${index}`, [event(index)]);
          for (const delivered of await Promise.all(received)) expect(delivered).toMatchObject({ position, data: { index } });
          // Long enough for the change check (every 5 ms) to see the writer thread's commit.
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      } finally {
        queries.restore();
      }
      // Before: each filtered subscription asked the head and read the log after each commit, and again when the change check saw the commit.
      expect(queries.count()).toBeLessThanOrEqual(commits + 1);
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('parses only the events a subscription takes: a damaged row that no live filter takes stops none of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ filename, writerThread: false });
    const other = new Database(filename);
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: ['wanted-'] } });
    try {
      const iterator = subscription[Symbol.asyncIterator]();
      await expect(iterator.next()).resolves.toMatchObject({ value: { kind: 'caught-up' } });
      const next = iterator.next();
      other.prepare("INSERT INTO events (event_id, stream, revision, type, data, metadata, recorded_at) VALUES ('00000000-0000-4000-8000-000000000099', 'damaged', 0, 'Noted', '{not json', '{}', '2026-01-01T00:00:00.000Z')").run();
      const wanted = await store.append('wanted-1', [event(1)]);
      await expect(next).resolves.toMatchObject({ value: { kind: 'event', event: { position: wanted.position, stream: 'wanted-1' } } });
    } finally {
      await subscription.close();
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a subscription that fell behind the kept tail every event from the log, in order, once; and one that keeps up all of them from the tail', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const behind = store.subscribeToAll();
    const keepingUp = store.subscribeToAll({ filter: { streamPrefixes: ['s-'] } });
    try {
      const slow = behind[Symbol.asyncIterator]();
      await expect(slow.next()).resolves.toMatchObject({ value: { kind: 'caught-up' } });
      const batches = 4;
      const perBatch = 700;
      const total = batches * perBatch;
      const received: number[] = [];
      const following = (async () => {
        for await (const message of keepingUp) {
          if (message.kind === 'event') received.push(message.event.position);
          if (received.length === total) break;
        }
      })();
      // 2,800 events, 700 to a commit: more than the tail keeps (1,000) and than a page (1,000) while the first subscription reads none.
      let index = 1;
      for (let batch = 0; batch < batches; batch += 1) {
        await store.append(`s-${batch}`, Array.from({ length: perBatch }, () => event((index += 1))));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await following;
      const all = (await store.readAll()).map((recorded) => recorded.position);
      expect(received).toEqual(all);
      const late: number[] = [];
      while (late.length < total) {
        const { value } = await slow.next();
        if (value.kind === 'event') late.push(value.event.position);
      }
      expect(late).toEqual(all);
    } finally {
      await behind.close();
      await keepingUp.close();
      await store.close();
    }
  });
});

describe('SQLite event store: whole streams kept between reads (docs/adr/0003)', () => {
  const event = (index: number) => ({ eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'Noted', data: { index }, metadata: { n: index } });

  it('reads a stream again as the events kept from the last read and those appended since, also by another connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    const reader = new SqliteEventStore({ filename });
    const writer = new SqliteEventStore({ filename });
    try {
      await writer.append('s', [event(1), event(2)]);
      // Kept from its second whole read.
      await reader.readStream('s');
      const first = await reader.readStream('s');
      await writer.append('s', [event(3)], { expectedRevision: 1 });
      const second = await reader.readStream('s');
      // The first two are the events read before (not parsed again); the third is the other connection's.
      expect(second[0]).toBe(first[0]);
      expect(second[1]).toBe(first[1]);
      expect(second.map((recorded) => recorded.data['index'])).toEqual([1, 2, 3]);
      // The same as a store that never read it.
      const fresh = new SqliteEventStore({ filename, cachedStreams: 0 });
      expect(second).toEqual(await fresh.readStream('s'));
      await fresh.close();
    } finally {
      await reader.close();
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a stream from its second whole read: a pass that reads every stream once keeps none and pushes out none', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', cachedStreams: 2 });
    try {
      for (const stream of ['hot', 'x', 'y', 'z']) await store.append(stream, [event(1)]);
      const once = await store.readStream('hot');
      const twice = await store.readStream('hot');
      // The first read is not kept: the second parses the file again, and is kept.
      expect(twice[0]).not.toBe(once[0]);
      expect((await store.readStream('hot'))[0]).toBe(twice[0]);
      // A scan of the other streams, each read once, with room for two kept streams.
      for (const stream of ['x', 'y', 'z']) await store.readStream(stream);
      expect((await store.readStream('hot'))[0]).toBe(twice[0]);
      const x = await store.readStream('x');
      expect((await store.readStream('x'))[0]).not.toBe(x[0]);
    } finally {
      await store.close();
    }
  });

  it('reads from the file with fromStorage, so that a row changed behind the store is what an audit verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ filename });
    const other = new Database(filename);
    try {
      await store.append('s', [event(1), event(2)]);
      await store.readStream('s');
      await store.readStream('s');
      other.prepare("UPDATE events SET data = json_set(data, '$.index', 99) WHERE stream = 's' AND revision = 0").run();
      expect((await store.readStream('s', { fromStorage: true })).map((recorded) => recorded.data['index'])).toEqual([99, 2]);
      // A command's read keeps the copy it read (the log is append-only; verify and the audit read the file).
      expect((await store.readStream('s')).map((recorded) => recorded.data['index'])).toEqual([1, 2]);
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives each reader an array of its own, keeps only the streams read last, and still reads parts of a stream from the file', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', cachedStreams: 1 });
    try {
      await store.append('a', [event(1), event(2)]);
      await store.append('b', [event(3)]);
      await store.readStream('a');
      const read = await store.readStream('a');
      read.pop();
      const again = await store.readStream('a');
      expect(again.map((recorded) => recorded.data['index'])).toEqual([1, 2]);
      expect(again[0]).toBe(read[0]);
      await store.readStream('b');
      await store.readStream('b');
      // 'a' was pushed out by 'b', kept from its second read: read from the file again.
      expect((await store.readStream('a'))[0]).not.toBe(read[0]);
      expect((await store.readStream('a', { fromRevision: 1 })).map((recorded) => recorded.data['index'])).toEqual([2]);
      expect((await store.readStream('a', { maxCount: 1 })).map((recorded) => recorded.data['index'])).toEqual([1]);
      await expect(store.readStream('none')).rejects.toThrow(/none/);
    } finally {
      await store.close();
    }
  });

  describe('bounded by bytes (cachedStreamBytes): the stored data and metadata of the events kept', () => {
    // Each of these events counts 9,514: 9,000 characters of data, 2 of metadata and 512 for the rest; four fit in 40,000, five do not.
    const big = (index: number) => ({ ...event(index), data: { text: 'x'.repeat(9_000 - 11) }, metadata: {} });
    /** Whether a whole read of the stream answers the events kept from the read before (the same objects) rather than parsing the file again. */
    const kept = async (store: SqliteEventStore, stream: string) => {
      const before = await store.readStream(stream, { fromStorage: true });
      const read = await store.readStream(stream);
      expect(read).toEqual(before);
      return read[0] === previous.get(stream) ? true : (previous.set(stream, read[0]), false);
    };
    const previous = new Map<string, unknown>();
    beforeEach(() => previous.clear());

    it('drops the least recently read streams until what is kept is within the budget', async () => {
      const store = new SqliteEventStore({ filename: ':memory:', cachedStreamBytes: 40_000 });
      try {
        for (const [index, stream] of ['a', 'b', 'c', 'd', 'e'].entries()) await store.append(stream, [big(index)]);
        // A stream is kept from its second whole read.
        for (const stream of ['a', 'b', 'c', 'd', 'e']) await store.readStream(stream);
        for (const stream of ['a', 'b', 'c', 'd']) expect(await kept(store, stream)).toBe(false);
        // All four are within the budget and still kept.
        for (const stream of ['a', 'b', 'c', 'd']) expect(await kept(store, stream)).toBe(true);
        // 'a' is read again, so 'b' is now the least recently read: 'e' pushes it out, not 'a'.
        expect(await kept(store, 'a')).toBe(true);
        expect(await kept(store, 'e')).toBe(false);
        for (const stream of ['c', 'd', 'a', 'e']) expect(await kept(store, stream)).toBe(true);
        // Dropped, 'b' is read once more before it is kept again.
        expect(await kept(store, 'b')).toBe(false);
        expect(await kept(store, 'b')).toBe(false);
        // Keeping 'b' again pushed out 'c', the least recently read by then.
        expect(await kept(store, 'c')).toBe(false);
      } finally {
        await store.close();
      }
    });

    it('serves a stream over a quarter of the budget from the file each time without keeping it or pushing others out, also one that grew past it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
      const filename = join(dir, 'events.sqlite');
      const store = new SqliteEventStore({ filename, cachedStreamBytes: 40_000 });
      const other = new Database(filename);
      try {
        await store.append('small', [event(1)]);
        await store.append('large', [big(1), big(2)]);
        await store.append('growing', [big(3)]);
        // A stream is kept from its second whole read.
        for (const stream of ['small', 'growing']) await store.readStream(stream);
        expect(await kept(store, 'small')).toBe(false);
        expect(await kept(store, 'growing')).toBe(false);
        expect(await kept(store, 'growing')).toBe(true);
        // 19,028 bytes: over 10,000, served whole and in order, and read from the file again the next time.
        expect((await store.readStream('large')).map((recorded) => recorded.revision)).toEqual([0, 1]);
        expect(await kept(store, 'large')).toBe(false);
        expect(await kept(store, 'large')).toBe(false);
        other.prepare("UPDATE events SET data = json_set(data, '$.text', 'changed') WHERE stream = 'large' AND revision = 0").run();
        expect((await store.readStream('large'))[0]!.data).toEqual({ text: 'changed' });
        // The streams kept before are still kept.
        expect(await kept(store, 'small')).toBe(true);
        // An append takes 'growing' past the cap: the read answers all of it, and it is no longer kept.
        await store.append('growing', [big(4)], { expectedRevision: 0 });
        expect((await store.readStream('growing')).map((recorded) => recorded.revision)).toEqual([0, 1]);
        expect(await kept(store, 'growing')).toBe(false);
        expect(await kept(store, 'small')).toBe(true);
      } finally {
        other.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('counts 512 for each event besides its data and metadata, so that many tiny events are bounded too', async () => {
      const store = new SqliteEventStore({ filename: ':memory:', cachedStreamBytes: 8_000 });
      try {
        // event(n) stores about 18 characters: three count about 1,590, within a quarter of 8,000; four, about 2,120, are over it.
        await store.append('three', [event(1), event(2), event(3)]);
        await store.append('four', [event(4), event(5), event(6), event(7)]);
        for (const stream of ['three', 'four']) await store.readStream(stream);
        expect(await kept(store, 'three')).toBe(false);
        expect(await kept(store, 'three')).toBe(true);
        expect(await kept(store, 'four')).toBe(false);
        expect(await kept(store, 'four')).toBe(false);
      } finally {
        await store.close();
      }
    });

    it('keeps no stream with a budget of 0, and refuses a budget that is not a whole number of bytes', async () => {
      const store = new SqliteEventStore({ filename: ':memory:', cachedStreamBytes: 0 });
      try {
        await store.append('a', [event(1)]);
        expect(await kept(store, 'a')).toBe(false);
        expect(await kept(store, 'a')).toBe(false);
      } finally {
        await store.close();
      }
      for (const cachedStreamBytes of [-1, 1.5, Number.NaN]) {
        expect(() => new SqliteEventStore({ filename: ':memory:', cachedStreamBytes })).toThrow(/cachedStreamBytes must be a whole number of bytes, 0 or more/);
      }
    });
  });
});

describe('SQLite event store: a log written before the whole-log chain', () => {
  it('gets its links once, in order, and new appends chain onto them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
    const filename = join(dir, 'events.sqlite');
    try {
      // The schema as it was: no log_hash column.
      const old = new Database(filename);
      old.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, stream TEXT NOT NULL, revision INTEGER NOT NULL,
        type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream, revision))`);
      const insert = old.prepare('INSERT INTO events (event_id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (let index = 0; index < 3; index += 1) insert.run(`00000000-0000-4000-8000-00000000000${index}`, 'old', index, 'Noted', `{"index":${index}}`, '{}', '2026-01-01T00:00:00.000Z');
      old.close();
      const store = new SqliteEventStore({ filename });
      await store.append('new', [{ eventId: '00000000-0000-4000-8000-000000000009', type: 'Noted', data: {}, metadata: {} }]);
      const log = await store.readAll();
      let previous = LOG_CHAIN_START;
      for (const recorded of log) {
        expect(recorded.logHash).toBe(logLink(previous, recorded));
        previous = recorded.logHash!;
      }
      expect(log.map((recorded) => recorded.stream)).toEqual(['old', 'old', 'old', 'new']);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
