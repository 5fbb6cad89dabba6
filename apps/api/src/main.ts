// First: a signal while the modules below load, or while main() starts, ends the process cleanly.
import { onStopSignal } from './stop-signals';
import 'reflect-metadata';
import { TokenFileFollower, loadOrCreateTokenFile } from './auth/token-file';
import { describeRateLimit } from './auth/rate-limiter';
import { ConfigError, loadApiConfig } from './config/api-config';
import { describeEngines, openBlobStore, openEngines, openIdempotencyStore } from './config/engines';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './http/create-app';
import { TamperEvidence, TamperedHistoryError } from './audit/tamper-evidence';
import { describeNotifications } from './notifications/notification-config';

async function main(): Promise<void> {
  // A signal during the start is kept and acted on when the step under way ends: what was opened is closed, nothing listens.
  let stopRequested: NodeJS.Signals | undefined;
  onStopSignal((signal) => {
    if (stopRequested !== undefined) return;
    stopRequested = signal;
    process.stdout.write(`Complaint Desk is stopping (${signal}) while it starts: it closes what it has opened and does not listen\n`);
    process.once('exit', stoppedLine);
  });
  const config = loadApiConfig(process.env);
  const tokenFile = config.tokens === undefined ? loadOrCreateTokenFile(config.dataDir) : undefined;
  const opened = await openEngines(config);
  let engines: typeof opened;
  let keyCreated = false;
  try {
    // Before Nest starts, so that a tampered access-control history is said in one line (the app's own check would also stop it).
    const preflight = new TamperEvidence(opened.eventStore, config.seals, { by: 'api', now: () => new Date() });
    keyCreated = preflight.keyCreated;
    await preflight.checkAccessControl();
    engines = { ...opened, idempotency: await openIdempotencyStore(config), blobs: await openBlobStore(config) };
  } catch (error) {
    await opened.eventStore.close();
    await opened.readStore.close();
    throw error;
  }
  if (stopRequested !== undefined) {
    await Promise.all([engines.eventStore.close(), engines.readStore.close(), engines.idempotency?.close(), engines.blobs?.close()]);
    process.exit(0);
  }
  const app = await createApp({ config, tokens: config.tokens ?? tokenFile!.tokens, ...(tokenFile ? { tokenFile: { path: tokenFile.path } } : {}), engines });
  if (stopRequested === undefined) {
    // SIGHUP: read tokens.json again now (it is also read again within seconds of any change).
    if (tokenFile) process.on('SIGHUP', () => app.get(TokenFileFollower).check(true));
    await app.listen({ port: config.port, host: config.host });
  }
  // Asked to stop while the app was made or started (the projections' threads start in the listen): the app's own stop
  // closes what it opened (its shutdown hooks: the projector's batch, the stores).
  if (stopRequested !== undefined) {
    await app.close();
    process.exit(0);
  }
  // From now on Nest's hooks stop it: stop taking requests, finish those in flight, then the projector's batch, close the stores, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  // Nest's shutdown hooks do the work; these lines tell the person at the terminal that it is under way and done.
  process.once('exit', stoppedLine);
  let told = false;
  onStopSignal((signal) => {
    if (told) return;
    told = true;
    process.stdout.write(`Complaint Desk is stopping (${signal}): answering the requests in flight, finishing the projections' batch, closing the stores\n`);
  });
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const seals = config.seals.enabled
    ? `  seals:      every ${config.seals.intervalMs / 1000} s to ${config.seals.file}; key ${config.seals.keyFile}${keyCreated ? ' (created now: keep a copy, and keep it away from DATA_DIR)' : ''}`
    : `  SEALS OFF:  ${config.seals.reason}. Removing the last events of the log will NOT be detected; set SEAL_DIR (see the README).`;
  const lines = [
    `Complaint Desk is listening on ${url}`,
    config.consoleDir !== undefined && existsSync(join(config.consoleDir, 'index.html'))
      ? `  console:    ${url}/ (sign in with a token of the tokens file below: README, "The console")`
      : '  console:    not built (npm run build:console, or npm start, which builds it)',
    `  API docs:   ${url}/docs (OpenAPI JSON at ${url}/docs-json)`,
    `  stores:     ${describeEngines(config)}`,
    `  projections: ${{ 'in-process': config.projectionThreads > 1 ? `in this process, on ${config.projectionThreads} worker threads (PROJECTION_THREADS), while it holds the projector lease` : 'in this process, on a worker thread, while it holds the projector lease', inline: 'in this process, on the main thread (PROJECTIONS=inline), while it holds the projector lease', external: 'external (npm run start:projector)' }[config.projections]}`,
    `  SLA policy: ${config.slaPolicy.version} (${config.slaPolicySource}); warnings ${Object.keys(config.slaWarnBefore).length === 0 ? 'off' : Object.entries(config.slaWarnBefore).map(([clock, lead]) => `${clock} ${lead}`).join(', ')} before the deadline (SLA_WARN_BEFORE)`,
    `  notifications: ${describeNotifications(config.notifications, config.projections)}`,
    tokenFile
      ? `  tokens:     ${tokenFile.path}${tokenFile.created ? ' (created now: one per role, mode 600)' : ''}; read again when it changes (rotate without a restart)`
      : '  tokens:     from API_TOKENS',
    seals,
    `  rate limit: ${describeRateLimit(config.http.rateLimitPerSecond)}`,
    `  metrics:    ${url}/metrics with an admin token${config.http.metrics.token ? ' or METRICS_TOKEN' : ''}${config.http.metrics.port ? `; also on http://${config.http.metrics.host}:${config.http.metrics.port}/metrics${config.http.metrics.token ? ' (METRICS_TOKEN)' : ''}` : ''}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const stoppedLine = (code: number) => process.stdout.write(`Complaint Desk stopped (exit ${code})\n`);

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`Configuration error: ${error.message}\n`);
  else if (error instanceof TamperedHistoryError) process.stderr.write(`Refusing to start: ${error.message}\n`);
  else process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
