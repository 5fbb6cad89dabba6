import { EventStoreUnavailableError, InvalidAppendError, StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import {
  fromPortPosition, fromStoredMetadata, isTransient, normaliseConnectionString, planFilter, toPortPosition,
  toRecordedEvent, toStoredMetadata, toStreamState, translateError, type ClientRecord,
} from './kurrentdb.translation';

/** Runs a regex as the server would (.NET and JavaScript agree on the constructs used here). */
const serverAccepts = (regex: string, value: string) => new RegExp(regex).test(value);

describe('KurrentDB translation', () => {
  describe('expected revisions', () => {
    it.each([
      ['any', 'any'], ['no_stream', 'no_stream'], ['stream_exists', 'stream_exists'], [0, 0n], [41, 41n],
    ] as const)('maps %p to the stream state %p', (expected, state) => {
      expect(toStreamState(expected)).toBe(state);
    });
  });

  describe('positions', () => {
    it('uses the commit position of a self-committed event', () => {
      expect(toPortPosition({ commit: 123_456n, prepare: 123_456n }, 'e')).toBe(123_456);
      expect(fromPortPosition(123_456)).toEqual({ commit: 123_456n, prepare: 123_456n });
    });

    it('refuses a missing position, an explicit transaction and a position beyond 2^53', () => {
      expect(() => toPortPosition(undefined, 'the append')).toThrow(/no position for the append/);
      expect(() => toPortPosition({ commit: 10n, prepare: 20n }, 'event x')).toThrow(/explicit transaction/);
      expect(() => toPortPosition({ commit: 2n ** 60n, prepare: 2n ** 60n }, 'e')).toThrow(EventStoreUnavailableError);
    });
  });

  describe('metadata', () => {
    it('stores correlation and causation ids under the server\'s $ names and reads them back exactly', () => {
      const metadata = { correlationId: 'c-1', causationId: 'k-1', actor: { id: 'a', role: 'agent' }, hash: 'h' };
      const stored = toStoredMetadata(metadata);
      expect(stored).toEqual({ $correlationId: 'c-1', $causationId: 'k-1', actor: { id: 'a', role: 'agent' }, hash: 'h' });
      expect(fromStoredMetadata(stored)).toEqual(metadata);
    });

    it('leaves metadata without those ids as it is, and reads non-JSON metadata as empty', () => {
      expect(toStoredMetadata({ note: 1 })).toEqual({ note: 1 });
      expect(fromStoredMetadata({ $correlationId: 'x', correlationId: 'y' })).toEqual({ $correlationId: 'x', correlationId: 'y' });
      expect(fromStoredMetadata(new Uint8Array([1, 2]))).toEqual({});
      expect(fromStoredMetadata(undefined)).toEqual({});
    });
  });

  describe('filters', () => {
    const events = [
      { type: 'ComplaintReceived', stream: 'complaint-1' },
      { type: 'ComplaintResolved', stream: 'complaint-1' },
      { type: 'TokenGranted', stream: 'access-1' },
      { type: '$metadata', stream: '$$complaint-1' },
      { type: 'Complaint.Received', stream: 'complaint-2' },
    ];
    const kept = (filter: Parameters<typeof planFilter>[0]) => {
      const plan = planFilter(filter);
      return events.filter((event) => plan.matches(event) && (plan.server.regex === undefined
        ? plan.server.prefixes!.some((prefix) => (plan.server.on === 'streamName' ? event.stream : event.type).startsWith(prefix))
        : serverAccepts(plan.server.regex, plan.server.on === 'eventType' ? event.type : event.stream)));
    };

    it('excludes $ system events on the server when there is no filter', () => {
      const plan = planFilter(undefined);
      expect(plan.server).toEqual({ on: 'eventType', regex: '^[^$]' });
      expect(kept(undefined).map((event) => event.type)).toEqual(['ComplaintReceived', 'ComplaintResolved', 'TokenGranted', 'Complaint.Received']);
    });

    it('sends exact event types as an anchored, escaped regex', () => {
      const plan = planFilter({ eventTypes: ['ComplaintReceived', 'Complaint.Received'] });
      expect(plan.server.on).toBe('eventType');
      expect(serverAccepts(plan.server.regex!, 'ComplaintXReceived')).toBe(false);
      expect(serverAccepts(plan.server.regex!, 'ComplaintReceivedLater')).toBe(false);
      expect(kept({ eventTypes: ['ComplaintReceived', 'Complaint.Received'] }).map((event) => event.type)).toEqual(['ComplaintReceived', 'Complaint.Received']);
    });

    it('combines exact types with type prefixes as the port does (both must hold), and an empty result matches nothing', () => {
      expect(kept({ eventTypes: ['ComplaintReceived', 'TokenGranted'], eventTypePrefixes: ['Token'] }).map((event) => event.type)).toEqual(['TokenGranted']);
      const none = planFilter({ eventTypes: ['ComplaintReceived'], eventTypePrefixes: ['Token'] });
      expect(serverAccepts(none.server.regex!, 'ComplaintReceived')).toBe(false);
      expect(kept({ eventTypes: ['$metadata'] })).toEqual([]);
    });

    it('sends stream prefixes alone as a stream-name filter and still drops $ types on the client', () => {
      expect(planFilter({ streamPrefixes: ['complaint-', '$$'] }).server).toEqual({ on: 'streamName', prefixes: ['complaint-', '$$'] });
      expect(kept({ streamPrefixes: ['complaint-', '$$'] }).map((event) => event.type)).toEqual(['ComplaintReceived', 'ComplaintResolved', 'Complaint.Received']);
    });

    it('filters types on the server and stream prefixes on the client when both are given', () => {
      const plan = planFilter({ eventTypePrefixes: ['Complaint'], streamPrefixes: ['complaint-1'] });
      expect(plan.server.on).toBe('eventType');
      expect(kept({ eventTypePrefixes: ['Complaint'], streamPrefixes: ['complaint-1'] }).map((event) => event.type)).toEqual(['ComplaintReceived', 'ComplaintResolved']);
    });
  });

  describe('recorded events', () => {
    const record = (overrides: Partial<ClientRecord> = {}): ClientRecord => ({
      streamId: 'complaint-1', id: 'AB2F8B4E-0000-4000-8000-000000000001', revision: 3n, type: 'ComplaintResolved', created: new Date('2026-11-20T10:00:00.000Z'),
      isJson: true, data: { outcome: 'refund' }, metadata: { $correlationId: 'c' }, position: { commit: 900n, prepare: 900n }, ...overrides,
    });

    it('maps a client record onto the port\'s event', () => {
      expect(toRecordedEvent(record())).toEqual({
        eventId: 'ab2f8b4e-0000-4000-8000-000000000001', stream: 'complaint-1', revision: 3, position: 900, type: 'ComplaintResolved',
        data: { outcome: 'refund' }, metadata: { correlationId: 'c' }, recordedAt: '2026-11-20T10:00:00.000Z',
      });
    });

    it('keeps the bytes of a non-JSON event as base64 instead of failing', () => {
      expect(toRecordedEvent(record({ isJson: false, data: new Uint8Array([104, 105]) })).data).toEqual({ raw: 'aGk=' });
    });
  });

  describe('errors', () => {
    it('maps a wrong expected version with the actual revision, or no_stream', () => {
      const error = translateError({ type: 'wrong-expected-version', actualState: 4n }, { stream: 's', expected: 2 });
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ stream: 's', expected: 2, actual: 4 });
      expect(translateError({ type: 'wrong-expected-version', actualState: 'no_stream' }, { stream: 's', expected: 'stream_exists' })).toMatchObject({ actual: 'no_stream' });
      expect(translateError({ type: 'wrong-expected-version', actualState: -1n }, { stream: 's', expected: 0 })).toMatchObject({ actual: 'no_stream' });
    });

    it('maps not found, too large, access denied and the rest', () => {
      expect(translateError({ type: 'stream-not-found' }, { stream: 's' })).toBeInstanceOf(StreamNotFoundError);
      expect(translateError({ type: 'maximum-append-size-exceeded', message: 'too big' }, {})).toBeInstanceOf(InvalidAppendError);
      expect(translateError({ type: 'access-denied', message: 'no' }, {}).message).toMatch(/EVENTSTORE_URL/);
      expect(translateError({ type: 'unavailable', message: 'down' }, {})).toBeInstanceOf(EventStoreUnavailableError);
      expect(translateError(new Error('boom'), {})).toBeInstanceOf(EventStoreUnavailableError);
    });

    it('maps a deleted or tombstoned stream, on a read as on an append, to StreamDeletedError: not found, never an invalid append', () => {
      // Reads go through the Rust bridge (StreamDeletedError → stream-deleted); appends through v1 append or
      // batchAppend (stream-deleted), or the v2 API (stream-tombstoned).
      for (const type of ['stream-deleted', 'stream-tombstoned']) {
        const error = translateError({ type, message: 'deleted' }, { stream: 'complaint-1' });
        expect(error).toBeInstanceOf(StreamDeletedError);
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect(error).not.toBeInstanceOf(InvalidAppendError);
        expect(error).toMatchObject({ stream: 'complaint-1' });
      }
    });

    it('maps the server\'s MaximumAppendEventSizeExceeded, which the client does not know, to an invalid append, not unavailable', () => {
      // batchAppend: the client cannot unpack the status details and says so in an unknown error.
      const batched = translateError({ type: 'unknown', message: 'Could not recognize MaximumAppendEventSizeExceeded' }, { stream: 's' });
      expect(batched).toBeInstanceOf(InvalidAppendError);
      expect(batched.message).toMatch(/larger than KurrentDB accepts/);
      // v1 append: an RpcException with the reason in its metadata and message.
      const metadata = { get: (key: string) => (key === 'exception' ? ['maximum-append-event-size-exceeded'] : []) };
      expect(translateError({ type: 'unknown', message: '3 INVALID_ARGUMENT: Event with Id: e, Size: 17000000, exceeds Maximum Append Event Size of 16777216.', _raw: { metadata } }, {})).toBeInstanceOf(InvalidAppendError);
      expect(translateError({ type: 'unknown', message: 'oops', _raw: { metadata } }, {})).toBeInstanceOf(InvalidAppendError);
      expect(translateError({ type: 'unknown', message: 'something else' }, {})).toBeInstanceOf(EventStoreUnavailableError);
    });

    it('passes the port\'s own errors through unchanged', () => {
      const own = new EventStoreUnavailableError('no position');
      expect(translateError(own, {})).toBe(own);
    });

    it('retries only what may succeed on a second try', () => {
      expect(['unavailable', 'deadline-exceeded', 'not-leader'].every((type) => isTransient({ type }))).toBe(true);
      expect(['wrong-expected-version', 'access-denied', undefined].some((type) => isTransient({ type }))).toBe(false);
    });
  });

  describe('connection strings', () => {
    it('renames the older esdb scheme', () => {
      expect(normaliseConnectionString('esdb://db:2113?tls=false')).toBe('kurrentdb://db:2113?tls=false');
      expect(normaliseConnectionString('esdb+discover://db:2113')).toBe('kurrentdb+discover://db:2113');
      expect(normaliseConnectionString('kurrentdb://db:2113')).toBe('kurrentdb://db:2113');
    });
  });
});
