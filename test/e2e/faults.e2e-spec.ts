import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteEventStore, type AllSubscription, type SubscribeToAllOptions } from '@app/event-store';
import { SqliteReadStore } from '@app/read-store';
import { BACKGROUND_PROBLEMS, recordBackgroundProblems } from '@app/projections';
import { openEngines } from '../../apps/api/src/config/engines';
import { loadApiConfig } from '../../apps/api/src/config/api-config';
import { createProjector } from '../../apps/projector/src/projector';
import { ContractChecker } from './support/openapi-contract';
import { sample } from './support/prometheus';
import { QUIET_HTTP, newComplaint, removeDataDir, startApp, type RunningApp } from './support/test-app';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * A full disk, for real: SQLite's max_page_count caps the file at its current size, so the next
 * write that needs a page fails inside SQLite with SQLITE_FULL, exactly as on a full volume; raising
 * it again is the operator freeing space.
 */
const databaseOf = (store: SqliteEventStore | SqliteReadStore): Database.Database => (store as unknown as { db: Database.Database }).db;
const fill = (db: Database.Database) => db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
const free = (db: Database.Database) => db.pragma('max_page_count = 1073741823');

describe('a full disk', () => {
  let app: RunningApp;
  let eventStore: SqliteEventStore;
  let readStore: SqliteReadStore;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-faults-'));
    // max_page_count is a setting of one connection: this store commits on its own connection (not
    // on the writer thread's), so that capping it fills the disk for the commits.
    eventStore = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), writerThread: false });
    readStore = new SqliteReadStore({ filename: join(dataDir, 'read.sqlite') });
    app = await startApp(dataDir, {}, { engines: { eventStore, readStore } });
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  const healthUntil = async (wanted: (body: any) => boolean) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await app.request('GET', '/health', { role: null });
      if (wanted(body) || Date.now() > deadline) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('refuses writes with 503 and writes nothing, keeps serving reads, and takes writes again once there is room', async () => {
    const before = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
    expect(before.status).toBe(201);
    fill(databaseOf(eventStore));
    let refused: Awaited<ReturnType<RunningApp['request']>> | undefined;
    for (let attempt = 0; attempt < 10 && !refused; attempt += 1) {
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, description: `${'满'.repeat(1500)} ${attempt}` } });
      if (response.status === 503) refused = response;
      else expect(response.status).toBe(201); // the last page still had room
    }
    expect(refused).toBeDefined();
    expect(refused!.headers.get('content-type')).toContain('application/problem+json');
    expect(refused!.body).toMatchObject({ status: 503, code: 'store-unavailable' });
    // As the OpenAPI document says a command refuses when the store cannot write.
    expect(new ContractChecker((await app.request('GET', '/docs-json', { role: null })).body).problems('POST /complaints', refused!)).toEqual([]);
    const head = (await app.request('GET', '/health')).body.eventStore.headPosition;
    expect((await app.request('POST', `/complaints/${before.body.id}/apologise`, { role: 'agent', body: { statement: '抱歉'.repeat(800), channel: 'phone' } })).status).toBe(503);
    expect((await app.request('GET', '/health')).body.eventStore.headPosition).toBe(head);

    // Reads go on: the complaint from its events, the lists from the read models, health.
    expect((await app.request('GET', `/complaints/${before.body.id}`)).status).toBe(200);
    expect((await app.request('GET', `/complaints?minPosition=${before.body.position}`)).body.items.length).toBeGreaterThan(0);
    expect((await app.request('GET', '/health/live', { role: null })).status).toBe(200);

    free(databaseOf(eventStore));
    const after = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
    expect(after.status).toBe(201);
    const list = await app.request('GET', `/complaints?minPosition=${after.body.position}`);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(after.body.id);
  });

  it('lets the projector wait out a full read store and catch up when space returns, nothing lost', async () => {
    fill(databaseOf(readStore));
    const accepted: Array<{ id: string; position: number }> = [];
    for (let index = 0; index < 20; index += 1) {
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, description: `${'读'.repeat(1500)} ${index}` } });
      expect(response.status).toBe(201); // the event store has room: commands are accepted
      accepted.push(response.body);
    }
    const last = accepted[accepted.length - 1]!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stale = await app.request('GET', '/complaints?limit=1');
    expect(Number(stale.headers.get('x-read-model-position'))).toBeLessThan(last.position);
    // Retried, not hidden: once a retry fails too, /health names every stopped projection and why (a first failure that a retry mends stays quiet).
    const degraded = await healthUntil((body) => body.failingProjections.some((failure: { projection: string }) => failure.projection === 'complaint-list'));
    expect(degraded).toMatchObject({ status: 'degraded', failingProjections: expect.arrayContaining([expect.objectContaining({ projection: 'complaint-list', eventType: null, error: expect.stringMatching(/full/), attempts: expect.any(Number) })]) });
    expect(degraded.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^projection complaint-list is stopped at position \d+: .*full/)]));

    free(databaseOf(readStore));
    const caughtUp = await app.request('GET', `/complaints?limit=200&minPosition=${last.position}`);
    expect(Number(caughtUp.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(last.position);
    const ids = new Set(caughtUp.body.items.map((item: { id: string }) => item.id));
    for (const { id } of accepted) expect(ids.has(id)).toBe(true);
    expect(await healthUntil((body) => body.status === 'ok')).toMatchObject({ status: 'ok', problems: [], failingProjections: [] });
  }, 30_000);
});

describe('a corrupt data dir', () => {
  it('stops the start with one line naming the file, instead of serving from it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-corrupt-'));
    writeFileSync(join(dataDir, 'events.sqlite'), 'this is not a database, it was overwritten by accident'.repeat(100));
    const config = loadApiConfig({ DATA_DIR: dataDir });
    await expect(openEngines(config)).rejects.toThrow(/^DATA_DIR: cannot open .*events\.sqlite: file is not a database \(restore it from a backup/);
    removeDataDir(dataDir);
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
const healthOf = async (app: RunningApp, wanted: (body: any) => boolean) => {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { body } = await app.request('GET', '/health', { role: null });
    if (wanted(body) || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Stops a projector that ran beside `api` on connections of its own, those connections, then the API, and removes the data. */
async function stopBeside(api: RunningApp, projector: { close(): Promise<void> }, ...stores: Array<{ close(): Promise<void> }>): Promise<void> {
  await projector.close();
  for (const store of stores) await store.close();
  await api.stop();
  removeDataDir(api.dataDir);
}

/** The event store of this connection, refusing appends while `refusing()` says so, as a full volume does (reads go on). */
function refusingAppends(store: SqliteEventStore, refusing: () => boolean): SqliteEventStore {
  return new Proxy(store, {
    get(target, property) {
      if ((property === 'append' || property === 'appendToStreams') && refusing()) return async () => {
        throw new Error('database or disk is full');
      };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('work beside the projections that fails in apps/projector (PROJECTIONS=external)', () => {
  it('is named in the API\'s /health while it keeps failing, and no longer once it goes through', async () => {
    // The API runs no projection and no monitor: they run in the projector, here on connections of its own.
    const api = await startApp(undefined, { projections: 'external' });
    let refusing = true;
    const events = new SqliteEventStore({ filename: join(api.dataDir, 'events.sqlite'), writerThread: false });
    const readStore = new SqliteReadStore({ filename: join(api.dataDir, 'read.sqlite') });
    // A year on: every clock of the complaint below is overdue, so the SLA monitor appends a breach at each pass (and fails to).
    const clock = { now: () => new Date(Date.now() + 365 * 24 * 3600_000) };
    const config = { ...loadApiConfig({ DATA_DIR: api.dataDir }), slaMonitorIntervalMs: 200 };
    const projector = createProjector(config, { eventStore: refusingAppends(events, () => refusing), readStore }, clock, () => undefined, 'inline');
    try {
      expect((await api.request('POST', '/complaints', { role: 'agent', body: newComplaint })).status).toBe(201);
      await projector.begin();
      const failing = await healthOf(api, (body) => body.problems.some((problem: string) => problem.startsWith('SLA monitor fails')));
      expect(failing).toMatchObject({ status: 'degraded', projector: { mode: 'external', state: 'elsewhere' }, failingProjections: [] });
      expect(failing.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^SLA monitor fails \(\d+ times in a row since \S+; next try at \S+\): database or disk is full$/)]));

      refusing = false;
      expect(await healthOf(api, (body) => body.status === 'ok')).toMatchObject({ status: 'ok', problems: [] });
    } finally {
      await stopBeside(api, projector, events, readStore);
    }
  }, 30_000);
});

describe('the projector\'s problems record that cannot be read, seen from the API (PROJECTIONS=external)', () => {
  it.each([['garbled', '{"holder":7,"problems":"x"}'], ['not a document the store can read back', '[99999]']])('is named in /health (%s), with the record, and the answer is still 200', async (_kind, text) => {
    const api = await startApp(undefined, { projections: 'external' });
    const readStore = new SqliteReadStore({ filename: join(api.dataDir, 'read.sqlite') });
    try {
      // What a holder recorded, then its text spoiled past the store's checks (written by hand, a restore gone wrong).
      await recordBackgroundProblems(readStore, 'desk-1', ['SLA monitor fails'], new Date());
      databaseOf(readStore).prepare(`UPDATE "doc_${BACKGROUND_PROBLEMS}" SET doc = ? WHERE id = 'current'`).run(text);
      const response = await api.request('GET', '/health', { role: null });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('degraded');
      expect(response.body.problems).toEqual(expect.arrayContaining([
        expect.stringMatching(new RegExp(`^the projector's problems record \\(read model ${BACKGROUND_PROBLEMS}, document current\\) cannot be read \\(.+\\): what fails beside the projections`)),
      ]));
    } finally {
      await readStore.close();
      await api.stop();
      removeDataDir(api.dataDir);
    }
  }, 30_000);
});

/** The read store of this connection, refusing every write while `refusing()` says so, as a full volume does (reads go on). */
function refusingWrites(store: SqliteReadStore, refusing: () => boolean): SqliteReadStore {
  const writes = new Set<PropertyKey>(['commit', 'putIfVersion', 'ensureCollections', 'acquireLease', 'releaseLease', 'activateGeneration', 'dropGeneration', 'forgetDeleted', 'recover']);
  return new Proxy(store, {
    get(target, property) {
      if (writes.has(property) && refusing()) return async () => {
        throw new Error('database or disk is full');
      };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a projector that stopped moving, seen from the API (PROJECTIONS=external)', () => {
  it('is named in /health, and measured in /metrics, when its read models stand still while the log grows, and when no projector holds the lease', async () => {
    // The API's clock stands still, far off: how long a projection has not moved is measured on the monotonic clock.
    const fixed = { now: () => new Date('2031-06-01T08:00:00.000Z') };
    const api = await startApp(undefined, { projections: 'external', http: { ...QUIET_HTTP, projectionStallMs: 1000 } }, { clock: fixed });
    let full = false;
    const events = new SqliteEventStore({ filename: join(api.dataDir, 'events.sqlite'), writerThread: false });
    const readStore = new SqliteReadStore({ filename: join(api.dataDir, 'read.sqlite') });
    // The projector on connections of its own, whose read store cannot write while `full` (it cannot record why, nor renew its lease).
    const config = { ...loadApiConfig({ DATA_DIR: api.dataDir }), leaseTtlMs: 1000 };
    // On the real clock: the API's far-off time puts every deadline in the future, so its SLA monitor appends nothing.
    const projector = createProjector(config, { eventStore: events, readStore: refusingWrites(readStore, () => full) }, { now: () => new Date() }, () => undefined, 'inline');
    // The line that names `projection` among the read models standing still: [checkpoint, head] it names, or undefined.
    const standing = (projection: string, problems: readonly string[]): [number, number] | undefined => {
      const line = problems.map((problem) => /^projections? ([a-z-]+(?:, [a-z-]+)*) ha(?:s|ve) not moved from position (\d+) for \d+ s while the log's head moved on to (\d+): /.exec(problem))
        .find((match) => match?.[1]!.split(', ').includes(projection));
      return line ? [Number(line[2]), Number(line[3])] : undefined;
    };
    const stalled = (projection: string) => (body: { problems: string[] }) => standing(projection, body.problems) !== undefined;
    const noLease = (body: { problems: string[] }) => body.problems.some((problem) => problem.startsWith('no projector holds the projector lease'));
    const gauges = async () => {
      const text: string = (await api.request('GET', '/metrics', { role: 'admin' })).body;
      return {
        leaseHeld: sample(text, 'complaint_desk_projector_lease_held', { lease: 'projector' }),
        listStalled: sample(text, 'complaint_desk_read_model_stalled_seconds', { projection: 'complaint-list' }),
        slaStalled: sample(text, 'complaint_desk_read_model_stalled_seconds', { projection: 'sla' }),
      };
    };
    try {
      await projector.begin();
      const first = await api.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      expect((await api.request('GET', `/complaints?minPosition=${first.body.position as number}`)).status).toBe(200);
      expect(await healthOf(api, (body) => body.status === 'ok')).toMatchObject({ status: 'ok', problems: [] });
      expect(await gauges()).toEqual({ leaseHeld: 1, listStalled: 0, slaStalled: 0 });

      full = true;
      const accepted = await api.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      expect(accepted.status).toBe(201);
      const stuck = await healthOf(api, (body) => stalled('complaint-list')(body) && noLease(body));
      expect(stuck).toMatchObject({ status: 'degraded', projector: { mode: 'external', state: 'elsewhere' }, failingProjections: [] });
      const [checkpoint, head] = standing('complaint-list', stuck.problems)!;
      expect(checkpoint).toBeGreaterThanOrEqual(first.body.position as number);
      expect(checkpoint).toBeLessThan(accepted.body.position as number);
      expect(head).toBeGreaterThanOrEqual(accepted.body.position as number);
      expect(stuck.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^no projector holds the projector lease/)]));
      // The same on /metrics: the seconds the read model has stood (at least PROJECTION_STALL_MS), and the lease nobody holds.
      const measured = await gauges();
      expect(measured).toMatchObject({ leaseHeld: 0 });
      expect(measured.listStalled).toBeGreaterThanOrEqual(1);
      // Whole milliseconds, as the other gauges (it carried the monotonic clock's fractions: 4.3795381440000005).
      expect(String(measured.listStalled)).toMatch(/^\d+(\.\d{1,3})?$/);

      // Room again: the projector renews its lease and catches up, and the lines go.
      full = false;
      expect((await api.request('GET', `/complaints?minPosition=${accepted.body.position as number}`)).status).toBe(200);
      expect(await healthOf(api, (body) => body.status === 'ok')).toMatchObject({ status: 'ok', problems: [] });
      expect(await gauges()).toEqual({ leaseHeld: 1, listStalled: 0, slaStalled: 0 });

      // A projector that stops gives its lease up: nobody projects, and the API says so at once, then the read models stand still.
      await projector.close();
      expect((await healthOf(api, noLease)).status).toBe('degraded');
      expect((await api.request('POST', '/complaints', { role: 'agent', body: newComplaint })).status).toBe(201);
      const [, headAfter] = standing('sla', (await healthOf(api, stalled('sla'))).problems)!;
      expect(headAfter).toBeGreaterThan(accepted.body.position as number);
    } finally {
      full = false;
      await stopBeside(api, projector, events, readStore);
    }
  }, 60_000);
});

describe('access control that cannot follow its stream', () => {
  it('is named in /health while its resubscriptions keep failing, and no longer once one goes through', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-faults-'));
    const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), writerThread: false });
    let failing = false;
    let refusing = false;
    // The access control's subscription breaks (a server away) while `failing`, at its next message and at every resubscription;
    // while `refusing`, a subscription is refused at once (the call throws).
    const eventStore = new Proxy(store, {
      get(target, property) {
        if (property !== 'subscribeToAll') {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (options?: SubscribeToAllOptions): AllSubscription => {
          if (refusing && options?.filter?.streamPrefixes?.includes('access-control')) throw new Error('the event store refused the subscription');
          const subscription = target.subscribeToAll(options);
          if (!options?.filter?.streamPrefixes?.includes('access-control')) return subscription;
          return {
            close: () => subscription.close(),
            async *[Symbol.asyncIterator]() {
              if (failing) throw new Error('the event store went away');
              for await (const message of subscription) {
                if (failing) throw new Error('the event store went away');
                yield message;
              }
            },
          };
        };
      },
    });
    const app = await startApp(dataDir, {}, { engines: { eventStore, readStore: new SqliteReadStore({ filename: join(dataDir, 'read.sqlite') }) } });
    try {
      expect((await healthOf(app, (body) => body.status === 'ok')).problems).toEqual([]);
      failing = true;
      // A grant is what reaches the broken subscription: it fails, and each resubscription a second later fails too.
      expect((await app.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'li.na', role: 'agent', reason: 'New hire, hotline team.' } })).status).toBe(201);
      const degraded = await healthOf(app, (body) => body.problems.length > 0);
      expect(degraded.status).toBe('degraded');
      expect(degraded.problems).toEqual([expect.stringMatching(/^access control: following the access-control stream fails \(\d+ times in a row since \S+; next try at \S+\): the event store went away$/)]);

      failing = false;
      expect(await healthOf(app, (body) => body.status === 'ok')).toMatchObject({ status: 'ok', problems: [] });

      // A resubscription refused at once is a failure like the others: the access control tries again, and follows once it may.
      failing = true;
      refusing = true;
      expect((await app.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'wang.fang', role: 'agent', reason: 'New hire, hotline team.' } })).status).toBe(201);
      expect((await healthOf(app, (body) => body.problems.some((problem: string) => problem.includes('refused the subscription')))).status).toBe('degraded');
      failing = false;
      refusing = false;
      expect(await healthOf(app, (body) => body.status === 'ok')).toMatchObject({ status: 'ok', problems: [] });
    } finally {
      await app.stop();
      removeDataDir(dataDir);
    }
  }, 30_000);
});
