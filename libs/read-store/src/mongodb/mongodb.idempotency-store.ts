import type { Collection, MongoClient } from 'mongodb';
import { IdempotencyStore, checkTtl, type StoredResponse } from '../idempotency-store.port';
import { IDEMPOTENCY_TTL_INDEX, databaseOf, fromIdempotencyRecord, idempotencyPut, liveIdempotencyKey, type IdempotencyRecord } from './mongodb.translation';
import { newMongoClient } from './mongodb.client';

/** In the read store's database, beside the read models' system collections (no read-model collection has this name). */
const COLLECTION = 'rm_idempotency_keys';

export interface MongoIdempotencyStoreOptions {
  /** The read store's URL: the keys live in its database. */
  readonly url: string;
  readonly ttlMs: number;
  readonly serverSelectionTimeoutMs?: number;
}

/**
 * Idempotency keys in a MongoDB collection of the read store's database, shared by every API
 * instance. A TTL index on `expiresAt` lets the server delete expired keys (its monitor runs about
 * once a minute); until then reads treat them as absent. Single-document writes only.
 */
export class MongoIdempotencyStore extends IdempotencyStore {
  private constructor(private readonly client: MongoClient, private readonly keys: Collection<IdempotencyRecord>, readonly ttlMs: number) {
    super();
  }

  /** Connects and creates the TTL index if missing. Messages never repeat the URL (it may hold a password). */
  static async connect(options: MongoIdempotencyStoreOptions): Promise<MongoIdempotencyStore> {
    const ttlMs = checkTtl(options.ttlMs);
    const client = newMongoClient(options.url, options.serverSelectionTimeoutMs);
    try {
      await client.connect();
      const keys = client.db(databaseOf(options.url)).collection<IdempotencyRecord>(COLLECTION);
      await keys.createIndex(IDEMPOTENCY_TTL_INDEX.key, IDEMPOTENCY_TTL_INDEX.options);
      return new MongoIdempotencyStore(client, keys, ttlMs);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`cannot use MongoDB: ${(error as Error).message}`);
    }
  }

  override async get(principal: string, key: string, now: Date): Promise<StoredResponse | undefined> {
    const record = await this.keys.findOne(liveIdempotencyKey(principal, key, now));
    return record ? fromIdempotencyRecord(record) : undefined;
  }

  override async put(principal: string, key: string, response: StoredResponse, now: Date): Promise<void> {
    const { filter, replacement, options } = idempotencyPut(principal, key, response, now, this.ttlMs);
    try {
      await this.keys.replaceOne(filter, replacement, options);
    } catch (error) {
      // A live response for this key is stored (by this or another instance): it wins.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  override async purgeExpired(now: Date): Promise<number> {
    return (await this.keys.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }

  override async forget(subjects: readonly string[]): Promise<number> {
    return subjects.length === 0 ? 0 : (await this.keys.deleteMany({ subject: { $in: [...subjects] } })).deletedCount;
  }

  override async close(): Promise<void> {
    await this.client.close();
  }
}
