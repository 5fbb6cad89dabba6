import { randomUUID } from 'node:crypto';
import {
  EventStore, SqliteEventStore, type AllSubscription, type AppendResult, type EventToAppend, type ExpectedRevision,
  type ReadAllOptions, type ReadStreamOptions, type RecordedEvent, type StreamAppend, type SubscribeToAllOptions,
} from '@app/event-store';
import type { SlaQuery } from '@app/read-models';
import type { ReadModelPosition } from '../read-models/read-model-position';
import { BEHIND_COUNT_LIMIT, ReadSideStatus, publicCrashLine } from './read-side-status';

/** The embedded store with positions spread out as KurrentDB's are (byte offsets: ordered, far from dense). */
class SpreadPositions extends EventStore {
  constructor(private readonly inner: EventStore, private readonly spread = 7919) {
    super();
  }
  private out = (event: RecordedEvent): RecordedEvent => ({ ...event, position: event.position * this.spread });
  private in = (position: number | undefined) => (position === undefined ? undefined : position / this.spread);
  async append(stream: string, events: readonly EventToAppend[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    const result = await this.inner.append(stream, events, options);
    return { ...result, position: result.position * this.spread };
  }
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return (await this.inner.appendToStreams(appends)).map((result) => ({ ...result, position: result.position * this.spread }));
  }
  async readStream(stream: string, options?: ReadStreamOptions) {
    return (await this.inner.readStream(stream, options)).map(this.out);
  }
  async readAll(options: ReadAllOptions = {}) {
    return (await this.inner.readAll({ ...options, fromPosition: this.in(options.fromPosition) })).map(this.out);
  }
  subscribeToAll(_options?: SubscribeToAllOptions): AllSubscription {
    throw new Error('not needed here');
  }
  async headPosition() {
    return (await this.inner.headPosition()) * this.spread;
  }
  close() {
    return this.inner.close();
  }
}

describe('ReadSideStatus', () => {
  const noBreaches = { openBreachCounts: async () => ({}) } as unknown as SlaQuery;
  const at = (checkpoints: Record<string, number>) => ({ committed: async () => Object.entries(checkpoints).map(([projection, position]) => ({ projection, position })) }) as unknown as ReadModelPosition;
  const event = (): EventToAppend => ({ eventId: randomUUID(), type: 'Noted', data: {}, metadata: {} });
  let store: EventStore;
  beforeEach(() => {
    store = new SpreadPositions(new SqliteEventStore({ filename: ':memory:', clock: () => new Date('2026-03-01T10:00:00.000Z') }));
  });
  afterEach(() => store.close());

  it('reports how many events each read model has not applied, the same on a store whose positions are byte offsets', async () => {
    const first = await store.append('s-1', [event(), event()]);
    const middle = await store.append('s-2', [event(), event(), event()]);
    await store.append('s-1', [event()]);
    const head = await store.headPosition();
    const status = new ReadSideStatus(store, at({ fresh: 0, partway: first.position, almost: middle.position, done: head }), noBreaches, () => new Date('2026-03-01T10:00:30.000Z'));
    const rows = Object.fromEntries((await status.projections()).map((row) => [row.projection, row]));
    expect(rows['fresh']).toMatchObject({ position: 0, behind: 6, lagSeconds: 30 });
    expect(rows['partway']).toMatchObject({ behind: 4, lagSeconds: 30 });
    expect(rows['almost']).toMatchObject({ behind: 1 });
    expect(rows['done']).toEqual({ projection: 'done', position: head, behind: 0, behindAtLeast: false, lagSeconds: 0 });
    expect(rows['partway']).toMatchObject({ behindAtLeast: false });
  });

  // /health/ready showed 1000 for 1000 events and for a million alike, and nothing said which: behindAtLeast says it.
  it(`counts up to ${BEHIND_COUNT_LIMIT} events and says when there are more: behindAtLeast`, async () => {
    const first = await store.append('s-first', [event()]);
    for (let index = 0; index < BEHIND_COUNT_LIMIT; index += 50) await store.append(`s-${index}`, Array.from({ length: 50 }, event));
    const exactly = new ReadSideStatus(store, at({ exact: first.position, more: 0 }), noBreaches, () => new Date('2026-03-01T10:00:00.000Z'));
    expect(await exactly.projections()).toEqual([
      { projection: 'exact', position: first.position, behind: BEHIND_COUNT_LIMIT, behindAtLeast: false, lagSeconds: 0 },
      { projection: 'more', position: 0, behind: BEHIND_COUNT_LIMIT, behindAtLeast: true, lagSeconds: 0 },
    ]);
  });
});

describe('publicCrashLine', () => {
  // /health is public: a crash's first line kept an absolute path of the server (a reviewer's LOW).
  it.each([
    ["did not start: ENOENT: no such file or directory, open '/srv/desk/data/read.sqlite'", "did not start: ENOENT: no such file or directory, open 'read.sqlite'"],
    ['EACCES: permission denied, mkdir "/var/lib/desk/blobs/ab"\n    at Object.mkdirSync (node:fs:1:1)', 'EACCES: permission denied, mkdir "ab"'],
    ['exited with code 1 (C:\\desk\\data\\events.sqlite)', 'exited with code 1 (events.sqlite)'],
    ['did not start: no such column: read_model', 'did not start: no such column: read_model'],
    ['ratio 3/4 and a/b kept', 'ratio 3/4 and a/b kept'],
  ])('shows %j as %j', (message, shown) => {
    expect(publicCrashLine(message)).toBe(shown);
  });
});
