import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ACCESS_CONTROL_STREAM } from '@app/domain';
import { chainStart } from '@app/event-sourcing';
import { SqliteEventStore } from '@app/event-store';
import { chainedEvents } from '../complaint-metadata';
import { LogSealer } from './log-sealer';
import { FileSealLog, signSeal, type SealLog } from './log-seals';
import { checkAccessControl, verifyLog, type FindingKind } from './log-verification';

const LOG = 'sqlite:test';

/**
 * Each case writes a small history through the store, seals it, then edits events.sqlite
 * directly, as someone with write access to the data directory would, and verifies.
 */
describe('tamper evidence over the SQLite file (docs/adr/0010)', () => {
  let dir: string;
  let filename: string;
  let store: SqliteEventStore;
  let seals: SealLog;
  let key: Buffer;
  const heads = new Map<string, { revision: number; hash: string }>();
  let clock = Date.parse('2026-06-01T08:00:00.000Z');
  const now = () => new Date((clock += 1000));

  async function write(stream: string, type = 'Noted', data: Record<string, unknown> = { note: randomUUID() }): Promise<number> {
    const head = heads.get(stream) ?? { revision: -1, hash: chainStart(stream) };
    const commandId = randomUUID();
    const { events, headHash } = chainedEvents([{ type, data }], {
      commandId, commandType: type, correlationId: commandId, causationId: commandId, actor: { id: 'sup-wang', role: 'supervisor' }, occurredAt: now().toISOString(),
    }, head.hash, () => 1);
    const result = await store.append(stream, events, { expectedRevision: head.revision < 0 ? 'no_stream' : head.revision });
    heads.set(stream, { revision: result.nextRevision, hash: headHash });
    return result.position;
  }
  const sealer = () => new LogSealer(store, seals, key, { logId: LOG, by: 'api', now });
  const tamper = async (sql: string, ...params: unknown[]) => {
    await store.close();
    const db = new Database(filename);
    db.prepare(sql).run(...params);
    db.close();
    store = new SqliteEventStore({ filename });
  };
  const verify = async () => (await verifyLog(store, { seals: { log: seals, logId: LOG } })).report;
  const kinds = (report: { findings: ReadonlyArray<{ kind: FindingKind }> }) => [...new Set(report.findings.map((finding) => finding.kind))].sort();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-tamper-'));
    filename = join(dir, 'events.sqlite');
    store = new SqliteEventStore({ filename });
    key = randomBytes(32);
    seals = new FileSealLog(join(dir, 'seals.ndjson'), key);
    heads.clear();
    // complaint-a: revisions 0–2, complaint-b: 0–1, interleaved; positions 1–5.
    await write('complaint-a');
    await write('complaint-b');
    await write('complaint-a');
    await write('complaint-b');
    await write('complaint-a');
    await sealer().seal();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing in an untouched log, sealed', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, events: 5, streams: 2, findings: [], seals: { sealing: true, count: 1, latest: { position: 5, events: 5 }, eventsAfterLastSeal: 0 } });
    await write('complaint-c');
    expect((await verify()).seals.eventsAfterLastSeal).toBe(1);
  });

  it('catches an edited event at its position', async () => {
    await tamper(`UPDATE events SET data = json_set(data, '$.note', 'rewritten') WHERE position = 3`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.findings.find((finding) => finding.kind === 'event-changed')).toMatchObject({ position: 3, stream: 'complaint-a', revision: 1 });
    expect(kinds(report)).toEqual(['event-changed', 'seal-mismatch', 'stream-chain']);
  });

  it('catches a deleted event in the middle, naming the missing position', async () => {
    await tamper('DELETE FROM events WHERE position = 2');
    const report = await verify();
    expect(report.findings.find((finding) => finding.kind === 'events-missing')).toMatchObject({ id: 'events-missing@2-2', position: 2 });
    expect(kinds(report)).toEqual(['events-missing', 'seal-mismatch', 'stream-chain']);
  });

  it('catches the last event deleted, which no link after it can show: the seal does', async () => {
    await tamper('DELETE FROM events WHERE position = 5');
    const report = await verify();
    expect(kinds(report)).toEqual(['log-truncated']);
    expect(report.findings[0]!.description).toMatch(/ends at position 4 with 4 events.*up to position 5 with 5 events: at least 1 event at the end of the log was removed$/);
  });

  it('catches the last two events deleted', async () => {
    await tamper('DELETE FROM events WHERE position >= 4');
    const report = await verify();
    expect(kinds(report)).toEqual(['log-truncated']);
    expect(report.findings[0]!.description).toMatch(/at least 2 event/);
  });

  it('catches a whole stream deleted, though every remaining stream verifies', async () => {
    await tamper(`DELETE FROM events WHERE stream = 'complaint-b'`);
    const report = await verify();
    expect(report.findings.filter((finding) => finding.kind === 'stream-chain')).toEqual([]);
    expect(report.findings.filter((finding) => finding.kind === 'events-missing').map((finding) => finding.id)).toEqual(['events-missing@2-2', 'events-missing@4-4']);
    expect(kinds(report)).toEqual(['events-missing', 'seal-mismatch']);
  });

  it('catches an event moved to another position', async () => {
    await tamper('UPDATE events SET position = 99 WHERE position = 3');
    const report = await verify();
    expect(report.findings.find((finding) => finding.kind === 'events-missing')).toMatchObject({ id: 'events-missing@3-3' });
    // Where it landed, its link no longer fits the event before it.
    expect(report.findings.find((finding) => finding.description.includes('position 99'))).toBeDefined();
    expect(kinds(report)).toContain('seal-mismatch');
  });

  it('catches an edited recorded time, which no stream chain covers', async () => {
    await tamper(`UPDATE events SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE position = 2`);
    const report = await verify();
    expect(report.findings.filter((finding) => finding.kind === 'stream-chain')).toEqual([]);
    expect(report.findings.find((finding) => finding.kind === 'event-changed')).toMatchObject({ position: 2 });
  });

  it('catches an edited event id', async () => {
    await tamper(`UPDATE events SET event_id = '00000000-0000-4000-8000-000000000000' WHERE position = 4`);
    const report = await verify();
    expect(report.findings.find((finding) => finding.kind === 'event-changed')).toMatchObject({ position: 4 });
    expect(report.findings.find((finding) => finding.kind === 'stream-chain')).toMatchObject({ stream: 'complaint-b', revision: 1 });
  });

  it('catches a whole chain rewritten consistently, links and all, through the seal', async () => {
    // The attacker recomputes every hash after the change; only the key is out of reach.
    await store.close();
    const db = new Database(filename);
    db.prepare('DELETE FROM events WHERE position >= 3').run();
    db.close();
    store = new SqliteEventStore({ filename });
    heads.set('complaint-a', { revision: 0, hash: (await store.readStream('complaint-a'))[0]!.metadata['hash'] as string });
    heads.set('complaint-b', { revision: 0, hash: (await store.readStream('complaint-b'))[0]!.metadata['hash'] as string });
    await write('complaint-a');
    await write('complaint-b');
    await write('complaint-a');
    const report = await verify();
    // Every chain and every link holds: the rewrite is consistent, and only the seal knows better.
    expect(kinds(report)).toEqual(['seal-mismatch']);
    expect(report.findings[0]).toMatchObject({ position: 5, seals: { count: 1 } });
  });

  it('reports a seal that is not signed with the key, and never trusts it', async () => {
    const forged = signSeal(randomBytes(32), { version: 1, log: LOG, sealedAt: now().toISOString(), by: 'api', position: 1, events: 1, logHash: 'f'.repeat(64), headEventId: null, accessControl: { revision: -1, hash: null, revokedTokenIds: [] } });
    await seals.append(forged);
    const report = await verify();
    expect(kinds(report)).toEqual(['seal-damaged']);
  });

  it('continues from the newest seal, so later seals agree with the log', async () => {
    await write('complaint-c');
    await sealer().seal();
    await write('complaint-a');
    await sealer().seal();
    expect(await verify()).toMatchObject({ ok: true, findings: [], seals: { count: 3, latest: { position: 7, events: 7 } } });
  });

  it('verifies the seal of an empty log against the empty log, and against the log that grows from it', async () => {
    await store.close();
    rmSync(filename);
    rmSync(join(dir, 'seals.ndjson'));
    store = new SqliteEventStore({ filename });
    expect(await sealer().seal()).toMatchObject({ position: 0, events: 0 });
    expect(await verify()).toMatchObject({ ok: true, events: 0, findings: [], seals: { count: 1, latest: { line: 1, position: 0, events: 0 } } });
    heads.clear();
    await write('complaint-a');
    expect(await verify()).toMatchObject({ ok: true, events: 1, findings: [], seals: { count: 1, eventsAfterLastSeal: 1 } });
  });

  it('writes no seal when nothing was appended since the last one', async () => {
    expect(await sealer().seal()).toBeUndefined();
  });

  describe('the access-control stream', () => {
    beforeEach(async () => {
      await write(ACCESS_CONTROL_STREAM, 'AccessTokenIssued', { tokenId: 't-1' });
      await write(ACCESS_CONTROL_STREAM, 'AccessTokenRevoked', { tokenId: 't-1' });
      await sealer().seal();
    });

    it('holds what the seals recorded', async () => {
      expect(await checkAccessControl(store, seals, LOG)).toEqual([]);
    });

    it('is caught when its last event (a revocation) is deleted, and the seal names what was revoked', async () => {
      await tamper(`DELETE FROM events WHERE stream = ? AND revision = 1`, ACCESS_CONTROL_STREAM);
      const findings = await checkAccessControl(store, seals, LOG);
      expect(findings).toEqual([expect.objectContaining({ kind: 'access-control', revision: 1, acknowledged: null })]);
      expect(findings[0]!.description).toMatch(/ends at revision 0.*recorded revision 1.*1 token was revoked by then/);
    });

    it('is caught when its last event is deleted behind a running store that kept the stream (read from storage, not from the kept copy)', async () => {
      // Two whole reads: the embedded store keeps the stream from its second (docs/adr/0003), as a running server's does.
      await store.readStream(ACCESS_CONTROL_STREAM);
      await store.readStream(ACCESS_CONTROL_STREAM);
      const db = new Database(filename);
      db.prepare('DELETE FROM events WHERE stream = ? AND revision = 1').run(ACCESS_CONTROL_STREAM);
      db.close();
      expect(await checkAccessControl(store, seals, LOG)).toEqual([expect.objectContaining({ kind: 'access-control', revision: 1, acknowledged: null })]);
    });

    it('is caught when a grant is changed', async () => {
      await tamper(`UPDATE events SET data = json_set(data, '$.tokenId', 't-2') WHERE stream = ? AND revision = 0`, ACCESS_CONTROL_STREAM);
      expect((await checkAccessControl(store, seals, LOG)).map((finding) => finding.kind)).toContain('stream-chain');
    });

    const namesOf = (findings: ReadonlyArray<{ id: string; seals?: { ids: readonly string[] } }>) => findings.flatMap((finding) => [finding.id, ...(finding.seals?.ids ?? [])]);

    it('passes once an acknowledging seal names the findings', async () => {
      await tamper(`DELETE FROM events WHERE stream = ? AND revision = 1`, ACCESS_CONTROL_STREAM);
      heads.set(ACCESS_CONTROL_STREAM, { revision: 0, hash: (await store.readStream(ACCESS_CONTROL_STREAM))[0]!.metadata['hash'] as string });
      const before = namesOf([...(await verify()).findings, ...(await checkAccessControl(store, seals, LOG))]);
      await write(ACCESS_CONTROL_STREAM, 'AccessTokenRevoked', { tokenId: 't-1' });
      const fold = (await verifyLog(store)).fold;
      await seals.append(signSeal(key, fold.body(LOG, 'cli:ops', now().toISOString(), { findings: before, reason: 'restored' })));
      expect((await checkAccessControl(store, seals, LOG)).filter((finding) => finding.acknowledged === null)).toEqual([]);
      expect((await checkAccessControl(store, seals, LOG)).length).toBeGreaterThan(0);
      const report = await verify();
      expect(report.ok).toBe(true);
      expect(report.findings.length).toBeGreaterThan(0);
      expect(report.findings.every((finding) => finding.acknowledged?.by === 'cli:ops' && finding.acknowledged.reason === 'restored')).toBe(true);
    });

    it('does not let an earlier acknowledgement cover a revocation deleted after it', async () => {
      // An unrelated finding is acknowledged first …
      await tamper(`UPDATE events SET data = json_set(data, '$.note', 'rewritten') WHERE position = 3`);
      const fold = (await verifyLog(store)).fold;
      await seals.append(signSeal(key, fold.body(LOG, 'cli:ops', now().toISOString(), { findings: namesOf((await verify()).findings), reason: 'incident A' })));
      expect((await verify()).ok).toBe(true);
      // … then the revocation goes.
      await tamper(`DELETE FROM events WHERE stream = ? AND revision = 1`, ACCESS_CONTROL_STREAM);
      expect((await checkAccessControl(store, seals, LOG)).filter((finding) => finding.acknowledged === null)).toEqual([expect.objectContaining({ kind: 'access-control', revision: 1 })]);
      expect((await verify()).ok).toBe(false);
    });
  });
});
