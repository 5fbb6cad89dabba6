import { mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import { AccessControl } from '../../apps/api/src/access/access-control.service';
import { TamperEvidence, TamperedHistoryError } from '../../apps/api/src/audit/tamper-evidence';
import { logIdentity, sealSettingsIn } from '../../apps/api/src/config/api-config';
import { runEntry } from '../support/run-entry';
import { newComplaint, removeDataDir, sealDirOf, startApp, type RunningApp } from './support/test-app';

async function complaint(app: RunningApp): Promise<string> {
  const { body } = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
  expect((await app.request('POST', `/complaints/${body.id}/validate`, { body: { reason: 'meter log confirms' } })).status).toBe(200);
  return body.id;
}

/** What an admin does from the server's shell (`complaint-desk seal acknowledge`): the stores opened beside a stopped API, as cli:ops. */
async function fromTheShell<T>(dataDir: string, work: (shell: { store: SqliteEventStore; access: AccessControl; evidence: TamperEvidence }) => Promise<T>): Promise<T> {
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
  const access = new AccessControl(store, () => new Date());
  try {
    await access.start();
    const evidence = new TamperEvidence(store, sealSettingsIn(sealDirOf(dataDir), logIdentity(dataDir, { kind: 'sqlite' })), { by: 'cli:ops', now: () => new Date() });
    return await work({ store, access, evidence });
  } finally {
    await access.close();
    await store.close();
  }
}
const ops = { id: 'cli:ops', role: 'admin' } as const;

/** Stops the app (its last seal covers everything), edits events.sqlite as an intruder would, and starts it again. */
async function tamperedRestart(app: RunningApp, sql: string[]): Promise<RunningApp> {
  await app.stop();
  const db = new Database(join(app.dataDir, 'events.sqlite'));
  for (const statement of sql) db.prepare(statement).run();
  db.close();
  return startApp(app.dataDir);
}

describe('whole-store verification over HTTP (docs/adr/0010)', () => {
  it('finds nothing wrong in an untouched store, and says how many seals it compared', async () => {
    const app = await startApp();
    try {
      await complaint(app);
      await complaint(app);
      const report = await app.request('GET', '/audit/verify', { role: 'auditor' });
      expect(report.status).toBe(200);
      // Two complaints of two events each, and the customer's file its first intake opened.
      expect(report.body).toMatchObject({ ok: true, events: 5, streams: 3, findings: [], seals: { sealing: true, count: expect.any(Number) } });
      expect(report.body.seals.count).toBeGreaterThanOrEqual(1);
      expect((await app.request('GET', '/audit/verify', { role: 'analyst' })).status).toBe(403);
    } finally {
      await app.stop();
    }
    try {
      // Without its key the seals cannot be checked: no new key is made over them.
      renameSync(join(sealDirOf(app.dataDir), 'seal.key'), join(sealDirOf(app.dataDir), 'seal.key.bak'));
      await expect(startApp(app.dataDir)).rejects.toThrow(/the seal key .* is missing, but .* holds seals made with it. Restore the key/);
    } finally {
      removeDataDir(app.dataDir);
    }
  });

  it('finds nothing wrong in an empty store, its seal of the empty log compared with the empty log (found by an attacker: seal-mismatch@line-1)', async () => {
    let app = await startApp();
    try {
      await app.stop();
      // The clean shutdown sealed the empty log; the next start reads that seal back.
      app = await startApp(app.dataDir);
      const report = await app.request('GET', '/audit/verify', { role: 'auditor' });
      expect(report.body).toMatchObject({ ok: true, events: 0, findings: [], seals: { sealing: true, latest: { position: 0, events: 0 } } });
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  });

  // Issue 17: the log-seals stream holds the acknowledgements, not the seals (those are files in SEAL_DIR),
  // so a store where none was made has no such stream yet; the 404 says so, and where the seals are checked.
  it.each([
    ['with seals written', {}],
    ['with sealing off', { seals: { enabled: false, reason: 'SEALS=off' } as const }],
  ])('answers GET /audit/verify?stream=log-seals on a fresh store, %s, with a 404 that says the stream begins with the first acknowledgement', async (_, overrides) => {
    const app = await startApp(undefined, overrides);
    try {
      await complaint(app);
      const answer = await app.request('GET', '/audit/verify?stream=log-seals', { role: 'auditor' });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ code: 'stream-not-found', detail: expect.stringMatching(/no tamper finding has been acknowledged.*seal acknowledge.*GET \/audit\/verify without stream/s) });
      expect((await app.request('GET', '/audit/verify', { role: 'auditor' })).body).toMatchObject({ ok: true });
      const webhooks = await app.request('GET', '/audit/verify?stream=webhooks', { role: 'auditor' });
      expect([webhooks.status, webhooks.body.detail]).toEqual([404, expect.stringContaining('no webhook has been registered')]);
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  });

  // Two complaints of two events each, and the customer's file opened at the first intake: positions 1–5 (a: 1, 3; the file: 2; b: 4, 5).
  it.each([
    ['an edited event', ["UPDATE events SET data = json_set(data, '$.reason', 'forged') WHERE position = 3"], ['event-changed', 'seal-mismatch', 'stream-chain']],
    ['a deleted event in the middle', ['DELETE FROM events WHERE position = 3'], ['events-missing', 'seal-mismatch']],
    ['the last event deleted', ['DELETE FROM events WHERE position = 5'], ['log-truncated']],
    ['the last two events deleted', ['DELETE FROM events WHERE position >= 4'], ['log-truncated']],
    ['a whole stream deleted', ['DELETE FROM events WHERE position IN (1, 3)'], ['events-missing']],
    ['an event moved', ['UPDATE events SET position = 50 WHERE position = 3'], ['events-missing', 'seal-mismatch']],
    ['an edited recorded time', ["UPDATE events SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE position = 4"], ['event-changed', 'seal-mismatch']],
    ['an event whose JSON was broken', ["UPDATE events SET data = '{\"broken' WHERE position = 3"], ['store-damaged']],
    ['an edited event id', ["UPDATE events SET event_id = '00000000-0000-4000-8000-000000000000' WHERE position = 4"], ['event-changed', 'seal-mismatch', 'stream-chain']],
  ])('catches %s', async (_name, sql, kinds) => {
    const first = await startApp();
    await complaint(first);
    await complaint(first);
    const second = await tamperedRestart(first, sql);
    try {
      const report = await second.request('GET', '/audit/verify', { role: 'auditor' });
      if (kinds[0] === 'store-damaged') {
        // Not the client's malformed JSON: the store's, named with its place and what to do.
        expect(report.status).toBe(503);
        expect(report.body).toMatchObject({ code: 'store-damaged', detail: expect.stringMatching(/position 3 \(complaint-.* revision 1\) is not readable JSON.*Restore it from a backup/) });
        return;
      }
      expect(report.status).toBe(200);
      expect(report.body.ok).toBe(false);
      expect([...new Set(report.body.findings.map((finding: { kind: string }) => finding.kind))].sort()).toEqual(expect.arrayContaining(kinds));
      for (const finding of report.body.findings) expect(finding).toMatchObject({ description: expect.any(String), acknowledged: null });
    } finally {
      await second.stop();
      removeDataDir(second.dataDir);
    }
  });
});

describe('a SEAL_DIR that is a symbolic link to nothing', () => {
  it('stops the start with one line that says where it points and how to fix it (found by the attacker: a raw ENOENT)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seal-dir-link-'));
    try {
      const sealDir = join(dataDir, '..', `${basename(dataDir)}-seals`);
      const target = join(dataDir, '..', `${basename(dataDir)}-unmounted`, 'seals');
      symlinkSync(target, sealDir);
      try {
        const started = await runEntry('apps/api/src/main.ts', [], { DATA_DIR: dataDir, SEAL_DIR: sealDir, PORT: '0', API_TOKENS: 'admin-token-0123456789abcdef:admin-e2e:admin' });
        expect(started.code).toBe(1);
        // Refused with the configuration, before the start makes anything in DATA_DIR (it made the store, then refused).
        expect(started.stderr.trim().split('\n')).toEqual([
          `Configuration error: cannot make ${sealDir}, the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE): ${sealDir} is a symbolic link to ${target}, which does not exist: `
          + `create that directory (mount it), point the link at a directory that exists, or delete the link to have ${sealDir} made.`,
        ]);
        expect(readdirSync(dataDir)).toEqual([]);
      } finally {
        rmSync(sealDir, { force: true });
      }
    } finally {
      removeDataDir(dataDir);
    }
  }, 60_000);
});

describe('sealing that fails after the start', () => {
  /** Asks /health until it answers as `until` wants (the sealer runs every 200 ms in tests). */
  async function healthUntil(app: RunningApp, until: (body: any) => boolean): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await app.request('GET', '/health', { role: null });
      if (until(body) || Date.now() > deadline) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('is reported by /health (degraded, with the reason) while the seal key file is a symbolic link to nothing or the seal directory is gone, and ok again once restored (found by the attacker: /health said ok)', async () => {
    const app = await startApp();
    const sealDir = sealDirOf(app.dataDir);
    const keyFile = join(sealDir, 'seal.key');
    try {
      expect(await healthUntil(app, (body) => body.sealing?.status === 'ok')).toMatchObject({ status: 'ok', sealing: { status: 'ok', lastSealAt: expect.any(String) } });

      // The key file replaced by a link to nothing: seals are still made with the key in memory, but the next start would refuse.
      renameSync(keyFile, `${keyFile}.moved`);
      symlinkSync(join(sealDir, 'backup', 'seal.key'), keyFile);
      const keyGone = await healthUntil(app, (body) => body.status !== 'ok');
      expect(keyGone).toMatchObject({ status: 'degraded', sealing: { status: 'failing', since: expect.any(String) } });
      expect(keyGone.sealing.error).toContain(`the seal key file ${keyFile} is a symbolic link to ${join(sealDir, 'backup', 'seal.key')}, which does not exist`);
      expect(keyGone.sealing.error).toMatch(/restore it/);
      rmSync(keyFile);
      renameSync(`${keyFile}.moved`, keyFile);
      expect(await healthUntil(app, (body) => body.status === 'ok')).toMatchObject({ status: 'ok', sealing: { status: 'ok' } });

      // The whole directory gone (a volume unmounted): no seal can be written.
      renameSync(sealDir, `${sealDir}.moved`);
      symlinkSync(`${sealDir}.unmounted`, sealDir);
      await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      const dirGone = await healthUntil(app, (body) => body.sealing?.status === 'failing' && /sealing failed/.test(body.sealing.error));
      expect(dirGone).toMatchObject({ status: 'degraded', sealing: { status: 'failing', attempts: expect.any(Number) } });
      expect(dirGone.sealing.error).toMatch(/sealing failed: .*ENOENT/);
      rmSync(sealDir);
      renameSync(`${sealDir}.moved`, sealDir);
      expect(await healthUntil(app, (body) => body.status === 'ok')).toMatchObject({ status: 'ok', sealing: { status: 'ok' } });
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  }, 60_000);
});

describe('a revocation removed from the access-control history (docs/adr/0010)', () => {
  it('stops the API from starting until an admin acknowledges it, and the acknowledgement re-applies the revocation', async () => {
    const first = await startApp();
    const { dataDir } = first;
    try {
      const issued = await first.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'li.na', role: 'admin', reason: 'night shift' } });
      expect(issued.status).toBe(201);
      expect((await first.request('POST', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'left the company' } })).status).toBe(200);
      expect((await first.request('GET', '/access/tokens', { token: issued.body.token })).status).toBe(401);

      // The intruder deletes the revocation, hoping to bring the admin token back to life.
      await first.stop();
      const db = new Database(join(dataDir, 'events.sqlite'));
      db.prepare("DELETE FROM events WHERE stream = 'access-control' AND type = 'AccessTokenRevoked'").run();
      db.close();
      const refused = await startApp(dataDir).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TamperedHistoryError);
      expect((refused as Error).message).toMatch(/access-control history .* tampered.*ends at revision 0.*seal acknowledge --reason/s);
      // `npm start` says so in one line and exits 1.
      const started = await runEntry('apps/api/src/main.ts', [], {
        DATA_DIR: dataDir, SEAL_DIR: sealDirOf(dataDir), PORT: '0', API_TOKENS: 'admin-token-0123456789abcdef:admin-e2e:admin',
      });
      expect(started.code).toBe(1);
      expect(started.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Refusing to start: the access-control history \(who may use the API\) was tampered with: .*seal acknowledge/)]);

      const acknowledged = await fromTheShell(dataDir, ({ access, evidence }) => evidence.acknowledge(access, ops, 'Restored after incident 42'));
      expect(acknowledged.reappliedRevocations).toEqual([issued.body.tokenId]);
      expect(acknowledged.report.ok).toBe(true);

      const second = await startApp(dataDir);
      try {
        expect((await second.request('GET', '/access/tokens', { token: issued.body.token })).status).toBe(401);
        const report = await second.request('GET', '/audit/verify', { role: 'auditor' });
        expect(report.body.ok).toBe(true);
        expect(report.body.findings.length).toBeGreaterThan(0);
        expect(report.body.findings.every((finding: { acknowledged: { by: string; reason: string } | null }) => finding.acknowledged?.by === 'cli:ops' && finding.acknowledged.reason === 'Restored after incident 42')).toBe(true);
        // The acknowledgement is a decision like any other, for "what did this person decide".
        const decisions = await second.request('GET', `/audit/decisions?type=TamperFindingsAcknowledged&minPosition=${report.body.head.position}`, { role: 'auditor' });
        expect(decisions.body.items).toEqual([expect.objectContaining({
          actorId: 'cli:ops', reason: 'Restored after incident 42', complaintId: null, decision: { 'zh-CN': expect.stringContaining('确认'), en: expect.stringMatching(/^Acknowledged \d+ tamper finding\(s\) and revoked 1 token\(s\) again$/) },
        })]);
        // The acknowledgements are a hash-chained stream of their own, checked like any other.
        expect((await second.request('GET', '/audit/verify?stream=log-seals', { role: 'auditor' })).body).toMatchObject({ ok: true, stream: 'log-seals', events: 1 });
        const history = await second.request('GET', '/audit/access', { role: 'auditor' });
        expect(history.body.entries.map((entry: { type: string }) => entry.type)).toEqual(['AccessTokenIssued', 'AccessTokenRevoked']);
        expect(history.body.entries[1].reason).toMatch(/re-applied on acknowledging tampered history/);
        expect(history.body.seals).toMatchObject({ ok: true, checked: true, findings: [expect.objectContaining({ kind: 'access-control', acknowledged: expect.objectContaining({ by: 'cli:ops' }) })] });
      } finally {
        await second.stop();
      }
    } finally {
      removeDataDir(dataDir);
    }
  }, 60_000);

  it('re-applies a revocation removed from the middle of the stream, appending after its real head, and revokes what the seals cannot prove', async () => {
    const before = await startApp();
    const { dataDir } = before;
    try {
      const tokens: Array<{ tokenId: string; token: string }> = [];
      for (const principalId of ['li.na', 'zhang.wei']) {
        tokens.push((await before.request('POST', '/access/tokens', { role: 'admin', body: { principalId, role: 'admin', reason: 'night shift' } })).body);
      }
      // Stopped here, so a seal proves revisions 0 and 1.
      await before.stop();
      const first = await startApp(dataDir);
      expect((await first.request('POST', `/access/tokens/${tokens[0]!.tokenId}/revoke`, { role: 'admin', body: { reason: 'left' } })).status).toBe(200);
      const later = await first.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'wang.fang', role: 'agent', reason: 'new hire' } });
      expect(later.status).toBe(201);
      await first.stop();
      // Revisions 0–3: issued, issued, revoked, issued. The revocation (revision 2) goes.
      const db = new Database(join(dataDir, 'events.sqlite'));
      db.prepare("DELETE FROM events WHERE stream = 'access-control' AND revision = 2").run();
      db.close();
      await expect(startApp(dataDir)).rejects.toBeInstanceOf(TamperedHistoryError);

      await fromTheShell(dataDir, async ({ store, access, evidence }) => {
        expect(access.list().filter((token) => token.source === 'managed').map((token) => token.principalId).sort()).toEqual(['li.na', 'wang.fang', 'zhang.wei']);
        const acknowledged = await evidence.acknowledge(access, ops, 'Incident 43');
        // li.na's revocation is proven by a seal; wang.fang's grant comes after the gap, where nothing is proven.
        expect([...acknowledged.reappliedRevocations].sort()).toEqual([tokens[0]!.tokenId, later.body.tokenId].sort());
        expect((await store.readStream('access-control')).map((event) => [event.revision, event.type])).toEqual([
          [0, 'AccessTokenIssued'], [1, 'AccessTokenIssued'], [3, 'AccessTokenIssued'], [4, 'AccessTokenRevoked'], [5, 'AccessTokenRevoked'],
        ]);
      });

      const second = await startApp(dataDir);
      try {
        expect((await second.request('GET', '/access/tokens', { token: tokens[0]!.token })).status).toBe(401);
        expect((await second.request('GET', '/access/tokens', { token: tokens[1]!.token })).status).toBe(200);
        expect((await second.request('GET', '/complaints', { token: later.body.token })).status).toBe(401);
        expect((await second.request('GET', '/audit/verify', { role: 'auditor' })).body.ok).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      removeDataDir(dataDir);
    }
  });

  it('revokes a revoked token brought back under another id: the grant was changed, so it is not proven', async () => {
    const first = await startApp();
    const { dataDir } = first;
    try {
      const mallory = (await first.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'mallory', role: 'admin', reason: 'contractor' } })).body;
      expect((await first.request('POST', `/access/tokens/${mallory.tokenId}/revoke`, { role: 'admin', body: { reason: 'contract ended' } })).status).toBe(200);
      await first.stop();
      const db = new Database(join(dataDir, 'events.sqlite'));
      db.prepare("DELETE FROM events WHERE type = 'AccessTokenRevoked'").run();
      db.prepare("UPDATE events SET data = replace(data, ?, '11111111-2222-4333-8444-555555555555') WHERE type = 'AccessTokenIssued'").run(mallory.tokenId);
      db.close();

      await fromTheShell(dataDir, async ({ access, evidence }) => {
        await expect(evidence.acknowledge(access, ops, '   ')).rejects.toThrow(/say why with --reason/);
        expect((await evidence.acknowledge(access, ops, 'Incident 44')).reappliedRevocations).toEqual(['11111111-2222-4333-8444-555555555555']);
      });

      const second = await startApp(dataDir);
      try {
        expect((await second.request('GET', '/access/tokens', { token: mallory.token })).status).toBe(401);
      } finally {
        await second.stop();
      }
    } finally {
      removeDataDir(dataDir);
    }
  });
});
