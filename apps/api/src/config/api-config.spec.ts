import { ATTACHMENT_MEDIA_TYPES } from '../complaints/attachments/attachment-media';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadApiConfig, redactUrl } from './api-config';

describe('API configuration', () => {
  it('defaults to port 3000, ./data, synchronous FULL and the seed SLA policy', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', synchronous: 'FULL', tokens: undefined, slaPolicy: { version: 'seed-default-v1' } });
    expect(config.dataDir.endsWith('data')).toBe(true);
  });

  it('reads API_TOKENS as token:principal:role entries', () => {
    const config = loadApiConfig({ API_TOKENS: 'aaaaaaaaaaaaaaaa:li:agent, bbbbbbbbbbbbbbbb:wang:supervisor' });
    expect(config.tokens).toEqual([
      { token: 'aaaaaaaaaaaaaaaa', principalId: 'li', role: 'agent' },
      { token: 'bbbbbbbbbbbbbbbb', principalId: 'wang', role: 'supervisor' },
    ]);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ SQLITE_SYNCHRONOUS: 'OFF' }, /SQLITE_SYNCHRONOUS/],
    [{ API_TOKENS: 'short:li:agent' }, /API_TOKENS.*16/],
    [{ API_TOKENS: 'aaaaaaaaaaaaaaaa:li:janitor' }, /API_TOKENS.*role/],
    [{ API_TOKENS: 'aaaaaaaaaaaaaaaa:li' }, /API_TOKENS/],
    [{ API_TOKENS: 'aaaaaaaaaaaaaaaa:ｌｉ:agent' }, /^API_TOKENS entry 1: principalId must be 1–100 letters, digits or \. _ - @ : \(got "ｌｉ"\)/],
    [{ API_TOKENS: 'aaaaaaaaaaaaaaaa:system:li:agent' }, /API_TOKENS/],
    [{ SLA_POLICY: '/nonexistent/policy.json' }, /SLA_POLICY/],
    [{ EVENT_STORE: 'postgres' }, /EVENT_STORE must be sqlite or kurrentdb/],
    [{ EVENT_STORE: 'kurrentdb' }, /EVENT_STORE=kurrentdb needs EVENTSTORE_URL/],
    [{ EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'http://localhost:2113' }, /EVENTSTORE_URL must be a kurrentdb:\/\/ or esdb:\/\//],
    [{ EVENTSTORE_URL: 'kurrentdb://localhost:2113' }, /EVENTSTORE_URL is set but EVENT_STORE is sqlite/],
    [{ READ_STORE: 'redis' }, /READ_STORE must be sqlite or mongodb/],
    [{ READ_STORE: 'mongodb' }, /READ_STORE=mongodb needs MONGODB_URL/],
    [{ READ_STORE: 'mongodb', MONGODB_URL: 'localhost:27017' }, /MONGODB_URL must be a mongodb:\/\//],
    [{ MONGODB_URL: 'mongodb://localhost:27017' }, /MONGODB_URL is set but READ_STORE is sqlite/],
    [{ READ_STORE: 'mongodb', MONGODB_URL: 'mongodb://localhost:27017', PROJECTIONS: 'in-process' }, /PROJECTIONS=in-process is only for the embedded stores/],
    [{ RATE_LIMIT_PER_SECOND: '-1' }, /RATE_LIMIT_PER_SECOND must be an integer from 0/],
    [{ RATE_LIMIT_PER_SECOND: 'lots' }, /RATE_LIMIT_PER_SECOND/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL must be one of/],
    [{ CORS_ORIGINS: 'desk.example.com' }, /CORS_ORIGINS must list origins/],
    [{ READY_MAX_LAG_MS: '5' }, /READY_MAX_LAG_MS must be an integer from 100/],
    [{ PROJECTION_STALL_MS: '500' }, /PROJECTION_STALL_MS must be an integer from 1000/],
    [{ REQUEST_TIMEOUT_MS: '0' }, /REQUEST_TIMEOUT_MS must be an integer from 100/],
    [{ MAX_CONNECTIONS: '0' }, /MAX_CONNECTIONS must be an integer from 1/],
    [{ HEAVY_READS_PER_PRINCIPAL: 'many' }, /HEAVY_READS_PER_PRINCIPAL must be an integer from 0/],
    [{ HEAVY_READ_QUEUE: '-1' }, /HEAVY_READ_QUEUE must be an integer from 0/],
    [{ HEAVY_READ_WAIT_MS: '600001' }, /HEAVY_READ_WAIT_MS must be an integer from 0 to 60000/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN needs at least 16 characters/],
    [{ METRICS_TOKEN: 'aaaaaaaaaaaaaaaa', API_TOKENS: 'aaaaaaaaaaaaaaaa:li:agent' }, /METRICS_TOKEN must not be one of the API_TOKENS/],
    [{ METRICS_PORT: '0' }, /METRICS_PORT must be an integer from 1 to 65535/],
    [{ METRICS_PORT: '3000' }, /METRICS_PORT must differ from PORT/],
    [{ METRICS_HOST: '10.0.0.5' }, /METRICS_HOST is set but METRICS_PORT is not/],
    [{ IDEMPOTENCY_TTL_HOURS: '0' }, /IDEMPOTENCY_TTL_HOURS must be an integer from 1 to 8760/],
    [{ PROJECTION_THREADS: '0' }, /PROJECTION_THREADS must be an integer from 1 to 8/],
    [{ PROJECTION_THREADS: 'two' }, /PROJECTION_THREADS must be an integer/],
    [{ IDEMPOTENCY_TTL_HOURS: '1.5' }, /IDEMPOTENCY_TTL_HOURS must be an integer/],
    [{ IDEMPOTENCY_TTL_HOURS: 'a day' }, /IDEMPOTENCY_TTL_HOURS/],
    [{ ATTACHMENT_MAX_BYTES: '0' }, /ATTACHMENT_MAX_BYTES must be an integer from 1 to 104857600/],
    [{ ATTACHMENT_MAX_BYTES: '10MB' }, /ATTACHMENT_MAX_BYTES/],
    [{ ATTACHMENT_MEDIA_TYPES: 'image/jpeg,image/svg+xml' }, /ATTACHMENT_MEDIA_TYPES must list media types the content check knows.*unknown: image\/svg\+xml/],
    [{ ATTACHMENT_MEDIA_TYPES: 'text/html' }, /ATTACHMENT_MEDIA_TYPES/],
    [{ SURVEY_ANSWER_PERIOD: 'P1M' }, /SURVEY_ANSWER_PERIOD must be an ISO 8601 duration/],
    [{ SURVEY_ANSWER_PERIOD: 'PT0S' }, /SURVEY_ANSWER_PERIOD must be an ISO 8601 duration .* above zero/],
    [{ SURVEY_ANSWER_PERIOD: 'P400D' }, /up to a year/],
  ])('refuses %o with a message naming the setting', (env, message) => {
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    expect(() => loadApiConfig(env)).toThrow(message);
  });

  it('takes the projector lease\'s ttl from LEASE_TTL_MS, 15000 when not set, and refuses one out of 1000–600000 saying so', () => {
    expect(loadApiConfig({}).leaseTtlMs).toBe(15_000);
    expect(loadApiConfig({ LEASE_TTL_MS: '3000' }).leaseTtlMs).toBe(3000);
    // Only digits: 1e4 and 0x3e8 are integers to Number(), not to a person reading the setting (attacker).
    for (const value of ['999', '600001', '1.5e3x', 'soon', '1e4', '0x3e8', '0b11111010000', '+5000']) {
      expect(() => loadApiConfig({ LEASE_TTL_MS: value })).toThrow(`LEASE_TTL_MS must be an integer from 1000 to 600000 (got ${JSON.stringify(value)}).`);
    }
  });

  it('takes how often the as-of sweep runs from AS_OF_SWEEP_INTERVAL_MS, 10000 when not set, and refuses one out of 100–600000 saying so', () => {
    expect(loadApiConfig({}).asOfSweepIntervalMs).toBe(10_000);
    expect(loadApiConfig({ AS_OF_SWEEP_INTERVAL_MS: '200' }).asOfSweepIntervalMs).toBe(200);
    for (const value of ['99', '600001', 'soon']) {
      expect(() => loadApiConfig({ AS_OF_SWEEP_INTERVAL_MS: value })).toThrow(`AS_OF_SWEEP_INTERVAL_MS must be an integer from 100 to 600000 (got ${JSON.stringify(value)}).`);
    }
  });

  it('takes the survey answer period as an ISO 8601 duration, P30D when not set, and the campaign limit, 5000 when not set', () => {
    expect(loadApiConfig({}).surveyAnswerPeriod).toBe('P30D');
    expect(loadApiConfig({ SURVEY_ANSWER_PERIOD: ' P2W ' }).surveyAnswerPeriod).toBe('P2W');
    expect(loadApiConfig({}).surveyCampaignLimit).toBe(5000);
    expect(loadApiConfig({ SURVEY_CAMPAIGN_LIMIT: '200' }).surveyCampaignLimit).toBe(200);
    expect(() => loadApiConfig({ SURVEY_CAMPAIGN_LIMIT: '0' })).toThrow('SURVEY_CAMPAIGN_LIMIT must be an integer from 1 to 100000');
  });

  it('takes the score at or below which an order\'s survey opens a complaint, 2 when not set, 0 for never', () => {
    expect(loadApiConfig({}).surveyComplaintThreshold).toBe(2);
    expect(loadApiConfig({ SURVEY_COMPLAINT_THRESHOLD: '0' }).surveyComplaintThreshold).toBe(0);
    expect(() => loadApiConfig({ SURVEY_COMPLAINT_THRESHOLD: '5' })).toThrow('SURVEY_COMPLAINT_THRESHOLD must be an integer from 0 to 4');
  });

  it('picks the engines from EVENT_STORE / READ_STORE, and runs the projections outside the API when a server is used', () => {
    expect(loadApiConfig({})).toMatchObject({ eventStore: { kind: 'sqlite' }, readStore: { kind: 'sqlite' }, projections: 'in-process' });
    const servers = loadApiConfig({
      EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', READ_STORE: 'mongodb', MONGODB_URL: 'mongodb://localhost:27017/desk?replicaSet=rs0',
    });
    expect(servers).toMatchObject({
      eventStore: { kind: 'kurrentdb', url: 'esdb://localhost:2113?tls=false' }, readStore: { kind: 'mongodb', url: 'mongodb://localhost:27017/desk?replicaSet=rs0' }, projections: 'external',
    });
    expect(loadApiConfig({ EVENT_STORE: 'KurrentDB', EVENTSTORE_URL: 'kurrentdb://a:2113,b:2113,c:2113' }).projections).toBe('external');
  });

  it('reads the webhook settings: no private host allowed by default, a day of retries, and clear refusals', () => {
    expect(loadApiConfig({}).webhooks).toEqual({
      allowHosts: [], retry: { baseDelayMs: 10_000, maxDelayMs: 3_600_000, retryWindowMs: 86_400_000 }, breaker: { threshold: 5, cooldownMs: 60_000 }, timeoutMs: 10_000, pollMs: 500,
    });
    const fast = loadApiConfig({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1, LocalHost,[::1]', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '100', WEBHOOK_RETRY_WINDOW_MS: '2000' }).webhooks;
    expect(fast).toMatchObject({ allowHosts: ['127.0.0.1', 'localhost', '::1'], retry: { baseDelayMs: 50, maxDelayMs: 100, retryWindowMs: 2000 } });
    expect(() => loadApiConfig({ WEBHOOK_ALLOW_HOSTS: 'http://localhost/' })).toThrow(/WEBHOOK_ALLOW_HOSTS must list host names or IP addresses/);
    expect(() => loadApiConfig({ WEBHOOK_RETRY_BASE_MS: '500', WEBHOOK_RETRY_MAX_MS: '100' })).toThrow(/WEBHOOK_RETRY_MAX_MS must be an integer from 500/);
    expect(() => loadApiConfig({ WEBHOOK_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });

  it('reads the HTTP edge settings, with defaults that protect a single front-end', () => {
    expect(loadApiConfig({}).http).toEqual({
      rateLimitPerSecond: 100, corsOrigins: [], logLevel: 'info', readyMaxLagMs: 30_000, projectionStallMs: 30_000,
      requestTimeoutMs: 30_000, maxConnections: 1000, heavyReads: { perPrincipal: 4, queue: 64, waitMs: 2000 },
      feed: { connectionsPerToken: 4, bufferEvents: 1000, heartbeatMs: 15_000, maxWaitSeconds: 30 }, metrics: { token: undefined, port: undefined, host: '127.0.0.1' },
    });
    expect(loadApiConfig({ RATE_LIMIT_PER_SECOND: '0', CORS_ORIGINS: 'https://desk.example.com, http://localhost:5173', LOG_LEVEL: 'WARN', READY_MAX_LAG_MS: '5000', PROJECTION_STALL_MS: '60000' }).http).toMatchObject({
      rateLimitPerSecond: 0, corsOrigins: ['https://desk.example.com', 'http://localhost:5173'], logLevel: 'warn', readyMaxLagMs: 5000, projectionStallMs: 60_000,
    });
  });

  it('reads the limits that keep one client from starving the others', () => {
    const http = loadApiConfig({
      REQUEST_TIMEOUT_MS: '5000', MAX_CONNECTIONS: '200', HEAVY_READS_PER_PRINCIPAL: '2', HEAVY_READ_QUEUE: '0', HEAVY_READ_WAIT_MS: '250',
    }).http;
    expect(http).toMatchObject({ requestTimeoutMs: 5000, maxConnections: 200, heavyReads: { perPrincipal: 2, queue: 0, waitMs: 250 } });
    expect(loadApiConfig({ HEAVY_READS_PER_PRINCIPAL: '0' }).http.heavyReads.perPrincipal).toBe(0);
  });

  it('reads the change feed\'s limits, and refuses one out of range', () => {
    expect(loadApiConfig({ FEED_CONNECTIONS_PER_TOKEN: '2', FEED_BUFFER_EVENTS: '50', FEED_HEARTBEAT_MS: '5000', FEED_MAX_WAIT_S: '60' }).http.feed)
      .toEqual({ connectionsPerToken: 2, bufferEvents: 50, heartbeatMs: 5000, maxWaitSeconds: 60 });
    expect(() => loadApiConfig({ FEED_BUFFER_EVENTS: '0' })).toThrow('FEED_BUFFER_EVENTS must be an integer from 1 to 100000 (got "0").');
  });

  it('keeps /metrics behind METRICS_TOKEN and serves it on METRICS_PORT (on HOST unless METRICS_HOST says otherwise)', () => {
    expect(loadApiConfig({ METRICS_TOKEN: ' scrape-token-0123456789 ' }).http.metrics).toEqual({ token: 'scrape-token-0123456789', port: undefined, host: '127.0.0.1' });
    expect(loadApiConfig({ HOST: '0.0.0.0', METRICS_PORT: '9464' }).http.metrics).toEqual({ token: undefined, port: 9464, host: '0.0.0.0' });
    expect(loadApiConfig({ HOST: '0.0.0.0', METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).http.metrics).toEqual({ token: undefined, port: 9464, host: '10.0.0.5' });
  });

  it('warns SLA_WARN_BEFORE ahead of each clock\'s deadline (by default 30 min before the first reply), or never with off', () => {
    expect(loadApiConfig({}).slaWarnBefore).toEqual({ 'first-reply': 'PT30M', answer: 'PT12H', 'on-site': 'PT4H', callback: 'PT12H' });
    expect(loadApiConfig({ SLA_WARN_BEFORE: 'first-reply:PT10M, answer:P1D' }).slaWarnBefore).toEqual({ 'first-reply': 'PT10M', answer: 'P1D' });
    expect(loadApiConfig({ SLA_WARN_BEFORE: 'off' }).slaWarnBefore).toEqual({});
    for (const [raw, message] of [
      ['reply:PT10M', /clock:duration with a clock of first-reply, answer, on-site, callback/],
      ['first-reply:10 minutes', /not an ISO 8601 duration above zero/],
      ['first-reply:PT0S', /not an ISO 8601 duration above zero/],
      ['first-reply:PT5M,first-reply:PT6M', /names first-reply twice/],
      ['first-reply', /clock:duration/],
    ] as const) {
      expect(() => loadApiConfig({ SLA_WARN_BEFORE: raw })).toThrow(message);
    }
  });

  it('runs the projections on one worker thread unless PROJECTION_THREADS says otherwise', () => {
    expect(loadApiConfig({}).projectionThreads).toBe(1);
    expect(loadApiConfig({ PROJECTION_THREADS: '2' }).projectionThreads).toBe(2);
  });

  it('takes attachments up to 10 MiB of every type the content check knows, unless ATTACHMENT_MAX_BYTES and ATTACHMENT_MEDIA_TYPES say otherwise', () => {
    expect(loadApiConfig({}).attachments).toEqual({ maxBytes: 10 * 1024 * 1024, mediaTypes: ATTACHMENT_MEDIA_TYPES });
    expect(loadApiConfig({ ATTACHMENT_MAX_BYTES: '2097152', ATTACHMENT_MEDIA_TYPES: ' image/jpeg, Application/PDF ,image/jpeg' }).attachments)
      .toEqual({ maxBytes: 2_097_152, mediaTypes: ['image/jpeg', 'application/pdf'] });
  });

  it('keeps Idempotency-Key answers 24 hours unless IDEMPOTENCY_TTL_HOURS says otherwise', () => {
    expect(loadApiConfig({}).idempotencyTtlHours).toBe(24);
    expect(loadApiConfig({ IDEMPOTENCY_TTL_HOURS: '1' }).idempotencyTtlHours).toBe(1);
    expect(loadApiConfig({ IDEMPOTENCY_TTL_HOURS: '168' }).idempotencyTtlHours).toBe(168);
  });

  it('hides the password of a URL, whatever the engine', () => {
    expect(redactUrl('kurrentdb://admin:changeit@db:2113?tls=false')).toBe('kurrentdb://admin:***@db:2113?tls=false');
    expect(redactUrl('kurrentdb://db:2113')).toBe('kurrentdb://db:2113');
    expect(redactUrl('mongodb://desk:s3cret@db:27017/desk')).toBe('mongodb://desk:***@db:27017/desk');
    // A password with the URL's own separators in it (/ ? #) is hidden whole, not up to the first of them.
    for (const password of ['pa/ss', 'pa#ss', 'pa?ss', 'p/a?s#s', 'p@ss', 'p@s/s']) expect(redactUrl(`kurrentdb://admin:${password}@db:2113?tls=false`)).toBe('kurrentdb://admin:***@db:2113?tls=false');
    // The host is after the last @ (as the WHATWG URL parser reads it), and a user may hold one too.
    expect(redactUrl('mongodb://desk@example.com:s3cret@db:27017/desk')).toBe('mongodb://desk@example.com:***@db:27017/desk');
  });

  it('never repeats a password in its messages', () => {
    const messageOf = (env: NodeJS.ProcessEnv) => {
      try {
        loadApiConfig(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(messageOf({ EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'https://admin:hunter2@db' })).toContain('https://admin:***@db');
    expect(messageOf({ READ_STORE: 'mongodb', MONGODB_URL: 'tcp://desk:hunter2@db' })).toContain('tcp://desk:***@db');
  });

  it('loads an SLA policy file and fills in the on-site default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-policy-'));
    try {
      const path = join(dir, 'policy.json');
      writeFileSync(path, JSON.stringify({ version: 'fast-2026', firstReply: 'PT30S', answer: 'PT5M', callback: 'PT2M', bySeverity: { critical: { firstReply: 'PT10S' } } }));
      expect(loadApiConfig({ SLA_POLICY: path }).slaPolicy).toMatchObject({ version: 'fast-2026', firstReply: 'PT30S', onSite: 'PT24H', bySeverity: { critical: { firstReply: 'PT10S' } } });
      writeFileSync(path, JSON.stringify({ version: 'bad', firstReply: '2 hours', answer: 'PT5M', callback: 'PT2M' }));
      expect(() => loadApiConfig({ SLA_POLICY: path })).toThrow(/firstReply/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('seals (docs/adr/0010)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'complaint-desk-seal-config-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps the key and the seals in the user\'s state directory by default, outside DATA_DIR', () => {
      const seals = loadApiConfig({ HOME: join(dir, 'home'), DATA_DIR: join(dir, 'data') }).seals;
      expect(seals).toMatchObject({ enabled: true, keyFile: join(dir, 'home', '.local', 'state', 'complaint-desk', 'seal.key'), intervalMs: 5000 });
      expect(loadApiConfig({ XDG_STATE_HOME: join(dir, 'state'), HOME: join(dir, 'home') }).seals).toMatchObject({ keyFile: join(dir, 'state', 'complaint-desk', 'seal.key') });
      expect(loadApiConfig({ SEAL_DIR: join(dir, 'seals'), SEAL_INTERVAL_MS: '1000' }).seals).toMatchObject({ keyFile: join(dir, 'seals', 'seal.key'), intervalMs: 1000 });
    });

    it('is off only when asked, or when no place outside DATA_DIR is known, and says why', () => {
      expect(loadApiConfig({ SEALS: 'off', HOME: dir }).seals).toEqual({ enabled: false, reason: 'SEALS=off' });
      expect(loadApiConfig({}).seals).toMatchObject({ enabled: false, reason: expect.stringContaining('neither SEAL_DIR nor HOME') });
      expect(() => loadApiConfig({ SEALS: 'maybe' })).toThrow(/SEALS must be on or off/);
    });

    it.each([
      ['a key file in DATA_DIR', (data: string) => ({ SEAL_KEY_FILE: join(data, 'seal.key') }), /SEAL_KEY_FILE .* is inside DATA_DIR: whoever can write the data could then forge seals/],
      ['a seal directory named like ..seals in DATA_DIR', (data: string) => ({ SEAL_DIR: join(data, '..seals') }), /inside DATA_DIR/],
      ['a seal file in DATA_DIR', (data: string) => ({ SEAL_FILE: join(data, 'seals.ndjson'), HOME: '/nonexistent' }), /SEAL_FILE .* is inside DATA_DIR: .* remove seals/],
    ])('refuses %s', (_name, settings, message) => {
      const data = join(dir, 'data');
      expect(() => loadApiConfig({ DATA_DIR: data, HOME: join(dir, 'home'), ...settings(data) })).toThrow(message);
    });

    // A run that makes DATA_DIR (the CLI's token issue, a first start) took it, and the next start refused it.
    it('sees through a link into a DATA_DIR not made yet (absolute or relative, or a link to a link): inside it, with the same words', () => {
      const data = join(dir, 'not-yet', 'data');
      symlinkSync(data, join(dir, 'link'));
      symlinkSync(join('not-yet', 'data'), join(dir, 'relative'));
      symlinkSync(join(dir, 'link'), join(dir, 'chained'));
      for (const link of ['link', 'relative', 'chained']) {
        expect(() => loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, link, 'seals') }))
          .toThrow(`SEAL_KEY_FILE (${join(dir, link, 'seals', 'seal.key')}) is inside DATA_DIR: whoever can write the data could then forge seals. Keep it elsewhere (SEAL_DIR), or set SEALS=off.`);
      }
      // A relative link inside a linked directory: its .. is taken from where the link really is, as the system takes it (it was
      // taken from the path as written, so this way into DATA_DIR was accepted until DATA_DIR existed).
      mkdirSync(join(dir, 'real', 'sub'), { recursive: true });
      mkdirSync(join(dir, 'a'));
      symlinkSync(join(dir, 'real', 'sub'), join(dir, 'a', 'l1'));
      symlinkSync(join('..', 'data'), join(dir, 'real', 'sub', 'l2'));
      const realData = join(dir, 'real', 'data');
      expect(() => loadApiConfig({ DATA_DIR: realData, SEAL_DIR: join(dir, 'a', 'l1', 'l2', 'seals') })).toThrow(/is inside DATA_DIR/);
      // A loop of links is no way into it, and outside DATA_DIR a link to nothing stays a place of its own: neither is "inside
      // DATA_DIR". Neither can hold the seals either, and is refused as such before anything is made (it was refused only once
      // DATA_DIR and the store had been made, with a new-store notice of a token never issued).
      symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
      symlinkSync(join(dir, 'elsewhere'), join(dir, 'away'));
      expect(() => loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'loop', 'seals') }))
        .toThrow(new ConfigError(`cannot make ${join(dir, 'loop', 'seals')}, the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE): ${join(dir, 'loop')} is a loop of symbolic links (ELOOP): point it at a directory that exists, or delete it to have ${join(dir, 'loop')} made.`));
      expect(() => loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'away', 'seals') }))
        .toThrow(new ConfigError(`cannot make ${join(dir, 'away', 'seals')}, the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE): ${join(dir, 'away')} is a symbolic link to ${join(dir, 'elsewhere')}, which does not exist: `
          + `create that directory (mount it), point the link at a directory that exists, or delete the link to have ${join(dir, 'away')} made.`));
    });

    it('refuses a seal directory that is a link to nothing or a loop of links, before anything is made, naming which setting', () => {
      symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
      symlinkSync(join(dir, 'b'), join(dir, 'a'));
      symlinkSync(join(dir, 'a'), join(dir, 'b'));
      const data = join(dir, 'data');
      expect(() => loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'dangling') })).toThrow(`cannot make ${join(dir, 'dangling')}, the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE): ${join(dir, 'dangling')} is a symbolic link to ${join(dir, 'nowhere')}, which does not exist`);
      expect(() => loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'a') })).toThrow(`cannot make ${join(dir, 'a')}, the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE): ${join(dir, 'a')} is a loop of symbolic links`);
      // The seal file's own directory (SEAL_FILE) is checked too, in the words of the seals' directory.
      expect(() => loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'seals'), SEAL_FILE: join(dir, 'b', 'seals.ndjson') }))
        .toThrow(`cannot make ${join(dir, 'b')}, the directory of the seals (SEAL_DIR or SEAL_FILE): ${join(dir, 'b')} is a loop of symbolic links`);
      // SEALS=off needs no seal directory: nothing to refuse.
      expect(loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'dangling'), SEALS: 'off' }).seals).toMatchObject({ enabled: false });
      expect(existsSync(data)).toBe(false);
      expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    });

    it('sees through symbolic links: into DATA_DIR is inside it, and a linked DATA_DIR is the same log', () => {
      const data = join(dir, 'data');
      mkdirSync(data);
      symlinkSync(data, join(dir, 'link'));
      expect(() => loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'link', 'seals') })).toThrow(/inside DATA_DIR/);
      const direct = loadApiConfig({ DATA_DIR: data, SEAL_DIR: join(dir, 'seals') }).seals;
      const linked = loadApiConfig({ DATA_DIR: join(dir, 'link'), SEAL_DIR: join(dir, 'seals') }).seals;
      expect(linked.enabled && direct.enabled && linked.file === direct.file && linked.logId === direct.logId).toBe(true);
    });
  });
});
