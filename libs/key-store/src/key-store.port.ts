/** A customer's data key as the cipher uses it: its id (written into every envelope) and 32 bytes for AES-256-GCM. */
export interface DataKey {
  readonly keyId: string;
  readonly key: Buffer;
}

/** A customer's live key as an erasure sees it: no key bytes, only which key and since when. */
export interface LiveKey {
  readonly keyId: string;
  /** ISO 8601, as the key store's clock had it. */
  readonly createdAt: string;
}

/**
 * Per-customer data keys, kept apart from the events (docs/adr/0019). Personal values in events
 * are encrypted with the customer's key; destroying the key is the erasure: the events stay as
 * they are (the hash chains cover the ciphertext), and nobody can read their personal part again.
 * - `keyFor` is create-or-get: the customer's live key, made on first use. Callers racing for a new
 *   customer (several processes) all get the same key. After `destroy`, it makes a new key under a
 *   new id: what is recorded after an erasure is new data, and never readable with the old id.
 * - `get` answers the key of an id, or null when it was destroyed or never existed. Nothing else:
 *   a reader that gets null shows the values as erased.
 * - `destroy` removes every key of the customer (their bytes are overwritten where the engine
 *   allows); it answers how many live keys it destroyed and may be called again (0).
 * - `liveKey` answers the customer's live key (its id and when it was made) without making one, or
 *   null: what an erasure would destroy now.
 * - `destroyKeys` destroys those of the given keys that are the customer's and still live, and no
 *   other (a key made after an erasure was decided holds what the customer gave since); it answers
 *   how many it destroyed and may be called again (0).
 * - `closeKeys` closes the given keys for reading before they are destroyed: `get` answers null for
 *   them from then on, in every process, while they stay the customer's live key (`keyFor` still
 *   hands them out, so what is sealed now goes with the erasure; `liveKey` still names them, so an
 *   erasure not finished is still seen as such). A recorded erasure closes the keys it named before
 *   any reader goes past it (docs/adr/0019). It answers how many it closed and may be called again (0).
 */
export abstract class KeyStore {
  abstract keyFor(customerId: string): Promise<DataKey>;
  abstract get(keyId: string): Promise<Buffer | null>;
  abstract destroy(customerId: string): Promise<number>;
  abstract liveKey(customerId: string): Promise<LiveKey | null>;
  abstract destroyKeys(customerId: string, keyIds: readonly string[]): Promise<number>;
  abstract closeKeys(keyIds: readonly string[]): Promise<number>;
  abstract close(): Promise<void>;
}

/**
 * The KMS hook: how a data key is kept at rest. The key stores hold `wrap(key)` and give back
 * `unwrap(stored)`; the key id is bound to it (a wrapped key copied to another id does not unwrap).
 * `MasterKeyWrapping` encrypts with a master key from a setting (KEY_STORE_MASTER_KEY); a KMS
 * (AWS KMS Encrypt/Decrypt, Vault transit, a cloud HSM) implements the same two calls.
 */
export abstract class KeyWrapping {
  abstract wrap(key: Buffer, keyId: string): Promise<Buffer>;
  abstract unwrap(stored: Buffer, keyId: string): Promise<Buffer>;
}

/** No wrapping: the data keys are stored as they are (the embedded default; protect DATA_DIR). */
export class NoKeyWrapping extends KeyWrapping {
  override async wrap(key: Buffer): Promise<Buffer> {
    return key;
  }

  override async unwrap(stored: Buffer): Promise<Buffer> {
    return stored;
  }
}

export const DATA_KEY_BYTES = 32;
