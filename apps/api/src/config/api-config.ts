import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  ALWAYS_ON_CALENDAR, BUILT_IN_CALENDARS, DEFAULT_SLA_POLICY, DEFAULT_SURVEY_COMPLAINT_THRESHOLD, SURVEY_SCORE_MAX, ROLES, SLA_CLOCKS, parseDuration, principalIdProblem, shown, validateSlaPolicy, type BusinessCalendar, type Role, type SlaClock, type SlaPolicy,
} from '@app/domain';
import { loadNotificationConfig, NotificationConfigError, type NotificationConfig } from '../notifications/notification-config';
import { ATTACHMENT_MEDIA_TYPES, type AttachmentMediaType } from '../complaints/attachments/attachment-media';
import { DEFAULT_ATTACHMENT_SETTINGS, type AttachmentSettings } from '../complaints/attachments/attachment-settings';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../webhooks/webhook-settings';
import { unreachableDirectoryProblem } from '../files/create-once';

export interface ConfiguredToken {
  readonly token: string;
  readonly principalId: string;
  readonly role: Role;
}

/** Where the events live: the embedded SQLite file (default) or a KurrentDB / EventStoreDB server. */
export type EventStoreConfig = { readonly kind: 'sqlite' } | { readonly kind: 'kurrentdb'; readonly url: string };
/** Where the read models live: the embedded SQLite file (default) or MongoDB. */
export type ReadStoreConfig = { readonly kind: 'sqlite' } | { readonly kind: 'mongodb'; readonly url: string };

export interface ApiConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  /** From API_TOKENS; undefined means "use or create <DATA_DIR>/tokens.json". */
  readonly tokens: readonly ConfiguredToken[] | undefined;
  readonly slaPolicy: SlaPolicy;
  readonly slaPolicySource: string;
  /**
   * in-process: this process runs the projections on a worker thread (and the SLA monitor); inline: the
   * same on the main thread, beside the HTTP requests (tests, debugging); external: apps/projector does.
   * Analyst jobs (as-of generations) run on a worker thread except with inline.
   */
  readonly projections: 'in-process' | 'inline' | 'external';
  /**
   * PROJECTION_THREADS: with in-process (and in apps/projector), how many worker threads share the
   * projections, each running its own group (docs/adr/0011). 1 by default in the API, whose main
   * thread needs a core for the requests; the projector uses 2 by default.
   */
  readonly projectionThreads: number;
  readonly slaMonitorIntervalMs: number;
  /**
   * LEASE_TTL_MS: how long the projector lease lasts unrenewed (1000–600000, default 15000), so how soon
   * another instance takes the projections over from one that stopped renewing. Read alike by the API
   * (in-process, inline) and apps/projector, which all take the same lease.
   */
  readonly leaseTtlMs: number;
  /**
   * AS_OF_SWEEP_INTERVAL_MS: how often this process drops what as-of builds of processes that are gone left half-built
   * (100–600000, default 10000): a builder of this host whose pid is gone at once, one silent for 30 s by its heartbeat.
   */
  readonly asOfSweepIntervalMs: number;
  /** How long before each clock's deadline the SLA monitor records SlaAtRisk (SLA_WARN_BEFORE); a clock left out gets no warning. */
  readonly slaWarnBefore: Partial<Record<SlaClock, string>>;
  readonly eventStore: EventStoreConfig;
  readonly readStore: ReadStoreConfig;
  readonly http: HttpSettings;
  readonly seals: SealSettings;
  /** How long a customer has to answer a satisfaction survey (SURVEY_ANSWER_PERIOD, ISO 8601, default P30D). */
  readonly surveyAnswerPeriod: string;
  /** How many customers one survey campaign may reach (SURVEY_CAMPAIGN_LIMIT, default 5000). */
  readonly surveyCampaignLimit: number;
  /** The score (1–4) at or below which a work order's survey opens a complaint; 0: never (SURVEY_COMPLAINT_THRESHOLD, default 2). */
  readonly surveyComplaintThreshold: number;
  /** How long an Idempotency-Key's answer is kept, in hours (IDEMPOTENCY_TTL_HOURS), on every store. */
  readonly idempotencyTtlHours: number;
  /** What an attachment may be: ATTACHMENT_MAX_BYTES (default 10 MiB) and ATTACHMENT_MEDIA_TYPES (default all of ATTACHMENT_MEDIA_TYPES). */
  readonly attachments: AttachmentSettings;
  /** Webhook delivery (WEBHOOK_*), where the projections run. */
  readonly webhooks: WebhookSettings;
  /**
   * The master key that wraps the customers' data keys at rest (KEY_STORE_MASTER_KEY, base64 of 32
   * bytes; docs/adr/0019), or null: the data keys are stored as they are.
   */
  readonly dataKeyMasterKey?: string | null;
  /** The built console (CONSOLE_DIR, default ./dist/console), served at /; none: no console. */
  readonly consoleDir?: string;
  /** Customer and staff notifications (docs/adr/0017); none: no notifier. */
  readonly notifications?: NotificationConfig;
}

/**
 * Where the seals of the log and their key live (docs/adr/0010): outside DATA_DIR, so that whoever
 * can write the data can neither make a seal nor remove one. Off only when asked, or when no
 * place outside DATA_DIR is known; the process then says so loudly.
 */
export type SealSettings =
  | {
    readonly enabled: true;
    /** The event store's identity: seals of another log are never compared. */
    readonly logId: string;
    readonly keyFile: string;
    readonly file: string;
    readonly intervalMs: number;
    /** A shell command that gets each seal as one JSON line on its standard input (an external copy). */
    readonly witnessCommand?: string;
  }
  | { readonly enabled: false; readonly reason: string };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the HTTP edge protects itself and reports on itself. */
export interface HttpSettings {
  /** Requests per second per token (bursts up to twice that); 0 turns the limit off. */
  readonly rateLimitPerSecond: number;
  /** Origins a browser front-end may call from; empty: no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  readonly logLevel: LogLevel;
  /** /health/ready answers 503 while a read model is further behind the event log than this. */
  readonly readyMaxLagMs: number;
  /** /health names a read model whose checkpoint has stood still this long behind the log's head while its projector runs in another process. */
  readonly projectionStallMs: number;
  /** A request (headers and body) must have arrived within this; a slower one gets 408 and its connection closed. */
  readonly requestTimeoutMs: number;
  /** Open connections beyond this are closed as soon as they are accepted. */
  readonly maxConnections: number;
  readonly heavyReads: HeavyReadSettings;
  readonly feed: FeedSettings;
  readonly metrics: MetricsSettings;
}

/** GET /feed: how many connections a token may hold, and how far a slow reader may fall behind. */
export interface FeedSettings {
  /** Feed connections (a stream, or a long poll while it waits) one token may hold at once; more get 429. */
  readonly connectionsPerToken: number;
  /** Live events one connection may hold for a reader that does not keep up; past that it is told to reconnect and closed. */
  readonly bufferEvents: number;
  /** A comment line this often on a quiet stream, so proxies and clients see the connection alive. */
  readonly heartbeatMs: number;
  /** The longest `wait` a long poll may ask for, in seconds. */
  readonly maxWaitSeconds: number;
}

/** How many expensive reads (lists, statistics, SLA, customers, audit) one principal may have at once. */
export interface HeavyReadSettings {
  /** In flight at once per principal; 0 turns the limit off. */
  readonly perPrincipal: number;
  /**
   * Further ones that may wait for a free place; past that, 429 at once. A waiting request costs
   * nothing, while a refused one is sent again at once by a client that ignores Retry-After, so
   * the queue is as deep as a pool of 64 connections (the bench's fairness section measured both).
   */
  readonly queue: number;
  /** How long one may wait before it is answered 429. */
  readonly waitMs: number;
}

/** Who may scrape /metrics: an admin token or METRICS_TOKEN on the API port; anyone who reaches METRICS_PORT (with METRICS_TOKEN if set). */
export interface MetricsSettings {
  readonly token: string | undefined;
  readonly port: number | undefined;
  readonly host: string;
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  rateLimitPerSecond: 100, corsOrigins: [], logLevel: 'info', readyMaxLagMs: 30_000, projectionStallMs: 30_000,
  requestTimeoutMs: 30_000, maxConnections: 1000, heavyReads: { perPrincipal: 4, queue: 64, waitMs: 2000 },
  feed: { connectionsPerToken: 4, bufferEvents: 1000, heartbeatMs: 15_000, maxWaitSeconds: 30 },
  metrics: { token: undefined, port: undefined, host: '127.0.0.1' },
};

/** A setting is wrong: the message names it, and the process stops with it instead of a stack trace. */
export class ConfigError extends Error {}

/** Reads and validates the environment once, at start-up. Only the composition root calls this. */
export function loadApiConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const port = parsePort(env['PORT']);
  const synchronous = (env['SQLITE_SYNCHRONOUS'] ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be FULL or NORMAL (got ${JSON.stringify(env['SQLITE_SYNCHRONOUS'])}).`);
  }
  const { policy, source } = loadPolicy(env['SLA_POLICY']);
  const eventStore = loadEventStore(env);
  const readStore = loadReadStore(env);
  const embedded = eventStore.kind === 'sqlite' && readStore.kind === 'sqlite';
  const projections = env['PROJECTIONS'] ?? (embedded ? 'in-process' : 'external');
  if (projections !== 'in-process' && projections !== 'inline' && projections !== 'external') {
    throw new ConfigError(`PROJECTIONS must be in-process (a worker thread of the API), inline (the API's main thread) or external (got ${JSON.stringify(projections)}).`);
  }
  if (projections !== 'external' && !embedded) {
    throw new ConfigError(`PROJECTIONS=${projections} is only for the embedded stores: with EVENT_STORE=kurrentdb or READ_STORE=mongodb the projector runs as its own process (npm run start:projector), holding a lease so only one writes.`);
  }
  const interval = integerSetting(env, 'SLA_MONITOR_INTERVAL_MS', 1000, 100, 60_000);
  const projectionThreads = integerSetting(env, 'PROJECTION_THREADS', 1, 1, 8);
  const dataDir = resolve(env['DATA_DIR'] ?? './data');
  const host = env['HOST'] ?? '127.0.0.1';
  const tokens = env['API_TOKENS'] === undefined || env['API_TOKENS'].trim() === '' ? undefined : parseTokens(env['API_TOKENS']);
  // Up to a year: a retry is answered from the stored response for that long.
  const idempotencyTtlHours = integerSetting(env, 'IDEMPOTENCY_TTL_HOURS', 24, 1, 8760);
  return {
    dataKeyMasterKey: loadMasterKey(env['KEY_STORE_MASTER_KEY']),
    consoleDir: resolve(env['CONSOLE_DIR'] ?? './dist/console'),
    surveyAnswerPeriod: parseSurveyAnswerPeriod(env['SURVEY_ANSWER_PERIOD']),
    surveyCampaignLimit: integerSetting(env, 'SURVEY_CAMPAIGN_LIMIT', 5000, 1, 100_000),
    surveyComplaintThreshold: integerSetting(env, 'SURVEY_COMPLAINT_THRESHOLD', DEFAULT_SURVEY_COMPLAINT_THRESHOLD, 0, SURVEY_SCORE_MAX - 1),
    idempotencyTtlHours,
    attachments: loadAttachmentSettings(env),
    seals: loadSealSettings(env, dataDir, eventStore),
    eventStore,
    readStore,
    http: loadHttpSettings(env, { port, host, tokens }),
    projections,
    projectionThreads,
    slaMonitorIntervalMs: interval,
    leaseTtlMs: integerSetting(env, 'LEASE_TTL_MS', 15_000, 1000, 600_000),
    asOfSweepIntervalMs: integerSetting(env, 'AS_OF_SWEEP_INTERVAL_MS', 10_000, 100, 600_000),
    slaWarnBefore: parseWarnBefore(env['SLA_WARN_BEFORE']),
    port,
    host,
    dataDir,
    synchronous,
    tokens,
    slaPolicy: policy,
    slaPolicySource: source,
    notifications: notificationSettings(env),
    webhooks: loadWebhookSettings(env),
  };
}

/** WEBHOOK_ALLOW_HOSTS and the delivery timings (README, "Webhooks"). */
export function loadWebhookSettings(env: NodeJS.ProcessEnv): WebhookSettings {
  const defaults = DEFAULT_WEBHOOK_SETTINGS;
  const allowHosts = (env['WEBHOOK_ALLOW_HOSTS'] ?? '').split(',').map((host) => host.trim().toLowerCase().replace(/^\[|\]$/g, '')).filter((host) => host !== '');
  for (const host of allowHosts) {
    if (!/^[a-z0-9.:-]{1,253}$/.test(host)) throw new ConfigError(`WEBHOOK_ALLOW_HOSTS must list host names or IP addresses separated by commas, e.g. 127.0.0.1,localhost (got ${JSON.stringify(host)}).`);
  }
  const baseDelayMs = integerSetting(env, 'WEBHOOK_RETRY_BASE_MS', defaults.retry.baseDelayMs, 10, 3_600_000);
  const maxDelayMs = integerSetting(env, 'WEBHOOK_RETRY_MAX_MS', defaults.retry.maxDelayMs, baseDelayMs, 86_400_000);
  return {
    allowHosts,
    retry: { baseDelayMs, maxDelayMs, retryWindowMs: integerSetting(env, 'WEBHOOK_RETRY_WINDOW_MS', defaults.retry.retryWindowMs, 100, 7 * 86_400_000) },
    breaker: {
      threshold: integerSetting(env, 'WEBHOOK_BREAKER_THRESHOLD', defaults.breaker.threshold, 1, 1000),
      cooldownMs: integerSetting(env, 'WEBHOOK_BREAKER_COOLDOWN_MS', defaults.breaker.cooldownMs, 10, 86_400_000),
    },
    timeoutMs: integerSetting(env, 'WEBHOOK_TIMEOUT_MS', defaults.timeoutMs, 100, 120_000),
    pollMs: integerSetting(env, 'WEBHOOK_POLL_MS', defaults.pollMs, 10, 60_000),
  };
}

/** ATTACHMENT_MAX_BYTES up to 100 MiB; ATTACHMENT_MEDIA_TYPES a comma-separated subset of the types the content check knows. */
function loadAttachmentSettings(env: NodeJS.ProcessEnv): AttachmentSettings {
  const maxBytes = integerSetting(env, 'ATTACHMENT_MAX_BYTES', DEFAULT_ATTACHMENT_SETTINGS.maxBytes, 1, 100 * 1024 * 1024);
  const raw = env['ATTACHMENT_MEDIA_TYPES']?.trim();
  if (!raw) return { maxBytes, mediaTypes: DEFAULT_ATTACHMENT_SETTINGS.mediaTypes };
  const mediaTypes = [...new Set(raw.split(',').map((type) => type.trim().toLowerCase()).filter(Boolean))];
  const unknown = mediaTypes.filter((type) => !(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0 || mediaTypes.length === 0) {
    throw new ConfigError(`ATTACHMENT_MEDIA_TYPES must list media types the content check knows, separated by commas: ${ATTACHMENT_MEDIA_TYPES.join(', ')} (unknown: ${unknown.join(', ') || 'none given'}).`);
  }
  return { maxBytes, mediaTypes: mediaTypes as AttachmentMediaType[] };
}

function loadMasterKey(text: string | undefined): string | null {
  if (text === undefined || text.trim() === '') return null;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim()) || Buffer.from(text.trim(), 'base64').length !== 32) {
    throw new ConfigError('KEY_STORE_MASTER_KEY must be the base64 of 32 random bytes (make one with `openssl rand -base64 32`); keep it outside DATA_DIR.');
  }
  return text.trim();
}

function loadHttpSettings(env: NodeJS.ProcessEnv, api: { port: number; host: string; tokens: readonly ConfiguredToken[] | undefined }): HttpSettings {
  const rateLimitPerSecond = integerSetting(env, 'RATE_LIMIT_PER_SECOND', DEFAULT_HTTP_SETTINGS.rateLimitPerSecond, 0, 1_000_000);
  const readyMaxLagMs = integerSetting(env, 'READY_MAX_LAG_MS', DEFAULT_HTTP_SETTINGS.readyMaxLagMs, 100, 86_400_000);
  const logLevel = (env['LOG_LEVEL'] ?? DEFAULT_HTTP_SETTINGS.logLevel).toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(env['LOG_LEVEL'])}).`);
  const corsOrigins = (env['CORS_ORIGINS'] ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin)) {
      throw new ConfigError(`CORS_ORIGINS must list origins such as https://desk.example.com or http://localhost:5173, separated by commas, or * (got ${JSON.stringify(origin)}).`);
    }
  }
  const defaults = DEFAULT_HTTP_SETTINGS;
  return {
    rateLimitPerSecond, corsOrigins, logLevel: logLevel as LogLevel, readyMaxLagMs,
    projectionStallMs: integerSetting(env, 'PROJECTION_STALL_MS', defaults.projectionStallMs, 1000, 86_400_000),
    requestTimeoutMs: integerSetting(env, 'REQUEST_TIMEOUT_MS', defaults.requestTimeoutMs, 100, 600_000),
    maxConnections: integerSetting(env, 'MAX_CONNECTIONS', defaults.maxConnections, 1, 1_000_000),
    heavyReads: {
      perPrincipal: integerSetting(env, 'HEAVY_READS_PER_PRINCIPAL', defaults.heavyReads.perPrincipal, 0, 1000),
      queue: integerSetting(env, 'HEAVY_READ_QUEUE', defaults.heavyReads.queue, 0, 10_000),
      waitMs: integerSetting(env, 'HEAVY_READ_WAIT_MS', defaults.heavyReads.waitMs, 0, 60_000),
    },
    feed: {
      connectionsPerToken: integerSetting(env, 'FEED_CONNECTIONS_PER_TOKEN', defaults.feed.connectionsPerToken, 1, 1000),
      bufferEvents: integerSetting(env, 'FEED_BUFFER_EVENTS', defaults.feed.bufferEvents, 1, 100_000),
      heartbeatMs: integerSetting(env, 'FEED_HEARTBEAT_MS', defaults.feed.heartbeatMs, 100, 300_000),
      maxWaitSeconds: integerSetting(env, 'FEED_MAX_WAIT_S', defaults.feed.maxWaitSeconds, 1, 300),
    },
    metrics: loadMetricsSettings(env, api),
  };
}

function loadMetricsSettings(env: NodeJS.ProcessEnv, api: { port: number; host: string; tokens: readonly ConfiguredToken[] | undefined }): MetricsSettings {
  const token = env['METRICS_TOKEN']?.trim() || undefined;
  if (token !== undefined && token.length < 16) throw new ConfigError('METRICS_TOKEN needs at least 16 characters.');
  if (token !== undefined && api.tokens?.some((entry) => entry.token === token)) throw new ConfigError('METRICS_TOKEN must not be one of the API_TOKENS: Prometheus needs no role.');
  const rawPort = env['METRICS_PORT']?.trim() || undefined;
  const port = rawPort === undefined ? undefined : integerSetting(env, 'METRICS_PORT', 0, 1, 65535);
  if (port !== undefined && port === api.port) throw new ConfigError(`METRICS_PORT must differ from PORT (both ${port}).`);
  const host = env['METRICS_HOST']?.trim() || undefined;
  if (host !== undefined && port === undefined) throw new ConfigError('METRICS_HOST is set but METRICS_PORT is not: set METRICS_PORT to serve /metrics on a listener of its own.');
  return { token, port, host: host ?? api.host };
}

/** The embedded event log's file in a data directory (what the API, the projector and the CLI open). */
export const eventLogFile = (dataDir: string): string => join(dataDir, 'events.sqlite');

/** The identity of the log the seals are of: the embedded file, or the server (without its password). */
export function logIdentity(dataDir: string, eventStore: EventStoreConfig): string {
  return eventStore.kind === 'sqlite' ? `sqlite:${eventLogFile(realPath(dataDir))}` : `kurrentdb:${redactUrl(eventStore.url)}`;
}

/** How many links realPath follows before it takes a path as written (a loop), as the kernel's own limit does. */
const MAX_LINKS_FOLLOWED = 40;

/**
 * The path with every link resolved, as far as it exists (the rest as written): a DATA_DIR reached
 * through a symbolic link is the same log, and a SEAL_DIR reached through one into DATA_DIR is inside it.
 * A link to what is not there yet is followed too, as the system will once its target is made: a SEAL_DIR
 * linked into the DATA_DIR that a run (the CLI's token issue, a first start) makes is inside it from the start.
 */
export function realPath(path: string, linksFollowed = 0): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const target = linksFollowed < MAX_LINKS_FOLLOWED ? linkTarget(absolute) : undefined;
    // A relative target is taken from where the link really is (its directory may itself be reached through a link), as the system takes it.
    if (target !== undefined) return realPath(resolve(realPath(dirname(absolute), linksFollowed), target), linksFollowed + 1);
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent, linksFollowed), basename(absolute));
  }
}

/** Where a symbolic link points, as written; undefined when the path is no link. */
function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** The seal settings for a directory (SEAL_DIR): the key and, per log, the seal file in it. */
export function sealSettingsIn(sealDir: string, logId: string, intervalMs = 5000, witnessCommand?: string): SealSettings {
  const name = createHash('sha256').update(logId).digest('hex').slice(0, 16);
  return { enabled: true, logId, keyFile: join(sealDir, 'seal.key'), file: join(sealDir, `seals-${name}.ndjson`), intervalMs, ...(witnessCommand ? { witnessCommand } : {}) };
}

/** What the directories of the seal key and of the seals are for, as a refusal to make one says it (here and in TamperEvidence). */
export const SEAL_KEY_DIRECTORY = 'the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE)';
export const SEALS_DIRECTORY = 'the directory of the seals (SEAL_DIR or SEAL_FILE)';

function loadSealSettings(env: NodeJS.ProcessEnv, dataDir: string, eventStore: EventStoreConfig): SealSettings {
  const switched = (env['SEALS'] ?? 'on').toLowerCase();
  if (switched !== 'on' && switched !== 'off') throw new ConfigError(`SEALS must be on or off (got ${JSON.stringify(env['SEALS'])}).`);
  if (switched === 'off') return { enabled: false, reason: 'SEALS=off' };
  const home = env['XDG_STATE_HOME']?.trim() ? env['XDG_STATE_HOME'] : env['HOME']?.trim() ? join(env['HOME'], '.local', 'state') : undefined;
  const sealDir = env['SEAL_DIR']?.trim() ? resolve(env['SEAL_DIR']) : home === undefined ? undefined : join(resolve(home), 'complaint-desk');
  if (sealDir === undefined) return { enabled: false, reason: 'neither SEAL_DIR nor HOME is set, so there is no place outside DATA_DIR for the seal key' };
  const intervalMs = integerSetting(env, 'SEAL_INTERVAL_MS', 5000, 100, 3_600_000);
  const defaults = sealSettingsIn(sealDir, logIdentity(dataDir, eventStore), intervalMs, env['SEAL_WITNESS_COMMAND']?.trim() || undefined);
  if (!defaults.enabled) return defaults;
  const keyFile = env['SEAL_KEY_FILE']?.trim() ? resolve(env['SEAL_KEY_FILE']) : defaults.keyFile;
  const file = env['SEAL_FILE']?.trim() ? resolve(env['SEAL_FILE']) : defaults.file;
  for (const [name, path] of [['SEAL_KEY_FILE', keyFile], ['SEAL_FILE', file]] as const) {
    const inside = relative(realPath(dataDir), realPath(path));
    if (eventStore.kind === 'sqlite' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) {
      throw new ConfigError(`${name} (${path}) is inside DATA_DIR: whoever can write the data could then ${name === 'SEAL_KEY_FILE' ? 'forge seals' : 'remove seals'}. Keep it elsewhere (SEAL_DIR), or set SEALS=off.`);
    }
  }
  // A directory the seals cannot be put in (a link to nothing, a loop of links) is refused now, as makeDirectory would refuse
  // it, before the CLI or a start makes DATA_DIR and the store (it was refused after, with a notice of a store just made).
  for (const [path, purpose] of [[keyFile, SEAL_KEY_DIRECTORY], [file, SEALS_DIRECTORY]] as const) {
    const unreachable = unreachableDirectoryProblem(dirname(path), purpose);
    if (unreachable !== undefined) throw new ConfigError(unreachable);
  }
  return { ...defaults, keyFile, file };
}

function notificationSettings(env: NodeJS.ProcessEnv): NotificationConfig {
  try {
    return loadNotificationConfig(env);
  } catch (error) {
    if (error instanceof NotificationConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  // Digits only: Number() would also read 1e4, 0x3e8 and 0b101 as integers.
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)}).`);
  return value;
}

/** How one engine setting pair is read: `<kind>` picks the engine, `<url>` says where the server is. */
interface EngineSetting<Server extends string> {
  readonly kind: string;
  readonly url: string;
  readonly server: Server;
  readonly scheme: RegExp;
  readonly schemes: string;
  readonly example: string;
}

function loadEngine<Server extends string>(env: NodeJS.ProcessEnv, setting: EngineSetting<Server>): { kind: 'sqlite' } | { kind: Server; url: string } {
  const kind = (env[setting.kind] ?? 'sqlite').toLowerCase();
  const url = env[setting.url]?.trim() || undefined;
  if (kind === 'sqlite') {
    if (url !== undefined) throw new ConfigError(`${setting.url} is set but ${setting.kind} is sqlite (the default): set ${setting.kind}=${setting.server} to use the server, or unset ${setting.url}.`);
    return { kind: 'sqlite' };
  }
  if (kind !== setting.server) throw new ConfigError(`${setting.kind} must be sqlite or ${setting.server} (got ${JSON.stringify(env[setting.kind])}).`);
  if (url === undefined) throw new ConfigError(`${setting.kind}=${setting.server} needs ${setting.url}, e.g. ${setting.example}`);
  if (!setting.scheme.test(url)) throw new ConfigError(`${setting.url} must be a ${setting.schemes}, e.g. ${setting.example} (got ${JSON.stringify(redactUrl(url))}).`);
  return { kind: setting.server, url };
}

const loadEventStore = (env: NodeJS.ProcessEnv): EventStoreConfig => loadEngine(env, {
  kind: 'EVENT_STORE', url: 'EVENTSTORE_URL', server: 'kurrentdb', scheme: /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/[^/?]+/,
  schemes: 'kurrentdb:// or esdb:// connection string', example: 'kurrentdb://localhost:2113?tls=false',
});

const loadReadStore = (env: NodeJS.ProcessEnv): ReadStoreConfig => loadEngine(env, {
  kind: 'READ_STORE', url: 'MONGODB_URL', server: 'mongodb', scheme: /^mongodb(\+srv)?:\/\/[^/?]+/,
  schemes: 'mongodb:// or mongodb+srv:// URL', example: 'mongodb://localhost:27017/complaint_desk?replicaSet=rs0',
});

/**
 * A URL without its password, for messages: all up to the last @, as a URL parser takes the host after
 * it, so a password with an @ (or / ? #) in it is hidden whole; an @ in the query hides more, never less.
 */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/]*):.*@/, '//$1:***@');
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535 (got ${JSON.stringify(value)}).`);
  return port;
}

/** API_TOKENS = "token:principalId:role,token:principalId:role,…" */
export function parseTokens(value: string): ConfiguredToken[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry, index) => {
    const parts = entry.split(':');
    const [token, principalId, role] = parts;
    if (parts.length !== 3 || !token || !principalId || !role) {
      throw new ConfigError(`API_TOKENS entry ${index + 1} must be token:principalId:role.`);
    }
    return { token, principalId, role };
  });
  return checkTokens(entries, 'API_TOKENS');
}

/** A refused value as it was, or escaped (shown) when it holds control or direction characters, so none reaches a message raw. */
export const printable = (value: string): string => (/[\p{Cc}\p{Cf}]/u.test(value) ? shown(value) : value);

/** The configured tokens, each checked (a role, at least 16 characters, no token twice); `source` names where they came from in every message. */
export function checkTokens(entries: ReadonlyArray<{ token: unknown; principalId: unknown; role: unknown }>, source: string): ConfiguredToken[] {
  const tokens = entries.map(({ token, principalId, role }, index) => {
    // Named by its principal id only when that is one: a control or direction character must not reach the message.
    const entry = `${source} entry ${index + 1}${typeof principalId === 'string' && principalIdProblem(principalId) === undefined ? ` (${principalId})` : ''}`;
    if (typeof token !== 'string' || typeof principalId !== 'string' || principalId === '' || typeof role !== 'string') {
      throw new ConfigError(`${entry} must have a token, a principalId and a role, e.g. {"token":"…16 characters or more…","principalId":"ops.admin","role":"admin"}.`);
    }
    const principalProblem = principalIdProblem(principalId);
    if (principalProblem !== undefined) throw new ConfigError(`${source} entry ${index + 1}: ${principalProblem} (got ${shown(principalId)}).`);
    if (!(ROLES as readonly string[]).includes(role)) throw new ConfigError(`${entry}: role must be one of ${ROLES.join(', ')} (got ${printable(role)}).`);
    if (token.length < 16) throw new ConfigError(`${entry}: a token needs at least 16 characters.`);
    return { token, principalId, role: role as Role };
  });
  if (new Set(tokens.map((entry) => entry.token)).size !== tokens.length) throw new ConfigError(`${source} lists the same token twice.`);
  return tokens;
}

function loadPolicy(path: string | undefined): { policy: SlaPolicy; source: string } {
  if (path === undefined || path === '') return { policy: DEFAULT_SLA_POLICY, source: 'built-in defaults' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`SLA_POLICY: cannot read JSON from ${path}: ${(error as Error).message}`);
  }
  const problems = validateSlaPolicy(parsed);
  if (problems.length > 0) throw new ConfigError(`SLA_POLICY (${path}) is invalid: ${problems.join('; ')}.`);
  const policy = parsed as Omit<SlaPolicy, 'onSite' | 'calendar'> & { onSite?: string; calendar?: string | BusinessCalendar };
  const calendar = typeof policy.calendar === 'string' ? BUILT_IN_CALENDARS[policy.calendar] : policy.calendar;
  return { policy: { ...policy, onSite: policy.onSite ?? DEFAULT_SLA_POLICY.onSite, calendar: calendar ?? ALWAYS_ON_CALENDAR }, source: path };
}

/** SURVEY_ANSWER_PERIOD: an ISO 8601 duration above zero, up to a year (P30D when not set). */
function parseSurveyAnswerPeriod(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'P30D';
  const ms = parseDuration(raw.trim());
  if (ms === undefined || ms <= 0 || ms > 366 * 86_400_000) {
    throw new ConfigError(`SURVEY_ANSWER_PERIOD must be an ISO 8601 duration in weeks, days, hours or minutes above zero and up to a year (e.g. P30D, P2W); got ${JSON.stringify(raw)}.`);
  }
  return raw.trim();
}

/** The lead times of the SLA monitor's warnings when SLA_WARN_BEFORE is not set. */
export const DEFAULT_SLA_WARN_BEFORE: Partial<Record<SlaClock, string>> = { 'first-reply': 'PT30M', answer: 'PT12H', 'on-site': 'PT4H', callback: 'PT12H' };

/** SLA_WARN_BEFORE = "first-reply:PT30M,answer:PT12H" (ISO 8601 durations per clock), or "off". */
export function parseWarnBefore(raw: string | undefined): Partial<Record<SlaClock, string>> {
  if (raw === undefined || raw.trim() === '') return DEFAULT_SLA_WARN_BEFORE;
  if (raw.trim() === 'off') return {};
  const leads: Partial<Record<SlaClock, string>> = {};
  for (const entry of raw.split(',').map((part) => part.trim())) {
    const [clock, lead, extra] = entry.split(':');
    if (extra !== undefined || !(SLA_CLOCKS as readonly string[]).includes(clock ?? '') || lead === undefined) {
      throw new ConfigError(`SLA_WARN_BEFORE entry ${JSON.stringify(entry)} must be clock:duration with a clock of ${SLA_CLOCKS.join(', ')} (e.g. first-reply:PT30M), or the whole setting "off".`);
    }
    const ms = parseDuration(lead);
    if (ms === undefined || ms <= 0) throw new ConfigError(`SLA_WARN_BEFORE: ${JSON.stringify(lead)} for ${clock} is not an ISO 8601 duration above zero (e.g. PT30M, PT12H, P1D).`);
    if (leads[clock as SlaClock] !== undefined) throw new ConfigError(`SLA_WARN_BEFORE names ${clock} twice.`);
    leads[clock as SlaClock] = lead;
  }
  return leads;
}
