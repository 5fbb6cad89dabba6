#!/usr/bin/env node
'use strict';
/**
 * `npm run cli -- <command>`: compiles the CLI only when a source changed since the last build, then
 * runs it in this process. A build takes half a minute on two busy cores; a command after it starts
 * in about a second. After `npm run build` the first call builds once more (it has no record of
 * which sources that build saw).
 */
const { spawnSync } = require('node:child_process');
const { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const outDir = join(root, 'dist/apps/cli');
const main = join(outDir, 'apps/cli/src/main.js');
/** Written after a build, with the time the build started as its modification time. */
const stamp = join(outDir, '.built-from-sources');

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

function build() {
  const started = new Date();
  const nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [root] });
  const result = spawnSync(process.execPath, [nest, 'build', 'cli'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    // The compiler's errors are on its standard output: show them where the user looks.
    process.stderr.write(result.stdout ?? '');
    process.stderr.write(`cli: the build failed (nest build cli, exit ${String(result.status ?? result.signal)})\n`);
    process.exit(result.status || 1);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(stamp, '');
  // A source saved while the build ran is newer than this, so the next call builds again.
  utimesSync(stamp, started, started);
}

if (require.main === module) {
  const since = builtAt(stamp);
  if (since === undefined || changedSince(root, since) !== undefined) build();
  process.argv = [process.argv[0], main, ...process.argv.slice(2)];
  require(main);
}

module.exports = { changedSince };
