import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { describeEventStoreContract } from '@app/event-store/testing';

describeEventStoreContract('SQLite in memory', async () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

describeEventStoreContract('SQLite file, synchronous=FULL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-es-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL' });
  return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describe('SQLite event store on disk', () => {
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

  it('refuses appends with a clear error once closed', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await store.close();
    await expect(store.append('s', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'T', data: {}, metadata: {} }])).rejects.toThrow(/closed/);
  });

  it('moves a filtered subscription past the events it has read through, so no commit rescans the log from the last match', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const internals = store as unknown as { readAllSync: (options: { fromPosition?: number }) => unknown };
    const read = internals.readAllSync.bind(store);
    const reads: number[] = [];
    jest.spyOn(internals, 'readAllSync').mockImplementation((options) => {
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
