import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { ComplaintCommandExecutor, ComplaintRepository, SystemClock } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileMergeCompletion, CustomerFileRepository } from '@app/customers';
import { SqliteEventStore } from '@app/event-store';
import { processSpace, type ProjectionFailure } from '@app/projections';
import { ALL_PROJECTIONS, ReadModelReader } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { loadApiConfig } from '../config/api-config';
import { LeasedProjector } from './leased-projector';
import type { ProjectionProgress } from './projection-worker';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two processes' worth of projectors on one pair of stores, each with a runner that only says when it starts and stops. */
function setUp(leaseTtlMs = 1000) {
  const events = new SqliteEventStore({ filename: ':memory:' });
  const readStore = new SqliteReadStore({ filename: ':memory:' });
  const clock = new SystemClock();
  // With the default ttl the lease is renewed every 333 ms; a standby tries as often (at most every second).
  const config = loadApiConfig({ LEASE_TTL_MS: String(leaseTtlMs), SLA_MONITOR_INTERVAL_MS: '60000' });
  const log: string[] = [];
  const lease: string[] = [];
  const projector = (name: string, start: () => Promise<void> = async () => undefined, failing: () => ProjectionFailure[] = () => []) => new LeasedProjector({
    config, events, readStore, clock, mode: 'inline', reader: new ReadModelReader(readStore, ALL_PROJECTIONS),
    complaints: new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock),
    workOrders: new WorkOrderCommandExecutor(events, new WorkOrderRepository(events), new ServiceNetworkRepository(events), clock),
    merges: new CustomerFileMergeCompletion(new CustomerFileCommandExecutor(events, new CustomerFileRepository(events), clock)),
    runner: () => ({
      start: async () => {
        log.push(`${name} start`);
        await start();
      },
      stop: async () => void log.push(`${name} stop`),
      position: () => 0, positions: () => ({}), failing, waitForPosition: async () => 0, caughtUp: async () => undefined,
    }) satisfies ProjectionProgress,
    log: (component, level, message) => void (component === 'lease' && lease.push(`${name} ${level}: ${message}`)),
  });
  return { events, readStore, log, lease, projector };
}

describe('the projections under the projector lease (LeasedProjector)', () => {
  it('runs in one process while another waits (ok, naming the holder), and hands over when the first stops', async () => {
    const { events, readStore, log, lease, projector } = setUp();
    const [first, second] = [projector('first'), projector('second')];
    await first.begin();
    await second.begin();
    expect(log).toEqual(['first start']);
    expect(first.runner()).toBeDefined();
    expect(second.runner()).toBeUndefined();
    expect(first.state()).toMatchObject({ mode: 'inline', state: 'running' });
    expect(second.state()).toMatchObject({ mode: 'inline', state: 'waiting', lastCrash: null });
    expect(second.leaseState()).toEqual({ name: 'projector', state: 'waiting', holder: second.holder, heldBy: first.holder, heldByGone: false });

    await first.close();
    expect(log).toEqual(['first start', 'first stop']);
    expect(first.state().state).toBe('stopped');
    const started = Date.now();
    while (!second.isActive && Date.now() - started < 2_000) await wait(20);
    expect(second.leaseState()).toEqual({ name: 'projector', state: 'active', holder: second.holder, heldBy: second.holder, heldByGone: false });
    expect(log).toEqual(['first start', 'first stop', 'second start']);
    // The state at the start is info; the handover, at the default log level, a warning.
    expect(lease.filter((line) => line.startsWith('second'))).toEqual([
      expect.stringMatching(/^second info: lease projector is held by .*: waiting$/),
      expect.stringMatching(/^second warn: holding lease projector as /),
    ]);
    await second.close();
    await readStore.close();
    await events.close();
  });

  it('says at once that the holder it names is gone when its process on this host was killed, before its next try takes over', async () => {
    const { events, readStore, log, projector } = setUp();
    // A holder in another process of this host, holding for a minute: only its death can end the wait early.
    const holderProcess = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const gone = new Promise((resolve) => holderProcess.once('exit', resolve));
    const holder = `${hostname()}:${holderProcess.pid}:0a1b2c3d:${processSpace()}`;
    expect(await readStore.acquireLease('projector', holder, 60_000)).toBe(true);
    const standby = projector('standby');
    await standby.begin();
    expect(standby.leaseState()).toEqual({ name: 'projector', state: 'waiting', holder: standby.holder, heldBy: holder, heldByGone: false });

    holderProcess.kill('SIGKILL');
    await gone;
    // /health asks between two tries: the holder is still the one the last try read, and said to be gone.
    expect(standby.leaseState()).toEqual({ name: 'projector', state: 'waiting', holder: standby.holder, heldBy: holder, heldByGone: true });
    const started = Date.now();
    while (!standby.isActive && Date.now() - started < 2_000) await wait(20);
    expect(standby.leaseState()).toEqual({ name: 'projector', state: 'active', holder: standby.holder, heldBy: standby.holder, heldByGone: false });
    expect(log).toEqual(['standby start']);
    await standby.close();
    await readStore.close();
    await events.close();
  });

  it('gives the lease up when its runner was stopped for good by the checkpoint fence, and a new runner starts from the checkpoints under the lease', async () => {
    // Two instances wrote at once (rm_leases made again by hand): the fence refused one runner, whose instance then held
    // the lease with nothing running, and the read models stood still on both instances until a restart.
    const { events, readStore, log, lease, projector } = setUp();
    const fence: ProjectionFailure = {
      projection: 'complaint-list', generation: 'complaint-list_v1', position: 7, failedPosition: 9, eventType: null, error: 'stopped for good: another runner has written its checkpoint',
      since: '2026-03-01T09:30:00.000Z', attempts: 1, nextRetryAt: null, fenced: true,
    };
    let starts = 0;
    const first = projector('first', async () => void (starts += 1), () => (starts === 1 ? [fence] : []));
    const second = projector('second');
    await first.begin();
    await second.begin();
    expect(log).toEqual(['first start']);
    const began = Date.now();
    while (log.length < 3 && Date.now() - began < 3_000) await wait(20);
    // The fenced runner is stopped and the lease given up; whichever instance takes it next starts a new runner.
    expect(log.slice(0, 2)).toEqual(['first start', 'first stop']);
    expect(log[2]).toMatch(/^(first|second) start$/);
    expect([first.isActive, second.isActive].filter(Boolean)).toHaveLength(1);
    expect(lease).toEqual(expect.arrayContaining([expect.stringMatching(/^first warn: gave lease projector up: its projections were stopped for good by the checkpoint fence/)]));
    const active = first.isActive ? first : second;
    expect(active.runner()?.failing()).toEqual([]);
    expect(active.state()).toMatchObject({ state: 'running' });
    await first.close();
    await second.close();
    await readStore.close();
    await events.close();
  });

  it('says it waits, not that the projections are stopped for a mended rm_leases, once a try goes through', async () => {
    // A ttl of 4 s: the standby tries every second, and the table its first try makes again holds the lease back 4 s from then,
    // so the state after that try is known (with 1 s, a loaded machine could see the hold-back end first, and the check was skipped).
    const { events, readStore, projector } = setUp(4_000);
    const db = (readStore as unknown as { db: { exec(sql: string): unknown } }).db;
    db.exec("DROP TABLE rm_leases; CREATE VIEW rm_leases AS SELECT 'projector' AS name, 'someone' AS holder, 0 AS expires_at");
    const standby = projector('standby');
    await standby.begin();
    expect(standby.state()).toMatchObject({ state: 'stopped', lastCrash: { message: expect.stringMatching(/rm_leases.*is a view/) } });
    db.exec('DROP VIEW rm_leases');
    const mended = Date.now();
    // The table made again holds the lease back for one ttl: meanwhile it waits, and the damage is not named.
    while (standby.state().state === 'stopped' && Date.now() - mended < 3_000) await wait(20);
    expect(standby.isActive).toBe(false);
    expect(standby.state()).toMatchObject({ state: 'waiting', lastCrash: null });
    while (!standby.isActive && Date.now() - mended < 12_000) await wait(20);
    expect(standby.isActive).toBe(true);
    await standby.close();
    await readStore.close();
    await events.close();
  });

  it('says the projections are stopped, and why, when they cannot start here and nobody else runs them', async () => {
    const { events, readStore, projector } = setUp();
    const broken = projector('broken', async () => {
      throw new Error('the projection worker did not start: out of memory');
    });
    await broken.begin();
    expect(broken.runner()).toBeUndefined();
    expect(broken.state()).toMatchObject({ state: 'stopped', lastCrash: { message: 'the projection worker did not start: out of memory' } });
    expect(broken.leaseState().heldBy).toBeNull();
    await broken.close();
    await readStore.close();
    await events.close();
  });
});
