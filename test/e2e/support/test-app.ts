import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createComplaintDeskClient, type ComplaintDeskClient, type Schema } from '@complaint-desk/client';
import type { DestinationStream } from 'pino';
import type { Clock } from '@app/complaints';
import type { Projection } from '@app/projections';
import { DEFAULT_SLA_POLICY, type Role } from '@app/domain';
import { DEFAULT_HTTP_SETTINGS, logIdentity, sealSettingsIn, type ApiConfig, type ConfiguredToken } from '../../../apps/api/src/config/api-config';
import type { Engines } from '../../../apps/api/src/config/engines';
import { createApp } from '../../../apps/api/src/http/create-app';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../../apps/api/src/webhooks/webhook-settings';
import { readTokenFile } from '../../../apps/api/src/auth/token-file';
import { DEFAULT_ATTACHMENT_SETTINGS } from '../../../apps/api/src/complaints/attachments/attachment-settings';

export const TOKENS: Record<Role, string> = {
  agent: 'agent-token-0123456789abcdef',
  supervisor: 'supervisor-token-0123456789abcdef',
  engineer: 'engineer-token-0123456789abcdef',
  analyst: 'analyst-token-0123456789abcdef',
  auditor: 'auditor-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdef',
};

const configuredTokens: ConfiguredToken[] = (Object.entries(TOKENS) as Array<[Role, string]>).map(([role, token]) => ({ token, principalId: `${role}-e2e`, role }));

export interface RunningApp {
  readonly baseUrl: string;
  readonly dataDir: string;
  /** Every route the app registered, as "METHOD /path" (fastify's own list). */
  readonly routes: readonly string[];
  request(method: string, path: string, options?: { role?: Role | null; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<TestResponse>;
  /** A provider of the running app (as Nest's app.get). */
  get<T>(type: abstract new (...args: never[]) => T): T;
  stop(): Promise<void>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

/** Starts the real HTTP app (same createApp as npm start) on a port of its own. */
export async function startApp(
  dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-e2e-')),
  overrides: Partial<ApiConfig> = {},
  options: {
    logDestination?: DestinationStream; engines?: Engines; clock?: Clock; tokenFile?: { path: string; pollMs?: number };
    /** The projections the app's (inline) runner runs instead of ALL_PROJECTIONS: a test hook (projection-failure.e2e-spec.ts makes one fail). */
    projections?: readonly Projection[];
  } = {},
): Promise<RunningApp> {
  const config: ApiConfig = {
    port: 0, host: '127.0.0.1', dataDir, synchronous: 'FULL', tokens: configuredTokens, slaPolicy: DEFAULT_SLA_POLICY, slaPolicySource: 'test',
    // On the main thread: the suite starts dozens of apps in one jest process, and a worker thread
    // compiles the sources again with ts-node at each start. projection-worker.e2e-spec.ts runs the worker.
    // No at-risk warnings unless a test asks (sla-at-risk.e2e-spec.ts): the suites' policies of seconds would put them in every history.
    // No as-of sweep on a timer unless a test asks (as-of-jobs.e2e-spec.ts): a test that plants a dead builder's entry reads it before a sweep.
    projections: 'inline', projectionThreads: 1, slaMonitorIntervalMs: 200, leaseTtlMs: 15_000, asOfSweepIntervalMs: 3_600_000, slaWarnBefore: {}, eventStore: { kind: 'sqlite' }, readStore: { kind: 'sqlite' },
    http: QUIET_HTTP, idempotencyTtlHours: 24, attachments: DEFAULT_ATTACHMENT_SETTINGS, webhooks: DEFAULT_WEBHOOK_SETTINGS, surveyAnswerPeriod: 'P30D', surveyCampaignLimit: 5000, surveyComplaintThreshold: 2, seals: sealSettingsIn(sealDirOf(dataDir), logIdentity(dataDir, { kind: 'sqlite' }), 200), ...overrides,
  };
  const app: NestFastifyApplication = await createApp({
    // With a token file, its tokens are the configured ones, as npm start has it.
    config, tokens: options.tokenFile ? readTokenFile(options.tokenFile.path) : configuredTokens, ...(options.tokenFile ? { tokenFile: options.tokenFile } : {}), ...(options.engines ? { engines: options.engines } : {}), ...(options.clock ? { clock: options.clock } : {}), ...(options.projections ? { projections: options.projections } : {}), ...(options.logDestination ? { logDestination: options.logDestination } : { logger: false }),
  });
  const routes: string[] = [];
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    baseUrl,
    dataDir,
    routes,
    async request(method, path, options = {}) {
      // A connection per request: a pooled keep-alive socket that the server closes as fetch reuses it fails the request
      // with ECONNRESET (undici and Node name this race and leave retrying to callers: nodejs/undici#3141, nodejs/node#47130).
      // It failed a CI run once, on a loaded machine between two bursts of 41 commands. A test may still ask for keep-alive.
      const headers: Record<string, string> = { connection: 'close', ...options.headers };
      const role = options.role === undefined ? 'supervisor' : options.role;
      if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
      else if (role !== null) headers['authorization'] = `Bearer ${TOKENS[role]}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (the docs page): keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    get: (type) => app.get(type),
    stop: () => app.close(),
  };
}

/** The typed client of the workspace package (packages/client), as a front-end of this role would use it; null: no token. */
export function clientOf(app: RunningApp, role: Role | null = 'supervisor'): ComplaintDeskClient {
  return createComplaintDeskClient({ baseUrl: app.baseUrl, ...(role === null ? {} : { token: TOKENS[role] }) });
}

/** An app for one describe block: started before its tests, stopped and removed after them. */
export function useApp(...args: Parameters<typeof startApp>): () => RunningApp {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startApp(...args);
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });
  return () => {
    if (!app) throw new Error('useApp: the app is used before beforeAll started it');
    return app;
  };
}

/** An app for one describe block that a test may stop and start again on the same data dir (what a start finishes). */
export function useRestartableApp(): { readonly app: () => RunningApp; readonly restart: () => Promise<void> } {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    if (app) removeDataDir(app.dataDir);
  });
  const current = (): RunningApp => {
    if (!app) throw new Error('useRestartableApp: the app is used before beforeAll started it');
    return app;
  };
  return {
    app: current,
    restart: async () => {
      const { dataDir } = current();
      await current().stop();
      app = await startApp(dataDir);
    },
  };
}

/**
 * Two API instances on one data dir for a describe block (two writers, as with two processes): the
 * first runs the projections, the second leaves them to it.
 */
export function useTwoApps(): () => { readonly first: RunningApp; readonly second: RunningApp } {
  let apps: { first: RunningApp; second: RunningApp } | undefined;
  beforeAll(async () => {
    const first = await startApp();
    apps = { first, second: await startApp(first.dataDir, { projections: 'external', http: QUIET_HTTP }) };
  });
  afterAll(async () => {
    await apps?.second.stop();
    await apps?.first.stop();
    if (apps) removeDataDir(apps.first.dataDir);
  });
  return () => {
    if (!apps) throw new Error('useTwoApps: the apps are used before beforeAll started them');
    return apps;
  };
}

/** HTTP settings for tests: no rate limit, no log output. */
export const QUIET_HTTP = { ...DEFAULT_HTTP_SETTINGS, rateLimitPerSecond: 0, logLevel: 'silent' as const };

/** Tests keep the seal key and seals beside the data dir, outside it, as SEAL_DIR would. */
export const sealDirOf = (dataDir: string): string => `${dataDir}.seals`;

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  rmSync(sealDirOf(dir), { recursive: true, force: true });
}

export const newComplaint: Schema<'ReceiveComplaintDto'> = {
  customerId: 'cust-10086',
  customerName: '王先生',
  segment: 'private-car',
  channel: 'phone',
  cause: 'quantity-metering',
  behaviour: 'angry-venting',
  purpose: 'criticism',
  severity: 'high',
  description: '加油机显示40升，但油箱只加进了约35升。',
  desiredOutcome: 'Refund the difference.',
};

/** A fault report (报修) of the fuel dispenser TQ2240-000731 (work-orders.e2e-spec.ts registers it). */
export const newWorkOrder = {
  customerId: 'cust-10086',
  contact: { name: '李先生', phone: '+86 415 000 0000' },
  address: '辽宁省丹东市振兴区 加油站 3 号岛',
  region: '210600',
  product: { model: 'TQ-2240 税控加油机', serialNumber: 'TQ2240-000731' },
  faultDescription: '2 号枪加油到 20 升就自动停止。',
  channel: 'phone',
};

/** Every file under the directory that holds the text (as UTF-8), by its path relative to it: what an erasure must leave none of. */
export function filesHolding(dir: string, text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  const walk = (at: string): string[] => readdirSync(at).flatMap((name) => {
    const path = join(at, name);
    return statSync(path).isDirectory() ? walk(path) : readFileSync(path).includes(needle) ? [path.slice(dir.length + 1)] : [];
  });
  return walk(dir);
}
