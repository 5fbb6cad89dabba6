import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository, WorkOrderSlaBreachRecorder } from '@app/after-sales';
import { ComplaintCommandExecutor, ComplaintRepository, SlaMonitor, SystemClock } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileMergeCompletion, CustomerFileMergeMonitor, CustomerFileRepository } from '@app/customers';
import { Lease } from '@app/projections';
import { ALL_PROJECTIONS, CustomerFilesQuery, projectionGroups, ReadModelReader, SlaQuery, WorkOrderSlaMonitor, WorkOrderSlaQuery } from '@app/read-models';
import { ConfigError, loadApiConfig } from '../../api/src/config/api-config';
import { describeEngines, openEngines } from '../../api/src/config/engines';
import { ProjectionWorker } from '../../api/src/read-models/projection-worker';
import { storeSettingsOf } from '../../api/src/workers/worker-thread';
import { createNotifier } from '../../api/src/notifications/notifications.providers';
import type { Notifier } from '@app/notifications';
import { WebhookDispatcher } from '../../api/src/webhooks/webhook-dispatcher';

/**
 * The projector on its own: runs every projection, the SLA monitors (complaints, work orders), the
 * completion of customer-file merges (docs/adr/0013), the notifier (docs/adr/0017) and webhook delivery (docs/adr/0018) against the configured
 * stores (start the API with PROJECTIONS=external; with KurrentDB or MongoDB that is the default).
 * It works only while it holds the `projector` lease in the read store: start two and the second
 * waits, taking over within LEASE_TTL_MS if the first dies. Stops cleanly on SIGINT/SIGTERM, after
 * committing the batch in progress.
 */
async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  const ttlMs = Number(process.env['LEASE_TTL_MS'] ?? 15_000);
  if (!Number.isInteger(ttlMs) || ttlMs < 1000 || ttlMs > 600_000) throw new ConfigError(`LEASE_TTL_MS must be an integer from 1000 to 600000 (got ${JSON.stringify(process.env['LEASE_TTL_MS'])}).`);
  const { eventStore: events, readStore } = await openEngines(config);
  const clock = new SystemClock();
  const log = (entry: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Both cores by default: the projections in two groups, each on a worker thread with its own connections (docs/adr/0011).
  const threads = process.env['PROJECTION_THREADS'] === undefined ? 2 : config.projectionThreads;
  const groups = projectionGroups(threads);
  let runner: ProjectionWorker | undefined;
  let monitor: SlaMonitor | undefined;
  let workOrderMonitor: WorkOrderSlaMonitor | undefined;
  let merges: CustomerFileMergeMonitor | undefined;
  let notifier: Notifier | undefined;
  let webhooks: WebhookDispatcher | undefined;

  const lease = new Lease(readStore, {
    name: 'projector',
    holder,
    ttlMs,
    renewMs: Math.floor(ttlMs / 3),
    start: async () => {
      runner = new ProjectionWorker(storeSettingsOf(config), { log: (level, message) => log({ level, component: 'projections', message }) }, groups);
      const reader = new ReadModelReader(readStore, ALL_PROJECTIONS);
      monitor = new SlaMonitor(new SlaQuery(reader), new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock), clock, {
        intervalMs: config.slaMonitorIntervalMs,
        warnBefore: config.slaWarnBefore,
        onError: (error) => log({ level: 'error', component: 'sla-monitor', message: String(error) }),
      });
      const recorder = new WorkOrderSlaBreachRecorder(new WorkOrderCommandExecutor(events, new WorkOrderRepository(events), new ServiceNetworkRepository(events), clock));
      workOrderMonitor = new WorkOrderSlaMonitor(new WorkOrderSlaQuery(reader), recorder, () => clock.now(), {
        intervalMs: config.slaMonitorIntervalMs,
        onError: (error) => log({ level: 'error', component: 'work-order-sla-monitor', message: String(error) }),
      });
      const files = new CustomerFileCommandExecutor(events, new CustomerFileRepository(events), clock);
      merges = new CustomerFileMergeMonitor(new CustomerFilesQuery(new ReadModelReader(readStore, ALL_PROJECTIONS)), new CustomerFileMergeCompletion(files), clock, {
        intervalMs: 5_000,
        onError: (error) => log({ level: 'error', component: 'customer-file-merges', message: String(error) }),
      });
      webhooks = new WebhookDispatcher(events, readStore, {
        settings: config.webhooks, now: () => clock.now(), log: (level, message) => log({ level, component: 'webhooks', message }),
      });
      await runner.start();
      monitor.start();
      workOrderMonitor.start();
      merges.start();
      if (config.notifications?.enabled) {
        notifier = createNotifier(events, readStore, clock, config.notifications, (level, message) => log({ level, component: 'notifications', message }));
        await notifier.begin();
      }
      await webhooks.start();
    },
    stop: async () => {
      await webhooks?.stop();
      webhooks = undefined;
      await notifier?.end();
      notifier = undefined;
      await merges?.stop();
      merges = undefined;
      await monitor?.stop();
      await workOrderMonitor?.stop();
      await runner?.stop();
      monitor = undefined;
      workOrderMonitor = undefined;
      runner = undefined;
    },
    onChange: (state, detail) => log({ level: 'info', lease: state, message: detail }),
    onError: (error) => log({ level: 'error', component: 'lease', message: String((error as Error)?.message ?? error) }),
  });
  log({ level: 'info', message: `projector ${holder} on ${describeEngines(config)}`, projections: ALL_PROJECTIONS.map((projection) => `${projection.name}@v${projection.version}`), threads: groups });
  await lease.begin();
  // This timer also keeps the process alive: every other timer of the runtime is unref'd.
  const progress = setInterval(() => log({ level: 'info', lease: lease.isActive ? 'active' : 'waiting', positions: runner?.positions() ?? {} }), 10_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    const positions = runner?.positions() ?? {};
    await lease.close();
    await events.close();
    await readStore.close();
    log({ level: 'info', message: 'projector stopped', positions });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? 'Configuration error' : 'Could not start the projector'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
