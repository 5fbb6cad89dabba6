import { ContractChecker } from './support/openapi-contract';
import { withFailingProjection } from './support/failing-projection';
import { newComplaint, removeDataDir, startApp, useApp } from './support/test-app';

/**
 * A projection that throws on an event (a bug met by real data, as a survey question named
 * `valueOf` once did) is set aside at its checkpoint: the other read models stay current, /health
 * names it, a read that needs it at a position it cannot reach says so at once, and it goes on by
 * itself once the error stops. The failure is injected through the test support (the projections the
 * app runs), which no configuration or request can reach.
 */
const poisoned = new Set<string>();
const projections = withFailingProjection('audit-decisions', 'ComplaintValidated', poisoned);

describe('a failing projection is isolated and visible', () => {
  jest.setTimeout(60_000);
  const app = useApp(undefined, {}, { projections });

  it('keeps the other read models current, names the failure in /health, answers 503 projection-failed to a read that needs it, and recovers', async () => {
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-isolated' }, role: 'agent' });
    expect(created.status).toBe(201);
    const stream = `complaint-${created.body.id as string}`;
    poisoned.add(stream);
    const validated = await app().request('POST', `/complaints/${created.body.id as string}/validate`, { body: { reason: 'Pump log shows it.' } });
    expect(validated.status).toBe(200);
    const position = validated.body.position as number;

    // Another read model reaches the position at once (no wait for the failing one) and says so.
    const started = Date.now();
    const list = await app().request('GET', `/complaints?customerId=cust-isolated&minPosition=${position}`);
    expect(list.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, status: 'validated' })]);
    expect(Number(list.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(position);

    // Every answer below keeps the published contract (closed schemas), the degraded ones too.
    const contract = new ContractChecker((await app().request('GET', '/docs-json', { role: null })).body);
    const health = contract.check('GET /health', await app().request('GET', '/health', { role: null }));
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.failingProjections).toEqual([{
      projection: 'audit-decisions', position: expect.any(Number), failedPosition: position, eventType: 'ComplaintValidated',
      error: `TypeError: test fault on ${stream}`, since: expect.any(String), attempts: expect.any(Number), nextRetryAt: expect.any(String),
    }]);
    const held = health.body.failingProjections[0].position as number;
    expect(held).toBeLessThan(position);
    const ready = contract.check('GET /health/ready', await app().request('GET', '/health/ready', { role: null }));
    expect(ready.status).toBe(200);
    expect(ready.body.checks.readModels).toMatchObject({ status: 'degraded', failing: [expect.objectContaining({ projection: 'audit-decisions', failedPosition: position })] });

    const metrics = await app().request('GET', '/metrics', { role: 'admin' });
    expect(metrics.body).toMatch(/^complaint_desk_projection_failing\{projection="audit-decisions"\} 1$/m);
    expect(metrics.body).toMatch(/^complaint_desk_projection_failing\{projection="complaint-list"\} 0$/m);

    // The read that needs the failing read model at that position: told at once, with when to try again.
    const waited = Date.now();
    const decisions = contract.check('GET /audit/decisions', await app().request('GET', `/audit/decisions?minPosition=${position}`, { role: 'auditor' }));
    expect(Date.now() - waited).toBeLessThan(3000);
    expect(decisions.status).toBe(503);
    expect(decisions.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(decisions.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(decisions.body).toMatchObject({ code: 'projection-failed', projection: 'audit-decisions', position: held, minPosition: position, failedPosition: position, eventType: 'ComplaintValidated' });
    expect(decisions.body.detail).toMatch(/audit-decisions is held at position/);
    // Without minPosition it answers what it holds, and the header says where that is.
    const stale = await app().request('GET', '/audit/decisions', { role: 'auditor' });
    expect(stale.status).toBe(200);
    expect(Number(stale.headers.get('x-read-model-position'))).toBe(held);

    // The fault goes away (a transient one): the next retry gets past it, with nothing lost.
    poisoned.delete(stream);
    const deadline = Date.now() + 20_000;
    while ((await app().request('GET', '/health', { role: null })).body.status !== 'ok') {
      if (Date.now() > deadline) throw new Error('the projection did not recover within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const healed = await app().request('GET', `/audit/decisions?minPosition=${position}&type=ComplaintValidated`, { role: 'auditor' });
    expect(healed.status).toBe(200);
    expect(healed.body.items).toEqual([expect.objectContaining({ complaintId: created.body.id, type: 'ComplaintValidated' })]);
    expect((await app().request('GET', '/health', { role: null })).body).toMatchObject({ status: 'ok', failingProjections: [] });
  });
});

describe('a failing projection seen from an API whose projector runs elsewhere (PROJECTIONS=external)', () => {
  jest.setTimeout(60_000);

  it('reads the failure the runner recorded in the read store: /health names it, a read that needs it answers 503', async () => {
    const runner = await startApp(undefined, {}, { projections });
    const { dataDir } = runner;
    let api: Awaited<ReturnType<typeof startApp>> | undefined;
    try {
      const created = await runner.request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-elsewhere' }, role: 'agent' });
      const stream = `complaint-${created.body.id as string}`;
      poisoned.add(stream);
      const validated = await runner.request('POST', `/complaints/${created.body.id as string}/validate`, { body: { reason: 'Pump log shows it.' } });
      const position = validated.body.position as number;
      const deadline = Date.now() + 10_000;
      while ((await runner.request('GET', '/health', { role: null })).body.status !== 'degraded') {
        if (Date.now() > deadline) throw new Error('the failure was not reported within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await runner.stop();

      // An API that runs no projection: what it knows of them comes from the read store.
      api = await startApp(dataDir, { projections: 'external' });
      const health = await api.request('GET', '/health', { role: null });
      expect(health.body).toMatchObject({
        status: 'degraded', projector: { mode: 'external', state: 'elsewhere' },
        failingProjections: [expect.objectContaining({ projection: 'audit-decisions', failedPosition: position, eventType: 'ComplaintValidated', error: `TypeError: test fault on ${stream}` })],
      });
      const decisions = await api.request('GET', `/audit/decisions?minPosition=${position}`, { role: 'auditor' });
      expect(decisions.status).toBe(503);
      expect(decisions.body).toMatchObject({ code: 'projection-failed', projection: 'audit-decisions', minPosition: position });
      const list = await api.request('GET', `/complaints?customerId=cust-elsewhere&minPosition=${position}`);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([expect.objectContaining({ status: 'validated' })]);
    } finally {
      poisoned.clear();
      await api?.stop();
      removeDataDir(dataDir);
    }
  });
});
