// First: a signal while the modules below load ends the process cleanly.
import { onStopSignal } from './stop-signals';
import 'reflect-metadata';
import { SystemClock } from '@app/complaints';
import { ALL_PROJECTIONS, projectionGroups } from '@app/read-models';
import { ConfigError, loadApiConfig } from '../../api/src/config/api-config';
import { describeEngines, openEngines } from '../../api/src/config/engines';
import { createLogger } from '../../api/src/observability/logging';
import { createProjector } from './projector';

/**
 * The projector on its own: runs every projection, the SLA monitors (complaints, work orders), the
 * completion of customer-file merges (docs/adr/0013), the notifier (docs/adr/0017) and webhook delivery (docs/adr/0018) against the configured
 * stores (start the API with PROJECTIONS=external; with KurrentDB or MongoDB that is the default).
 * It works only while it holds the `projector` lease in the read store, which API instances that
 * project (PROJECTIONS=in-process or inline) take too: start two and the second waits, taking over
 * within LEASE_TTL_MS if the first dies (at once if it ran on this host and its process is gone).
 * Stops cleanly on SIGINT/SIGTERM, after committing the batch in progress.
 */
async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  const { eventStore: events, readStore } = await openEngines(config);
  const clock = new SystemClock();
  // The API's JSON lines (pino, the same fields and levels), so that one log pipeline reads both.
  const logger = createLogger(config.http.logLevel);
  const log = ({ level, message, ...fields }: { level: 'info' | 'warn' | 'error'; message?: string } & Record<string, unknown>) => logger[level](fields, message);
  // Both cores by default: the projections in two groups, each on a worker thread with its own connections (docs/adr/0011).
  const threads = process.env['PROJECTION_THREADS'] === undefined ? 2 : config.projectionThreads;
  const groups = projectionGroups(threads);
  // The same work under the same lease as an API with PROJECTIONS=in-process: whichever holds it projects.
  const projector = createProjector(config, { eventStore: events, readStore }, clock, (component, level, message) => log(component === 'lease' && level === 'info' ? { level, lease: projector.isActive ? 'active' : 'waiting', message } : { level, component, message }), { threads });
  log({ level: 'info', message: `projector ${projector.holder} on ${describeEngines(config)}`, projections: ALL_PROJECTIONS.map((projection) => `${projection.name}@v${projection.version}`), threads: groups });
  let progress: NodeJS.Timeout | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    const positions = projector.runner()?.positions() ?? {};
    // Stops after the batch in progress and gives the lease up: a standby takes over at once.
    await projector.close();
    await events.close();
    await readStore.close();
    log({ level: 'info', message: 'projector stopped', positions });
    process.exit(0);
  };
  // Before the start, so that a signal during it stops cleanly too (it once ended the process by the signal).
  onStopSignal(() => void stop());
  await projector.begin();
  // This timer also keeps the process alive: every other timer of the runtime is unref'd.
  if (!stopping) progress = setInterval(() => log({ level: 'info', lease: projector.isActive ? 'active' : 'waiting', positions: projector.runner()?.positions() ?? {} }), 10_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? 'Configuration error' : 'Could not start the projector'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
