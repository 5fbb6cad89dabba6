import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

/**
 * `npm run bench -- --smoke`: a few seconds of every benchmark, so the harness keeps working.
 * Speed is not checked (benchmarks measure it); what is checked is that every section ran and
 * printed its table, and the correctness figures they report: no HTTP errors, chains intact.
 */
describe('benchmark harness', () => {
  it('runs every benchmark in smoke mode and prints its tables', () => {
    const root = join(__dirname, '..', '..');
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/run.ts', '--smoke', '--no-peers'], { cwd: root, encoding: 'utf8', timeout: 400_000 });
    expect(result.stderr).not.toMatch(/bench failed/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/## Event stores side by side \(synchronous=FULL\)/);
    for (const workload of ['W1 single-event', 'W1c the same', 'W2 ten events', 'W3 fold', 'W4 read the whole log']) {
      expect(result.stdout).toMatch(new RegExp(`\\| ${workload}[^|]* \\| [\\d,]+ \\([\\d,]+\\) \\| ([\\d,]+ \\([\\d,]+\\)|–) \\|`));
    }
    expect(result.stdout).toMatch(/Each store ÷ Complaint Desk[\s\S]*\| W1 \| [\d.]+× \|/);
    expect(result.stdout).toMatch(/## HTTP end to end[\s\S]*\| 1( \(knee\))? \| [\d,]+ \| [\d,]+ \| [\d.]+ ms \|/);
    expect(result.stdout).toMatch(/\| zero errors \| 0 \| met \|/);
    expect(result.stdout).toMatch(/\| POST \/complaints \| [\d,]+ \| [\d.]+ ms \| [\d.]+ ms \|/);
    expect(result.stdout).toMatch(/## Integrations: the change feed and webhooks under load[\s\S]*\| 1 \| [\d,]+ \| -?[\d.]+ ms \| -?[\d.]+ ms \| -?[\d.]+ ms \| -?[\d.]+ ms \| 0, 0 \|/);
    expect(result.stdout).toMatch(/\| clients building the backlog[\s\S]*\| 2 \| [\d,]+ \| [\d.]+ \| [\d,]+ \| 0 \|/);
    expect(result.stdout).toMatch(/## Replay through all projections[\s\S]*\| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \|/);
    expect(result.stdout).toMatch(/### Verify and export over the same log[\s\S]*\| yes \|/);
    expect(result.stdout).toMatch(/### Where the replay's time goes[\s\S]*\| \d+ ms \| [\d.]+ % \| \S/);
    expect(result.stdout).toMatch(/### Where the server's time goes[\s\S]*\| \d+ ms \| [\d.]+ % \| \S/);
    expect(result.stdout).toMatch(/### Projections in a process of their own[\s\S]*\| \d+ \| apps\/projector \| [\d,]+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| 0 \|/);
    expect(result.stdout).toMatch(/## Real data: the CFPB main extract[\s\S]*\| 300 \| [\d,]+ \| 0 \|/);
  }, 420_000);
});
