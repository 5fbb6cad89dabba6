import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@app/read-store';
import { WebhookStore } from './webhook-store';
import { secretFingerprint } from './webhook-signature';

/** Two API processes on one read store: each with its own connection, as two processes have. */
describe('webhook secrets across two API processes (compare-and-set)', () => {
  let dir: string;
  let stores: SqliteReadStore[];
  let first: WebhookStore;
  let second: WebhookStore;
  const webhookId = 'wh-1';
  const registered = 'whsec-registered-0123456789abcdef0123';
  const [winner, loser] = ['whsec-winner-0123456789abcdef012345', 'whsec-loser-0123456789abcdef0123456'];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-secrets-'));
    stores = [new SqliteReadStore({ filename: join(dir, 'read.sqlite') }), new SqliteReadStore({ filename: join(dir, 'read.sqlite') })];
    [first, second] = stores.map((store) => new WebhookStore(store)) as [WebhookStore, WebhookStore];
    await first.ensure();
    await second.ensure();
    await first.putSecret(webhookId, registered);
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('of two rotations decided on the same registry revision, stores the first and refuses the second, which keeps the winner\'s secret', async () => {
    expect(await first.rotateSecret(webhookId, winner, [secretFingerprint(registered)], 4)).toBe(true);
    expect(await second.rotateSecret(webhookId, loser, [secretFingerprint(registered)], 4)).toBe(false);
    for (const store of [first, second]) {
      expect(await store.secret(webhookId, secretFingerprint(winner))).toBe(winner);
      expect(await store.secret(webhookId, secretFingerprint(registered))).toBe(registered);
      expect(await store.secret(webhookId, secretFingerprint(loser))).toBeUndefined();
    }
  });

  it('refuses a rotation decided on an older registry revision than the stored secret\'s', async () => {
    expect(await first.rotateSecret(webhookId, winner, [secretFingerprint(registered)], 6)).toBe(true);
    expect(await second.rotateSecret(webhookId, loser, [secretFingerprint(registered)], 5)).toBe(false);
    expect(await second.secret(webhookId, secretFingerprint(winner))).toBe(winner);
  });

  it('takes a rotation again when its secret is already stored on that revision (a retry after its append failed)', async () => {
    expect(await first.rotateSecret(webhookId, winner, [secretFingerprint(registered)], 4)).toBe(true);
    expect(await second.rotateSecret(webhookId, winner, [secretFingerprint(registered)], 4)).toBe(true);
    expect(await second.secret(webhookId, secretFingerprint(registered))).toBe(registered);
  });

  it('lets exactly one of many rotations at once win, from both processes', async () => {
    const secrets = Array.from({ length: 8 }, (_, index) => `whsec-racer-${index}-0123456789abcdef0123456`);
    const won = await Promise.all(secrets.map((secret, index) => (index % 2 === 0 ? first : second).rotateSecret(webhookId, secret, [secretFingerprint(registered)], 4)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const kept = secrets[won.indexOf(true)]!;
    for (const secret of secrets) expect(await second.secret(webhookId, secretFingerprint(secret))).toBe(secret === kept ? kept : undefined);
  });

  it('rotates again at a later registry revision, and keeps a registration\'s secret when the registration is retried with it', async () => {
    expect(await first.rotateSecret(webhookId, winner, [secretFingerprint(registered)], 4)).toBe(true);
    expect(await second.rotateSecret(webhookId, loser, [secretFingerprint(winner)], 5)).toBe(true);
    expect(await first.secret(webhookId, secretFingerprint(loser))).toBe(loser);
    expect(await first.secret(webhookId, secretFingerprint(winner))).toBe(winner);
    expect(await first.secret(webhookId, secretFingerprint(registered))).toBeUndefined();
    await first.putSecret('wh-2', registered);
    await second.putSecret('wh-2', registered);
    expect(await first.secret('wh-2', secretFingerprint(registered))).toBe(registered);
  });
});

/** Found by an attacker: a lease holder paused mid-attempt past its lease came back and overwrote what the new holder recorded. */
describe('webhook delivery attempts recorded by two senders (a stale holder and the one that took over)', () => {
  let dir: string;
  let stores: SqliteReadStore[];
  let stale: WebhookStore;
  let current: WebhookStore;
  const queued = {
    id: 'dl-1', webhookId: 'wh-1', sequence: 7, eventPosition: 7, eventId: 'ev-7', eventType: 'ComplaintReceived', stream: 'complaint-1',
    status: 'pending' as const, attempts: 0, queuedAt: '2026-03-01T09:00:00.000Z', firstAttemptAt: null, lastAttemptAt: null, nextAttemptAt: null,
    lastStatusCode: null, lastError: null, deliveredAt: null, deadAt: null, redeliveryOf: null,
  };
  const endpoint = { id: 'wh-1', consecutiveFailures: 0, openUntil: null, lastFailureAt: null };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-deliveries-'));
    stores = [new SqliteReadStore({ filename: join(dir, 'read.sqlite') }), new SqliteReadStore({ filename: join(dir, 'read.sqlite') })];
    [stale, current] = stores.map((store) => new WebhookStore(store)) as [WebhookStore, WebhookStore];
    await stale.ensure();
    await current.ensure();
    await stores[0]!.commit('test-outbox', [{ kind: 'put', collection: 'webhook_deliveries', document: queued }], 7);
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the delivery the sender that took over recorded, and refuses the stale sender\'s timed-out attempt begun from the same record', async () => {
    const head = (await stale.head('wh-1'))!;
    const delivered = { ...head, status: 'delivered' as const, attempts: 1, firstAttemptAt: '2026-03-01T09:00:03.000Z', lastAttemptAt: '2026-03-01T09:00:03.000Z', lastStatusCode: 204, deliveredAt: '2026-03-01T09:00:03.000Z' };
    expect(await current.recordAttempt(head, delivered, endpoint)).toBe(true);
    const timedOut = { ...head, attempts: 1, firstAttemptAt: '2026-03-01T09:00:13.000Z', lastAttemptAt: '2026-03-01T09:00:13.000Z', lastError: 'timed out', nextAttemptAt: '2026-03-01T09:00:23.000Z' };
    expect(await stale.recordAttempt(head, timedOut, { ...endpoint, consecutiveFailures: 1, lastFailureAt: '2026-03-01T09:00:13.000Z' })).toBe(false);
    expect(await current.delivery('dl-1')).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: '2026-03-01T09:00:03.000Z' });
    expect(await current.endpoint('wh-1')).toMatchObject({ consecutiveFailures: 0, lastFailureAt: null });
    expect(await current.head('wh-1')).toBeUndefined();
  });

  it('records the attempts of one sender one after another, each over the last', async () => {
    const head = (await current.head('wh-1'))!;
    const failed = { ...head, attempts: 1, lastError: 'HTTP 503', nextAttemptAt: '2026-03-01T09:00:10.000Z' };
    expect(await current.recordAttempt(head, failed, endpoint)).toBe(true);
    const again = (await current.head('wh-1'))!;
    expect(await current.recordAttempt(again, { ...again, status: 'delivered', attempts: 2, deliveredAt: '2026-03-01T09:00:10.000Z' }, endpoint)).toBe(true);
    expect(await current.delivery('dl-1')).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});
