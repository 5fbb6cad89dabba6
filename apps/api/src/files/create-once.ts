import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Writes `text` to `path` unless the file is there, so that processes starting at once on one data
 * dir agree on one file (a seal key, the first tokens): the text is written whole to a file of this
 * process's own and linked into place, which fails when another process was first; then that
 * process's text is read back. Nobody ever reads the file half written. A symbolic link to a file
 * that is gone is neither written through nor replaced: it is refused, saying where it points.
 */
export function createFileOnce(path: string, text: string, mode = 0o600): { text: string; created: boolean } {
  makeDirectory(dirname(path), { purpose: `the directory of ${path}` });
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

/**
 * mkdir -p, except through a symbolic link to nothing (an unmounted volume, a moved directory): that
 * is refused saying which link, where it points and what to do, not with mkdir's bare ENOENT.
 */
export function makeDirectory(dir: string, options: { purpose: string; mode?: number }): void {
  for (let path = resolve(dir); ; path = dirname(path)) {
    const target = danglingLinkTarget(path);
    if (target !== undefined) {
      throw new Error(`cannot make ${dir}, ${options.purpose}: ${path} is a symbolic link to ${target}, which does not exist: `
        + `create that directory (mount it), point the link at a directory that exists, or delete the link to have ${path} made.`);
    }
    if (existsSync(path) || dirname(path) === path) break;
  }
  mkdirSync(dir, { recursive: true, ...(options.mode === undefined ? {} : { mode: options.mode }) });
}
