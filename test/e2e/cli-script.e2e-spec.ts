import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** scripts/cli.js (`npm run cli`): builds the CLI only when a source changed since its last build (issue 21). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node script, no types
const { changedSince, underLock, launch, nodeFlags } = require('../../scripts/cli.js') as {
  nodeFlags: (given: string[]) => string[];
  changedSince: (root: string, sinceMs: number) => string | undefined;
  underLock: (lockDir: string, work: () => number, pollMs?: number, limitMs?: number) => number;
  launch: (entry: string, args: string[]) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

jest.setTimeout(240_000);

describe('which sources make npm run cli build again', () => {
  let root: string;
  const past = new Date('2026-01-01T00:00:00Z');
  const built = past.getTime() + 60_000;
  const file = (path: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), 'export {};\n');
  };
  /** Every file and directory of the tree dated before the build. */
  const ageAll = (...paths: string[]) => {
    for (const path of paths) utimesSync(join(root, path), past, past);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'complaint-desk-cli-script-'));
    for (const path of ['apps/cli/src/main.ts', 'apps/api/src/x.ts', 'apps/console/src/app.tsx', 'libs/domain/src/index.ts', 'tsconfig.json', 'package-lock.json']) file(path);
    ageAll('apps/cli/src/main.ts', 'apps/api/src/x.ts', 'apps/console/src/app.tsx', 'libs/domain/src/index.ts', 'tsconfig.json', 'package-lock.json',
      'apps/cli/src', 'apps/cli', 'apps/api/src', 'apps/api', 'apps/console/src', 'apps/console', 'apps', 'libs/domain/src', 'libs/domain', 'libs');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('none when nothing changed after the build', () => {
    expect(changedSince(root, built)).toBeUndefined();
  });

  it.each(['libs/domain/src/index.ts', 'apps/cli/src/main.ts', 'tsconfig.json', 'package-lock.json'])('a source or a setting saved after the build: %s', (path) => {
    utimesSync(join(root, path), new Date(built + 1000), new Date(built + 1000));
    expect(changedSince(root, built)).toBe(join(root, path));
  });

  it('a file deleted after the build (its directory changed)', () => {
    rmSync(join(root, 'apps/api/src/x.ts'));
    expect(changedSince(root, built)).toBe(join(root, 'apps/api/src'));
  });

  it('not the console, which the CLI does not compile', () => {
    utimesSync(join(root, 'apps/console/src/app.tsx'), new Date(built + 1000), new Date(built + 1000));
    expect(changedSince(root, built)).toBeUndefined();
  });
});

describe('two calls of npm run cli that both find the build stale', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-cli-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('build one after the other: the second waits while the first holds the lock, then builds (or finds it built)', async () => {
    const lock = join(dir, '.cli-build.lock');
    const released = join(dir, 'released');
    // The first call, in its own process: holds the lock for a second, then says so and lets go.
    const first = spawn(process.execPath, ['-e', `
      const fs = require('node:fs');
      fs.mkdirSync(${JSON.stringify(lock)});
      fs.writeFileSync(${JSON.stringify(join(lock, 'owner'))}, String(process.pid));
      setTimeout(() => { fs.writeFileSync(${JSON.stringify(released)}, ''); fs.rmSync(${JSON.stringify(lock)}, { recursive: true }); }, 1000);
    `], { stdio: 'ignore' });
    const ended = new Promise((resolve) => first.once('exit', resolve));
    while (!existsSync(join(lock, 'owner'))) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(underLock(lock, () => (existsSync(released) ? 3 : 4))).toBe(3);
    expect(existsSync(lock)).toBe(false);
    await ended;
  });

  it('wait for a holder whose record is being written (an empty owner file, fresh): it is no dead holder', async () => {
    const lock = join(dir, '.cli-build.lock');
    const released = join(dir, 'released');
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), '');
    // Its holder, between making the lock and writing its pid, lets go a second later.
    const holder = spawn(process.execPath, ['-e', `setTimeout(() => { require('node:fs').writeFileSync(${JSON.stringify(released)}, ''); require('node:fs').rmSync(${JSON.stringify(lock)}, { recursive: true }); }, 1000)`], { stdio: 'ignore' });
    const ended = new Promise((resolve) => holder.once('exit', resolve));
    // Took it over at once before (an empty record read as a dead holder), under a holder about to write its pid.
    expect(underLock(lock, () => (existsSync(released) ? 7 : 8), 50)).toBe(7);
    await ended;
  });

  it('take over a lock whose record was never written and is old (a holder killed between making the lock and writing its pid)', () => {
    const lock = join(dir, '.cli-build.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(lock, 'owner'), old, old);
    utimesSync(lock, old, old);
    expect(underLock(lock, () => 9, 50, 3000)).toBe(9);
    expect(existsSync(lock)).toBe(false);
  });

  it('take over a lock whose holder has died (a build killed part-way)', () => {
    const lock = join(dir, '.cli-build.lock');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), String(dead));
    expect(underLock(lock, () => 5)).toBe(5);
    expect(existsSync(lock)).toBe(false);
  });

  it('take over a lock whose holder died and whose pid now names another process (reused by the system)', () => {
    const lock = join(dir, '.cli-build.lock');
    const script = resolve(__dirname, '../../scripts/cli.js');
    // A holder killed in its build leaves the lock with its own record in it.
    const holder = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(script)}).underLock(${JSON.stringify(lock)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(holder.signal).toBe('SIGKILL');
    const owner = join(lock, 'owner');
    // The system gave its pid to a process that is alive: this one stands in for it.
    writeFileSync(owner, readFileSync(owner, 'utf8').replace(/^\d+/, String(process.pid)));
    // Waited its whole limit (and threw) before: the live pid passed for the holder.
    expect(underLock(lock, () => 6, 50, 3000)).toBe(6);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('npm run cli called twice', () => {
  it('builds at most for the first call; the second runs the build as it is', () => {
    const root = resolve(__dirname, '../..');
    const stamp = join(root, 'dist/apps/cli/.built-from-sources');
    const run = () => spawnSync(process.execPath, [join(root, 'scripts/cli.js'), '--help'], { cwd: root, encoding: 'utf8' });
    const before = existsSync(stamp) ? statSync(stamp).mtimeMs : undefined;
    const first = run();
    expect([first.status, first.stdout]).toEqual([0, expect.stringContaining('Usage: complaint-desk')]);
    const builtAt = statSync(stamp).mtimeMs;
    // A call that builds says so before the silent build; one that does not build says nothing of it.
    if (builtAt !== before) expect(first.stderr).toContain('cli: building the CLI');
    else expect(first.stderr).not.toContain('cli: building');
    const second = run();
    expect([second.status, second.stdout]).toEqual([0, expect.stringContaining('Usage: complaint-desk')]);
    expect(second.stderr).not.toContain('cli: building');
    expect(statSync(stamp).mtimeMs).toBe(builtAt);
  });
});

// docs/adr/0011, "Memory and the collector": V8's limits are fixed when a process starts, so the CLI runs in a process of its own.
describe('npm run cli runs the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-cli-launch-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with the old-generation limit ADR 0011 chose (not V8\'s several GB), its arguments, and its exit code', async () => {
    const entry = join(dir, 'report.js');
    const out = join(dir, 'seen.json');
    writeFileSync(entry, `require('node:fs').writeFileSync(process.argv[2], JSON.stringify({ limitMb: require('node:v8').getHeapStatistics().heap_size_limit / 1048576, args: process.argv.slice(3) })); process.exit(3);`);
    const ended = await launch(entry, [out, 'replay', '--projection', 'sla']);
    expect(ended).toEqual({ code: 3, signal: null });
    const seen = JSON.parse(readFileSync(out, 'utf8')) as { limitMb: number; args: string[] };
    expect(seen.args).toEqual(['replay', '--projection', 'sla']);
    // The heap's limit is the old generation's plus the young generation's, which V8 sizes itself (48 MB on Node 20,
    // 192 MB on Node 24 on a 24 GB machine): far below V8's default of several GB either way.
    expect(seen.limitMb).toBeGreaterThanOrEqual(OLD_GENERATION_MB);
    expect(seen.limitMb).toBeLessThan(OLD_GENERATION_MB + 256);
  });

  it('leaves the heap size to the operator who gave one (NODE_OPTIONS or node\'s own flags)', () => {
    expect(nodeFlags([])).toEqual([`--max-old-space-size=${OLD_GENERATION_MB}`]);
    expect(nodeFlags(['--inspect', ''])).toEqual([`--max-old-space-size=${OLD_GENERATION_MB}`]);
    expect(nodeFlags(['--max-old-space-size=4096'])).toEqual([]);
    expect(nodeFlags(['--max_old_space_size=4096'])).toEqual([]);
  });

  it('and ends it when npm run cli itself is killed with SIGKILL, which it cannot pass on (no orphan goes on with a replay or an import)', async () => {
    const entry = join(dir, 'waits.js');
    const pidFile = join(dir, 'waiting.pid');
    writeFileSync(entry, `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => undefined, 1000);`);
    // npm run cli's process, running this entry instead of the CLI (a file: node -e's code would be passed on to the CLI's process too).
    const parent = join(dir, 'launches.js');
    writeFileSync(parent, `require(${JSON.stringify(resolve(__dirname, '../../scripts/cli.js'))}).launch(${JSON.stringify(entry)}, []);`);
    const launcher = spawn(process.execPath, [parent], { stdio: 'ignore' });
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    let cli = 0;
    try {
      for (let waited = 0; !existsSync(pidFile) || readFileSync(pidFile, 'utf8') === ''; waited += 50) {
        if (waited > 60_000) throw new Error('the CLI did not start in 60 s');
        await new Promise((done) => setTimeout(done, 50));
      }
      cli = Number(readFileSync(pidFile, 'utf8'));
      launcher.kill('SIGKILL');
      for (let waited = 0; alive(cli) && waited < 10_000; waited += 100) await new Promise((done) => setTimeout(done, 100));
      expect(alive(cli)).toBe(false);
    } finally {
      launcher.kill('SIGKILL');
      if (cli > 0 && alive(cli)) process.kill(cli, 'SIGKILL');
    }
  });

  it('and ends as it ends when killed by a signal', async () => {
    const entry = join(dir, 'killed.js');
    writeFileSync(entry, `process.kill(process.pid, 'SIGTERM');`);
    expect(await launch(entry, [])).toEqual({ code: null, signal: 'SIGTERM' });
  });
});

/** The old generation's limit ADR 0011 chose for the CLI: a change of it is a decision, measured and written down there first. */
const OLD_GENERATION_MB = 384;
