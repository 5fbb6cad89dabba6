import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DEPRECATED_ROUTES } from '../../apps/api/src/after-sales/command-docs';
import { useApp } from './support/test-app';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const redocly = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

interface LintReport {
  readonly totals: { readonly errors: number; readonly warnings: number; readonly ignored: number };
  readonly problems: ReadonlyArray<{ readonly ruleId: string; readonly severity: string; readonly message: string; readonly location: ReadonlyArray<{ readonly pointer: string }> }>;
}

/**
 * A check nobody here wrote: Redocly CLI's recommended ruleset (redocly.yaml) over the document the
 * API serves, as a client would download it. It must pass with no error and no warning.
 */
describe('Redocly CLI over the served OpenAPI document', () => {
  const app = useApp();
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-openapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds 0 errors and 0 warnings with the recommended rules', async () => {
    const served = await app().request('GET', '/docs-json', { role: null });
    expect(served.status).toBe(200);
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(served.body, null, 2));
    // No telemetry and no update check: the CLI must not reach out (CI has no network beyond the registries).
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1' };
    const { stdout } = await run(process.execPath, [redocly, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'], { env, cwd: dir, maxBuffer: 64 * 1024 * 1024 })
      // Exit code 1 means problems were found: the report is still on stdout.
      .catch((error: { stdout?: string; stderr?: string; code?: number }) => {
        if (error.code === 1 && error.stdout) return { stdout: error.stdout };
        throw new Error(`redocly lint failed to run (exit ${error.code}): ${error.stderr ?? ''}`);
      });
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map((problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  }, 120_000);

  it('says wherever it serves a percentile that it is approximate (a sketch, within ±1 %)', async () => {
    const served = await app().request('GET', '/docs-json', { role: null });
    const schemas = served.body.components.schemas as Record<string, { properties?: Record<string, { description?: string }> }>;
    const percentiles = Object.entries(schemas).flatMap(([name, schema]) => Object.entries(schema.properties ?? {})
      .filter(([property]) => /^p\d+$/.test(property)).map(([property, value]) => [`${name}.${property}`, value.description ?? '']));
    expect(percentiles.length).toBeGreaterThanOrEqual(4);
    expect(percentiles.filter(([, description]) => !description!.includes('approximate: within ±1 %'))).toEqual([]);
  });

  it('declares the Deprecation and Link headers that every answer of a deprecated route carries, and the route sends them as declared', async () => {
    const document = (await app().request('GET', '/docs-json', { role: null })).body as { paths: Record<string, Record<string, { deprecated?: boolean; responses: Record<string, { headers?: Record<string, { required?: boolean; schema?: unknown }> }> }>> };
    expect(DEPRECATED_ROUTES.size).toBeGreaterThan(0);
    for (const [route, { successor }] of DEPRECATED_ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = document.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      expect([route, operation?.deprecated]).toEqual([route, true]);
      for (const [status, response] of Object.entries(operation!.responses)) {
        // 414 and 431 are answered before routing (no route, so no Deprecation); a 400 may be the router's bad-url.
        if (status === '414' || status === '431') continue;
        const required = status !== '400';
        expect([route, status, response.headers?.['Deprecation']]).toEqual([route, status, expect.objectContaining({ required, schema: expect.objectContaining({ type: 'string' }) })]);
        expect([route, status, response.headers?.['Link']]).toEqual([route, status, expect.objectContaining({ required, schema: expect.objectContaining({ type: 'string', example: `<${successor}>; rel="successor-version"` }) })]);
      }
      // A real answer (the order does not exist: 404) carries them.
      const answer = await app().request(method, path.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000'), { role: 'admin', body: {} });
      expect([route, answer.status, answer.headers.get('deprecation'), answer.headers.get('link')]).toEqual([route, answer.status, expect.stringMatching(/^@\d+$/), `<${successor}>; rel="successor-version"`]);
    }
  });
});
