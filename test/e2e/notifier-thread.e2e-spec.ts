import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { ComplaintCommandExecutor, ComplaintRepository, SystemClock } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileMergeCompletion, CustomerFileRepository } from '@app/customers';
import { DEFAULT_SLA_POLICY, notificationStreamName } from '@app/domain';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { ALL_PROJECTIONS, ReadModelReader } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
import { loadApiConfig, type ApiConfig } from '../../apps/api/src/config/api-config';
import { openEngines } from '../../apps/api/src/config/engines';
import { NotifierThread } from '../../apps/api/src/notifications/notifier-thread';
import { LeasedProjector } from '../../apps/api/src/read-models/leased-projector';
import type { ProjectionProgress } from '../../apps/api/src/read-models/projection-worker';
import { storeSettingsOf } from '../../apps/api/src/workers/worker-thread';
import { SmtpReceiver, recipientsOf } from './support/smtp-receiver';

/**
 * The notifier on a worker thread of its own (docs/adr/0003, "The notifier off the main thread"): on the
 * embedded stores of a DATA_DIR, as the API opens them, with a real SMTP server in the test process.
 */
describe('the notifier on its own thread', () => {
  jest.setTimeout(180_000);
  const smtp = new SmtpReceiver();
  let dir: string;
  let config: ApiConfig;
  let events: EventStore;
  let readStore: ReadStore;
  const clock = new SystemClock();
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    dir = mkdtempSync(join(tmpdir(), 'notifier-thread-'));
    config = loadApiConfig({ DATA_DIR: dir, LEASE_TTL_MS: '1000', SLA_MONITOR_INTERVAL_MS: '60000', SMTP_URL: smtpUrl, NOTIFY_FROM: 'desk@example.com', NOTIFY_INTERVAL_MS: '50' });
    ({ eventStore: events, readStore } = await openEngines(config));
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  afterAll(async () => {
    await events?.close();
    await readStore?.close();
    await smtp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const receive = async (complaintId: string, email: string) => {
    const executor = new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock);
    await executor.execute({ type: 'ReceiveComplaint', complaintId, data: { customerId: `cust-${complaintId}`, channel: 'phone', cause: 'service', description: 'Slow service.', policy: DEFAULT_SLA_POLICY, contact: { email } } }, {
      commandId: complaintId, correlationId: complaintId, causationId: complaintId, actor: { id: 'agent-1', role: 'agent' },
    });
  };
  /** The complaint's notification events, from a read of the whole log (not readStream, which the first test watches on this thread). */
  const notificationsOf = async (complaintId: string): Promise<RecordedEvent[]> => {
    const recorded = await events.readAll({ filter: { eventTypes: ['NotificationSent', 'NotificationSkipped', 'NotificationFailed'] } });
    return recorded.filter((event) => event.stream === notificationStreamName(complaintId));
  };
  const until = async (condition: () => Promise<boolean> | boolean, what: string | (() => string)) => {
    const deadline = Date.now() + 60_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`not within 60 s: ${typeof what === 'function' ? what() : what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const mailsTo = (address: string) => smtp.messages.filter((message) => recipientsOf(message).includes(address));

  it('with the projections on a worker thread, plans, sends and records on a thread of its own: the main thread\'s event store does none of it', async () => {
    const appends = jest.spyOn(events, 'appendToStreams');
    const subscriptions = jest.spyOn(events, 'subscribeToAll');
    const reads = jest.spyOn(events, 'readStream');
    try {
      const projector = new LeasedProjector({
        config, events, readStore, clock, mode: 'worker', reader: new ReadModelReader(readStore, ALL_PROJECTIONS),
        complaints: new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock),
        workOrders: new WorkOrderCommandExecutor(events, new WorkOrderRepository(events), new ServiceNetworkRepository(events), clock),
        merges: new CustomerFileMergeCompletion(new CustomerFileCommandExecutor(events, new CustomerFileRepository(events), clock)),
        // The projections themselves are not under test: a runner that only starts and stops.
        runner: () => ({
          start: async () => undefined, stop: async () => undefined,
          position: () => 0, positions: () => ({}), failing: () => [], waitForPosition: async () => 0, caughtUp: async () => undefined,
        }) satisfies ProjectionProgress,
        log: () => undefined,
      });
      stops.push(() => projector.close());
      await projector.begin();
      const complaintId = '5a0b3c4d-1e2f-4a5b-8c6d-7e8f9a0b1c2d';
      await receive(complaintId, 'own.thread@example.com');
      await until(async () => (await notificationsOf(complaintId)).length === 2, 'the e-mail and the text recorded');
      expect(mailsTo('own.thread@example.com')).toHaveLength(1);
      expect(projector.problems().filter((problem) => problem.startsWith('notifications'))).toEqual([]);
      const notificationStreams = (streams: unknown) => JSON.stringify(streams).includes('"notification-');
      expect(appends.mock.calls.filter(([parts]) => notificationStreams(parts.map((part) => part.stream)))).toEqual([]);
      expect(reads.mock.calls.filter(([stream]) => notificationStreams([stream]))).toEqual([]);
      // The planner's subscription (to the events that call for sends) is not the main thread's.
      expect(subscriptions.mock.calls.filter(([options]) => options?.filter?.eventTypes?.includes('ComplaintReceived'))).toEqual([]);
    } finally {
      appends.mockRestore();
      subscriptions.mockRestore();
      reads.mockRestore();
    }
  });

  it('says on /health\'s problems that its thread crashed until a new one runs, which sends what came meanwhile, nothing twice', async () => {
    const log: string[] = [];
    const thread = new NotifierThread(storeSettingsOf(config), config.notifications!, { log: (level, message) => void log.push(`${level}: ${message}`), restartDelayMs: { first: 1_500, max: 1_500 } });
    stops.push(() => thread.end());
    await thread.begin();
    const first = '6b1c4d5e-2f3a-4b6c-9d7e-8f9a0b1c2d3e';
    await receive(first, 'before.crash@example.com');
    await until(async () => (await notificationsOf(first)).length === 2, 'the first complaint\'s sends recorded');

    await thread.terminateThread();
    expect(thread.problems()).toEqual([expect.stringMatching(/^notifications: the notifier's thread fails \(1 times in a row since .*; next try at .*\): the thread exited with code 1$/)]);
    expect(log).toContainEqual(expect.stringMatching(/^error: the notifier's thread crashed \(crash 1 in a row; started again in 1500 ms\)/));
    const second = '7c2d5e6f-3a4b-4c7d-8e8f-9a0b1c2d3e4f';
    await receive(second, 'during.crash@example.com');

    await until(async () => (await notificationsOf(second)).length === 2, () => `the sends of the complaint received while the thread was down recorded (log: ${JSON.stringify(log)})`);
    expect(thread.problems()).toEqual([]);
    expect(mailsTo('before.crash@example.com')).toHaveLength(1);
    expect(mailsTo('during.crash@example.com')).toHaveLength(1);
    expect((await notificationsOf(first)).map((event) => event.type)).toEqual(['NotificationSent', 'NotificationSkipped']);
  });
  it('stops cleanly while its thread is still starting: begin() settles, and nothing runs on the stores it closed', async () => {
    const log: string[] = [];
    const thread = new NotifierThread(storeSettingsOf(config), config.notifications!, { log: (level, message) => void log.push(`${level}: ${message}`) });
    const starting = thread.begin();
    // The stop reaches the thread while it opens its stores and starts the notifier.
    await thread.end();
    const settled = await Promise.race([starting.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000))]);
    expect(settled).toBe('settled');
    expect(log.filter((line) => !line.startsWith('info'))).toEqual([]);
  });
  it('stops at once while a send waits on a slow relay: the thread ends without its stop bound, and the next thread sends that one again and records it', async () => {
    const log: string[] = [];
    const options = { log: (level: string, message: string) => void log.push(`${level}: ${message}`), stopTimeoutMs: 20_000 };
    const thread = new NotifierThread(storeSettingsOf(config), config.notifications!, options);
    stops.push(() => thread.end());
    await thread.begin();
    smtp.hold = (message) => recipientsOf(message).includes('slow.relay@example.com');
    try {
      const complaintId = '8d3e6f7a-4b5c-4d8e-9f0a-1b2c3d4e5f6a';
      await receive(complaintId, 'slow.relay@example.com');
      await until(() => smtp.waiting === 1, 'the e-mail given to the relay, which does not answer');
      const started = Date.now();
      await thread.end();
      // The stop waited for the relay (its 30 s timeout) until the 15 s bound (20 s here) ended the thread.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(log.filter((line) => line.includes('no clean stop'))).toEqual([]);
      expect(await notificationsOf(complaintId)).toEqual([]);
      smtp.release();
      smtp.hold = undefined;
      const next = new NotifierThread(storeSettingsOf(config), config.notifications!, options);
      stops.push(() => next.end());
      await next.begin();
      await until(async () => (await notificationsOf(complaintId)).length === 2, 'the e-mail and the text recorded by the next thread');
      // At least once: the relay may have taken the first, whose answer never came.
      expect(mailsTo('slow.relay@example.com')).toHaveLength(2);
    } finally {
      smtp.hold = undefined;
      smtp.release();
    }
  });
});
