import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { dirname, normalize, resolve } from 'node:path';

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

/**
 * Where `path` points when it is a symbolic link to nothing, else undefined: resolved from the link's own directory (a
 * relative target, as written, would send an operator to make it elsewhere). A link in a loop points at something that
 * exists, so it is none (mkdir then names ELOOP).
 */
export function danglingLinkTarget(path: string): string | undefined {
  try {
    // Followed to its end: ENOENT is a link (or a chain of them) to nothing; ELOOP a loop, EACCES a parent not searchable.
    if (statSync(path, { throwIfNoEntry: false }) !== undefined || lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return undefined;
    return resolve(dirname(path), readlinkSync(path));
  } catch {
    // A parent that cannot be searched (EACCES): no link to tell of; the mkdir that follows names the failure.
    return undefined;
  }
}

/** A directory that cannot be made (a file on its path, no permission, a read-only file system, /proc): which one, and why. */
export class CannotMakeDirectoryError extends Error {}

/**
 * The errno codes of a directory that cannot be made where the path given says, the operator's to fix (a file on the
 * path or there, no permission, a read-only file system, /proc, a name too long, a loop of links, a full disk or quota, a name
 * the file system does not take, such as `:` on vfat or exFAT (EINVAL)):
 * refused naming the directory (exit 2), by makeDirectory and by the CLI's DATA_DIR alike. Any other failure is
 * unexpected, and thrown as it came (exit 1).
 */
export const UNMAKEABLE_DIRECTORY_CODES: ReadonlySet<string> = new Set(['ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENAMETOOLONG', 'ELOOP', 'ENOSPC', 'EDQUOT', 'EINVAL']);

/** Whether a failure of makeDirectories is one of UNMAKEABLE_DIRECTORY_CODES. */
export function isUnmakeableDirectory(error: unknown): error is { code: string; message: string } {
  // Not instanceof Error: fs throws errors of Node's own realm, which another realm's Error (a test's sandbox) does not know.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' && UNMAKEABLE_DIRECTORY_CODES.has(code);
}

/**
 * mkdir -p, except through a symbolic link to nothing (an unmounted volume, a moved directory): that
 * is refused saying which link, where it points and what to do, not with mkdir's bare ENOENT. Returns
 * the topmost directory it made (removing it removes the rest), undefined when `dir` was there.
 */
export function makeDirectory(dir: string, options: { purpose: string; mode?: number }): string | undefined {
  const unreachable = unreachableDirectoryProblem(dir, options.purpose);
  if (unreachable !== undefined) throw new CannotMakeDirectoryError(unreachable);
  try {
    return makeDirectories(dir, options.mode);
  } catch (error) {
    if (!isUnmakeableDirectory(error)) throw error;
    throw new CannotMakeDirectoryError(`cannot make ${dir}, ${options.purpose}: ${error.message}; give a directory you can write`);
  }
}

/**
 * What makeDirectory would refuse `dir` for without making anything, in its words: a symbolic link to nothing or a loop of
 * links on the way (danglingLinkOn). The configuration checks a seal directory with it before DATA_DIR is made; undefined when none.
 */
export function unreachableDirectoryProblem(dir: string, purpose: string): string | undefined {
  const dangling = danglingLinkOn(dir);
  return dangling === undefined ? undefined : `cannot make ${dir}, ${purpose}: ${dangling}.`;
}

/**
 * A symbolic link to nothing on the way to `dir` (an unmounted volume, a moved directory), or a loop of links (ln -s b a;
 * ln -s a b: mkdir said "EEXIST" of it), said with what to do; undefined when there is none.
 */
export function danglingLinkOn(dir: string): string | undefined {
  for (let path = resolve(dir); ; path = dirname(path)) {
    const target = danglingLinkTarget(path);
    if (target !== undefined) {
      return `${path} is a symbolic link to ${target}, which does not exist: `
        + `create that directory (mount it), point the link at a directory that exists, or delete the link to have ${path} made`;
    }
    if (isLinkLoop(path)) return `${path} is a loop of symbolic links (ELOOP): point it at a directory that exists, or delete it to have ${path} made`;
    if (existsSync(path) || dirname(path) === path) return undefined;
  }
}

/**
 * mkdir -p one level at a time, each with a mkdir of its own (not recursive), from the topmost missing one down:
 * Node's mkdirSync(recursive) spins for ever where mkdir answers ENOENT under a parent that exists (/proc/x/y), and
 * does not say which directories it made. Returns the topmost directory it made (in the spelling of `dir`; removing
 * it removes the rest), undefined when `dir` was there. On a failure (the errno error, as mkdir threw it) the
 * directories it made are removed again. One made meanwhile by another process is taken as it is.
 */
export function makeDirectories(dir: string, mode?: number): string | undefined {
  const missing = missingDirectories(dir);
  // There already, but not a directory (a file, a link to one): mkdir's own EEXIST, as mkdir -p says "File exists".
  if (missing.length === 0 && !isDirectory(normalize(dir))) mkdirSync(normalize(dir));
  const made: string[] = [];
  try {
    for (const path of missing) {
      try {
        mkdirSync(path, mode === undefined ? {} : { mode });
        made.push(path);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST' || !isDirectory(path)) throw error;
      }
    }
  } catch (error) {
    for (const path of made.reverse()) {
      try {
        rmdirSync(path);
      } catch {
        // Another process put something in it meanwhile: it stays, with what it holds.
      }
    }
    throw error;
  }
  return made[0];
}

/**
 * The levels of `dir` that are not there, topmost first (in the spelling of `dir`), none when it is there. A link is
 * there even when it points at nothing (yet): a run never counts one as its own to make, or to name as made.
 */
export function missingDirectories(dir: string): string[] {
  const missing: string[] = [];
  for (let path = normalize(dir); !existsSync(path) && !isLink(path) && dirname(path) !== path; path = dirname(path)) missing.unshift(path);
  return missing;
}

/** Whether `path` is itself a link that leads round in a loop (a loop above it makes its own lstat fail: it is found there). */
function isLinkLoop(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ELOOP' && isLink(path);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
