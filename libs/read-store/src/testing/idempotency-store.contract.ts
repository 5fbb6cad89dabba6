import { randomUUID } from 'node:crypto';
import type { IdempotencyStore, StoredResponse } from '../idempotency-store.port';

export interface IdempotencyStoreFixture {
  readonly store: IdempotencyStore;
  /** Another store on the same data with the same TTL, as a second API instance opens it. */
  openAnother(): Promise<IdempotencyStore>;
  dispose(): Promise<void>;
}

const MINUTE = 60_000;

/**
 * What every IdempotencyStore adapter promises. Keys are fresh per test and times lie an hour ahead
 * of the wall clock: a server's own expiry (a TTL monitor) never removes a record a test still reads.
 */
export function describeIdempotencyStoreContract(adapterName: string, createFixture: (ttlMs: number) => Promise<IdempotencyStoreFixture>): void {
  describe(`IdempotencyStore contract: ${adapterName}`, () => {
    let fixture: IdempotencyStoreFixture;
    let store: IdempotencyStore;
    let t0: Date;
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const key = () => `key-${randomUUID()}`;
    const response = (n: number): StoredResponse => ({
      fingerprint: `sha256-${n}`, status: n % 2 === 0 ? 200 : 201,
      headers: { ETag: `"${n}"`, Location: `/complaints/c-${n}` },
      body: { id: `c-${n}`, revision: n, position: 1000 + n, note: '投诉已受理 ✓', nested: { $weird: 'kept', 'dotted.key': [null, true, 1.5] } },
    });
    beforeEach(async () => {
      fixture = await createFixture(60 * MINUTE);
      store = fixture.store;
      t0 = new Date(Math.floor(Date.now() / 1000) * 1000 + 60 * MINUTE);
    });
    afterEach(async () => fixture.dispose());

    it('answers nothing for a key never stored, and a stored response exactly as it was given', async () => {
      const k = key();
      expect(await store.get('agent-1', k, t0)).toBeUndefined();
      await store.put('agent-1', k, response(1), t0);
      expect(await store.get('agent-1', k, t0)).toEqual(response(1));
      expect(store.ttlMs).toBe(60 * MINUTE);
    });

    it('keeps the keys of each principal apart, and compares keys exactly', async () => {
      const k = key();
      await store.put('agent-1', k, response(1), t0);
      await store.put('agent-2', k, response(2), t0);
      expect(await store.get('agent-1', k, t0)).toEqual(response(1));
      expect(await store.get('agent-2', k, t0)).toEqual(response(2));
      expect(await store.get('agent-1', k.toUpperCase(), t0)).toBeUndefined();
      expect(await store.get('agent-1\nx', k, t0)).toBeUndefined();
    });

    it('keeps the first response while it lives: a second one for the same key is dropped', async () => {
      const k = key();
      await store.put('agent-1', k, response(1), t0);
      await store.put('agent-1', k, response(2), at(MINUTE));
      expect(await store.get('agent-1', k, at(2 * MINUTE))).toEqual(response(1));
    });

    it('forgets a response once its TTL has passed, whether or not it was purged, and then stores a new one', async () => {
      const k = key();
      await store.put('agent-1', k, response(1), t0);
      expect(await store.get('agent-1', k, at(60 * MINUTE - 1))).toEqual(response(1));
      expect(await store.get('agent-1', k, at(60 * MINUTE))).toBeUndefined();
      await store.put('agent-1', k, response(2), at(60 * MINUTE));
      expect(await store.get('agent-1', k, at(60 * MINUTE))).toEqual(response(2));
      expect(await store.get('agent-1', k, at(120 * MINUTE - 1))).toEqual(response(2));
    });

    it('purges the expired responses and only them', async () => {
      const [old, recent] = [key(), key()];
      await store.put('agent-1', old, response(1), t0);
      await store.put('agent-1', recent, response(2), at(30 * MINUTE));
      expect(await store.purgeExpired(at(60 * MINUTE))).toBeGreaterThanOrEqual(1);
      // Asked as of a moment it still lived, the purged response is gone for good.
      expect(await store.get('agent-1', old, at(MINUTE))).toBeUndefined();
      expect(await store.get('agent-1', recent, at(60 * MINUTE))).toEqual(response(2));
    });

    it('forgets every response about the given subjects (the body\'s id), of every principal, and only those', async () => {
      const [a, b, c] = [key(), key(), key()];
      await store.put('agent-1', a, response(1), t0);
      await store.put('agent-2', b, response(1), t0);
      await store.put('agent-1', c, response(2), t0);
      expect(await store.forget(['c-1', 'c-404'])).toBe(2);
      expect(await store.get('agent-1', a, t0)).toBeUndefined();
      expect(await store.get('agent-2', b, t0)).toBeUndefined();
      expect(await store.get('agent-1', c, t0)).toEqual(response(2));
      expect(await store.forget([])).toBe(0);
      // Forgotten, the key takes a new response (the command runs again).
      await store.put('agent-1', a, response(3), t0);
      expect(await store.get('agent-1', a, t0)).toEqual(response(3));
    });

    it('shares the responses between stores on the same data, as API instances behind a load balancer', async () => {
      const other = await fixture.openAnother();
      try {
        const k = key();
        await store.put('agent-1', k, response(1), t0);
        expect(await other.get('agent-1', k, at(1))).toEqual(response(1));
        await other.put('agent-1', k, response(2), at(2));
        expect(await store.get('agent-1', k, at(3))).toEqual(response(1));
      } finally {
        await other.close();
      }
    });
  });
}
