import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sample } from './support/prometheus';
import { QUIET_HTTP, newComplaint, useApp } from './support/test-app';


describe('health and metrics', () => {
  const app = useApp();

  it('answers /health/live without a token and without touching a store', async () => {
    const response = await app().request('GET', '/health/live', { role: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'live' });
  });

  it('is ready when both stores answer and the read models are caught up', async () => {
    const created = await app().request('POST', '/complaints', { body: newComplaint, role: 'agent' });
    await app().request('GET', `/complaints?limit=1&minPosition=${created.body.position}`);
    const response = await app().request('GET', '/health/ready', { role: null });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ready');
    expect(response.body.checks.eventStore).toEqual({ status: 'up', headPosition: created.body.position });
    expect(response.body.checks.readModels.status).toBe('up');
    expect(response.body.checks.readModels.projections.map((row: { projection: string }) => row.projection)).toEqual(
      expect.arrayContaining(['complaint-list', 'sla', 'complaint-stats', 'customer-loyalty', 'audit-decisions']),
    );
  });

  it('counts commands by type and outcome, events appended, and reports every projection and open breach', async () => {
    const before = await app().request('GET', '/metrics', { role: 'admin' });
    const acceptedBefore = sample(before.body, 'complaint_desk_commands_total', { command: 'receive', outcome: 'accepted' }) ?? 0;
    const appendedBefore = sample(before.body, 'complaint_desk_events_appended_total') ?? 0;

    const created = await app().request('POST', '/complaints', { body: newComplaint, role: 'agent' });
    expect(created.status).toBe(201);
    const refused = await app().request('POST', `/complaints/${created.body.id}/resolve`, { body: { resolutionClass: 'immediate', remedy: 'refund', rootCause: 'x', customerAccepted: true }, role: 'agent' });
    expect(refused.status).toBe(409);
    await app().request('GET', `/complaints?limit=1&minPosition=${created.body.position}`);

    const response = await app().request('GET', '/metrics', { role: 'admin' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text: string = response.body;
    expect(sample(text, 'complaint_desk_commands_total', { command: 'receive', outcome: 'accepted' })).toBe(acceptedBefore + 1);
    expect(sample(text, 'complaint_desk_commands_total', { command: 'resolve', outcome: '409' })).toBe(1);
    expect(sample(text, 'complaint_desk_events_appended_total')).toBe(appendedBefore + 1);
    expect(sample(text, 'complaint_desk_command_duration_seconds_count', { command: 'receive' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'complaint_desk_http_request_duration_seconds_count', { method: 'GET', route: '/complaints' })).toBeGreaterThanOrEqual(1);
    // The projections run in this process: nothing to watch from the stores, so neither gauge of a projector elsewhere has a sample (HELP and TYPE only).
    expect(text).toContain('# TYPE complaint_desk_read_model_stalled_seconds gauge');
    expect(text).toContain('# TYPE complaint_desk_projector_lease_held gauge');
    expect(sample(text, 'complaint_desk_read_model_stalled_seconds', { projection: 'complaint-list' })).toBeUndefined();
    expect(sample(text, 'complaint_desk_projector_lease_held')).toBeUndefined();
    for (const projection of ['complaint-list', 'sla', 'complaint-stats', 'customer-loyalty', 'audit-decisions']) {
      expect(sample(text, 'complaint_desk_projection_position', { projection })).toBe(created.body.position);
      expect(sample(text, 'complaint_desk_projection_lag_seconds', { projection })).toBe(0);
      expect(sample(text, 'complaint_desk_projection_behind_events', { projection })).toBe(0);
    }
    for (const clock of ['first-reply', 'answer', 'on-site', 'callback']) expect(sample(text, 'complaint_desk_sla_breaches_open', { clock })).toBe(0);
    expect(sample(text, 'complaint_desk_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('readiness with the read models behind', () => {
  // No projector runs: the read models fall behind as soon as a command is accepted.
  const app = useApp(undefined, { projections: 'external', http: { ...QUIET_HTTP, readyMaxLagMs: 100 } });

  it('answers 503 problem+json naming the read models that lag, and stays live', async () => {
    expect((await app().request('GET', '/health/ready', { role: null })).status).toBe(200);
    expect((await app().request('POST', '/complaints', { body: newComplaint, role: 'agent' })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await app().request('GET', '/health/ready', { role: null });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('not-ready');
    expect(response.body.detail).toMatch(/complaint-list is \d+\.\d s behind/);
    expect(response.body.checks.readModels.status).toBe('lagging');
    // This process runs no projection: it does not claim one is running.
    expect(response.body.checks.readModels.projector).toMatchObject({ mode: 'external', state: 'elsewhere' });
    // Behind by a count of events (a difference of positions is bytes on KurrentDB): one more complaint, one more event.
    const behind = (body: { checks: { readModels: { projections: Array<{ projection: string; behind: number }> } } }) => body.checks.readModels.projections.find((row) => row.projection === 'complaint-list')!.behind;
    const before = behind(response.body);
    expect(before).toBeGreaterThanOrEqual(1);
    expect((await app().request('POST', '/complaints', { body: newComplaint, role: 'agent' })).status).toBe(201);
    const after = await app().request('GET', '/health/ready', { role: null });
    expect(behind(after.body)).toBe(before + 1);
    // A count that stopped at its limit says so (behindAtLeast); this one is exact.
    expect(after.body.checks.readModels.projections.find((row: { projection: string }) => row.projection === 'complaint-list')).toMatchObject({ behind: before + 1, behindAtLeast: false });
    expect((await app().request('GET', '/health/live', { role: null })).status).toBe(200);
    const metrics = await app().request('GET', '/metrics', { role: 'admin' });
    expect(sample(metrics.body, 'complaint_desk_projection_lag_seconds', { projection: 'sla' })).toBeGreaterThan(0.2);
    expect(sample(metrics.body, 'complaint_desk_projection_behind_events', { projection: 'complaint-list' })).toBe(before + 1);
  });
});

describe('health routes with a query string (load balancers and probes add cache-busting parameters)', () => {
  const app = useApp();

  it.each(['/health', '/health/live', '/health/ready'])('%s ignores query parameters: the same answer as without', async (path) => {
    const plain = await app().request('GET', path, { role: null });
    for (const query of ['?x=1', '?_=1733390000000&cache=no', '?cursor=garbage!']) {
      const busted = await app().request('GET', `${path}${query}`, { role: null });
      expect({ query, status: busted.status }).toEqual({ query, status: plain.status });
      expect(busted.body.status).toBe(plain.body.status);
    }
  });
});

describe('the lease holder /health names, readable without a token', () => {
  // A lease of 1.5 s renewed every 500 ms: the renewal after an edit finds the lease taken by the edited name.
  const app = useApp(undefined, { leaseTtlMs: 1_500 });

  /** Writes `holder` into the lease row, as someone editing the store by hand, and answers the lease /health shows once this process saw it. */
  const holdAs = async (holder: string, seen: (lease: { state: string; heldBy: string | null }) => boolean) => {
    const db = new Database(join(app().dataDir, 'read.sqlite'));
    try {
      db.prepare("UPDATE rm_leases SET holder = ?, expires_at = ? WHERE name = 'projector'").run(holder, Date.now() + 60_000);
    } finally {
      db.close();
    }
    const deadline = Date.now() + 5_000;
    for (;;) {
      const { lease } = (await app().request('GET', '/health', { role: null })).body;
      if (seen(lease) || Date.now() > deadline) return lease;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('shows a name of the documented shape as it is, and a hand-edited one (long, with control characters) as "unrecognised"', async () => {
    const lease = await holdAs(`${'x'.repeat(5_000)}\u0000\u001b[31m\n`, ({ state }) => state === 'waiting');
    expect(lease).toMatchObject({ state: 'waiting', heldBy: 'unrecognised', heldByGone: false });
    expect(JSON.stringify(lease)).not.toContain('xxxx');
    const other = 'desk-2:77:3f2a9c1d:5e0b91c4';
    expect(await holdAs(other, ({ heldBy }) => heldBy === other)).toMatchObject({ state: 'waiting', heldBy: other });
  });

  // A hand-edited holder stops the projections with no word of the row that stops them (a LOW): /health names it and the mend.
  it('names the lease row a hand-edited holder sits in, and how to mend it, among the problems; a holder of the documented shape is not one', async () => {
    await holdAs('someone typed this', ({ heldBy }) => heldBy === 'unrecognised');
    const health = (await app().request('GET', '/health', { role: null })).body;
    expect(health.status).toBe('degraded');
    expect(health.problems).toEqual(expect.arrayContaining([
      "the projector lease (the row name = 'projector' of rm_leases in the read store) is held by a name no process gives (edited by hand?), so no process runs the projections until it expires: "
      + "delete that row (DELETE FROM rm_leases WHERE name = 'projector' in read.sqlite; MongoDB: the rm_leases document of _id 'projector') and a waiting instance takes the lease at its next try",
    ]));
    await holdAs('desk-2:77:3f2a9c1d:5e0b91c4', ({ heldBy }) => heldBy === 'desk-2:77:3f2a9c1d:5e0b91c4');
    expect((await app().request('GET', '/health', { role: null })).body.problems).not.toEqual(expect.arrayContaining([expect.stringContaining('rm_leases')]));
  });
});
