#!/usr/bin/env node
'use strict';
/**
 * `npm run cli -- <command>`: compiles the CLI only when a source changed since the last build, then
 * runs it in a child process with the read side's heap limit (nodeFlags), passing signals on (launch). A build takes half a minute on two busy cores; a command after it starts
 * in about a second. After `npm run build` the first call builds once more (it has no record of
 * which sources that build saw).
 */
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const outDir = join(root, 'dist/apps/cli');
const main = join(outDir, 'apps/cli/src/main.js');
/** Written after a build, with the time the build started as its modification time. */
const stamp = join(outDir, '.built-from-sources');
/** Held while one call builds: beside the output, which the build deletes first. */
const buildLock = join(root, 'dist', '.cli-build.lock');

/**
 * What `nest build cli` reads: the CLI, the API and projector code it imports, every library, and the
 * settings of the compiler, of nest and of the packages. Directories count too: deleting or renaming a
 * file changes its directory's time.
 */
const SOURCES = ['apps', 'libs', 'tsconfig.json', 'nest-cli.json', 'package.json', 'package-lock.json'];
/** Not compiled into the CLI: the console (Vite builds it) and installed packages. */
const SKIPPED = [join('apps', 'console'), 'node_modules'];

/** The first source under `root` changed after `sinceMs`, or undefined when there is none. */
function changedSince(root, sinceMs) {
  const pending = SOURCES.map((source) => join(root, source));
  while (pending.length > 0) {
    const path = pending.pop();
    let info;
    try {
      info = statSync(path);
    } catch {
      continue; // not in this checkout
    }
    if (info.mtimeMs > sinceMs) return path;
    if (info.isDirectory()) {
      for (const entry of readdirSync(path)) {
        const child = join(path, entry);
        if (!SKIPPED.some((skipped) => child === join(root, skipped) || entry === skipped)) pending.push(child);
      }
    }
  }
  return undefined;
}

/** When the build on record started, or undefined when there is none (never built, or built by `npm run build`). */
function builtAt(stampFile) {
  try {
    return statSync(stampFile).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while holding `lockDir` (a directory: mkdir is atomic), waiting for another process that
 * holds it: two calls that both found the build stale (two shells after a pull, two test files) built
 * into the same directory at once, and the build deletes its output first, so one ran a half-written
 * CLI. A lock whose holder has died is taken over. `work` returns an exit code, given back after the
 * lock is released.
 */
function underLock(lockDir, work, pollMs = 200, limitMs = 10 * 60_000) {
  const owner = join(lockDir, 'owner');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const started = Date.now();
  mkdirSync(join(lockDir, '..'), { recursive: true });
  for (;;) {
    if (Date.now() - started > limitMs) {
      throw new Error(`cli: another call has held ${lockDir} for ${Math.round(limitMs / 60_000)} minutes; if no build of the CLI runs, delete it and try again`);
    }
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (!holderAlive(owner)) rmSync(lockDir, { recursive: true, force: true });
    else Atomics.wait(pause, 0, 0, pollMs);
  }
  try {
    writeFileSync(owner, ownerRecord(process.pid));
    return work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * The holder's record: its pid and, where the system tells (Linux's /proc), when that process started,
 * so that a pid the system gave to a new process after the holder died does not pass for the holder.
 */
function ownerRecord(pid) {
  const started = startedAt(pid);
  return started === undefined ? String(pid) : `${pid} ${started}`;
}

/** The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or undefined. */
function startedAt(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

/** How long a lock may have no holder's record before it counts as left by a holder that died writing it. */
const RECORD_GRACE_MS = 10_000;

/** Milliseconds since the lock (the directory the owner file is in) was made; 0 when it is gone (just released: look again). */
function lockAge(owner) {
  try {
    return Date.now() - statSync(join(owner, '..')).mtimeMs;
  } catch {
    return 0;
  }
}

function holderAlive(owner) {
  let record;
  try {
    record = readFileSync(owner, 'utf8');
  } catch {
    record = '';
  }
  // No record yet (missing, or the file made but its pid not written): a holder between making the lock and writing
  // its pid, so look again; unless the lock is older than any such moment, when its holder died in between.
  if (record.trim() === '') return lockAge(owner) < RECORD_GRACE_MS;
  const [pidText, started] = record.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code !== 'ESRCH';
  }
  // Alive, but is it the holder? A different start time is a new process that got the dead one's pid.
  const now = started === undefined ? undefined : startedAt(pid);
  return now === undefined || now === started;
}

function build() {
  const started = new Date();
  const nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [root] });
  // The build prints nothing until it ends (a minute or more the first time on a busy machine): say what the wait is.
  process.stderr.write('cli: building the CLI from its sources (nest build cli) first; it runs once the build is done\n');
  const result = spawnSync(process.execPath, [nest, 'build', 'cli'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    // The compiler's errors are on its standard output: show them where the user looks.
    process.stderr.write(result.stdout ?? '');
    process.stderr.write(`cli: the build failed (nest build cli, exit ${String(result.status ?? result.signal)})\n`);
    return result.status || 1;
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(stamp, '');
  // A source saved while the build ran is newer than this, so the next call builds again.
  utimesSync(stamp, started, started);
  return 0;
}

/**
 * V8's heap for the CLI's process (docs/adr/0011, "Memory and the collector"): left to itself V8 lets
 * the old generation of a replay grow towards a limit of several GB, so its peak RSS was mostly garbage
 * not yet collected. A heap's sizes are fixed when the process starts, hence a process of its own.
 */
const NODE_FLAGS = ['--max-old-space-size=384'];

/** NODE_FLAGS, less the heap size when the operator gave one (in NODE_OPTIONS or to this node): theirs wins. */
function nodeFlags(given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]) {
  const own = given.some((flag) => /^--max[-_]old[-_]space[-_]size=/.test(flag));
  return own ? NODE_FLAGS.filter((flag) => !flag.startsWith('--max-old-space-size=')) : NODE_FLAGS;
}

/** Ends the child when this process is gone without passing a signal on (SIGKILL): see the file. */
const PARENT_WATCH = join(__dirname, 'cli-parent.js');

/**
 * Runs `entry` with `args` in a child process with nodeFlags() (and this process's own flags), its
 * standard streams this process's; a signal this process gets is passed on, and the child ends with
 * this process when that is killed (SIGKILL). Resolves with how it ended.
 */
function launch(entry, args) {
  const child = spawn(process.execPath, [...nodeFlags(), '--require', PARENT_WATCH, ...process.execArgv, entry, ...args], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const each of signals) process.off(each, forward);
      resolve({ code, signal });
    });
  });
}

const stale = () => {
  const since = builtAt(stamp);
  return since === undefined || changedSince(root, since) !== undefined;
};

if (require.main === module) {
  // Looked at again under the lock: a call that waited for another's build runs that build.
  let status;
  try {
    status = stale() ? underLock(buildLock, () => (stale() ? build() : 0)) : 0;
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    status = 1;
  }
  if (status !== 0) process.exit(status);
  launch(main, process.argv.slice(2)).then(
    ({ code, signal }) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)),
    (error) => {
      process.stderr.write(`cli: could not start the CLI: ${error.message}\n`);
      process.exit(1);
    },
  );
}

module.exports = { changedSince, underLock, launch, NODE_FLAGS, nodeFlags };
