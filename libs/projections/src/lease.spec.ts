import { SqliteReadStore } from '@app/read-store';
import { BACKGROUND_PROBLEMS, backgroundProblemsRecord, recordBackgroundProblems, recordedBackgroundProblems, syncBackgroundProblems } from './background-problems';
import { Lease, type LeaseOptions } from './lease';

const at = new Date('2026-03-01T09:30:00.000Z');
const failing = 'SLA monitor fails (2 times in a row since 2026-03-01T09:29:59.000Z; next try at 2026-03-01T09:30:00.200Z): database or disk is full';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function projector(store: SqliteReadStore, holder: string, overrides: Partial<LeaseOptions> = {}) {
  const log: string[] = [];
  const lease = new Lease(store, {
    name: 'projector', holder, ttlMs: 300, renewMs: 50,
    start: async () => void log.push('start'),
    stop: async () => void log.push('stop'),
    ...overrides,
  });
  return { lease, log };
}

describe('projector lease on the embedded read store', () => {
  let store: SqliteReadStore;
  beforeEach(() => {
    store = new SqliteReadStore({ filename: ':memory:' });
  });
  afterEach(() => store.close());

  it('lets one projector work while a second waits, and hands over when the first closes', async () => {
    const [a, b] = [projector(store, 'a'), projector(store, 'b')];
    await a.lease.begin();
    await b.lease.begin();
    await wait(150);
    expect([a.lease.isActive, b.lease.isActive]).toEqual([true, false]);
    expect(b.log).toEqual([]);
    await a.lease.close();
    expect(a.log).toEqual(['start', 'stop']);
    await wait(120);
    expect(b.lease.isActive).toBe(true);
    expect(b.log).toEqual(['start']);
    await b.lease.close();
  });

  it('takes over from a holder that stopped renewing once its lease expires, and the stale holder stops at its next renewal', async () => {
    // The first one "freezes": it renews only when the test says so. Its lease lasts 1.5 s, so that a
    // loaded machine's late timers (a 100 ms wait once took over 300 ms in CI) cannot expire it early.
    const frozen = projector(store, 'frozen', { ttlMs: 1_500, renewMs: 1_499 });
    await frozen.lease.tick();
    expect(frozen.lease.isActive).toBe(true);
    const standby = projector(store, 'standby');
    await standby.lease.begin();
    await wait(100);
    expect(standby.lease.isActive).toBe(false);
    await wait(1_550);
    expect(standby.lease.isActive).toBe(true);
    await frozen.lease.tick();
    expect(frozen.lease.isActive).toBe(false);
    expect(frozen.log).toEqual(['start', 'stop']);
    await standby.lease.close();
    await frozen.lease.close();
  });

  it('says once that it waits, not at every attempt', async () => {
    const changes: string[] = [];
    const holder = projector(store, 'holder');
    const waiting = projector(store, 'waiting', { onChange: (state) => changes.push(state) });
    await holder.lease.tick();
    for (let attempt = 0; attempt < 5; attempt += 1) await waiting.lease.tick();
    expect(changes).toEqual(['waiting']);
    await holder.lease.close();
    await waiting.lease.tick();
    expect(changes).toEqual(['waiting', 'active']);
    await waiting.lease.close();
  });

  it('takes a running lease over at once when its holder is gone, and waits for one that is not', async () => {
    expect(await store.acquireLease('projector', 'killed', 60_000)).toBe(true);
    const alive = projector(store, 'standby-1', { holderIsGone: () => false });
    await alive.lease.tick();
    expect(alive.lease.isActive).toBe(false);
    expect(alive.lease.heldBy).toBe('killed');
    const changes: string[] = [];
    const successor = projector(store, 'standby-2', { holderIsGone: (holder) => holder === 'killed', onChange: (_state, detail) => changes.push(detail) });
    await successor.lease.tick();
    expect(successor.lease.isActive).toBe(true);
    expect(successor.log).toEqual(['start']);
    expect(changes).toEqual([expect.stringContaining('taken over at once from killed')]);
    expect(await store.leaseHolder('projector')).toBe('standby-2');
    // The successor is alive: the other standby still waits for it.
    await alive.lease.tick();
    expect([alive.lease.isActive, alive.lease.heldBy]).toEqual([false, 'standby-2']);
    await successor.lease.close();
    await alive.lease.close();
  });

  it('tries every retryMs while waiting, so it takes over soon after the holder gives the lease up, however rarely the holder renews', async () => {
    const slow = { ttlMs: 60_000, renewMs: 20_000 };
    const holder = projector(store, 'holder', slow);
    const standby = projector(store, 'standby', { ...slow, retryMs: 50 });
    await holder.lease.begin();
    await standby.lease.begin();
    expect(standby.lease.isActive).toBe(false);
    await holder.lease.close();
    await wait(300);
    expect(standby.lease.isActive).toBe(true);
    await standby.lease.close();
  });

  it('gives the lease up when its work cannot start, so another instance can take it', async () => {
    const errors: unknown[] = [];
    const broken = projector(store, 'broken', { start: async () => { throw new Error('worker did not start'); }, onError: (error) => errors.push(error) });
    await broken.lease.tick();
    expect(broken.lease.isActive).toBe(false);
    expect(broken.log).toEqual(['stop']);
    expect(String(errors[0])).toMatch(/worker did not start/);
    expect(await store.leaseHolder('projector')).toBeNull();
    await broken.lease.close();
  });

  it('renews the lease while its work starts, so a start longer than the lease keeps it and the standby waits', async () => {
    // The start lasts four leases (the ticks wait for it): on a loaded machine the API's threads took that long.
    // A 1 s lease renewed every 200 ms: only a stall of the event loop longer than 800 ms could let the standby in.
    const lease = { ttlMs: 1_000, renewMs: 200 };
    const slow = projector(store, 'slow', { ...lease, start: async () => { await wait(4_000); } });
    const starting = slow.lease.begin();
    await wait(50);
    const standby = projector(store, 'standby', lease);
    try {
      await standby.lease.begin();
      await starting;
      expect([slow.lease.isActive, standby.lease.isActive]).toEqual([true, false]);
      await wait(150);
      expect([slow.lease.isActive, standby.lease.isActive]).toEqual([true, false]);
      expect(standby.log).toEqual([]);
      expect(await store.leaseHolder('projector')).toBe('slow');
    } finally {
      await standby.lease.close();
      await slow.lease.close();
    }
  });

  it('stops its work once started when a renewal during the start found the lease held by another', async () => {
    const changes: string[] = [];
    const slow = projector(store, 'slow', {
      onChange: (_state, detail) => void changes.push(detail),
      start: async () => {
        // Another instance takes the lease in the middle of the start (a store that could not renew it in time).
        await store.releaseLease('projector', 'slow');
        await store.acquireLease('projector', 'other', 10_000);
        await wait(200);
      },
    });
    try {
      await slow.lease.tick();
      expect(slow.lease.isActive).toBe(false);
      expect(slow.log).toEqual(['stop']);
      expect(changes).toEqual(['holding lease projector as slow', 'lost lease projector while starting: stopping']);
      expect(await store.leaseHolder('projector')).toBe('other');
    } finally {
      await slow.lease.close();
    }
  });

  it('names the new holder in heldBy from the renewal that found the lease lost while starting, not itself until its next try', async () => {
    const seen: Array<string | null> = [];
    // eslint-disable-next-line prefer-const -- read by the start, which runs after the assignment
    let slow: ReturnType<typeof projector>;
    slow = projector(store, 'slow', {
      start: async () => {
        seen.push(slow.lease.heldBy);
        await store.releaseLease('projector', 'slow');
        await store.acquireLease('projector', 'other', 10_000);
        // Renewals every 50 ms: one has found the lease taken well before the start ends.
        await wait(300);
        seen.push(slow.lease.heldBy);
      },
    });
    try {
      await slow.lease.tick();
      expect(seen).toEqual(['slow', 'other']);
      expect(slow.lease.heldBy).toBe('other');
    } finally {
      await slow.lease.close();
    }
  });

  it('gives the lease up when told its work cannot go on (a runner the fence stopped), and starts it again at the next try that takes the lease', async () => {
    const changes: string[] = [];
    const fenced = projector(store, 'fenced', { onChange: (_state, detail) => void changes.push(detail) });
    await fenced.lease.tick();
    expect(fenced.lease.isActive).toBe(true);
    await fenced.lease.giveUp('its projections were stopped for good by the checkpoint fence');
    expect(fenced.lease.isActive).toBe(false);
    expect(fenced.log).toEqual(['start', 'stop']);
    expect(await store.leaseHolder('projector')).toBeNull();
    expect(changes.at(-1)).toBe('gave lease projector up: its projections were stopped for good by the checkpoint fence');
    // Nobody else took it: the next try takes it and starts the work anew.
    await fenced.lease.tick();
    expect(fenced.lease.isActive).toBe(true);
    expect(fenced.log).toEqual(['start', 'stop', 'start']);
    // Given up while not holding it: nothing to stop.
    const waiting = projector(store, 'waiting');
    await waiting.lease.tick();
    await waiting.lease.giveUp('no reason');
    expect(waiting.log).toEqual([]);
    expect(await store.leaseHolder('projector')).toBe('fenced');
    await fenced.lease.close();
    await waiting.lease.close();
  });

  it('says again that it waits after tries that failed (rm_leases a view), and names no holder while a table made again holds the lease back', async () => {
    const db = (store as unknown as { db: { exec(sql: string): unknown } }).db;
    const changes: string[] = [];
    const errors: string[] = [];
    expect(await store.acquireLease('projector', 'a', 10_000)).toBe(true);
    const waiting = projector(store, 'w', { onChange: (_state, detail) => void changes.push(detail), onError: (error) => void errors.push(String((error as Error).message)) });
    await waiting.lease.tick();
    db.exec("DROP TABLE rm_leases; CREATE VIEW rm_leases AS SELECT 'projector' AS name, 'someone' AS holder, 0 AS expires_at");
    await waiting.lease.tick();
    expect(errors).toEqual([expect.stringMatching(/rm_leases.*is a view/)]);
    db.exec('DROP VIEW rm_leases');
    await waiting.lease.tick();
    expect(waiting.lease.heldBy).toBeNull();
    expect(changes).toEqual([
      'lease projector is held by a: waiting',
      'lease projector is held by nobody, but not free to take yet (its table was made again: a holder that lost its row may still be working): waiting',
    ]);
    await waiting.lease.close();
  });

  it('refuses a renewal period as long as the lease', () => {
    expect(() => projector(store, 'x', { ttlMs: 100, renewMs: 100 })).toThrow(/renewed more often/);
  });

  it('records nothing that fails beside the projections before anything was recorded', async () => {
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
  });

  it('gives the list of what fails beside the projections that the lease\'s holder recorded, and nothing once it recorded an empty one', async () => {
    expect(await store.acquireLease('projector', 'desk-1', 10_000)).toBe(true);
    await recordBackgroundProblems(store, 'desk-1', [failing], at);
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([failing]);
    await recordBackgroundProblems(store, 'desk-1', [], at);
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
  });

  it('ignores the list of what fails beside the projections of a process that no longer holds the lease (it stopped or died: its work does not run)', async () => {
    expect(await store.acquireLease('projector', 'desk-1', 10_000)).toBe(true);
    await recordBackgroundProblems(store, 'desk-1', [failing], at);
    await store.releaseLease('projector', 'desk-1');
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
    expect(await store.acquireLease('projector', 'desk-2', 10_000)).toBe(true);
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
  });

  // A holder edited in by hand reached the log as it was (a NUL, a byte that is no UTF-8, an escape sequence; /health shows
  // "unrecognised"): the waiting line shows it escaped, bytes as the SQL literal that matches them (a LOW).
  it.each([
    ['bytes', "x'00ff'", "x'00ff'"],
    ['text with control characters', "'evil' || char(27) || '[2J' || char(0)", 'evil\\u001b[2J\\u0000'],
    ['a long text', "'" + 'h'.repeat(300) + "'", `${'h'.repeat(100)}… (300 characters)`],
  ])('logs a hand-edited holder of %s escaped while it waits', async (_, holderSql, shown) => {
    (store as unknown as { db: { exec(sql: string): unknown } }).db
      .exec(`INSERT INTO rm_leases (name, holder, expires_at) VALUES ('projector', ${holderSql}, ${Date.now() + 60_000})`);
    const said: string[] = [];
    const { lease } = projector(store, 'desk-1', { onChange: (_state, detail) => void said.push(detail) });
    await lease.begin();
    await lease.close();
    expect(said).toEqual([`lease projector is held by ${shown}: waiting`]);
    expect(said.join('')).toMatch(/^[\x20-\x7e…]*$/);
  });

  describe('a garbled record (written by hand, a restore gone wrong)', () => {
    /** The record's document written as given, past the store's checks: its text as SQLite keeps it. */
    const forge = async (text: string) => {
      await recordBackgroundProblems(store, 'desk-1', [failing], at);
      (store as unknown as { db: { prepare(sql: string): { run(...values: unknown[]): unknown } } }).db
        .prepare(`UPDATE "doc_${BACKGROUND_PROBLEMS}" SET doc = ? WHERE id = 'current'`).run(text);
    };
    const garbled = ['not json{', '{"holder":"desk-1","problems":"abc"}', '{"holder":"desk-1","problems":[{"a":1},7,null]}', '{"holder":"desk-1","problems":null}', '{"problems":["x"]}', '{"holder":7,"problems":["x"]}',
      // JSON that is no document: null, in either of the store's forms.
      'null', '[0,null]', '"text"', '[0,"text"]'];
    /** Texts the store cannot turn into a document at all (a shape it does not hold, none): reading them throws. */
    const unreadable = ['[]', '[99999]', '[99999,"desk-1",["x"]]'];

    it.each(garbled)('names no failure for the holder, is read as nobody\'s list, and is named as a record that cannot be read: %s', async (text) => {
      expect(await store.acquireLease('projector', 'desk-1', 10_000)).toBe(true);
      await forge(text);
      expect(await recordedBackgroundProblems(store, 'projector')).toEqual([expect.stringMatching(new RegExp(`^the projector's problems record \\(read model ${BACKGROUND_PROBLEMS}, document current\\) cannot be read \\(it is no list of problems`))]);
      expect(await backgroundProblemsRecord(store)).toEqual({ holder: null, problems: [] });
    });

    it.each(unreadable)('is named, with the store\'s error, when the store cannot read it back, instead of failing: %s', async (text) => {
      await forge(text);
      const named = await recordedBackgroundProblems(store, 'projector');
      expect(named).toEqual([expect.stringMatching(new RegExp(`^the projector's problems record \\(read model ${BACKGROUND_PROBLEMS}, document current\\) cannot be read \\(.+\\): what fails beside the projections`))]);
    });

    it.each([...garbled, ...unreadable])('is written over by the holder\'s next comparison, with its list or without one: %s', async (text) => {
      expect(await store.acquireLease('projector', 'desk-1', 10_000)).toBe(true);
      await forge(text);
      await syncBackgroundProblems(store, 'desk-1', [failing], at);
      expect(await recordedBackgroundProblems(store, 'projector')).toEqual([failing]);
      await forge(text);
      await syncBackgroundProblems(store, 'desk-1', [], at);
      expect(await backgroundProblemsRecord(store)).toBeUndefined();
    });
  });

  it('leaves a record equal to what the holder sees as it is, and writes one that differs', async () => {
    expect(await store.acquireLease('projector', 'desk-1', 10_000)).toBe(true);
    await syncBackgroundProblems(store, 'desk-1', [], at);
    expect(await backgroundProblemsRecord(store)).toBeUndefined();
    await syncBackgroundProblems(store, 'desk-1', [failing], at);
    await syncBackgroundProblems(store, 'desk-1', [failing], new Date(at.getTime() + 1_000));
    expect((await store.get(BACKGROUND_PROBLEMS, 'current'))?.['recordedAt']).toBe(at.toISOString());
    await syncBackgroundProblems(store, 'desk-2', [failing], at);
    expect(await backgroundProblemsRecord(store)).toEqual({ holder: 'desk-2', problems: [failing] });
  });
});
