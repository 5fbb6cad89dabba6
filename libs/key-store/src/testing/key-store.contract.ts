import { randomUUID } from 'node:crypto';
import type { KeyStore } from '../key-store.port';
import { PersonalDataCipher } from '../personal-data-cipher';

export interface KeyStoreFixture {
  readonly store: KeyStore;
  /** Another store on the same keys, as a second process opens it. */
  openAnother(): Promise<KeyStore>;
  dispose(): Promise<void>;
}

/** What every KeyStore adapter promises (docs/adr/0019). Customer ids are fresh per test. */
export function describeKeyStoreContract(adapterName: string, createFixture: () => Promise<KeyStoreFixture>): void {
  describe(`KeyStore contract: ${adapterName}`, () => {
    let fixture: KeyStoreFixture;
    let store: KeyStore;
    const customer = () => `cust-${randomUUID()}`;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(async () => fixture.dispose());
    /** The key opens neither here nor in a second process. */
    const expectUnreadableEverywhere = async (keyId: string) => {
      expect(await store.get(keyId)).toBeNull();
      const another = await fixture.openAnother();
      try {
        expect(await another.get(keyId)).toBeNull();
      } finally {
        await another.close();
      }
    };

    it('makes a 32-byte key on first use and gives the same key (and id) every time after', async () => {
      const id = customer();
      const first = await store.keyFor(id);
      expect(first.key).toHaveLength(32);
      expect(await store.keyFor(id)).toEqual(first);
      expect(await store.get(first.keyId)).toEqual(first.key);
    });

    it('gives each customer a key of its own', async () => {
      const [a, b] = [await store.keyFor(customer()), await store.keyFor(customer())];
      expect(a.keyId).not.toBe(b.keyId);
      expect(a.key.equals(b.key)).toBe(false);
    });

    it('gives racing first uses, in this process and another, one key', async () => {
      const id = customer();
      const other = await fixture.openAnother();
      try {
        const keys = await Promise.all([store.keyFor(id), other.keyFor(id), store.keyFor(id), other.keyFor(id)]);
        expect(new Set(keys.map((key) => key.keyId)).size).toBe(1);
        expect(new Set(keys.map((key) => key.key.toString('hex'))).size).toBe(1);
      } finally {
        await other.close();
      }
    });

    it('answers null for a key id it never made', async () => {
      expect(await store.get(randomUUID())).toBeNull();
    });

    it('destroys every key of the customer, for every process, and leaves the others', async () => {
      const [erased, kept] = [customer(), customer()];
      const key = await store.keyFor(erased);
      const other = await store.keyFor(kept);
      expect(await store.destroy(erased)).toBe(1);
      await expectUnreadableEverywhere(key.keyId);
      expect(await store.get(other.keyId)).toEqual(other.key);
    });

    it('may destroy again (nothing left: 0), and destroy a customer it never saw', async () => {
      const id = customer();
      await store.keyFor(id);
      await store.destroy(id);
      expect(await store.destroy(id)).toBe(0);
      expect(await store.destroy(customer())).toBe(0);
    });

    it('makes a new key under a new id after a destruction; the old id stays unreadable', async () => {
      const id = customer();
      const before = await store.keyFor(id);
      await store.destroy(id);
      const after = await store.keyFor(id);
      expect(after.keyId).not.toBe(before.keyId);
      expect(await store.get(before.keyId)).toBeNull();
      expect(await store.get(after.keyId)).toEqual(after.key);
    });

    it('answers the live key (id, when made) without making one, and null when there is none', async () => {
      const id = customer();
      expect(await store.liveKey(id)).toBeNull();
      expect(await store.get((await store.keyFor(id)).keyId)).not.toBeNull();
      const live = await store.liveKey(id);
      expect(live).toEqual({ keyId: (await store.keyFor(id)).keyId, createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
      await store.destroy(id);
      expect(await store.liveKey(id)).toBeNull();
    });

    it('destroys the given keys of the customer only: not a newer key, not another customer\'s', async () => {
      const [id, other] = [customer(), customer()];
      const first = await store.keyFor(id);
      const others = await store.keyFor(other);
      expect(await store.destroyKeys(id, [first.keyId, others.keyId])).toBe(1);
      expect(await store.get(first.keyId)).toBeNull();
      expect(await store.get(others.keyId)).toEqual(others.key);
      const second = await store.keyFor(id);
      expect(await store.destroyKeys(id, [first.keyId])).toBe(0);
      expect(await store.get(second.keyId)).toEqual(second.key);
      expect(await store.destroyKeys(id, [])).toBe(0);
      const another = await fixture.openAnother();
      try {
        expect(await another.destroyKeys(id, [second.keyId])).toBe(1);
      } finally {
        await another.close();
      }
      expect(await store.get(second.keyId)).toBeNull();
    });

    it('closes given keys for reading in every process while they stay the live key until destroyed', async () => {
      const [id, other] = [customer(), customer()];
      const key = await store.keyFor(id);
      const others = await store.keyFor(other);
      expect(await store.closeKeys([key.keyId])).toBe(1);
      expect(await store.closeKeys([key.keyId])).toBe(0);
      await expectUnreadableEverywhere(key.keyId);
      expect(await store.get(others.keyId)).toEqual(others.key);
      // What is sealed now goes with the erasure: no new readable key while it is not finished.
      expect(await store.keyFor(id)).toEqual(key);
      expect(await store.liveKey(id)).toMatchObject({ keyId: key.keyId });
      expect(await store.destroyKeys(id, [key.keyId])).toBe(1);
      expect(await store.closeKeys([key.keyId])).toBe(0);
      expect((await store.keyFor(id)).keyId).not.toBe(key.keyId);
    });

    it('seals personal values that open while the key lives and read as null once it is destroyed', async () => {
      const id = customer();
      const cipher = new PersonalDataCipher(store);
      const data = { complaintId: 'c-1', customer: { id, name: '王小明' }, personal: { phone: '13800138000' } };
      const sealed = await cipher.seal(id, `complaint-c-1`, data, [['personal'], ['customer', 'name']]);
      expect(JSON.stringify(sealed)).not.toMatch(/王小明|13800138000/);
      expect(sealed['complaintId']).toBe('c-1');
      expect(await cipher.reader()('complaint-c-1', sealed)).toEqual(data);
      // Moved to another stream, it does not open.
      expect(await cipher.reader()('complaint-c-2', sealed)).toEqual({ ...data, customer: { id, name: null }, personal: null });
      await store.destroy(id);
      expect(await cipher.reader()('complaint-c-1', sealed)).toEqual({ ...data, customer: { id, name: null }, personal: null });
    });

    it('digests a request with the customer\'s live key, naming it: the same while it lives, another for another customer, none without a key, unknown once destroyed', async () => {
      const [id, other, keyless] = [customer(), customer(), customer()];
      const cipher = new PersonalDataCipher(store);
      const [{ keyId }] = [await store.keyFor(id), await store.keyFor(other)];
      const request = 'PATCH /complaints/c-1/contact {"phone":"13800138000"}';
      const digest = (await cipher.digest(id, request))!;
      expect(digest).toMatch(new RegExp(`^${keyId}:[A-Za-z0-9_-]{43}$`));
      expect(digest).not.toContain('13800138000');
      expect(await cipher.digest(id, request)).toBe(digest);
      expect(await cipher.digest(other, request)).not.toBe(digest);
      expect([await cipher.digestMatches(digest, request), await cipher.digestMatches(digest, `${request} `)]).toEqual([true, false]);
      expect(await cipher.digest(keyless, request)).toBeNull();
      expect(await store.liveKey(keyless)).toBeNull();
      await store.destroy(id);
      expect(await cipher.digestMatches(digest, request)).toBeNull();
    });
  });
}
