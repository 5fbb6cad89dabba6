import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ALL_PROJECTIONS } from '@app/read-models';
import { ProjectionWorker } from '../../apps/api/src/read-models/projection-worker';
import type { LeasedProjector } from '../../apps/api/src/read-models/leased-projector';
import { IN_PROCESS_PROJECTOR } from '../../apps/api/src/read-models/read-models.providers';
import { waitFor } from './support/eventually';
import { newComplaint, removeDataDir, startApp, useApp, type RunningApp } from './support/test-app';

/** The runner of the app's projector (it holds the lease: it is the only instance on its data dir). */
const runnerOf = (app: RunningApp) => app.get<LeasedProjector>(IN_PROCESS_PROJECTOR as never).runner();

interface Projector { state: string; restarts: number; lastCrash: { message: string } | null }
const projectorOf = async (app: RunningApp): Promise<Projector> => (await app.request('GET', '/health', { role: null })).body.projector;

/**
 * How long a restart may take. A restarted thread tells nothing until it is ready (from the sources it first
 * transpiles the read side, which takes seconds on a quiet machine and far longer on a loaded one), so this
 * is a bound on a wait that cannot show progress: generous, and a restart that comes sooner ends the wait sooner.
 */
const RESTART_LIMIT_MS = 120_000;
/** The restarted worker's catch-up moves (its positions rise): it is waited for while they do, up to the limit. */
const CATCH_UP = { stillMs: 30_000, limitMs: 120_000 } as const;
/**
 * Every test and hook of this file. Each start of an app here starts a worker thread, which from the sources transpiles
 * the read side first: about 40 s on two loaded cores, and over 90 s under heavier load, where the starts in beforeAll
 * failed on jest's limit. Above the sum of a restart's and a catch-up's limits, so a wait's own message tells which one
 * failed. (It was set per describe, 60 s and 90 s, but jest.setTimeout applies to the whole file: the last call won.)
 */
jest.setTimeout(300_000);

/** Waits until /health says the worker runs again (after a crash: restarted and ready). */
const restarted = (app: RunningApp) => waitFor('the projection worker back after its crash (/health: projector.state "running")', () => projectorOf(app),
  (projector) => projector.state === 'running', { limitMs: RESTART_LIMIT_MS, everyMs: 100 });

/**
 * Reads `path` with `minPosition=position` until the API stops answering 503 (its own wait for the position is 5 s, which
 * a restarted worker's catch-up on a loaded machine can outlast), while the worker's checkpoints move. The answer that is
 * not a 503 is the one read-your-writes speaks of: the test asserts on it (a 200 must hold the write and say a position
 * at or after it), so a `minPosition` that did not wait fails the test.
 */
const readAt = (app: RunningApp, path: string, position: number) => {
  const worker = runnerOf(app) as ProjectionWorker;
  return waitFor(`GET ${path} with minPosition=${position} answered other than 503 (the restarted worker's catch-up)`,
    async () => ({ answer: await app.request('GET', `${path}&minPosition=${position}`), positions: worker.positions() }),
    ({ answer }) => answer.status !== 503, { ...CATCH_UP, everyMs: 250, progress: ({ positions }) => positions });
};

// The default of npm start: the projections on a worker thread of the API, with its own connections.
describe('the projections on a worker thread (PROJECTIONS=in-process)', () => {
  const app = useApp(undefined, { projections: 'in-process' });

  it('runs the runner on a worker and reads your writes with minPosition', async () => {
    const runner = runnerOf(app());
    expect(runner).toBeInstanceOf(ProjectionWorker);
    const created = await app().request('POST', '/complaints', { body: newComplaint, role: 'agent' });
    expect(created.status).toBe(201);
    const list = await app().request('GET', `/complaints?customerId=cust-10086&minPosition=${created.body.position}`);
    expect(list.status).toBe(200);
    expect(Number(list.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(created.body.position);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);

    const validated = await app().request('POST', `/complaints/${created.body.id}/validate`, { body: { reason: 'Pump log shows it.' } });
    const stats = await app().request('GET', `/stats/complaints?by=cause&interval=year&minPosition=${validated.body.position}`, { role: 'analyst' });
    expect(stats.status).toBe(200);
    expect(stats.body.totals.received).toBe(1);

    const health = await app().request('GET', '/health', { role: null });
    expect(health.body.projector).toEqual({ mode: 'worker', state: 'running', restarts: 0, lastCrash: null });
  });

  it('logs a crash of the worker, reports it in /health and /health/ready, restarts it, and goes on from the checkpoints', async () => {
    const worker = runnerOf(app()) as ProjectionWorker;
    await worker.terminateThread();
    const crashed = await app().request('GET', '/health', { role: null });
    expect(crashed.body.projector).toMatchObject({ mode: 'worker', restarts: 1, lastCrash: { message: expect.stringContaining('exited with code') } });

    // Commands go on while it restarts; a query with minPosition sees them once the worker is back.
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-after-crash' }, role: 'agent' });
    expect(created.status).toBe(201);
    await restarted(app());
    const { answer: list } = await readAt(app(), '/complaints?customerId=cust-after-crash', created.body.position);
    expect(list.status).toBe(200);
    expect(Number(list.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(created.body.position);
    expect(list.body.items).toHaveLength(1);
    const ready = await app().request('GET', '/health/ready', { role: null });
    expect(ready.status).toBe(200);
    expect(ready.body.checks.readModels.projector).toMatchObject({ mode: 'worker', state: 'running', restarts: 1 });
    const metrics = await app().request('GET', '/metrics', { role: 'admin' });
    expect(metrics.body).toMatch(/^complaint_desk_projection_worker_restarts 1$/m);
  });
});

// PROJECTION_THREADS=2: the projections in two groups, each on a worker thread of its own.
describe('the projections on two worker threads (PROJECTION_THREADS=2)', () => {
  const app = useApp(undefined, { projections: 'in-process', projectionThreads: 2 });

  it('answers reads of every read model with minPosition, whichever thread builds it', async () => {
    const worker = runnerOf(app()) as ProjectionWorker;
    await worker.caughtUp(30_000);
    // Every projection is reported, each by one of the two threads.
    expect(Object.keys(worker.positions()).sort()).toEqual(ALL_PROJECTIONS.map((projection) => projection.name).sort());
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-two-threads' }, role: 'agent' });
    expect(created.status).toBe(201);
    const validated = await app().request('POST', `/complaints/${created.body.id}/validate`, { body: { reason: 'Pump log shows it.' } });
    const position = validated.body.position;
    const list = await app().request('GET', `/complaints?customerId=cust-two-threads&minPosition=${position}`);
    expect(list.body.items.map((item: { status: string }) => item.status)).toEqual(['validated']);
    const stats = await app().request('GET', `/stats/complaints?by=cause&interval=year&minPosition=${position}`, { role: 'analyst' });
    expect(stats.body.totals.validated).toBe(1);
    const customer = await app().request('GET', `/customers/cust-two-threads?minPosition=${position}`, { role: 'analyst' });
    expect(customer.status).toBe(200);
    const decisions = await app().request('GET', `/audit/decisions?minPosition=${position}`, { role: 'auditor' });
    expect(decisions.body.items.filter((item: { complaintId: string }) => item.complaintId === created.body.id).map((item: { type: string }) => item.type))
      .toEqual(['ComplaintValidated', 'ComplaintReceived']);
  });

  it('restarts the thread that crashed and reads your writes again once it is back', async () => {
    const worker = runnerOf(app()) as ProjectionWorker;
    await worker.terminateThread();
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-thread-crash' }, role: 'agent' });
    await restarted(app());
    const health = await app().request('GET', '/health', { role: null });
    expect(health.body.projector).toMatchObject({ mode: 'worker', state: 'running', restarts: 1 });
    const { answer: list } = await readAt(app(), '/complaints?customerId=cust-thread-crash', created.body.position);
    expect(list.status).toBe(200);
    expect(Number(list.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(created.body.position);
    expect(list.body.items).toHaveLength(1);
  });
});

// A worker that cannot start, again and again (the read store edited by hand): the API stays up and says why, then recovers.
describe('a projection worker that does not start (PROJECTIONS=in-process)', () => {

  it('names the store\'s error in /health while the worker cannot start (an attacker\'s MEDIUM: "did not start: [object Object]", a SqliteError lost its message crossing the thread), and runs again once the store is mended', async () => {
    const first = await startApp(undefined, { projections: 'in-process' });
    const dataDir = first.dataDir;
    await first.stop();
    const edit = (sql: string) => {
      const db = new Database(join(dataDir, 'read.sqlite'));
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    };
    edit('ALTER TABLE rm_generations RENAME TO rm_generations_kept; CREATE VIEW rm_generations AS SELECT 1 AS other');
    const app = await startApp(dataDir, { projections: 'in-process' });
    try {
      const health = async (): Promise<{ projector: Projector }> => (await app.request('GET', '/health', { role: null })).body;
      const failing = await waitFor('the failed start in /health (projector.lastCrash)', health, (body) => body.projector.lastCrash !== null, { limitMs: RESTART_LIMIT_MS, everyMs: 100 });
      expect(failing.projector.lastCrash!.message).toMatch(/did not start: .*no such column: read_model/);
      expect(failing.projector.lastCrash!.message).not.toContain('[object Object]');
      // /health is public: the error's line, not its stack with the server's paths (the log has it).
      expect(failing.projector.lastCrash!.message).not.toContain('\n');
      const ready = await app.request('GET', '/health/ready', { role: null });
      expect(ready.body.checks.readModels.projector.lastCrash.message).not.toContain('\n');
      expect((await app.request('GET', '/health/live', { role: null })).status).toBe(200);

      edit('DROP VIEW rm_generations; ALTER TABLE rm_generations_kept RENAME TO rm_generations');
      await waitFor('the worker running once the store is mended (/health: projector.state "running")', health, (body) => body.projector.state === 'running', { limitMs: RESTART_LIMIT_MS, everyMs: 100 });
      const created = await app.request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-after-mend' }, role: 'agent' });
      expect((await app.request('GET', `/complaints?customerId=cust-after-mend&minPosition=${created.body.position}`)).body.items).toHaveLength(1);
    } finally {
      await app.stop();
      removeDataDir(dataDir);
    }
  });
});
