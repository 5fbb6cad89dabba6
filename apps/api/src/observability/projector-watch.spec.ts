import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type EventStore, type EventToAppend } from '@app/event-store';
import { ProjectorWatch, type ProjectorWatchOptions } from './projector-watch';

describe('ProjectorWatch', () => {
  const event = (): EventToAppend => ({ eventId: randomUUID(), type: 'Noted', data: {}, metadata: {} });
  let store: EventStore;
  let monotonic: number;
  let checkpoints: Record<string, number>;
  const watch = (options: Partial<ProjectorWatchOptions> = {}, events: EventStore = store) => new ProjectorWatch(events, {
    stallMs: 30_000, runsHere: () => false, monotonicNow: () => monotonic,
    checkpoints: async () => Object.entries(checkpoints).map(([projection, position]) => ({ projection, position })),
    ...options,
  });
  const none = new Set<string>();
  beforeEach(async () => {
    // The store's clock stands still far off, as the tests' fixed clocks do: only the monotonic clock counts.
    store = new SqliteEventStore({ filename: ':memory:', clock: () => new Date('2031-06-01T08:00:00.000Z') });
    monotonic = 1_000;
    checkpoints = {};
  });
  afterEach(() => store.close());

  it('names a read model whose checkpoint stood still behind the head for the threshold on the monotonic clock, not before', async () => {
    const first = await store.append('s-1', [event()]);
    const head = (await store.append('s-1', [event(), event()])).position;
    checkpoints = { 'complaint-list': first.position, sla: head };
    const watching = watch();
    await watching.sample();
    monotonic += 29_999;
    await watching.sample();
    expect(await watching.problems(none)).toEqual([]);
    monotonic += 1;
    expect(await watching.problems(none)).toEqual([
      `projection complaint-list has not moved from position ${first.position} for 30 s while the log's head moved on to ${head}: their projector is stopped, hung or cannot write to the read store (a full disk?); read its log`,
    ]);
  });

  it('measures the seconds a read model stood in whole milliseconds, without the monotonic clock\'s fractions', async () => {
    const first = await store.append('s-1', [event()]);
    const head = (await store.append('s-1', [event()])).position;
    checkpoints = { 'complaint-list': first.position, sla: head };
    monotonic = 1_000.123456789;
    const watching = watch({ stallMs: 1000 });
    await watching.sample();
    monotonic += 4_379.538144;
    const seconds = (await watching.stalls(none))!.stalled.map((stalled) => stalled.seconds);
    expect(seconds).toEqual([4.38]);
    expect(String(seconds[0])).toBe('4.38');
  });

  it('names the read models at one checkpoint in one line', async () => {
    const first = await store.append('s-1', [event()]);
    const head = (await store.append('s-1', [event()])).position;
    checkpoints = { 'complaint-list': first.position, sla: first.position, 'complaint-stats': head };
    const watching = watch({ stallMs: 1000 });
    await watching.sample();
    monotonic += 5_500;
    expect(await watching.problems(none)).toEqual([expect.stringMatching(new RegExp(`^projections complaint-list, sla have not moved from position ${first.position} for 5 s while the log's head moved on to ${head}: `))]);
  });

  it('counts again from a checkpoint that moved, and forgets a read model that caught up', async () => {
    const first = await store.append('s-1', [event()]);
    const second = await store.append('s-1', [event()]);
    const head = (await store.append('s-1', [event()])).position;
    checkpoints = { 'complaint-list': first.position };
    const watching = watch({ stallMs: 1000 });
    await watching.sample();
    monotonic += 900;
    checkpoints = { 'complaint-list': second.position };
    await watching.sample();
    monotonic += 900;
    expect(await watching.problems(none)).toEqual([]);
    monotonic += 100;
    expect(await watching.problems(none)).toEqual([expect.stringContaining(`from position ${second.position} for 1 s`)]);
    checkpoints = { 'complaint-list': head };
    await watching.sample();
    expect(await watching.problems(none)).toEqual([]);
  });

  it('does not name a read model whose new version is being built beside the live one (an upgrade) while that build moves, and names it once both stand still', async () => {
    const live = await store.append('s-1', [event()]);
    const head = (await store.append('s-1', Array.from({ length: 20 }, () => event()))).position;
    // The live generation is the old version's: nobody writes it while the projector builds the new one from the log's start.
    let building = 0;
    const watching = watch({ stallMs: 1000, checkpoints: async () => [{ projection: 'complaint-list', position: live.position, building }] });
    await watching.sample();
    for (let round = 0; round < 10; round += 1) {
      monotonic += 900;
      building += 1;
      await watching.sample();
    }
    expect(building).toBeLessThan(head);
    expect(await watching.problems(none)).toEqual([]);
    monotonic += 1_000;
    await watching.sample();
    expect(await watching.problems(none)).toEqual([expect.stringMatching(new RegExp(`^projection complaint-list has not moved from position ${live.position} for 1 s `))]);
    // The build reached the head: it is made live at once, nothing stands still.
    building = head;
    await watching.sample();
    expect(await watching.problems(none)).toEqual([]);
  });

  it('leaves out the failing read models (named with their error) and says nothing while the projections run in this process', async () => {
    const first = await store.append('s-1', [event()]);
    await store.append('s-1', [event()]);
    checkpoints = { 'complaint-list': first.position };
    let runsHere = false;
    const watching = watch({ stallMs: 1000, runsHere: () => runsHere });
    await watching.sample();
    monotonic += 2_000;
    expect(await watching.problems(new Set(['complaint-list']))).toEqual([]);
    runsHere = true;
    expect(await watching.problems(none)).toEqual([]);
    // Back elsewhere: the count starts again (this process ran them meanwhile).
    await watching.sample();
    runsHere = false;
    await watching.sample();
    expect(await watching.problems(none)).toEqual([]);
  });

  it('says nothing of a checkpoint after which no event waits, though the head is further (KurrentDB: system events)', async () => {
    const last = await store.append('s-1', [event()]);
    const withSystemEvents = new Proxy(store, {
      get: (target, property) => (property === 'headPosition' ? async () => last.position + 500 : (Reflect.get(target, property, target) as (...args: unknown[]) => unknown).bind(target)),
    });
    checkpoints = { 'complaint-list': last.position };
    const watching = watch({ stallMs: 1000 }, withSystemEvents);
    await watching.sample();
    monotonic += 5_000;
    expect(await watching.problems(none)).toEqual([]);
  });

  it('says when nobody holds the projector lease, where this process takes no part in it', async () => {
    let holder: string | null = 'desk-2:77:3f2a9c1d:5e0b91c4';
    const watching = watch({ leaseHolder: async () => holder });
    expect(await watching.problems(none)).toEqual([]);
    holder = null;
    expect(await watching.problems(none)).toEqual([expect.stringMatching(/^no projector holds the projector lease \(given up, or not renewed within LEASE_TTL_MS\): .*npm run start:projector/)]);
    expect(await watch().problems(none)).toEqual([]);
  });

  it('names the lease row and its mend when a holder edited by hand holds the projector lease, where this process takes no part in it', async () => {
    const watching = watch({ leaseHolder: async () => 'someone typed this' });
    expect(await watching.problems(none)).toEqual([expect.stringMatching(/^the projector lease \(the row name = 'projector' of rm_leases in the read store\) is held by a name no process gives .*DELETE FROM rm_leases WHERE name = 'projector'/)]);
  });
});
