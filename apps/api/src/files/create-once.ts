import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `text` to `path` unless the file is there, so that processes starting at once on one data
 * dir agree on one file (a seal key, the first tokens): the text is written whole to a file of this
 * process's own and linked into place, which fails when another process was first; then that
 * process's text is read back. Nobody ever reads the file half written.
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
    return { text: readFileSync(path, 'utf8'), created: false };
  } finally {
    rmSync(own, { force: true });
  }
}
