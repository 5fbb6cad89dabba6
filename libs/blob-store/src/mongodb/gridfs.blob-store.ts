import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { GridFSBucket, MongoClient, ObjectId } from 'mongodb';
import { databaseOf, newMongoClient } from '@app/read-store';
import { BlobNotFoundError, BlobStore, chunksOf, isSha256, type StoredBlob } from '../blob-store.port';

export interface GridFsBlobStoreOptions {
  /** The read store's URL (MONGODB_URL): the blobs live in its database. */
  readonly url: string;
  /** The database; by default the one the URL names, else complaint_desk. */
  readonly database?: string;
  /** The GridFS bucket (collections `<bucket>.files` and `<bucket>.chunks`). */
  readonly bucketName?: string;
  readonly serverSelectionTimeoutMs?: number;
}

/** The file name of an upload whose hash is not known yet (renamed to the hash when complete). */
const PENDING = 'pending-upload';

/**
 * Blobs in MongoDB GridFS, the file's name being its SHA-256. GridFS wants the name before the
 * bytes, and the hash is known only after them: a put uploads under a pending name, then renames
 * the file to its hash, or deletes it when that content is already stored. A file is only ever
 * found by its hash once it is complete. Two concurrent puts of the same content may leave two
 * files under one name: both hold the same bytes, and delete removes every one.
 */
export class GridFsBlobStore extends BlobStore {
  private constructor(private readonly client: MongoClient, private readonly bucket: GridFSBucket) {
    super();
  }

  /** Connects; the messages never repeat the URL (it may hold a password). */
  static async connect(options: GridFsBlobStoreOptions): Promise<GridFsBlobStore> {
    const { GridFSBucket: Bucket } = require('mongodb') as typeof import('mongodb');
    const client = newMongoClient(options.url, options.serverSelectionTimeoutMs);
    try {
      await client.connect();
      const db = client.db(options.database ?? databaseOf(options.url));
      return new GridFsBlobStore(client, new Bucket(db, { bucketName: options.bucketName ?? 'blobs' }));
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`cannot use MongoDB: ${(error as Error).message}`);
    }
  }

  override async put(content: Buffer | Readable): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    const upload = this.bucket.openUploadStream(PENDING, { metadata: { pending: true } });
    try {
      for await (const chunk of chunksOf(content)) {
        hash.update(chunk);
        size += chunk.length;
        // once() rejects on the stream's 'error', so a failing server never leaves this waiting.
        if (!upload.write(chunk)) await once(upload, 'drain');
      }
      upload.end();
      await finished(upload);
    } catch (error) {
      // The chunks written so far go; the file document was never written (it is written at the end).
      await upload.abort().catch(() => undefined);
      await this.bucket.delete(upload.id).catch(() => undefined);
      throw error;
    }
    const sha256 = hash.digest('hex');
    if (await this.has(sha256)) {
      await this.bucket.delete(upload.id);
      return { sha256, size, created: false };
    }
    await this.bucket.rename(upload.id, sha256);
    return { sha256, size, created: true };
  }

  override async get(sha256: string): Promise<Readable> {
    const id = await this.newestId(sha256);
    if (id === undefined) throw new BlobNotFoundError(sha256);
    return this.bucket.openDownloadStream(id);
  }

  override async has(sha256: string): Promise<boolean> {
    return (await this.newestId(sha256)) !== undefined;
  }

  override async delete(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    const files = await this.bucket.find({ filename: sha256 }, { projection: { _id: 1 } }).toArray();
    for (const file of files) await this.bucket.delete(file._id);
    return files.length > 0;
  }

  override async close(): Promise<void> {
    await this.client.close();
  }

  private async newestId(sha256: string): Promise<ObjectId | undefined> {
    if (!isSha256(sha256)) return undefined;
    const [file] = await this.bucket.find({ filename: sha256 }, { projection: { _id: 1 }, sort: { uploadDate: -1 }, limit: 1 }).toArray();
    return file?._id;
  }
}
