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
});
