import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ComplaintCommandExecutor, ComplaintRepository, SlaMonitor, SystemClock } from '@app/complaints';
import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { ALL_PROJECTIONS, ReadModelReader, SlaQuery } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { ConfigError, loadApiConfig } from '../../api/src/config/api-config';

/**
 * The projector on its own: runs every projection and the SLA monitor against the same data
 * directory as the API (start the API with PROJECTIONS=external). Stops cleanly on SIGINT/SIGTERM,
 * after committing the batch in progress.
 */
async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  const events = new SqliteEventStore({ filename: join(config.dataDir, 'events.sqlite'), synchronous: config.synchronous });
  const readStore = new SqliteReadStore({ filename: join(config.dataDir, 'read.sqlite') });
  const clock = new SystemClock();
  const log = (line: string) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...JSON.parse(line) })}\n`);
  const runner = new ProjectionRunner(events, readStore, ALL_PROJECTIONS, {
    onError: (name, error) => log(JSON.stringify({ level: 'error', projection: name, message: String((error as Error)?.message ?? error) })),
  });
  const monitor = new SlaMonitor(new SlaQuery(new ReadModelReader(readStore, ALL_PROJECTIONS)), new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock), clock, {
    intervalMs: config.slaMonitorIntervalMs,
    onError: (error) => log(JSON.stringify({ level: 'error', component: 'sla-monitor', message: String(error) })),
  });
  await runner.start();
  monitor.start();
  log(JSON.stringify({ level: 'info', message: `projector running on ${config.dataDir}`, projections: ALL_PROJECTIONS.map((projection) => `${projection.name}@v${projection.version}`) }));
  // This timer also keeps the process alive: every other timer of the runtime is unref'd.
  const progress = setInterval(() => log(JSON.stringify({ level: 'info', positions: runner.positions() })), 10_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    await monitor.stop();
    await runner.stop();
    await events.close();
    await readStore.close();
    log(JSON.stringify({ level: 'info', message: 'projector stopped', positions: runner.positions() }));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? 'Configuration error' : 'Could not start the projector'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
