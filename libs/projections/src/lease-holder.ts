import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The name a process holds a lease under: `host:pid:random`. The random part tells two processes
 * apart that had the same pid one after the other; host and pid let another process on the same
 * machine see that the holder is gone (leaseHolderIsGone).
 */
export function leaseHolderName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether `holder` (named by leaseHolderName) ran on this machine and its process no longer exists
 * (`kill(pid, 0)` answers ESRCH, or its process has ended and waits for its parent to reap it): killed with -9, it could not give the lease up, and waiting for the
 * lease to run out would only keep the read models still. A holder on another host, a live pid (even
 * a reused one), this very process, a name of another form or a signal refused (EPERM: alive, not
 * ours) all count as alive: they are waited for, as before. Containers that share a data volume and a
 * host name but not their pids could mistake a live holder for a dead one; the takeover is then a
 * handover (the old holder stops at its next renewal, and the checkpoint fence refuses its stale batch).
 */
export function leaseHolderIsGone(holder: string): boolean {
  const match = /^([^:]+):(\d+):[^:]+$/.exec(holder);
  if (!match || match[1] !== hostname()) return false;
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
