import { randomUUID } from 'node:crypto';
import { LOG_CHAIN_START, chainHash, chainStart, logLink, verifyChain } from '@app/event-sourcing';
import { MAX_EVENT_BYTES, eventSizeBytes } from '../append-validation';
import { InvalidAppendError, StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, EventFilter, EventStore, EventToAppend, ReadAllOptions, RecordedEvent, SubscriptionMessage } from '../event-store.port';

export interface EventStoreFixture {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/** What an operator can do to the engine outside the port, where the engine has it (the port deletes nothing). */
export interface EventStoreOperator {
  /** Deletes a stream on the server: soft (KurrentDB `deleteStream`) or hard (`tombstoneStream`). */
  deleteStream?(stream: string, how: 'soft' | 'hard'): Promise<void>;
}

/**
 * Every matching event from `from` (inclusive) as a consumer pages through them: each page starts at
 * the last position read and skips that event, because positions are opaque (never `position + 1`).
 */
async function pageThrough(store: EventStore, options: { from: number; direction?: ReadAllOptions['direction']; filter?: EventFilter; pageSize: number; until?: (event: RecordedEvent) => boolean }): Promise<RecordedEvent[]> {
  const read: RecordedEvent[] = [];
  let last: number | undefined;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await store.readAll({
      direction: options.direction, filter: options.filter,
      fromPosition: last ?? options.from, maxCount: last === undefined ? options.pageSize : options.pageSize + 1,
    });
    const fresh = last === undefined ? page : page.filter((event) => (options.direction === 'backwards' ? event.position < last! : event.position > last!));
    read.push(...fresh);
    if (fresh.length === 0 || page.length < (last === undefined ? options.pageSize : options.pageSize + 1) || fresh.some((event) => options.until?.(event))) break;
    last = fresh[fresh.length - 1]!.position;
  }
  return read;
}

/**
 * The semantics every EventStore adapter promises (docs/adr/0002). Each adapter runs this suite
 * from a three-line spec; an adapter that does not pass it does not ship. Streams get fresh
 * names per test, so the suite also runs against a shared server.
 */
export function describeEventStoreContract(adapterName: string, createFixture: () => Promise<EventStoreFixture>, operator: EventStoreOperator = {}): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(async () => fixture.dispose());

    const stream = (): string => `contract-${randomUUID()}`;
    /** An append found stored answers with the original result, marked as found stored where the store tells (tellsStoredAppends). */
    const foundStored = (result: AppendResult): AppendResult => (store.tellsStoredAppends ? { ...result, alreadyStored: true } : result);
    const event = (type = 'Something', data: Record<string, unknown> = {}): EventToAppend => ({
      eventId: randomUUID(), type, data: { value: randomUUID(), ...data }, metadata: { correlationId: randomUUID() },
    });
    const types = (events: RecordedEvent[]) => events.map((recorded) => recorded.type);

    describe('append with an expected revision', () => {
      it('creates a stream at revision 0 with no_stream', async () => {
        const result = await store.append(stream(), [event()], { expectedRevision: 'no_stream' });
        expect(result.nextRevision).toBe(0);
        expect(result.position).toBeGreaterThan(0);
      });

      it('refuses no_stream on an existing stream, reporting expected and actual', async () => {
        const name = stream();
        await store.append(name, [event(), event()]);
        const error = await store.append(name, [event()], { expectedRevision: 'no_stream' }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream: name, expected: 'no_stream', actual: 1 });
      });

      it('refuses stream_exists on a missing stream and accepts it on an existing one', async () => {
        const name = stream();
        await expect(store.append(name, [event()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({ actual: 'no_stream' });
        await store.append(name, [event()]);
        await expect(store.append(name, [event()], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({ nextRevision: 1 });
      });

      it('accepts the exact current revision and refuses any other', async () => {
        const name = stream();
        await store.append(name, [event()], { expectedRevision: 'no_stream' });
        await expect(store.append(name, [event()], { expectedRevision: 0 })).resolves.toMatchObject({ nextRevision: 1 });
        await expect(store.append(name, [event()], { expectedRevision: 0 })).rejects.toMatchObject({ expected: 0, actual: 1 });
        await expect(store.append(name, [event()], { expectedRevision: 5 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('accepts any revision with any', async () => {
        const name = stream();
        await store.append(name, [event()], { expectedRevision: 'any' });
        await expect(store.append(name, [event()], { expectedRevision: 'any' })).resolves.toMatchObject({ nextRevision: 1 });
      });

      it('writes nothing when the expected revision does not match', async () => {
        const name = stream();
        await store.append(name, [event('First')]);
        const head = await store.headPosition();
        await expect(store.append(name, [event('Second'), event('Third')], { expectedRevision: 3 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(types(await store.readStream(name))).toEqual(['First']);
        expect(await store.headPosition()).toBe(head);
      });

      it('appends several events atomically with consecutive revisions and increasing positions', async () => {
        const name = stream();
        const result = await store.append(name, [event('A'), event('B'), event('C')], { expectedRevision: 'no_stream' });
        const stored = await store.readStream(name);
        expect(stored.map((recorded) => recorded.revision)).toEqual([0, 1, 2]);
        expect(stored[0]!.position).toBeLessThan(stored[1]!.position);
        expect(stored[1]!.position).toBeLessThan(stored[2]!.position);
        expect(result).toEqual({ nextRevision: 2, position: stored[2]!.position });
      });

      it('stores data and metadata as given, unicode included', async () => {
        const name = stream();
        const appended: EventToAppend = { eventId: randomUUID(), type: 'ComplaintReceived', data: { description: '加油机少加了油 ⛽', amount: 12.5, nested: { ok: true }, list: [1, null] }, metadata: { actor: { id: 'a', role: 'agent' } } };
        await store.append(name, [appended]);
        const [stored] = await store.readStream(name);
        expect(stored).toMatchObject({ eventId: appended.eventId, stream: name, revision: 0, type: 'ComplaintReceived', data: appended.data, metadata: appended.metadata });
        expect(Number.isNaN(Date.parse(stored!.recordedAt))).toBe(false);
      });
    });

    describe('idempotent append', () => {
      it('returns the original result for the same event ids at the same expected revision and writes nothing', async () => {
        const name = stream();
        const events = [event('A'), event('B')];
        const first = await store.append(name, events, { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        await expect(store.append(name, events, { expectedRevision: 'no_stream' })).resolves.toEqual(foundStored(first));
        expect(await store.readStream(name)).toHaveLength(2);
        expect(await store.headPosition()).toBe(head);
      });

      it('recognises a retry with expected revision any', async () => {
        const name = stream();
        await store.append(name, [event()]);
        const events = [event('Retried')];
        const first = await store.append(name, events, { expectedRevision: 0 });
        await expect(store.append(name, events, { expectedRevision: 'any' })).resolves.toEqual(foundStored(first));
        expect(await store.readStream(name)).toHaveLength(2);
      });

      it('recognises a late retry at its original expected revision after the stream moved on', async () => {
        const name = stream();
        await store.append(name, [event()], { expectedRevision: 'no_stream' });
        const events = [event('Late1'), event('Late2')];
        const first = await store.append(name, events, { expectedRevision: 0 });
        await store.append(name, [event('Later')], { expectedRevision: 2 });
        await expect(store.append(name, events, { expectedRevision: 0 })).resolves.toEqual(foundStored(first));
        expect(types(await store.readStream(name))).toEqual(['Something', 'Late1', 'Late2', 'Later']);
      });

      it('treats a partial overlap with stored events as a conflict and writes nothing', async () => {
        const name = stream();
        const stored = event('A');
        await store.append(name, [stored]);
        await expect(store.append(name, [stored, event('B')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(types(await store.readStream(name))).toEqual(['A']);
      });

      it('recognises concurrent retries of the same append', async () => {
        const name = stream();
        const events = [event('Once')];
        const results = await Promise.all([1, 2, 3, 4].map(() => store.append(name, events, { expectedRevision: 'no_stream' })));
        expect(new Set(results.map((result) => result.position)).size).toBe(1);
        expect(await store.readStream(name)).toHaveLength(1);
      });
    });

    describe('atomic append to several streams', () => {
      /** Events linked into their stream's hash chain after `previous`, as the command executors append them. */
      const chained = (name: string, types: readonly string[], previous = chainStart(name)): EventToAppend[] => types.map((type) => {
        const eventId = randomUUID();
        const metadata: Record<string, unknown> = { eventId, correlationId: randomUUID(), actor: { id: 'a', role: 'agent' }, schemaVersion: 1 };
        const data = { value: randomUUID() };
        previous = chainHash(previous, { type, data, metadata });
        return { eventId, type, data, metadata: { ...metadata, hash: previous } };
      });

      it('writes both streams, each event in its own place in the global log, the parts in the order given', async () => {
        const [a, b] = [stream(), stream()];
        const head = await store.headPosition();
        const results = await store.appendToStreams([
          { stream: a, events: [event('A1'), event('A2')], expectedRevision: 'no_stream' },
          { stream: b, events: [event('B1')], expectedRevision: 'no_stream' },
        ]);
        const [storedA, storedB] = [await store.readStream(a), await store.readStream(b)];
        expect(results).toEqual([{ nextRevision: 1, position: storedA[1]!.position }, { nextRevision: 0, position: storedB[0]!.position }]);
        const positions = [...storedA, ...storedB].map((recorded) => recorded.position);
        expect(positions[0]!).toBeGreaterThan(head);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        expect(new Set(positions).size).toBe(3);
        expect(types((await store.readAll({ fromPosition: positions[0]! })).filter((recorded) => recorded.stream === a || recorded.stream === b))).toEqual(['A1', 'A2', 'B1']);
      });

      it('writes nothing on any stream when one of them is not at its expected revision, and names that stream', async () => {
        const [a, b] = [stream(), stream()];
        await store.append(a, [event('A0')]);
        await store.append(b, [event('B0'), event('B1')]);
        const head = await store.headPosition();
        const error = await store.appendToStreams([
          { stream: a, events: [event('A1')], expectedRevision: 0 },
          { stream: b, events: [event('B2')], expectedRevision: 0 },
        ]).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream: b, expected: 0, actual: 1 });
        expect(types(await store.readStream(a))).toEqual(['A0']);
        expect(types(await store.readStream(b))).toEqual(['B0', 'B1']);
        expect(await store.headPosition()).toBe(head);
      });

      it('checks each kind of expected revision on each stream: no_stream, stream_exists, an exact revision and any', async () => {
        const [fresh, existing, exact, anyState] = [stream(), stream(), stream(), stream()];
        await store.append(existing, [event()]);
        await store.append(exact, [event(), event()]);
        await store.append(anyState, [event()]);
        const parts = (exactRevision: number) => [
          { stream: fresh, events: [event('F')], expectedRevision: 'no_stream' as const },
          { stream: existing, events: [event('E')], expectedRevision: 'stream_exists' as const },
          { stream: exact, events: [event('X')], expectedRevision: exactRevision },
          { stream: anyState, events: [event('Y')], expectedRevision: 'any' as const },
        ];
        await expect(store.appendToStreams(parts(0))).rejects.toMatchObject({ stream: exact, expected: 0, actual: 1 });
        await expect(store.appendToStreams([{ stream: stream(), events: [event()], expectedRevision: 'stream_exists' }, { stream: fresh, events: [event()], expectedRevision: 'no_stream' }]))
          .rejects.toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        await expect(store.readStream(fresh)).rejects.toBeInstanceOf(StreamNotFoundError);
        const results = await store.appendToStreams(parts(1));
        expect(results.map((result) => result.nextRevision)).toEqual([0, 1, 2, 1]);
        await expect(store.appendToStreams([{ stream: stream(), events: [event()] }, { stream: fresh, events: [event()], expectedRevision: 'no_stream' }]))
          .rejects.toMatchObject({ stream: fresh, expected: 'no_stream', actual: 0 });
      });

      it('recognises a retry with the same event ids and expected revisions: the original results, nothing written', async () => {
        const [a, b] = [stream(), stream()];
        await store.append(b, [event('B0')]);
        const parts = [
          { stream: a, events: [event('A0')], expectedRevision: 'no_stream' as const },
          { stream: b, events: [event('B1'), event('B2')], expectedRevision: 0 },
        ];
        const first = await store.appendToStreams(parts);
        const head = await store.headPosition();
        await expect(store.appendToStreams(parts)).resolves.toEqual(first.map(foundStored));
        expect(types(await store.readStream(a))).toEqual(['A0']);
        expect(types(await store.readStream(b))).toEqual(['B0', 'B1', 'B2']);
        expect(await store.headPosition()).toBe(head);
      });

      it('takes an append whose events one stream holds already, beside streams that do not, for a conflict on that stream, not a retry: nothing written', async () => {
        // One command id used for two requests: the same ids on the shared stream, other streams beside it (KurrentDB's multi-stream append answers the same).
        const [a, b, c] = [stream(), stream(), stream()];
        await store.append(b, [event('B0')]);
        const shared = event('B1');
        await store.appendToStreams([{ stream: c, events: [event('C0')], expectedRevision: 'no_stream' }, { stream: b, events: [shared], expectedRevision: 0 }]);
        const head = await store.headPosition();
        const error = await store.appendToStreams([{ stream: a, events: [event('A0')], expectedRevision: 'no_stream' }, { stream: b, events: [shared], expectedRevision: 0 }])
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream: b, expected: 0, actual: 1 });
        await expect(store.readStream(a)).rejects.toBeInstanceOf(StreamNotFoundError);
        expect(types(await store.readStream(b))).toEqual(['B0', 'B1']);
        expect(await store.headPosition()).toBe(head);
      });

      it('keeps each stream\'s hash chain and the whole-log chain', async () => {
        const [a, b] = [stream(), stream()];
        const first = chained(a, ['A0']);
        await store.append(a, first, { expectedRevision: 'no_stream' });
        await store.appendToStreams([
          { stream: a, events: chained(a, ['A1', 'A2'], first[0]!.metadata['hash'] as string), expectedRevision: 0 },
          { stream: b, events: chained(b, ['B0']), expectedRevision: 'no_stream' },
        ]);
        expect(verifyChain(a, await store.readStream(a))).toMatchObject({ ok: true, events: 3 });
        expect(verifyChain(b, await store.readStream(b))).toMatchObject({ ok: true, events: 1 });
        const [start] = await store.readStream(a);
        const log = await store.readAll({ fromPosition: start!.position });
        if (log.some((recorded) => recorded.logHash !== undefined)) {
          let previous = (await store.readAll({ direction: 'backwards', fromPosition: start!.position, maxCount: 2 })).find((recorded) => recorded.position < start!.position)?.logHash ?? LOG_CHAIN_START;
          for (const recorded of log) {
            expect(recorded.logHash).toBe(logLink(previous, recorded));
            previous = recorded.logHash!;
          }
        }
      });

      it('refuses a stream named twice, an event id used on two streams, and an empty list, before writing anything', async () => {
        const [a, b] = [stream(), stream()];
        const shared = event();
        await expect(store.appendToStreams([{ stream: a, events: [event()] }, { stream: a, events: [event()] }])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStreams([{ stream: a, events: [shared] }, { stream: b, events: [shared] }])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStreams([])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStreams([{ stream: a, events: [event()] }, { stream: '$reserved', events: [event()] }])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.readStream(a)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('malformed appends', () => {
      it.each([
        ['no events', () => []],
        ['a non-UUID event id', () => [{ ...event(), eventId: 'not-a-uuid' }]],
        ['the same event id twice', () => { const once = event(); return [once, once]; }],
        ['a reserved $ type', () => [event('$metadata')]],
        ['a reserved $ metadata key', () => [{ ...event(), metadata: { $correlationId: randomUUID() } }]],
      ])('refuses %s', async (_name, events) => {
        await expect(store.append(stream(), events())).rejects.toBeInstanceOf(InvalidAppendError);
      });

      it(`refuses an event over ${MAX_EVENT_BYTES} bytes and accepts one of exactly that size, the same on every store`, async () => {
        const sized = (bytes: number): EventToAppend => {
          const base = { eventId: randomUUID(), type: 'Sized', data: { text: '' }, metadata: {} };
          return { ...base, data: { text: 'x'.repeat(bytes - eventSizeBytes(base)) } };
        };
        const name = stream();
        expect(eventSizeBytes(sized(MAX_EVENT_BYTES + 1))).toBe(MAX_EVENT_BYTES + 1);
        await expect(store.append(name, [event(), sized(MAX_EVENT_BYTES + 1)])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.readStream(name)).rejects.toBeInstanceOf(StreamNotFoundError);
        // Multi-byte characters count as their UTF-8 bytes, as the server counts them.
        await expect(store.append(name, [{ ...event(), data: { text: '油'.repeat(Math.ceil(MAX_EVENT_BYTES / 3)) } }])).rejects.toBeInstanceOf(InvalidAppendError);
        const fits = sized(MAX_EVENT_BYTES);
        await expect(store.append(name, [fits], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextRevision: 0 });
        expect((await store.readStream(name))[0]!.data).toEqual(fits.data);
      });

      it('refuses a negative expected revision', async () => {
        await expect(store.append(stream(), [event()], { expectedRevision: -2 })).rejects.toBeInstanceOf(InvalidAppendError);
      });
    });

    describe('concurrent appends', () => {
      it('lets exactly one of several writers with the same expected revision win', async () => {
        const name = stream();
        await store.append(name, [event()], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => store.append(name, [event()], { expectedRevision: 0 })));
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(refused).toHaveLength(19);
        for (const outcome of refused) expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readStream(name)).map((recorded) => recorded.revision)).toEqual([0, 1]);
      });

      it('gives concurrent appends to different streams distinct, increasing positions', async () => {
        const names = Array.from({ length: 50 }, stream);
        const results = await Promise.all(names.map((name) => store.append(name, [event()], { expectedRevision: 'no_stream' })));
        expect(new Set(results.map((result) => result.position)).size).toBe(50);
        const all = await store.readAll({ filter: { streamPrefixes: names } });
        expect(all.map((recorded) => recorded.position)).toEqual([...all.map((recorded) => recorded.position)].sort((a, b) => a - b));
      });
    });

    describe('readStream', () => {
      it('reads forwards from a revision with a maximum count', async () => {
        const name = stream();
        await store.append(name, ['A', 'B', 'C', 'D'].map((type) => event(type)));
        expect(types(await store.readStream(name, { fromRevision: 1, maxCount: 2 }))).toEqual(['B', 'C']);
      });

      it('reads backwards from the end or from a revision', async () => {
        const name = stream();
        await store.append(name, ['A', 'B', 'C', 'D'].map((type) => event(type)));
        expect(types(await store.readStream(name, { direction: 'backwards', maxCount: 2 }))).toEqual(['D', 'C']);
        expect(types(await store.readStream(name, { direction: 'backwards', fromRevision: 1 }))).toEqual(['B', 'A']);
      });

      it('throws StreamNotFoundError for a missing stream', async () => {
        await expect(store.readStream(stream())).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('returns an empty list past the end of an existing stream', async () => {
        const name = stream();
        await store.append(name, [event()]);
        await expect(store.readStream(name, { fromRevision: 5 })).resolves.toEqual([]);
      });
    });

    describe('readAll', () => {
      it('reads every stream in global order from an inclusive position', async () => {
        const [a, b] = [stream(), stream()];
        const first = await store.append(a, [event('A1')]);
        await store.append(b, [event('B1')]);
        await store.append(a, [event('A2')]);
        const all = await store.readAll({ fromPosition: first.position, filter: { streamPrefixes: [a, b] } });
        expect(types(all)).toEqual(['A1', 'B1', 'A2']);
      });

      it('reads backwards', async () => {
        const name = stream();
        await store.append(name, [event('A'), event('B')]);
        expect(types(await store.readAll({ direction: 'backwards', maxCount: 2, filter: { streamPrefixes: [name] } }))).toEqual(['B', 'A']);
      });

      it('reads backwards from an exact event\'s position, that event first (the start is inclusive both ways)', async () => {
        const name = stream();
        await store.append(name, [event('A'), event('B'), event('C')]);
        const [, b] = await store.readStream(name);
        const filter = { streamPrefixes: [name] };
        expect(types(await store.readAll({ direction: 'backwards', fromPosition: b!.position, filter }))).toEqual(['B', 'A']);
        expect(types(await store.readAll({ direction: 'backwards', fromPosition: b!.position, maxCount: 1, filter }))).toEqual(['B']);
        expect(types(await store.readAll({ direction: 'backwards', fromPosition: b!.position, filter: { ...filter, eventTypes: ['A', 'C'] } }))).toEqual(['A']);
        const [atB] = await store.readAll({ direction: 'backwards', fromPosition: b!.position, maxCount: 1 });
        expect(atB).toMatchObject({ eventId: b!.eventId, position: b!.position });
      });

      describe('paging: each page starts at the last position read and skips it (positions are opaque, not dense)', () => {
        // Kept events between others of the same streams, of other streams, and — on KurrentDB, whose
        // standard projections run beside — the server's `$>` link and `$` system events.
        async function interleaved() {
          const [a, b] = [stream(), stream()];
          const tag = randomUUID().slice(0, 8);
          await store.append(a, [event(`Paged${tag}`, { index: 0 }), event(`Other${tag}`)]);
          const kept = [0];
          for (let index = 1; index < 9; index += 1) {
            await store.append(index % 2 === 0 ? a : b, [event(`Other${tag}`), event(`Paged${tag}`, { index }), event(`Other${tag}`)]);
            kept.push(index);
          }
          await store.append(stream(), [event(`Paged${tag}`, { index: 99 })]);
          return { a, b, tag, from: (await store.readStream(a))[0]!.position, kept };
        }
        const indexes = (events: RecordedEvent[]) => events.map((recorded) => recorded.data['index']);

        it.each([
          ['exact event types and stream prefixes', (a: string, b: string, tag: string): EventFilter => ({ eventTypes: [`Paged${tag}`], streamPrefixes: [a, b] })],
          ['an event type prefix and stream prefixes', (a: string, b: string, tag: string): EventFilter => ({ eventTypePrefixes: [`Paged${tag}`], streamPrefixes: [a, b] })],
        ])('forwards and backwards, filtered by %s', async (_name, filterOf) => {
          const { a, b, tag, from, kept } = await interleaved();
          const filter = filterOf(a, b, tag);
          for (const pageSize of [1, 2, 4]) {
            const forwards = await pageThrough(store, { from, filter, pageSize });
            expect(indexes(forwards)).toEqual(kept);
            const backwards = await pageThrough(store, { from: forwards[forwards.length - 1]!.position, direction: 'backwards', filter, pageSize });
            expect(indexes(backwards)).toEqual([...kept].reverse());
          }
        });

        it('forwards with stream prefixes only, and with no filter at all (other writers\' events may come between)', async () => {
          const { a, b, from, kept, tag } = await interleaved();
          const ours = (events: RecordedEvent[]) => events.filter((recorded) => recorded.type === `Paged${tag}` && (recorded.stream === a || recorded.stream === b));
          expect(indexes(ours(await pageThrough(store, { from, filter: { streamPrefixes: [a, b] }, pageSize: 2 })))).toEqual(kept);
          const unfiltered = await pageThrough(store, { from, pageSize: 3, until: (recorded) => recorded.data['index'] === 99 });
          expect(indexes(ours(unfiltered))).toEqual(kept);
          expect(new Set(unfiltered.map((recorded) => recorded.position)).size).toBe(unfiltered.length);
          expect(unfiltered.every((recorded) => !recorded.type.startsWith('$'))).toBe(true);
        });
      });

      it('filters by event type and by event type prefix', async () => {
        const name = stream();
        const tag = randomUUID().slice(0, 8);
        await store.append(name, [event(`Kept${tag}`), event(`Dropped${tag}`), event(`KeptToo${tag}`)]);
        expect(types(await store.readAll({ filter: { eventTypes: [`Kept${tag}`] } }))).toEqual([`Kept${tag}`]);
        const byPrefix = await store.readAll({ filter: { eventTypePrefixes: ['Kept'], streamPrefixes: [name] } });
        expect(types(byPrefix)).toEqual([`Kept${tag}`, `KeptToo${tag}`]);
      });

      it('reports the head position as the position of the last event', async () => {
        const result = await store.append(stream(), [event(), event()]);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });
    });

    describe('streams deleted by an operator on the server (the port deletes nothing)', () => {
      const withDeletion = operator.deleteStream ? it : it.skip;

      withDeletion('reads a soft-deleted stream as not found; no_stream writes it again, its revisions continuing after the deleted ones', async () => {
        const name = stream();
        await store.append(name, [event('A'), event('B')]);
        await operator.deleteStream!(name, 'soft');
        const error = await store.readStream(name).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect(error).not.toBeInstanceOf(StreamDeletedError);
        const refused = await store.append(name, [event('C')], { expectedRevision: 'stream_exists' }).catch((caught: unknown) => caught);
        expect(refused).toBeInstanceOf(WrongExpectedRevisionError);
        expect(refused).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        await expect(store.append(name, [event('C')], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextRevision: 2 });
        expect((await store.readStream(name)).map((recorded) => [recorded.type, recorded.revision])).toEqual([['C', 2]]);
      });

      withDeletion('reads a tombstoned stream as deleted (a StreamNotFoundError) and refuses every append to it', async () => {
        const name = stream();
        await store.append(name, [event('A')]);
        await operator.deleteStream!(name, 'hard');
        const error = await store.readStream(name).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(StreamDeletedError);
        expect(error).toBeInstanceOf(StreamNotFoundError);
        for (const expectedRevision of ['any', 'no_stream', 'stream_exists', 0] as const) {
          await expect(store.append(name, [event('B')], { expectedRevision })).rejects.toBeInstanceOf(StreamDeletedError);
        }
      });
    });

    describe('whole-log chain (docs/adr/0010)', () => {
      it('keeps, where it keeps links at all, each event linked to the one before it in global order', async () => {
        const first = await store.append(stream(), [event('Linked')]);
        await Promise.all([store.append(stream(), [event('Linked'), event('Linked')]), store.append(stream(), [event('Linked')])]);
        const before = (await store.readAll({ direction: 'backwards', fromPosition: first.position, maxCount: 2 })).find((recorded) => recorded.position < first.position);
        const log = await store.readAll({ fromPosition: first.position });
        expect(log.length).toBeGreaterThanOrEqual(4);
        if (log.some((recorded) => recorded.logHash !== undefined)) {
          let previous = before?.logHash ?? LOG_CHAIN_START;
          for (const recorded of log) {
            expect(recorded.logHash).toBe(logLink(previous, recorded));
            previous = recorded.logHash!;
          }
        } else {
          // A store that computes the chain on read keeps no link on any event, not on some only.
          expect(log.filter((recorded) => recorded.logHash !== undefined)).toEqual([]);
        }
      });
    });

    describe('subscribeToAll', () => {
      async function collect(subscription: AsyncIterable<SubscriptionMessage>, until: (received: RecordedEvent[]) => boolean, onCaughtUp?: () => void) {
        const received: RecordedEvent[] = [];
        for await (const message of subscription) {
          if (message.kind === 'caught-up') onCaughtUp?.();
          else received.push(message.event);
          if (until(received)) break;
        }
        return received;
      }

      it('delivers stored events, reports caught-up, then live events, with no gap and no duplicate', async () => {
        const name = stream();
        const start = await store.headPosition();
        await store.append(name, [event('Old1'), event('Old2')]);
        const subscription = store.subscribeToAll({ fromPosition: start, filter: { streamPrefixes: [name] } });
        let caughtUp = 0;
        const live = Array.from({ length: 30 }, (_, index) => event(`Live${index}`));
        const done = collect(subscription, (received) => received.length === 32, () => {
          caughtUp += 1;
          // Live appends start only once the subscription has caught up, some of them concurrently.
          void Promise.all(live.map((appended) => store.append(name, [appended])));
        });
        const received = await done;
        await subscription.close();
        expect(caughtUp).toBe(1);
        expect(types(received).slice(0, 2)).toEqual(['Old1', 'Old2']);
        expect(new Set(received.map((recorded) => recorded.eventId)).size).toBe(32);
        const positions = received.map((recorded) => recorded.position);
        expect(positions).toEqual([...positions].sort((x, y) => x - y));
      });

      it('starts after the given position (exclusive)', async () => {
        const name = stream();
        const first = await store.append(name, [event('Before')]);
        await store.append(name, [event('After')]);
        const subscription = store.subscribeToAll({ fromPosition: first.position, filter: { streamPrefixes: [name] } });
        const received = await collect(subscription, (events) => events.length === 1);
        await subscription.close();
        expect(types(received)).toEqual(['After']);
      });

      it('delivers only the selected event types', async () => {
        const name = stream();
        const tag = randomUUID().slice(0, 8);
        const start = await store.headPosition();
        await store.append(name, [event(`Skip${tag}`), event(`Take${tag}`), event(`Skip${tag}`), event(`Take${tag}`)]);
        const subscription = store.subscribeToAll({ fromPosition: start, filter: { eventTypes: [`Take${tag}`] } });
        const received = await collect(subscription, (events) => events.length === 2);
        await subscription.close();
        expect(types(received)).toEqual([`Take${tag}`, `Take${tag}`]);
      });

      it('ends the iteration when closed while waiting for events', async () => {
        const subscription = store.subscribeToAll({ fromPosition: await store.headPosition(), filter: { streamPrefixes: [stream()] } });
        const iteration = collect(subscription, () => false, () => void subscription.close());
        await expect(iteration).resolves.toEqual([]);
      });
    });
  });
}
