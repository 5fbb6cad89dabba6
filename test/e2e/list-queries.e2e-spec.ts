import { MATRIX } from './support/routes';
import { removeDataDir, startApp, type RunningApp } from './support/test-app';

/**
 * Every GET route of the matrix, with a sample id for each path parameter, called by a role it allows. The health
 * routes ignore a query instead (probes add cache-busting parameters: observability.e2e-spec.ts, ADR 0009).
 */
const READS = Object.entries(MATRIX).filter(([route]) => route.startsWith('GET ') && !/^GET \/health(\/|$)/.test(route)).map(([route, roles]) => ({
  route,
  path: route.slice('GET '.length).replace(/:sha256/g, '0'.repeat(64)).replace(/:\w+/g, '00000000-0000-4000-8000-000000000000'),
  role: roles === 'public' ? null : roles.includes('admin') ? 'admin' as const : roles[0]!,
}));

describe('query parameters of every read: an unknown one or a bad cursor is a 400 naming it', () => {
  let app: RunningApp;
  beforeAll(async () => { app = await startApp(); });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  it.each(READS)('$route refuses an unknown query parameter', async ({ path, role }) => {
    const response = await app.request('GET', `${path}${path.includes('?') ? '&' : '?'}bogusParam=x`, { role });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('validation-failed');
    expect(response.body.errors).toContainEqual({ field: 'bogusParam', message: expect.stringMatching(/^property bogusParam should not exist; /) });
  });

  it.each(READS)('$route refuses a cursor that is no cursor', async ({ path, role }) => {
    const response = await app.request('GET', `${path}?cursor=garbage!`, { role });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A list names the cursor's rule; a read that takes no cursor names it as a parameter it does not take.
    expect(JSON.stringify(response.body)).toMatch(/cursor (must be|should not exist)/);
  });

  // Every query parameter takes one value; given twice it arrives as a list. A day-only from/to and asOf were told their
  // format rule, which both values may keep (a LOW), where tag and the date-time bounds said they were given twice.
  it('every query parameter of every read, given twice, is a 400 saying it takes one value and was given 2, and nothing else about it', async () => {
    const document = (await app.request('GET', '/docs-json', { role: null })).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    let checked = 0;
    for (const { route, path, role } of READS) {
      const template = route.slice('GET '.length).replace(/:(\w+)/g, '{$1}');
      const parameters = (document.paths[template]?.get?.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      for (const name of parameters) {
        const response = await app.request('GET', `${path}?${name}=1&${name}=2`, { role });
        expect({ route, name, status: response.status, code: response.body.code }).toEqual({ route, name, status: 400, code: 'validation-failed' });
        const about = (response.body.errors as { field: string; message: string }[]).filter((error) => error.field === name);
        expect({ route, about }).toEqual({ route, about: [{ field: name, message: expect.stringMatching(new RegExp(`^${name} takes one [^,]+, and was given 2 \\(${name}=… more than once\\)`)) }] });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('a day-only from on the statistics, and asOf, given twice say so, with the rest of the query still checked', async () => {
    const stats = await app.request('GET', '/stats/complaints?from=2026-01-01&from=2026-02-01&by=nope', { role: 'analyst' });
    expect(stats.status).toBe(400);
    expect(stats.body.errors).toEqual(expect.arrayContaining([
      { field: 'from', message: 'from takes one day, and was given 2 (from=… more than once): send from once' },
      { field: 'by', message: expect.stringMatching(/^by must be one of /) },
    ]));
    const asOf = await app.request('GET', '/sla/compliance?asOf=a&asOf=b', { role: 'analyst' });
    expect(asOf.status).toBe(400);
    expect(asOf.body.errors).toEqual([{ field: 'asOf', message: 'asOf takes one name, and was given 2 (asOf=… more than once): send asOf once' }]);
  });
});
