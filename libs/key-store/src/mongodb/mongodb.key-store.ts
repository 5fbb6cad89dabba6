import { randomBytes, randomUUID } from 'node:crypto';
import type { Binary, Collection, MongoClient } from 'mongodb';
import { databaseOf, newMongoClient } from '@app/read-store';
import { DATA_KEY_BYTES, KeyStore, NoKeyWrapping, type DataKey, type KeyWrapping, type LiveKey } from '../key-store.port';

/** In the read store's database (the `rm_` prefix of its system collections: no read model has this name). */
const COLLECTION = 'rm_data_keys';


interface KeyRecord {
  _id: string;
  customerId: string;
  wrapped: Binary | null;
  createdAt: Date;
  destroyedAt: Date | null;
  /** Closed for reading by a recorded erasure, not yet destroyed; absent in records made before. */
  closedAt?: Date;
}

/**
 * Data keys in a MongoDB collection, shared by every instance. A unique partial index keeps one
 * live key per customer, so racing first uses agree; destroying unsets the key bytes (a single
 * update per customer). The server's oplog and backups keep old images for their retention: size
 * them for the erasure deadline, or wrap the keys with a KMS (KeyWrapping) and rotate its key.
 */
export class MongoKeyStore extends KeyStore {
  private constructor(private readonly client: MongoClient, private readonly keys: Collection<KeyRecord>, private readonly wrapping: KeyWrapping) {
    super();
  }

  /** Connects and creates the index if missing. Messages never repeat the URL (it may hold a password). */
  static async connect(options: { readonly url: string; readonly wrapping?: KeyWrapping; readonly serverSelectionTimeoutMs?: number }): Promise<MongoKeyStore> {
    const client = newMongoClient(options.url, options.serverSelectionTimeoutMs);
    try {
      await client.connect();
      const keys = client.db(databaseOf(options.url)).collection<KeyRecord>(COLLECTION);
      await keys.createIndex({ customerId: 1 }, { name: 'live_key', unique: true, partialFilterExpression: { destroyedAt: null } });
      return new MongoKeyStore(client, keys, options.wrapping ?? new NoKeyWrapping());
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`cannot use MongoDB: ${(error as Error).message}`);
    }
  }

  override async keyFor(customerId: string): Promise<DataKey> {
    const live = await this.keys.findOne({ customerId, destroyedAt: null });
    if (live?.wrapped) return { keyId: live._id, key: await this.wrapping.unwrap(Buffer.from(live.wrapped.buffer), live._id) };
    const keyId = randomUUID();
    const key = randomBytes(DATA_KEY_BYTES);
    const { Binary: BinaryType } = require('mongodb') as typeof import('mongodb');
    try {
      await this.keys.insertOne({ _id: keyId, customerId, wrapped: new BinaryType(await this.wrapping.wrap(key, keyId)), createdAt: new Date(), destroyedAt: null });
      return { keyId, key };
    } catch (error) {
      // Another instance made the customer's key first: its key wins.
      if ((error as { code?: number }).code !== 11000) throw error;
      return this.keyFor(customerId);
    }
  }

  override async get(keyId: string): Promise<Buffer | null> {
    const record = await this.keys.findOne({ _id: keyId });
    return record?.wrapped && !record.closedAt ? this.wrapping.unwrap(Buffer.from(record.wrapped.buffer), keyId) : null;
  }

  override async destroy(customerId: string): Promise<number> {
    const result = await this.keys.updateMany({ customerId, destroyedAt: null }, { $set: { wrapped: null, destroyedAt: new Date() } });
    return result.modifiedCount;
  }

  override async liveKey(customerId: string): Promise<LiveKey | null> {
    const live = await this.keys.findOne({ customerId, destroyedAt: null }, { projection: { _id: 1, createdAt: 1 } });
    return live ? { keyId: live._id, createdAt: live.createdAt.toISOString() } : null;
  }

  override async destroyKeys(customerId: string, keyIds: readonly string[]): Promise<number> {
    if (keyIds.length === 0) return 0;
    const result = await this.keys.updateMany({ _id: { $in: [...keyIds] }, customerId, destroyedAt: null }, { $set: { wrapped: null, destroyedAt: new Date() } });
    return result.modifiedCount;
  }

  override async closeKeys(keyIds: readonly string[]): Promise<number> {
    if (keyIds.length === 0) return 0;
    const result = await this.keys.updateMany({ _id: { $in: [...keyIds] }, destroyedAt: null, closedAt: { $exists: false } }, { $set: { closedAt: new Date() } });
    return result.modifiedCount;
  }

  override async close(): Promise<void> {
    await this.client.close();
  }
}
