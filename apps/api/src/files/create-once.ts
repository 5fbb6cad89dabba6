import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `text` to `path` unless the file is there, so that processes starting at once on one data
 * dir agree on one file (a seal key, the first tokens): the text is written whole to a file of this
 * process's own and linked into place, which fails when another process was first; then that
 * process's text is read back. Nobody ever reads the file half written. A symbolic link to a file
 * that is gone is neither written through nor replaced: it is refused, saying where it points.
 */
export function createFileOnce(path: string, text: string, mode = 0o600): { text: string; created: boolean } {
  mkdirSync(dirname(path), { recursive: true });
  const own = `${path}.${process.pid}.${randomUUID()}.new`;
  const handle = openSync(own, 'wx', mode);
  try {
    writeSync(handle, text);
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  try {
    linkSync(own, path);
    return { text, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const target = danglingLinkTarget(path);
    if (target !== undefined) throw new Error(`${path} is a symbolic link to ${target}, which does not exist: fix the link, or delete it to have a new one written.`);
    return { text: readFileSync(path, 'utf8'), created: false };
  } finally {
    rmSync(own, { force: true });
  }
}

/** Where `path` points when it is a symbolic link to nothing, else undefined. */
export function danglingLinkTarget(path: string): string | undefined {
  return !existsSync(path) && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true ? readlinkSync(path) : undefined;
}
