import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

export type BuiltApp = 'api' | 'cli';

const built = new Map<BuiltApp, string>();
/**
 * The app's main (`apps/<app>/src/main.ts`) built as `npm start` and `npm run cli` build it (nest
 * build), once per test file, into a directory of its own: two suites building at once never share an
 * output. A start then takes a second or two instead of the ten to twenty that ts-node spends
 * transpiling the app at every start: twenty restarts were most of the crash test's time, and twenty
 * CLI calls most of the CLI suite's (which passed its limit on a busy machine). The directory is under
 * dist/ (ignored by git) so that the built code finds the checkout's node_modules, and is named after
 * the test process: each build removes those of processes that have ended (jest's sandboxed `process`
 * never tells a test file when its process exits).
 */
export function builtApp(app: BuiltApp): string {
  const known = built.get(app);
  if (known !== undefined) return known;
  const dist = join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  removeTestBuilds();
  const dir = mkdtempSync(join(dist, `${app}-for-tests-${process.pid}-`));
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({
    extends: join(root, 'apps', app, 'tsconfig.app.json'),
    compilerOptions: { outDir: join(dir, 'out'), sourceMap: false, typeRoots: [join(root, 'node_modules', '@types')] },
    include: [join(root, 'apps', app, 'src', '**', '*')],
    exclude: [join(root, 'node_modules'), join(root, '**', '*.spec.ts')],
  }));
  execFileSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', app, '--path', relative(root, tsconfig)], { cwd: root, stdio: 'pipe' });
  const main = join(dir, 'out', 'apps', app, 'src', 'main.js');
  built.set(app, main);
  return main;
}

/**
 * Removes the builds of test processes that have ended; with `ownToo`, this process's as well (the
 * run's global teardown: a suite run in band built them in this process, and nothing will use them).
 * Those of other test runs still going on in the checkout stay.
 */
export function removeTestBuilds(options: { ownToo?: boolean } = {}): void {
  const dist = join(root, 'dist');
  let names: string[];
  try {
    names = readdirSync(dist);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(?:api|cli)-for-tests-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (pid === process.pid ? !options.ownToo : isAlive(pid)) continue;
    rmSync(join(dist, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
