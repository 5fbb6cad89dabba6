import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { ComplaintCommandExecutor, ComplaintRepository, SystemClock } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileMergeCompletion, CustomerFileRepository } from '@app/customers';
import { SqliteEventStore } from '@app/event-store';
import { ALL_PROJECTIONS, ReadModelReader } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { loadApiConfig } from '../config/api-config';
import { LeasedProjector } from './leased-projector';
import type { ProjectionProgress } from './projection-worker';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two processes' worth of projectors on one pair of stores, each with a runner that only says when it starts and stops. */
function setUp() {
  const events = new SqliteEventStore({ filename: ':memory:' });
  const readStore = new SqliteReadStore({ filename: ':memory:' });
  const clock = new SystemClock();
  // The lease is renewed every 333 ms; a standby tries as often.
  const config = loadApiConfig({ LEASE_TTL_MS: '1000', SLA_MONITOR_INTERVAL_MS: '60000' });
  const log: string[] = [];
  const lease: string[] = [];
  const projector = (name: string, start: () => Promise<void> = async () => undefined) => new LeasedProjector({
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
      position: () => 0, positions: () => ({}), failing: () => [], waitForPosition: async () => 0, caughtUp: async () => undefined,
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
    expect(second.leaseState()).toEqual({ name: 'projector', state: 'waiting', holder: second.holder, heldBy: first.holder });

    await first.close();
    expect(log).toEqual(['first start', 'first stop']);
    expect(first.state().state).toBe('stopped');
    const started = Date.now();
    while (!second.isActive && Date.now() - started < 2_000) await wait(20);
    expect(second.leaseState()).toEqual({ name: 'projector', state: 'active', holder: second.holder, heldBy: second.holder });
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
