/**
 * Child process of the benchmark: the real HTTP app (embedded stores, projections in process) on a
 * temporary data dir, driven over HTTP by concurrent clients running complaint lifecycles. For
 * each command: its latency, and the lag until every read model has applied its position.
 *   lag COMMANDS CONCURRENCY
 * Prints one JSON line. The clients share the server's process (and its 2 cores).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLA_POLICY } from '@app/domain';
import type { ProjectionRunner } from '@app/projections';
import { DEFAULT_HTTP_SETTINGS } from '../apps/api/src/config/api-config';
import { createApp } from '../apps/api/src/http/create-app';
import { PROJECTION_RUNNER } from '../apps/api/src/read-models/read-models.providers';

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
};

async function main(): Promise<void> {
  const [commands = '3000', concurrency = '16'] = process.argv.slice(2);
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-lag-'));
  const token = 'bench-supervisor-token-0123456789';
  const tokens = [{ token, principalId: 'bench', role: 'supervisor' as const }];
  const app = await createApp({
    config: { port: 0, host: '127.0.0.1', dataDir, synchronous: 'FULL', tokens, slaPolicy: DEFAULT_SLA_POLICY, slaPolicySource: 'bench', projections: 'in-process', slaMonitorIntervalMs: 1000, eventStore: { kind: 'sqlite' }, readStore: { kind: 'sqlite' }, http: { ...DEFAULT_HTTP_SETTINGS, rateLimitPerSecond: 0, logLevel: 'silent' } },
    tokens, logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const latencies: number[] = [];
  const lags: number[] = [];
  let errors = 0;
  let sent = 0;
  const total = Number(commands);

  const command = async (path: string, body: object): Promise<{ id: string; position: number } | undefined> => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const answered = performance.now();
    latencies.push(answered - started);
    sent += 1;
    if (!response.ok) {
      errors += 1;
      await response.text();
      return undefined;
    }
    const result = (await response.json()) as { id: string; position: number };
    void runner.waitForPosition(result.position, 10_000).then(() => lags.push(performance.now() - answered));
    return result;
  };

  const client = async (worker: number) => {
    for (let round = 0; sent < total; round += 1) {
      const created = await command('/complaints', { customerId: `cust-${worker}-${round % 50}`, channel: 'phone', cause: 'service', description: 'bench' });
      if (!created) continue;
      const id = created.id;
      await command(`/complaints/${id}/apologise`, { statement: 'sorry', channel: 'phone' });
      await command(`/complaints/${id}/validate`, { reason: 'ok' });
      await command(`/complaints/${id}/assign`, { department: 'ops', assignee: `h-${worker}` });
      await command(`/complaints/${id}/resolve`, { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
      await command(`/complaints/${id}/callback`, { outcome: 'satisfied', satisfaction: 5 });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Number(concurrency) }, (_, worker) => client(worker)));
  const seconds = (performance.now() - started) / 1000;
  await runner.waitForPosition(Number.MAX_SAFE_INTEGER, 200);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({
    commands: sent, concurrency: Number(concurrency), commandsPerSecond: Math.round(sent / seconds), errors,
    latencyP50Ms: percentile(latencies, 0.5), latencyP99Ms: percentile(latencies, 0.99),
    lagP50Ms: percentile(lags, 0.5), lagP99Ms: percentile(lags, 0.99), lagsMeasured: lags.length,
  })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
