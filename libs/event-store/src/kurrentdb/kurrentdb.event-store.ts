import type { AllStreamResolvedEvent, AllStreamSubscription, Filter, KurrentDBClient, ReadPosition } from '@kurrent/kurrentdb-client';
import { validateAppend, validateStreamAppends } from '../append-validation';
import { EventStoreUnavailableError, StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import {
  EventStore, type AllSubscription, type AppendResult, type EventToAppend, type ExpectedRevision,
  type ReadAllOptions, type ReadStreamOptions, type RecordedEvent, type StreamAppend, type SubscribeToAllOptions, type SubscriptionMessage,
} from '../event-store.port';
import {
  fromPortPosition, isTransient, normaliseConnectionString, planFilter, toPortPosition, toRecordedEvent,
  toStoredMetadata, toStoredProperties, toStreamState, translateError, translateMultiAppendError, type ClientRecord, type FilterPlan,
} from './kurrentdb.translation';

export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://…` or `esdb://…` (with `?tls=false` for an insecure development node). */
  readonly connectionString: string;
  /** Events per read request while catching up. */
  readonly pageSize?: number;
  /** Retries of an append after a transient error (the event ids make a retry safe). */
  readonly appendRetries?: number;
  /** Pause before a live subscription is opened again after a transient error. */
  readonly resubscribeDelayMs?: number;
}

type Client = KurrentDBClient;

/**
 * Event store on EventStoreDB 22.10+ / KurrentDB through `@kurrent/kurrentdb-client`; an append to
 * several streams at once (appendToStreams) needs KurrentDB 25.1 or later.
 * - Streams keep the port's names (`complaint-<id>`), so the server's `$ce-complaint` category works.
 * - Expected revisions map one to one (any / no_stream / stream_exists / exact); idempotency is the
 *   server's, by event id.
 * - The port's position is the event's commit position in $all.
 * - readAll and subscribeToAll filter on the server (by event type, excluding `$` system events,
 *   or by stream prefix) and check the whole filter again on the client.
 * - A subscription first reads what is stored page by page, reports caught-up, then follows a
 *   live subscription from the last position it delivered, re-opened after transient errors.
 */
export class KurrentDbEventStore extends EventStore {
  private readonly pageSize: number;
  private readonly appendRetries: number;
  private readonly resubscribeDelayMs: number;
  private readonly subscriptions = new Set<{ close(): Promise<void> }>();
  private closed = false;

  private constructor(private readonly client: Client, private readonly client$: typeof import('@kurrent/kurrentdb-client'), options: KurrentDbEventStoreOptions) {
    super();
    this.pageSize = options.pageSize ?? 500;
    this.appendRetries = options.appendRetries ?? 3;
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? 500;
  }

  /**
   * Connects and checks the server answers (one read of the head of $all). The client is loaded
   * here, not at import, so the embedded default never loads it. Messages never repeat the
   * connection string (it may hold a password): the caller names the setting.
   */
  static async connect(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const client$ = require('@kurrent/kurrentdb-client') as typeof import('@kurrent/kurrentdb-client');
    let client: Client;
    try {
      client = client$.KurrentDBClient.connectionString(normaliseConnectionString(options.connectionString));
    } catch (error) {
      throw new EventStoreUnavailableError(`invalid KurrentDB connection string: ${(error as Error).message}`, error);
    }
    const store = new KurrentDbEventStore(client, client$, options);
    try {
      await store.headPosition();
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new EventStoreUnavailableError(`cannot reach KurrentDB (${(error as Error).message.replace(/^KurrentDB: /, '')})`, error);
    }
    return store;
  }

  /**
   * Over a client made elsewhere: the adapter's own tests pass one that simulates the server. The
   * store disposes it on close. No check that the server answers.
   */
  static overClient(client: KurrentDBClient, options: Omit<KurrentDbEventStoreOptions, 'connectionString'> = {}): KurrentDbEventStore {
    const client$ = require('@kurrent/kurrentdb-client') as typeof import('@kurrent/kurrentdb-client');
    return new KurrentDbEventStore(client, client$, { connectionString: '', ...options });
  }

  override async append(stream: string, events: readonly EventToAppend[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    validateAppend(stream, events, expected);
    this.checkOpen();
    const data = events.map((event) => ({
      id: event.eventId.toLowerCase(),
      contentType: 'application/json' as const,
      type: event.type,
      data: event.data,
      metadata: toStoredMetadata(event.metadata),
    }));
    return this.retrying(async () => {
      const result = await this.client.appendToStream(stream, data, { streamState: toStreamState(expected) });
      return { nextRevision: Number(result.nextExpectedRevision), position: toPortPosition(result.position, `the append to ${stream}`) };
    }, (error) => {
      const translated = translateError(error, { stream, expected });
      return translated instanceof StreamDeletedError && expected === 'stream_exists' ? this.deletedOrAbsent(stream, translated) : translated;
    });
  }

  /**
   * The client's multiStreamAppend: one atomic write on the server (KurrentDB 25.1 or later; an older
   * server does not have the call, and the error says so). One stream is a plain append, which every
   * server takes. That call takes metadata as string values only, so each event's metadata travels
   * as one JSON text under METADATA_PROPERTY and reads back exactly as appended (toStoredProperties).
   * It answers one log position for the whole write, so each stream's last event is read back for
   * its own position.
   */
  override async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateStreamAppends(appends);
    this.checkOpen();
    if (appends.length === 1) {
      const [only] = appends;
      return [await this.append(only!.stream, only!.events, { expectedRevision: only!.expectedRevision ?? 'any' })];
    }
    const requests = appends.map(({ stream, events, expectedRevision }) => ({
      streamName: stream,
      expectedState: toStreamState(expectedRevision ?? 'any'),
      events: events.map((event) => ({
        id: event.eventId.toLowerCase(),
        contentType: 'application/json' as const,
        type: event.type,
        data: event.data,
        metadata: toStoredProperties(event.metadata),
      })),
    }));
    const written = await this.retrying(() => this.client.multiStreamAppend(requests), (error) => translateMultiAppendError(error, appends));
    return Promise.all(appends.map(async ({ stream }) => {
      const revision = Number(written.responses.find((response) => response.streamName === stream)?.revision ?? -1);
      const [last] = await this.readStream(stream, { fromRevision: revision, maxCount: 1 });
      if (last === undefined || last.revision !== revision) throw new EventStoreUnavailableError(`KurrentDB answered revision ${revision} for ${stream}, which it does not read back`);
      return { nextRevision: revision, position: last.position };
    }));
  }

  /** An append, tried again after a transient error (the event ids make that safe), else its error translated. */
  private async retrying<T>(write: () => Promise<T>, translate: (error: unknown) => Error | Promise<Error>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await write();
      } catch (error) {
        if (isTransient(error) && attempt < this.appendRetries && !this.closed) {
          await delay(100 * 3 ** attempt);
          continue;
        }
        throw await translate(error);
      }
    }
  }

  /**
   * The server answers StreamDeleted to stream_exists on a soft-deleted stream too
   * (RequestManagerBase), which the port reads as absent: there the append is a WrongExpectedRevisionError.
   * A read tells the two apart (a tombstoned stream reads as deleted, a soft-deleted one as not found).
   */
  private async deletedOrAbsent(stream: string, deleted: StreamDeletedError): Promise<Error> {
    try {
      await this.readStream(stream, { maxCount: 1 });
    } catch (error) {
      if (error instanceof StreamNotFoundError && !(error instanceof StreamDeletedError)) return new WrongExpectedRevisionError(stream, 'stream_exists', 'no_stream');
    }
    return deleted;
  }

  override async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    const backwards = options.direction === 'backwards';
    const { START, END, FORWARDS, BACKWARDS } = this.client$;
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event as ClientRecord));
      }
    } catch (error) {
      throw translateError(error, { stream });
    }
    return events;
  }

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    const backwards = options.direction === 'backwards';
    const { START, END } = this.client$;
    const plan = planFilter(options.filter);
    const wanted = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.fromPosition === undefined || (options.fromPosition === 0 && !backwards)) return this.collect(backwards ? END : START, undefined, backwards, plan, wanted);
    if (!backwards || options.fromPosition === 0 || wanted <= 0) return this.collect(fromPortPosition(options.fromPosition), undefined, backwards, plan, wanted);
    // Backwards from P the server returns the records that end at or before P (AllReader's
    // ReadAllEventsBackward), so the event that starts at P is left out; the port's start is
    // inclusive. That one event is read forwards, unfiltered so the server searches no further than
    // the record at P, and put first if it passes the filter.
    const [atStart] = await this.readPage(fromPortPosition(options.fromPosition), false, undefined, 1);
    const first = atStart !== undefined && atStart.position === options.fromPosition && plan.matches(atStart) ? [atStart] : [];
    const rest = wanted - first.length > 0 ? await this.collect(fromPortPosition(options.fromPosition), undefined, true, plan, wanted - first.length) : [];
    return [...first, ...rest];
  }

  /**
   * Up to `wanted` matching events from `from` (forwards inclusive, backwards the one before it, as the
   * server reads; `skip` is a position already delivered),
   * page by page, because the client-side half of the filter may drop events the server sent.
   * KurrentDB positions are byte offsets of records: only positions it returned are valid starts.
   */
  private async collect(from: ReadPosition, skip: number | undefined, backwards: boolean, plan: FilterPlan, wanted: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let start = from;
    let last = skip;
    while (events.length < wanted) {
      // The record at `last` comes again at the head of a forward page: it is on top of the page size,
      // or a page of one would hold only that record and never move on.
      const request = Math.min(this.pageSize, wanted - events.length) + (last === undefined ? 0 : 1);
      const page = await this.readPage(start, backwards, this.serverFilter(plan), request);
      for (const event of page) {
        if (event.position === last) continue;
        if (plan.matches(event) && events.length < wanted) events.push(event);
      }
      if (page.length < request) break;
      last = page[page.length - 1]!.position;
      start = fromPortPosition(last);
    }
    return events;
  }

  /**
   * One read of $all with the server half of the filter, or none (then `$` system events come too).
   * Forwards it includes the event at `from`; backwards it starts with the one before it.
   */
  private async readPage(from: ReadPosition, backwards: boolean, filter: Filter | undefined, maxCount: number): Promise<RecordedEvent[]> {
    const page: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: from,
        direction: backwards ? this.client$.BACKWARDS : this.client$.FORWARDS,
        maxCount,
        ...(filter === undefined ? {} : { filter }),
      })) {
        if (resolved.event) page.push(toRecordedEvent(resolved.event as ClientRecord));
      }
    } catch (error) {
      throw translateError(error, {});
    }
    return page;
  }

  private serverFilter(plan: FilterPlan): Filter {
    const filterOn = plan.server.on === 'eventType' ? this.client$.EVENT_TYPE : this.client$.STREAM_NAME;
    return plan.server.regex !== undefined
      ? { filterOn, regex: plan.server.regex, checkpointInterval: 1 }
      : { filterOn, prefixes: [...(plan.server.prefixes ?? [])], checkpointInterval: 1 };
  }

  override subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    let closed = false;
    let live: AllStreamSubscription | undefined;
    const subscription = {
      close: async () => {
        closed = true;
        this.subscriptions.delete(subscription);
        await live?.unsubscribe().catch(() => undefined);
      },
    };
    this.subscriptions.add(subscription);
    const store = this;
    const plan = planFilter(options.filter);

    async function* messages(): AsyncGenerator<SubscriptionMessage> {
      let position = options.fromPosition ?? 0;
      // Catch-up: read what is stored, page by page, after `position`.
      for (;;) {
        if (closed || store.closed) return;
        const start = position === 0 ? store.client$.START : fromPortPosition(position);
        const page = await store.collect(start, position === 0 ? undefined : position, false, plan, store.pageSize);
        for (const event of page) {
          if (closed) return;
          if (event.position <= position) continue;
          position = event.position;
          yield { kind: 'event', event };
        }
        if (page.length < store.pageSize) break;
      }
      yield { kind: 'caught-up', position };
      // Live: a subscription from the last delivered position (exclusive), re-opened on transient errors.
      while (!closed && !store.closed) {
        live = store.client.subscribeToAll({
          fromPosition: position === 0 ? store.client$.START : fromPortPosition(position),
          filter: store.serverFilter(plan),
        });
        try {
          for await (const resolved of live as AsyncIterable<AllStreamResolvedEvent>) {
            if (closed) return;
            if (!resolved.event) continue;
            const event = toRecordedEvent(resolved.event as ClientRecord);
            if (event.position <= position || !plan.matches(event)) continue;
            position = event.position;
            yield { kind: 'event', event };
          }
        } catch (error) {
          if (closed || store.closed) return;
          if (!isTransient(error)) throw translateError(error, {});
        }
        if (!closed) await delay(store.resubscribeDelayMs);
      }
    }
    const iterable = messages();
    return Object.assign(subscription, { [Symbol.asyncIterator]: () => iterable });
  }

  override async headPosition(): Promise<number> {
    const [last] = await this.readPage(this.client$.END, true, this.serverFilter(planFilter(undefined)), 1);
    return last?.position ?? 0;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private checkOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

