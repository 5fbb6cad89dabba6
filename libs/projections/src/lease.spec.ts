import { SqliteReadStore } from '@app/read-store';
import { Lease, type LeaseOptions } from './lease';

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

  it('refuses a renewal period as long as the lease', () => {
    expect(() => projector(store, 'x', { ttlMs: 100, renewMs: 100 })).toThrow(/renewed more often/);
  });
});
