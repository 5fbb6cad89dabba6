import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** `npm run bench -- --smoke`: a few seconds of every benchmark, so the harness keeps working. Figures are not checked. */
describe('benchmark harness', () => {
  it('runs every benchmark in smoke mode and prints its tables', () => {
    const root = join(__dirname, '..', '..');
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/run.ts', '--smoke'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).not.toMatch(/bench failed/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\| W1 single-event appends.*\| [\d,]+ \| [\d,]+ \| [\d.]+× \|/);
    expect(result.stdout).toMatch(/## Real data: the CFPB main extract[\s\S]*\| 300 \| [\d,]+ \| 0 \|/);
    expect(result.stdout).toMatch(/## Replay through all projections[\s\S]*\| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \|/);
    expect(result.stdout).toMatch(/### Verify and export over the same log[\s\S]*\| yes \|/);
    expect(result.stdout).toMatch(/## Projection lag under HTTP load[\s\S]*\| \d+ \| \d+ \| 0 \|/);
  }, 150_000);
});
