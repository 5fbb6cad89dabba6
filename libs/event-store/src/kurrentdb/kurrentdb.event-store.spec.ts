import { randomUUID } from 'node:crypto';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { MAX_EVENT_BYTES } from '../append-validation';
import { EventStoreUnavailableError, InvalidAppendError, StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import type { EventToAppend, RecordedEvent } from '../event-store.port';
import { KurrentDbEventStore } from './kurrentdb.event-store';

/**
 * The adapter over a simulated server: no KurrentDB can run here, and what the port's meaning hangs
 * on is how the adapter reads the server, so the simulation keeps what the server's source says
 * (AllReader, Streams.Append, Event.SizeOnDisk) and nothing else:
 * - a position is the byte offset of a record in the log; records have different sizes, so
 *   positions are not dense, and a read from inside a record fails (reported as unavailable);
 * - the standard projections write a `$>` link event after each event (`$ce-<category>`);
 * - forwards from P: the records that start at or after P; backwards from P: those that end at or
 *   before P — the event that starts at P is not among them;
 * - a soft delete sets the stream's truncate-before, a tombstone ends the stream for ever;
 * - an event whose data + metadata + 2 × type length exceeds MaxAppendEventSize is refused with an
 *   error client 1.x does not know;
 * - multiStreamAppend (25.1+) writes every stream or none, stores the properties (string values
 *   only) as the event's metadata, answers one position and a revision per stream, and a conflict
 *   names its stream; a server before 25.1 does not have the call (gRPC UNIMPLEMENTED).
 * Idempotency, subscriptions and the rest of the server are not simulated.
 */
interface LogRecord {
  readonly position: number;
  readonly size: number;
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
}

type ClientPosition = 'start' | 'end' | { commit: bigint; prepare: bigint };
type ClientFilter = { filterOn: 'eventType' | 'streamName'; regex?: string; prefixes?: string[] };
const clientError = (type: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { type, ...extra });

class SimulatedServer {
  readonly log: LogRecord[] = [];
  readonly calls: string[] = [];
  private end = 4096; // the chunk header and epoch records come first
  private readonly truncateBefore = new Map<string, bigint>();
  private readonly tombstoned = new Set<string>();

  constructor(private readonly maxAppendEventSize = 16 * 1024 * 1024, private readonly multiStreamAppend = true) {}

  private write(streamId: string, revision: bigint, type: string, data: unknown, metadata: unknown, id: string = randomUUID()): LogRecord {
    const bytes = Buffer.byteLength(JSON.stringify(data)) + Buffer.byteLength(JSON.stringify(metadata ?? {}));
    const record = { position: this.end, size: 90 + streamId.length + type.length * 2 + bytes, streamId, id, revision, type, data, metadata, created: new Date() };
    this.log.push(record);
    this.end += record.size;
    return record;
  }

  private lastRevision(stream: string): bigint {
    const events = this.log.filter((record) => record.streamId === stream && !record.type.startsWith('$'));
    return events.length === 0 ? -1n : events[events.length - 1]!.revision;
  }

  /** What an operator does with the client's deleteStream / tombstoneStream. */
  delete(stream: string, how: 'soft' | 'hard'): void {
    if (how === 'hard') {
      this.tombstoned.add(stream);
      this.write(stream, 0x7fffffffffffffffn, '$streamDeleted', {}, {});
    } else {
      this.truncateBefore.set(stream, this.lastRevision(stream) + 1n);
      this.write(`$$${stream}`, 0n, '$metadata', { $tb: Number(this.lastRevision(stream) + 1n) }, {});
    }
  }

  /** Events appended by some other writer, and the server's own records. */
  appendRaw(stream: string, type: string, data: unknown): LogRecord {
    return this.write(stream, this.lastRevision(stream) + 1n, type, data, {});
  }

  private recordAt(position: ClientPosition, backwards: boolean): number {
    if (position === 'start') return this.log[0]?.position ?? this.end;
    if (position === 'end') return this.end;
    if (position.commit !== position.prepare) throw clientError('unavailable', 'commit and prepare differ');
    const at = Number(position.commit);
    if (at !== this.end && !this.log.some((record) => record.position === at)) {
      throw clientError('unavailable', `Invalid position ${at}: not the start of a record (${backwards ? 'backwards' : 'forwards'})`);
    }
    return at;
  }

  private passes(record: LogRecord, filter: ClientFilter | undefined): boolean {
    if (filter === undefined) return true;
    const value = filter.filterOn === 'eventType' ? record.type : record.streamId;
    return filter.regex !== undefined ? new RegExp(filter.regex).test(value) : (filter.prefixes ?? []).some((prefix) => value.startsWith(prefix));
  }

  private toClient(record: LogRecord) {
    return {
      event: {
        streamId: record.streamId, id: record.id, revision: record.revision, type: record.type, created: record.created, isJson: true,
        data: record.data, metadata: record.metadata, position: { commit: BigInt(record.position), prepare: BigInt(record.position) },
      },
    };
  }

  readonly client = {
    readAll: (options: { fromPosition: ClientPosition; direction: 'forwards' | 'backwards'; maxCount: number; filter?: ClientFilter }) => {
      const backwards = options.direction === 'backwards';
      this.calls.push(`readAll ${options.direction} ${typeof options.fromPosition === 'string' ? options.fromPosition : options.fromPosition.commit} ${options.maxCount}${options.filter ? ' filtered' : ''}`);
      const server = this;
      return (async function* () {
        const from = server.recordAt(options.fromPosition, backwards);
        const candidates = backwards
          ? server.log.filter((record) => record.position + record.size <= from).reverse()
          : server.log.filter((record) => record.position >= from);
        yield* candidates.filter((record) => server.passes(record, options.filter)).slice(0, options.maxCount).map((record) => server.toClient(record));
      })();
    },
    readStream: (stream: string, options: { direction: 'forwards' | 'backwards'; fromRevision: 'start' | 'end' | bigint; maxCount: number }) => {
      const server = this;
      return (async function* () {
        if (server.tombstoned.has(stream)) throw clientError('stream-deleted', `${stream} is deleted`, { streamName: stream });
        const events = server.log.filter((record) => record.streamId === stream && !record.type.startsWith('$') && record.revision >= (server.truncateBefore.get(stream) ?? 0n));
        if (events.length === 0) throw clientError('stream-not-found', `${stream} not found`);
        const ordered = options.direction === 'backwards' ? [...events].reverse() : events;
        const from = options.fromRevision;
        yield* ordered
          .filter((record) => typeof from !== 'bigint' || (options.direction === 'backwards' ? record.revision <= from : record.revision >= from))
          .slice(0, options.maxCount).map((record) => server.toClient(record));
      })();
    },
    appendToStream: async (stream: string, events: Array<{ id: string; type: string; data: unknown; metadata: unknown }>, options: { streamState: 'any' | 'no_stream' | 'stream_exists' | bigint }) => {
      this.calls.push(`append ${stream}`);
      if (this.tombstoned.has(stream)) throw clientError('stream-deleted', `${stream} is deleted`, { streamName: stream });
      for (const event of events) {
        const size = Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata ?? {})) + event.type.length * 2;
        // batchAppend: the status details are MaximumAppendEventSizeExceeded, which unpackToCommandError does not know.
        if (size > this.maxAppendEventSize) throw clientError('unknown', 'Could not recognize MaximumAppendEventSizeExceeded');
      }
      const last = this.lastRevision(stream);
      const exists = last >= (this.truncateBefore.get(stream) ?? 0n);
      const state = options.streamState;
      // RequestManagerBase: stream_exists on a soft-deleted stream is answered StreamDeleted, as for a tombstone.
      if (state === 'stream_exists' && this.truncateBefore.has(stream) && !exists) throw clientError('stream-deleted', `${stream} is deleted`, { streamName: stream });
      const ok = state === 'any' || (state === 'no_stream' && !exists) || (state === 'stream_exists' && exists) || (typeof state === 'bigint' && exists && state === last);
      if (!ok) throw clientError('wrong-expected-version', 'wrong expected version', { actualState: exists ? last : 'no_stream' });
      let revision = last;
      let written: LogRecord | undefined;
      for (const event of events) {
        revision += 1n;
        written = this.write(stream, revision, event.type, event.data, event.metadata, event.id);
        // The $by_category projection links every event into $ce-<category>.
        this.write(`$ce-${stream.split('-')[0]}`, BigInt(this.log.filter((record) => record.type === '$>').length), '$>', `${revision}@${stream}`, {});
      }
      return { success: true, nextExpectedRevision: revision, position: { commit: BigInt(written!.position), prepare: BigInt(written!.position) } };
    },
    multiStreamAppend: async (requests: Array<{ streamName: string; expectedState: 'any' | 'no_stream' | 'stream_exists' | bigint; events: Array<{ id: string; type: string; data: unknown; metadata: Record<string, unknown> }> }>) => {
      this.calls.push(`multiStreamAppend ${requests.map((request) => request.streamName).join(' ')}`);
      if (!this.multiStreamAppend) throw Object.assign(new Error('12 UNIMPLEMENTED: unknown service kurrentdb.protocol.v2.streams.StreamsService'), { type: 'unknown', code: 12 });
      for (const request of requests) {
        if (request.events.some((event) => Object.values(event.metadata).some((value) => typeof value !== 'string'))) throw new Error('multiStreamAppend requires metadata to be a plain object with string keys and string values.');
        const last = this.lastRevision(request.streamName);
        const state = request.expectedState;
        const ok = state === 'any' || (state === 'no_stream' && last < 0n) || (state === 'stream_exists' && last >= 0n) || (typeof state === 'bigint' && state === last);
        if (!ok) throw clientError('wrong-expected-version', 'stream revision conflict', { streamName: request.streamName, actualState: last < 0n ? 'no_stream' : last });
      }
      const responses = requests.map((request) => {
        let revision = this.lastRevision(request.streamName);
        for (const event of request.events) this.write(request.streamName, (revision += 1n), event.type, event.data, event.metadata, event.id);
        return { streamName: request.streamName, revision };
      });
      return { position: BigInt(this.log[this.log.length - 1]!.position), responses };
    },
    subscribeToAll: () => {
      throw new Error('subscriptions are not simulated');
    },
    dispose: async () => undefined,
  };
}

describe('KurrentDB adapter over a simulated server (positions are byte offsets, links between events)', () => {
  let server: SimulatedServer;
  let store: KurrentDbEventStore;
  const connect = (maxAppendEventSize?: number, pageSize = 2, multiStreamAppend = true) => {
    server = new SimulatedServer(maxAppendEventSize, multiStreamAppend);
    store = KurrentDbEventStore.overClient(server.client as unknown as KurrentDBClient, { pageSize, appendRetries: 2 });
  };
  beforeEach(() => connect());
  afterEach(() => store.close());

  const event = (type: string, data: Record<string, unknown> = {}): EventToAppend => ({ eventId: randomUUID(), type, data: { note: 'x'.repeat(Math.floor(Math.random() * 40)), ...data }, metadata: {} });
  const types = (events: RecordedEvent[]) => events.map((recorded) => recorded.type);

  async function history() {
    await store.append('complaint-1', [event('A'), event('Skip')]);
    server.appendRaw('$stats-node', '$statsCollected', {});
    await store.append('complaint-2', [event('B')]);
    await store.append('complaint-1', [event('Skip'), event('C'), event('D')]);
    server.appendRaw('other-9', 'E', {});
    return store.readAll();
  }

  it('keeps positions that are not dense, with the server\'s $ events between ours, and never returns those', async () => {
    const all = await history();
    expect(types(all)).toEqual(['A', 'Skip', 'B', 'Skip', 'C', 'D', 'E']);
    const gaps = all.slice(1).map((recorded, index) => recorded.position - all[index]!.position);
    expect(gaps.every((gap) => gap > 1)).toBe(true);
    expect(await store.headPosition()).toBe(all[all.length - 1]!.position);
    // `position + 1` lands inside a record: the server refuses it, which is why nothing may compute it.
    await expect(store.readAll({ fromPosition: all[0]!.position + 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('pages forwards through $all from positions it returned, filtered or not, whatever the page size', async () => {
    for (const pageSize of [1, 2, 3, 500]) {
      connect(undefined, pageSize);
      const all = await history();
      expect(types(await store.readAll({ filter: { eventTypes: ['A', 'C', 'D'] } }))).toEqual(['A', 'C', 'D']);
      expect(types(await store.readAll({ fromPosition: all[2]!.position, filter: { streamPrefixes: ['complaint-'] } }))).toEqual(['B', 'Skip', 'C', 'D']);
      expect(types(await store.readAll({ fromPosition: all[1]!.position, maxCount: 3 }))).toEqual(['Skip', 'B', 'Skip']);
    }
  });

  it('reads backwards from an exact event\'s position with that event first, as the port and SQLite do', async () => {
    const all = await history();
    const c = all.find((recorded) => recorded.type === 'C')!;
    expect(types(await store.readAll({ direction: 'backwards', fromPosition: c.position }))).toEqual(['C', 'Skip', 'B', 'Skip', 'A']);
    expect(types(await store.readAll({ direction: 'backwards', fromPosition: c.position, maxCount: 1 }))).toEqual(['C']);
    expect(types(await store.readAll({ direction: 'backwards', fromPosition: c.position, maxCount: 3, filter: { eventTypes: ['A', 'B', 'C'] } }))).toEqual(['C', 'B', 'A']);
    // The event at the start is left out when the filter leaves it out, and nothing after it comes in.
    expect(types(await store.readAll({ direction: 'backwards', fromPosition: c.position, filter: { eventTypes: ['A', 'D'] } }))).toEqual(['A']);
    expect(types(await store.readAll({ direction: 'backwards', fromPosition: all[0]!.position }))).toEqual(['A']);
    // The record at the start is read forwards, alone and unfiltered: the server searches no further.
    expect(server.calls.filter((call) => call.startsWith(`readAll forwards ${c.position} `))).toEqual(Array(4).fill(`readAll forwards ${c.position} 1`));
  });

  it('reads a tombstoned stream as deleted — a StreamNotFoundError — and refuses appends to it with the same error', async () => {
    await store.append('complaint-7', [event('A')]);
    server.delete('complaint-7', 'hard');
    const read = await store.readStream('complaint-7').catch((caught: unknown) => caught);
    expect(read).toBeInstanceOf(StreamDeletedError);
    expect(read).toBeInstanceOf(StreamNotFoundError);
    for (const expectedRevision of ['any', 'stream_exists', 'no_stream'] as const) {
      await expect(store.append('complaint-7', [event('B')], { expectedRevision })).rejects.toBeInstanceOf(StreamDeletedError);
    }
    expect(types(await store.readAll())).toEqual(['A']);
  });

  it('reads a soft-deleted stream as not found, and continues its revisions when it is written again', async () => {
    await store.append('complaint-8', [event('A'), event('B')]);
    server.delete('complaint-8', 'soft');
    const read = await store.readStream('complaint-8').catch((caught: unknown) => caught);
    expect(read).toBeInstanceOf(StreamNotFoundError);
    expect(read).not.toBeInstanceOf(StreamDeletedError);
    // The server says StreamDeleted to stream_exists here; the port says the stream is absent.
    const refused = await store.append('complaint-8', [event('C')], { expectedRevision: 'stream_exists' }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(WrongExpectedRevisionError);
    expect(refused).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
    await expect(store.append('complaint-8', [event('C')], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextRevision: 2 });
    expect((await store.readStream('complaint-8')).map((recorded) => recorded.revision)).toEqual([2]);
  });

  it('refuses an event over the port\'s limit before the server sees it, and maps the server\'s own refusal to an invalid append, not retried', async () => {
    await expect(store.append('complaint-9', [event('Big', { text: 'x'.repeat(MAX_EVENT_BYTES) })])).rejects.toBeInstanceOf(InvalidAppendError);
    expect(server.calls).toEqual([]);
    connect(1000); // an operator lowered MaxAppendEventSize below the port's limit
    const error = await store.append('complaint-9', [event('Big', { text: 'x'.repeat(2000) })]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidAppendError);
    expect(server.calls).toEqual(['append complaint-9']);
  });

  it('appends to several streams with multiStreamAppend: metadata of any JSON reads back as appended, each stream\'s position its last event\'s', async () => {
    const metadata = { correlationId: randomUUID(), actor: { id: 'sup-1', role: 'supervisor' }, schemaVersion: 2, hash: 'h' };
    const [a, b] = await store.appendToStreams([
      { stream: 'complaint-a', events: [{ ...event('A1'), metadata }, event('A2')], expectedRevision: 'no_stream' },
      { stream: 'complaint-b', events: [{ ...event('B1'), metadata }], expectedRevision: 'no_stream' },
    ]);
    expect(server.calls).toContain('multiStreamAppend complaint-a complaint-b');
    const [storedA, storedB] = [await store.readStream('complaint-a'), await store.readStream('complaint-b')];
    expect(storedA[0]!.metadata).toEqual(metadata);
    expect(storedB[0]!.metadata).toEqual(metadata);
    expect(a).toEqual({ nextRevision: 1, position: storedA[1]!.position });
    expect(b).toEqual({ nextRevision: 0, position: storedB[0]!.position });
    // The linked ids travel beside the packed metadata as well, for the server's own tools.
    expect(server.log.find((record) => record.type === 'B1')!.metadata).toMatchObject({ $correlationId: metadata.correlationId });
  });

  it('maps a refused multiStreamAppend to a wrong expected revision naming the stream, with the revision that stream was given', async () => {
    await store.append('complaint-c', [event('C0')]);
    const error = await store.appendToStreams([
      { stream: 'complaint-d', events: [event('D0')], expectedRevision: 'no_stream' },
      { stream: 'complaint-c', events: [event('C1')], expectedRevision: 'no_stream' },
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ stream: 'complaint-c', expected: 'no_stream', actual: 0 });
    await expect(store.readStream('complaint-d')).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('says that KurrentDB 25.1 is needed when the server has no multiStreamAppend, and appends to one stream without it', async () => {
    connect(undefined, 2, false);
    const error = await store.appendToStreams([{ stream: 'complaint-e', events: [event('E')] }, { stream: 'complaint-f', events: [event('F')] }]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).message).toMatch(/needs KurrentDB 25\.1 or later/);
    await expect(store.appendToStreams([{ stream: 'complaint-e', events: [event('E')] }])).resolves.toEqual([expect.objectContaining({ nextRevision: 0 })]);
    expect(server.calls).toEqual(['multiStreamAppend complaint-e complaint-f', 'append complaint-e']);
  });
});
