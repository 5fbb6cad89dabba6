/**
 * What deriving the console's Ant Design theme costs on a page's start, with Ant Design's default algorithm (the console
 * before the build derived its map tokens) and with the map tokens the build made (apps/console/src/app/theme-algorithm.ts).
 *   theme-tokens.ts [RUNS]   — RUNS (default 20) fresh Node processes of each, alternating
 * Each process loads antd's theme code, then times the first `theme.getDesignToken` of the console's theme (the work a
 * page's first render does once, with cold code, as a browser's first visit does); prints one JSON line: the medians (ms)
 * and their ratio. The precomputed tokens are made once, here, and read from a JSON file, as the build writes them into
 * the console: no process runs the default algorithm before its clock starts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { theme } from 'antd';
import seed from 'antd/lib/theme/themes/seed';
import { consoleSeeds } from '../../apps/console/src/app/theme';
import { precomputeMapTokens } from '../../apps/console/src/app/theme-algorithm';
import { median } from '../script-support';

const child = (mapsFile: string | null) => `
  const { performance } = require('node:perf_hooks');
  const { theme } = require('antd');
  const { THEME_TOKEN } = require('./apps/console/src/app/theme');
  const { precomputedAlgorithm } = require('./apps/console/src/app/theme-algorithm');
  const algorithm = ${mapsFile === null ? 'theme.defaultAlgorithm' : `precomputedAlgorithm(JSON.parse(require('node:fs').readFileSync(${JSON.stringify(mapsFile)}, 'utf8')), theme.defaultAlgorithm)`};
  const started = performance.now();
  theme.getDesignToken({ token: { ...THEME_TOKEN, motion: true }, algorithm });
  process.stdout.write(String(performance.now() - started));
`;

function run(mapsFile: string | null): number {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', child(mapsFile)], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(result.stdout);
}

const runs = Number(process.argv[2] ?? '20');
const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-theme-tokens-'));
try {
  const mapsFile = join(dir, 'maps.json');
  writeFileSync(mapsFile, JSON.stringify(precomputeMapTokens(consoleSeeds(seed), theme.defaultAlgorithm)));
  const derived: number[] = [];
  const built: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    // Alternating, in both orders, so that both see the same machine.
    if (index % 2 === 0) { derived.push(run(null)); built.push(run(mapsFile)); } else { built.push(run(mapsFile)); derived.push(run(null)); }
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  process.stdout.write(`${JSON.stringify({ runs, derivedMs: round(median(derived)), builtMs: round(median(built)), ratio: round(median(built) / median(derived)) })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
