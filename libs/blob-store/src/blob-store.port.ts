import type { Readable } from 'node:stream';

/** What a put stored: the content's id (lowercase hex SHA-256) and its length. */
export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  /** True when this call stored the bytes; false when the same content was there already. */
  readonly created: boolean;
}

/** No blob has this hash (or the text is not a SHA-256 at all). */
export class BlobNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`No stored file has the SHA-256 ${sha256.slice(0, 80)}.`);
  }
}

/** A lowercase hex SHA-256: the only ids a blob store knows (anything else is never a path or a query). */
export const isSha256 = (text: string): boolean => /^[0-9a-f]{64}$/.test(text);

/**
 * Content-addressed storage of files (complaint attachments): a file's id is the SHA-256 of its
 * bytes, so the id recorded in an event proves which bytes were meant. Every adapter passes the one
 * contract suite (testing/blob-store.contract.ts).
 */
export abstract class BlobStore {
  /**
   * Stores the bytes and answers their SHA-256 and length. Durable when it resolves (on disk, or
   * acknowledged by the server). Idempotent: the same content again stores nothing new and answers
   * the same hash, `created: false`. A failed or abandoned put leaves no blob under any hash.
   */
  abstract put(content: Buffer | Readable): Promise<StoredBlob>;

  /** The bytes of a blob as a stream; BlobNotFoundError (before any byte) when there is none. */
  abstract get(sha256: string): Promise<Readable>;

  /** Whether a blob with this hash is stored (false for a text that is not a SHA-256). */
  abstract has(sha256: string): Promise<boolean>;

  /**
   * Removes the blob (erasure of a customer's data). True when it was there; deleting an absent
   * one is not an error. The caller decides that no record still needs it.
   */
  abstract delete(sha256: string): Promise<boolean>;

  abstract close(): Promise<void>;
}

/** The chunks of a buffer or a stream, as buffers. */
export async function* chunksOf(content: Buffer | Readable): AsyncIterable<Buffer> {
  if (Buffer.isBuffer(content)) {
    yield content;
    return;
  }
  for await (const chunk of content) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
}
