import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, readdirSync, rmSync, statSync } from 'node:fs';
import { link, mkdir, open, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, BlobStore, chunksOf, isSha256, type StoredBlob } from '../blob-store.port';

export interface FileBlobStoreOptions {
  /** The directory of the blobs (the API uses DATA_DIR/blobs). */
  readonly dir: string;
}

/**
 * Blobs as files, content-addressed: `<dir>/ab/cd/<sha256>`. A put writes a temporary file under
 * `<dir>/tmp`, fsyncs it, then links it to its name (a link never replaces an existing file, so two
 * puts of the same content cannot clash, and a name only ever holds complete bytes), and fsyncs the
 * directory so the name survives a crash.
 */
export class FileBlobStore extends BlobStore {
  constructor(private readonly options: FileBlobStoreOptions) {
    super();
    sweepAbandoned(join(options.dir, 'tmp'));
  }

  override async put(content: Buffer | Readable): Promise<StoredBlob> {
    const temporaryDir = join(this.options.dir, 'tmp');
    await mkdir(temporaryDir, { recursive: true });
    const temporary = join(temporaryDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        for await (const chunk of chunksOf(content)) {
          hash.update(chunk);
          size += chunk.length;
          let written = 0;
          while (written < chunk.length) written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await mkdir(dirname(target), { recursive: true });
      try {
        await link(temporary, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { sha256, size, created: false };
        throw error;
      }
      await syncDirectory(dirname(target));
      return { sha256, size, created: true };
    } finally {
      await rm(temporary, { force: true });
    }
  }

  override async get(sha256: string): Promise<Readable> {
    if (!(await this.has(sha256))) throw new BlobNotFoundError(sha256);
    return createReadStream(this.pathOf(sha256));
  }

  override async has(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  override async delete(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    try {
      await unlink(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await syncDirectory(dirname(this.pathOf(sha256)));
    return true;
  }

  override async close(): Promise<void> {
    // Nothing held open between calls.
  }

  /** Two levels of directories by the first four hex digits: no directory grows past 256 entries plus its files. */
  private pathOf(sha256: string): string {
    return join(this.options.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** How old a temporary file must be to count as abandoned: no upload takes an hour between its first byte and its name. */
const ABANDONED_AFTER_MS = 3_600_000;

/**
 * Removes what a process killed in the middle of a put left in the temporary folder (no event names
 * it, so nothing else would ever remove it). Only old files: another process may be writing a new one.
 */
function sweepAbandoned(temporaryDir: string): void {
  let names: string[];
  try {
    names = readdirSync(temporaryDir);
  } catch {
    return;
  }
  const before = Date.now() - ABANDONED_AFTER_MS;
  for (const name of names) {
    const path = join(temporaryDir, name);
    try {
      if (statSync(path).mtimeMs < before) rmSync(path, { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: left alone.
    }
  }
}
