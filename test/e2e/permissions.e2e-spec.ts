import { ROLES, type Role } from '@app/domain';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../apps/api/src/webhooks/webhook-settings';
import { CSV_EXPORTS, MATRIX } from './support/routes';
import { newComplaint, newWorkOrder, removeDataDir, startApp, type RunningApp } from './support/test-app';

/** The OpenAPI page and its assets: public by design, and not part of the API. */
const isDocs = (route: string) => / \/docs/.test(route);

describe('role-permission matrix', () => {
  let app: RunningApp;
  let complaintId: string;
  let tokenId: string;
  let webhookId: string;
  let workOrderId: string;
  const revoked: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    // Webhooks to this machine allowed: the matrix registers one (nothing is sent to it, see below).
    app = await startApp(undefined, { webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHosts: ['127.0.0.1'] } });
    complaintId = (await app.request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    // A work order whose events the CSV matrix reads (the other work-order routes take the complaint's id: a 404 or a 400 after the guard).
    workOrderId = (await app.request('POST', '/work-orders', { role: 'admin', body: newWorkOrder })).body.id;
    tokenId = (await app.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'matrix', role: 'agent', reason: 'matrix' } })).body.tokenId;
    // A webhook whose delivery log the CSV matrix reads (nothing is sent: no event after it matches its filter).
    const hook = await app.request('POST', '/webhooks', { role: 'admin', body: { url: 'http://127.0.0.1:9/matrix', secret: 'whsec-matrix-0123456789abcdef0123456789', eventTypes: ['CallbackDone'], reason: 'matrix' } });
    expect(hook.status).toBe(201);
    webhookId = hook.body.id;
    for (const role of ROLES) {
      const issued = await app.request('POST', '/access/tokens', { role: 'admin', body: { principalId: `revoked-${role}`, role, reason: 'to be revoked' } });
      await app.request('POST', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'revoked for the matrix' } });
      revoked[role] = issued.body.token;
    }
    // Fourteen durable commands: seconds on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  const call = (route: string, options: { role?: Role | null; token?: string; csv?: boolean }) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const path = pattern.replace(':id', route.includes('/customers/') ? 'cust-10086' : route === 'GET /work-orders/:id/events' ? workOrderId : complaintId).replace(':tokenId', tokenId).replace(':name', 'never-built').replace(':webhookId', webhookId)
      .replace(':serial', 'TQ2240-000731').replace(':code', 'dandong-station').replace(':engineerId', 'eng-wang').replace(':sha256', '0'.repeat(64));
    const query = pattern === '/audit/verify' ? `?stream=complaint-${complaintId}` : options.csv ? '?format=csv' : '';
    // An empty command body: an allowed role gets a 400 and nothing is written; the guard answers first otherwise.
    return app.request(method, `${path}${query}`, { ...options, ...(method === 'POST' ? { body: {} } : {}) });
  };

  it('lists every route the app serves, and only those', () => {
    const served = [...new Set(app.routes.filter((route) => !route.startsWith('HEAD ') && !route.startsWith('OPTIONS ') && !isDocs(route)))].sort();
    expect(served).toEqual(Object.keys(MATRIX).sort());
  });

  it('lists only routes it has as CSV exports', () => {
    for (const route of CSV_EXPORTS) expect(Object.keys(MATRIX)).toContain(route);
  });

  describe.each(CSV_EXPORTS.map((route) => [route, MATRIX[route]!] as const))('%s as CSV', (route, allowed) => {
    it.each(ROLES)('with a %s token', async (role) => {
      const response = await call(route, { role, csv: true });
      if (allowed === 'public' || allowed.includes(role)) {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      } else {
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('without a token, with a bad token, with a revoked token', async () => {
      const answers = await Promise.all([
        call(route, { role: null, csv: true }),
        call(route, { token: 'not-a-token-0123456789abcdef', csv: true }),
        ...ROLES.map((role) => call(route, { token: revoked[role]!, csv: true })),
      ]);
      for (const response of answers) {
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    });
  });

  describe.each(Object.entries(MATRIX))('%s', (route, allowed) => {
    it.each(ROLES)('with a %s token', async (role) => {
      const response = await call(route, { role });
      if (allowed === 'public' || allowed.includes(role)) expect([401, 403]).not.toContain(response.status);
      else {
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('without a token, with a bad token, with a revoked token', async () => {
      const revokedTokens = ROLES.map((role) => revoked[role]!);
      const answers = await Promise.all([
        call(route, { role: null }),
        call(route, { token: 'not-a-token-0123456789abcdef' }),
        call(route, { token: 'Bearer' }),
        ...revokedTokens.map((token) => call(route, { token })),
      ]);
      for (const response of answers) {
        if (allowed === 'public') expect([401, 403]).not.toContain(response.status);
        else {
          expect(response.status).toBe(401);
          expect(response.headers.get('www-authenticate')).toBe('Bearer');
          expect(response.body.code).toBe('unauthorized');
        }
      }
    });
  });
});
