import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStore } from '../blob-store.port';

export interface BlobStoreFixture {
  readonly store: BlobStore;
  /** Another store on the same data, as a second API instance (or a restarted one) opens it. */
  openAnother(): Promise<BlobStore>;
  dispose(): Promise<void>;
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

/** A stream of the bytes in small pieces, as an upload arrives. */
const streamOf = (bytes: Buffer, piece = 7_919): Readable =>
  Readable.from((function* pieces() {
    for (let offset = 0; offset < bytes.length; offset += piece) yield bytes.subarray(offset, offset + piece);
  })());

/**
 * What every BlobStore adapter promises. Content is random per test, so tests never meet each
 * other's blobs on a shared server.
 */
export function describeBlobStoreContract(adapterName: string, createFixture: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${adapterName}`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(async () => fixture.dispose());

    it('stores a buffer under its SHA-256 and gives back the same bytes', async () => {
      const bytes = Buffer.concat([Buffer.from('收据 ✓\n'), randomBytes(1_000)]);
      const stored = await store.put(bytes);
      expect(stored).toEqual({ sha256: sha256Of(bytes), size: bytes.length, created: true });
      expect(await store.has(stored.sha256)).toBe(true);
      expect((await readAll(await store.get(stored.sha256))).equals(bytes)).toBe(true);
    });

    it('stores a stream of many pieces (larger than one GridFS chunk) byte for byte', async () => {
      const bytes = randomBytes(600_000);
      const stored = await store.put(streamOf(bytes));
      expect(stored).toEqual({ sha256: sha256Of(bytes), size: bytes.length, created: true });
      const back = await readAll(await store.get(stored.sha256));
      expect(back.length).toBe(bytes.length);
      expect(sha256Of(back)).toBe(stored.sha256);
    });

    it('is idempotent: the same content again stores nothing new and answers the same hash', async () => {
      const bytes = randomBytes(2_048);
      const first = await store.put(bytes);
      const again = await store.put(streamOf(bytes));
      expect(again).toEqual({ ...first, created: false });
      expect((await readAll(await store.get(first.sha256))).equals(bytes)).toBe(true);
    });

    it('takes the same content from several puts at once, and keeps one readable blob', async () => {
      const bytes = randomBytes(50_000);
      const results = await Promise.all([store.put(bytes), store.put(streamOf(bytes)), store.put(bytes)]);
      expect(new Set(results.map((result) => result.sha256))).toEqual(new Set([sha256Of(bytes)]));
      expect((await readAll(await store.get(sha256Of(bytes)))).equals(bytes)).toBe(true);
    });

    it('stores an empty content too (the API refuses empty files; the store need not)', async () => {
      const stored = await store.put(Buffer.alloc(0));
      expect(stored.size).toBe(0);
      expect(stored.sha256).toBe(sha256Of(Buffer.alloc(0)));
      expect((await readAll(await store.get(stored.sha256))).length).toBe(0);
      await store.delete(stored.sha256);
    });

    it('answers "not found" for a hash never stored, and for a text that is no hash (never a path)', async () => {
      const absent = sha256Of(randomBytes(32));
      expect(await store.has(absent)).toBe(false);
      await expect(store.get(absent)).rejects.toBeInstanceOf(BlobNotFoundError);
      for (const text of ['../../etc/passwd', absent.toUpperCase(), '', `${absent}0`, 'ab/cd']) {
        expect(await store.has(text)).toBe(false);
        await expect(store.get(text)).rejects.toBeInstanceOf(BlobNotFoundError);
        expect(await store.delete(text)).toBe(false);
      }
    });

    it('deletes a blob: gone for has and get, a second delete says it was not there, and a new put stores it again', async () => {
      const bytes = randomBytes(4_096);
      const { sha256 } = await store.put(bytes);
      expect(await store.delete(sha256)).toBe(true);
      expect(await store.has(sha256)).toBe(false);
      await expect(store.get(sha256)).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await store.delete(sha256)).toBe(false);
      expect(await store.put(bytes)).toMatchObject({ sha256, created: true });
    });

    it('deletes one blob only', async () => {
      const kept = await store.put(randomBytes(100));
      const removed = await store.put(randomBytes(100));
      await store.delete(removed.sha256);
      expect(await store.has(kept.sha256)).toBe(true);
    });

    it('leaves no blob behind when the content fails half way', async () => {
      const good = randomBytes(10_000);
      const failing = Readable.from((async function* broken() {
        yield good.subarray(0, 5_000);
        throw new Error('client went away');
      })());
      await expect(store.put(failing)).rejects.toThrow('client went away');
      expect(await store.has(sha256Of(good.subarray(0, 5_000)))).toBe(false);
      expect(await store.put(good)).toMatchObject({ created: true });
    });

    it('is read by another store on the same data (a restart, a second instance)', async () => {
      const bytes = randomBytes(3_000);
      const { sha256 } = await store.put(bytes);
      const other = await fixture.openAnother();
      try {
        expect(await other.has(sha256)).toBe(true);
        expect((await readAll(await other.get(sha256))).equals(bytes)).toBe(true);
        expect(await other.put(bytes)).toMatchObject({ sha256, created: false });
      } finally {
        await other.close();
      }
    });
  });
}
