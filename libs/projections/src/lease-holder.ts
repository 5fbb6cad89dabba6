import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { asciiShown } from '@app/domain';

/**
 * The name a process holds a lease under: `host:pid:random:space`. The random part tells two processes
 * apart that had the same pid (one after the other, or at once in two containers); host and pid, read
 * in `space` (processSpace), let another process of the same pid namespace see that the holder is gone
 * (leaseHolderIsGone). /health and the logs show it as it is: `web-1:7:3f2a9c1d:5e0b91c4`.
 */
export function leaseHolderName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}:${processSpace()}`;
}

/**
 * A holder name as leaseHolderName makes it (an older version's `host:pid:random` too): a host name of at most 64
 * letters, digits, `.`, `-` or `_` (Linux's limit), a pid, and 8 hex digits for the random part and the space.
 */
const HOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:\d{1,10}:[0-9a-f]{8}(?::[0-9a-f]{8})?$/;

/** What /health (readable without a token) shows for a holder read from the store: any other text (edited by hand) is this word. */
export const UNRECOGNISED_HOLDER = 'unrecognised';

/**
 * A holder as /health shows it: the name itself when it has the shape leaseHolderName gives (at most 93 characters), else
 * UNRECOGNISED_HOLDER. The lease row is the store's, and anyone who can write there could put 5,000 characters or
 * control characters in it; /health is public, so it never echoes such text.
 */
export function shownLeaseHolder(holder: string): string {
  return HOLDER_NAME.test(holder) ? holder : UNRECOGNISED_HOLDER;
}

/** The most of a holder's text a log line repeats. */
const LOGGED_HOLDER_CHARACTERS = 100;

/**
 * A holder as a log line shows it: the store's row may hold anything (edited by hand), and a NUL, an escape sequence or
 * 5,000 characters went to the log as they were. Text is escaped (asciiShown) and cut; bytes (a BLOB, which SQLite gives
 * back as a Buffer) are shown as the SQL literal that matches them, x'00ff'.
 */
export function loggedLeaseHolder(holder: unknown): string {
  if (Buffer.isBuffer(holder)) return `x'${holder.subarray(0, LOGGED_HOLDER_CHARACTERS / 2).toString('hex')}'${holder.length > LOGGED_HOLDER_CHARACTERS / 2 ? `… (${holder.length} bytes)` : ''}`;
  const text = String(holder);
  const characters = [...text];
  if (characters.length <= LOGGED_HOLDER_CHARACTERS) return asciiShown(text);
  return `${asciiShown(characters.slice(0, LOGGED_HOLDER_CHARACTERS).join(''))}… (${characters.length} characters)`;
}

/**
 * For /health: a lease held by a name of no shape leaseHolderName gives (the row edited by hand) keeps every process
 * waiting until it expires, with nothing running; this names the row and the mend. Undefined for any other holder.
 */
export function handEditedLeaseProblem(name: string, holder: string | null): string | undefined {
  if (!isHandEditedHolder(holder)) return undefined;
  const { row, mend } = leaseRowAndMend(name);
  return `the ${name} lease (${row}) is held by a name no process gives (edited by hand?), so no process runs the projections until it expires: `
    + `${mend} and a waiting instance takes the lease at its next try`;
}

/** Where a lease is kept, and how to free it by hand: its row of rm_leases (the document of MongoDB), and the delete that frees it. */
export function leaseRowAndMend(name: string): { readonly row: string; readonly mend: string } {
  return {
    row: `the row name = '${name}' of rm_leases in the read store`,
    mend: `delete that row (DELETE FROM rm_leases WHERE name = '${name}' in read.sqlite; MongoDB: the rm_leases document of _id '${name}')`,
  };
}

/** Whether a holder read from the store has a shape no process gives (edited by hand): UNRECOGNISED_HOLDER is shown for it. */
export const isHandEditedHolder = (holder: string | null): boolean => holder !== null && !HOLDER_NAME.test(holder);

let space: string | undefined;

/**
 * Where a pid means one process: this machine's boot and this process's pid namespace (Linux: the
 * boot id and /proc/self/ns/pid), as 8 hex digits. Containers share a host name often (Docker's
 * `hostname:`, Kubernetes pods of a StatefulSet on hosts of one name, host networking) but each has
 * its own pid namespace, where another container's pid is no process or another one. Where neither can
 * be read (not Linux) it is one value for the host, as the host name alone was.
 */
export function processSpace(): string {
  if (space !== undefined) return space;
  const read = (what: () => string): string => {
    try {
      return what().trim();
    } catch {
      return '';
    }
  };
  const boot = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const namespace = read(() => readlinkSync('/proc/self/ns/pid'));
  return (space = createHash('sha256').update(`${boot}\n${namespace}`).digest('hex').slice(0, 8));
}

/**
 * Whether `holder` (named by leaseHolderName) ran on this machine, in this pid namespace (processSpace), and its process no longer exists
 * (`kill(pid, 0)` answers ESRCH, or its process has ended and waits for its parent to reap it): killed with -9, it could not give the lease up, and waiting for the
 * lease to run out would only keep the read models still. A holder on another host, a live pid (even
 * a reused one), this very process, a name of another form or a signal refused (EPERM: alive, not
 * ours) all count as alive: they are waited for, as before. So does a holder of another pid namespace
 * with this host name (another container): its pid means nothing here. An older version's name
 * (`host:pid:random`, no space) is of another form: waited for, once, until its lease runs out.
 */
export function leaseHolderIsGone(holder: string): boolean {
  const match = /^([^:]+):(\d+):[^:]+:([^:]+)$/.exec(holder);
  if (!match || match[1] !== hostname() || match[3] !== processSpace()) return false;
  const pid = Number(match[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return hasEnded(pid);
}

/**
 * Whether a pid that still answers signals is a process that has ended and waits to be reaped by its
 * parent (a zombie, `Z`, or `X` on its way out, from /proc/PID/stat on Linux; elsewhere: not known, so no).
 */
function hasEnded(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The command name (field 2) is in parentheses and may hold spaces; the state follows it.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}
