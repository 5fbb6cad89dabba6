import { randomUUID } from 'node:crypto';
import { EventStore } from '@app/event-store';
import { ReadStore } from '@app/read-store';
import { replayLive } from '../../apps/cli/src/commands';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../../apps/api/src/webhooks/webhook-settings';
import { secretFingerprint, verifyWebhook } from '../../apps/api/src/webhooks/webhook-signature';
import { feedEventOf } from '../../apps/api/src/feed/feed-selection';
import { QUIET_HTTP, newComplaint, removeDataDir, startApp, useApp, type RunningApp } from './support/test-app';
import { SECRETS, WebhookStore } from '../../apps/api/src/webhooks/webhook-store';
import { startReceiver } from './support/webhook-receiver';
import { waitFor } from './support/eventually';

// Deliveries, retries and dead letters take a few seconds of real time; a crash test starts the API process twice.
jest.setTimeout(60_000);

const SECRET = 'whsec-e2e-0123456789abcdef0123456789abcdef';
/** Short timings: a retry within 50–100 ms, a retry window of 1.5 s, a breaker that does not get in the way. */
const FAST: WebhookSettings = {
  ...DEFAULT_WEBHOOK_SETTINGS, allowHosts: ['127.0.0.1'], pollMs: 50, timeoutMs: 2_000,
  retry: { baseDelayMs: 50, maxDelayMs: 100, retryWindowMs: 1_500 }, breaker: { threshold: 1000, cooldownMs: 100 },
};

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

async function register(app: RunningApp, url: string, extra: Record<string, unknown> = {}) {
  const response = await app.request('POST', '/webhooks', { role: 'admin', body: { url, secret: SECRET, eventTypes: ['ComplaintReceived', 'ComplaintValidated'], reason: 'CRM follows complaints', ...extra } });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

async function deliveries(app: RunningApp, webhookId: string, query = '') {
  const response = await app.request('GET', `/webhooks/${webhookId}/deliveries${query}`, { role: 'admin' });
  expect(response.status).toBe(200);
  return response.body.items as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

describe('webhooks', () => {
  const app = useApp(undefined, { webhooks: FAST });
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('while no webhook exists passes the log over, and sends a new webhook only what comes after its registration', async () => {
    // The first test of the app: no webhook yet, so the outbox reads the webhooks stream alone.
    const before = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-before-hook' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    const after = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-after-hook' } });
    await waitFor('one delivery, delivered', () => deliveries(app(), webhookId), (items) => items.length === 1 && items[0]!['status'] === 'delivered');
    expect(receiver.received.map((hook) => hook.json.stream)).toEqual([`complaint-${after.body.id}`]);
    expect(receiver.received.map((hook) => hook.json.stream)).not.toContain(`complaint-${before.body.id}`);
    await app().request('POST', `/webhooks/${webhookId}/delete`, { role: 'admin', body: { reason: 'test done' } });
  });

  it('sends each selected event once, signed over timestamp and body, with its delivery id, position and type; the secret is nowhere to read', async () => {
    const webhookId = await register(app(), receiver.url);
    const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: `cust-${randomUUID().slice(0, 8)}` } });
    await app().request('POST', `/complaints/${received.body.id}/validate`, { body: { reason: 'well-founded' } });
    await receiver.waitFor((hooks) => hooks.length >= 2);

    const [first, second] = receiver.received;
    expect([first!.json.type, second!.json.type]).toEqual(['ComplaintReceived', 'ComplaintValidated']);
    const signature = String(first!.headers['complaint-desk-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, signature, first!.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhook('another-secret-0123456789abcdef0123', signature, first!.body, Math.floor(Date.now() / 1000))).toBe(false);
    expect(first!.headers['complaint-desk-event-type']).toBe('ComplaintReceived');
    expect(Number(first!.headers['complaint-desk-position'])).toBe(first!.json.position);
    expect(first!.headers['complaint-desk-webhook']).toBe(webhookId);
    expect(first!.headers['idempotency-key']).toBe(first!.headers['complaint-desk-delivery']);
    // The feed's shape, with the complaint's personal values left out.
    expect(first!.json).toMatchObject({ stream: `complaint-${received.body.id}`, streamType: 'complaint', revision: 0 });
    const stored = (await app().get(EventStore).readAll({ fromPosition: first!.json.position, maxCount: 1 }))[0]!;
    expect(first!.json).toEqual(JSON.parse(JSON.stringify(feedEventOf(stored))));

    const log = await waitFor('both deliveries delivered', () => deliveries(app(), webhookId), (items) => items.length === 2 && items.every((item) => item.status === 'delivered'));
    expect(log.map((item) => item.eventType)).toEqual(['ComplaintValidated', 'ComplaintReceived']);
    expect(log[1]).toMatchObject({ id: first!.headers['complaint-desk-delivery'], attempts: 1, lastStatusCode: 204, lastError: null, redeliveryOf: null });

    const view = await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' });
    expect(view.body).toMatchObject({ id: webhookId, url: receiver.url, status: 'active', filter: { eventTypes: ['ComplaintReceived', 'ComplaintValidated'], streamTypes: [] } });
    const everything = JSON.stringify([view.body, (await app().request('GET', '/webhooks', { role: 'admin' })).body, await app().get(EventStore).readAll()]);
    expect(everything).not.toContain(SECRET);
  });

  it('leaves the personal values of a customer file out, as the feed does', async () => {
    await register(app(), receiver.url, { eventTypes: [], streamTypes: ['customer-file'], customerId: 'cust-hook-personal' });
    await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-hook-personal', customerName: '赵女士' } });
    await receiver.waitFor((hooks) => hooks.length >= 1);
    expect(receiver.received[0]!.json).toMatchObject({ streamType: 'customer-file', stream: 'customer-cust-hook-personal' });
    expect(receiver.received[0]!.json.data['personal']).toBeNull();
    expect(receiver.received[0]!.body).not.toContain('赵女士');
  });

  it('sends nothing again when every read model is rebuilt into a new generation (delivery state is not a read model)', async () => {
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await waitFor('one delivery, delivered', () => deliveries(app(), webhookId), (items) => items.length === 1 && items[0]!.status === 'delivered');
    const { generations } = await replayLive(app().get(EventStore), app().get(ReadStore), undefined);
    expect(generations.length).toBeGreaterThan(0);
    const next = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await receiver.waitFor((hooks) => hooks.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.map((hook) => hook.json.stream)).toEqual([expect.stringMatching(/^complaint-/), `complaint-${next.body.id}`]);
    expect(await deliveries(app(), webhookId)).toHaveLength(2);
  });

  it('tries a failed delivery again with the same delivery id, and holds the events behind it until it succeeds', async () => {
    receiver.next(500, 503);
    const webhookId = await register(app(), receiver.url);
    const one = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const two = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await receiver.waitFor((hooks) => hooks.length >= 4);
    const ids = receiver.received.map((hook) => hook.headers['complaint-desk-delivery']);
    const streams = receiver.received.map((hook) => hook.json.stream);
    // The first event three times (500, 503, 204), then the second: in log order, never overtaken.
    expect(streams).toEqual([`complaint-${one.body.id}`, `complaint-${one.body.id}`, `complaint-${one.body.id}`, `complaint-${two.body.id}`]);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    const log = await waitFor('both deliveries delivered', () => deliveries(app(), webhookId), (items) => items.every((item) => item.status === 'delivered') && items.length === 2);
    expect(log[1]).toMatchObject({ attempts: 3, lastStatusCode: 204 });
  });

  it('makes a dead letter of a delivery whose retry window runs out, and sends it again on request as a new delivery', async () => {
    receiver.always(500);
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const [dead] = await waitFor('one dead delivery', () => deliveries(app(), webhookId, '?status=dead'), (items) => items.length === 1);
    expect(dead).toMatchObject({ status: 'dead', lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(dead!['attempts']).toBeGreaterThan(1);
    expect(await deliveries(app(), webhookId, '?status=pending')).toEqual([]);

    receiver.always(204);
    const before = receiver.received.length;
    const redelivered = await app().request('POST', `/webhooks/${webhookId}/deliveries/${dead!['id']}/redeliver`, { role: 'admin', body: { reason: 'the CRM is back' } });
    expect(redelivered.status).toBe(200);
    await receiver.waitFor((hooks) => hooks.length > before);
    const again = receiver.received[before]!;
    expect(again.headers['complaint-desk-delivery']).not.toBe(dead!['id']);
    expect(again.json.position).toBe(dead!['eventPosition']);
    const log = await waitFor('the redelivery of the dead one, delivered', () => deliveries(app(), webhookId), (items) => items.some((item) => item.redeliveryOf === dead!['id'] && item.status === 'delivered'));
    expect(log[0]).toMatchObject({ redeliveryOf: dead!['id'], status: 'delivered', eventId: dead!['eventId'] });
  });

  it('refuses to send again a delivery still waiting, or one it does not have', async () => {
    receiver.always('hang');
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const [pending] = await waitFor('one delivery', () => deliveries(app(), webhookId), (items) => items.length === 1);
    const refused = await app().request('POST', `/webhooks/${webhookId}/deliveries/${pending!['id']}/redeliver`, { role: 'admin', body: { reason: 'again' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('webhook-delivery-pending');
    const unknown = await app().request('POST', `/webhooks/${webhookId}/deliveries/${randomUUID()}/redeliver`, { role: 'admin', body: { reason: 'again' } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'webhook-delivery-not-found' } });
    await app().request('POST', `/webhooks/${webhookId}/delete`, { role: 'admin', body: { reason: 'done' } });
  });

  it('queues events while paused and sends them in order on resume; a deleted webhook gets nothing more', async () => {
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    expect((await app().request('POST', `/webhooks/${webhookId}/pause`, { role: 'admin', body: { reason: 'CRM maintenance' } })).status).toBe(200);
    const again = await app().request('POST', `/webhooks/${webhookId}/pause`, { role: 'admin', body: { reason: 'twice' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'webhook-already-paused', command: 'PauseWebhook' } });
    const one = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const two = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await waitFor('two deliveries pending', () => deliveries(app(), webhookId, '?status=pending'), (items) => items.length === 2);
    expect(receiver.received).toEqual([]);
    await app().request('POST', `/webhooks/${webhookId}/resume`, { role: 'admin', body: { reason: 'CRM back' } });
    await receiver.waitFor((hooks) => hooks.length >= 2);
    expect(receiver.received.map((hook) => hook.json.stream)).toEqual([`complaint-${one.body.id}`, `complaint-${two.body.id}`]);

    await app().request('POST', `/webhooks/${webhookId}/delete`, { role: 'admin', body: { reason: 'CRM retired' } });
    const after = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    expect((await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).body.status).toBe('deleted');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.map((hook) => hook.json.stream)).not.toContain(`complaint-${after.body.id}`);
  });

  it('drops the deliveries still waiting when their webhook is deleted, the one in flight too, saying why; the log keeps them', async () => {
    // Paused: two deliveries wait. Then resumed into a receiver that hangs: the first is in flight when the webhook is deleted.
    receiver.always('hang');
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    await app().request('POST', `/webhooks/${webhookId}/pause`, { role: 'admin', body: { reason: 'CRM maintenance' } });
    await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await waitFor('two deliveries pending', () => deliveries(app(), webhookId, '?status=pending'), (items) => items.length === 2);
    await app().request('POST', `/webhooks/${webhookId}/resume`, { role: 'admin', body: { reason: 'CRM back' } });
    await receiver.waitFor((hooks) => hooks.length === 1);
    expect((await app().request('POST', `/webhooks/${webhookId}/delete`, { role: 'admin', body: { reason: 'CRM retired' } })).status).toBe(200);

    // The attempt in flight times out after the deletion (2 s): it is dropped too, not left waiting for a retry that never comes.
    const dropped = await waitFor('two deliveries dropped', () => deliveries(app(), webhookId, '?status=dropped'), (items) => items.length === 2);
    for (const delivery of dropped) {
      expect(delivery).toMatchObject({ status: 'dropped', dropReason: 'webhook-deleted', droppedAt: expect.any(String), nextAttemptAt: null, deliveredAt: null, deadAt: null });
    }
    expect(dropped.map((delivery) => delivery['attempts']).sort()).toEqual([0, 1]);
    expect(await deliveries(app(), webhookId, '?status=pending')).toEqual([]);
    expect((await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).body).toMatchObject({ status: 'deleted', pendingDeliveries: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('sends nothing more to a webhook deleted while its backlog is being sent: the attempt in flight ends, the rest is dropped', async () => {
    // A slow receiver (300 ms an answer) and six waiting deliveries: the sender is busy with the backlog when the webhook is deleted.
    receiver.slowly(300);
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    await app().request('POST', `/webhooks/${webhookId}/pause`, { role: 'admin', body: { reason: 'CRM maintenance' } });
    for (let sent = 0; sent < 6; sent += 1) await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await waitFor('six deliveries pending', () => deliveries(app(), webhookId, '?status=pending'), (items) => items.length === 6);
    await app().request('POST', `/webhooks/${webhookId}/resume`, { role: 'admin', body: { reason: 'CRM back' } });
    await receiver.waitFor((hooks) => hooks.length === 1);
    expect((await app().request('POST', `/webhooks/${webhookId}/delete`, { role: 'admin', body: { reason: 'CRM retired' } })).status).toBe(200);
    const sentBefore = receiver.received.length;

    await waitFor('no delivery pending', () => deliveries(app(), webhookId, '?status=pending'), (items) => items.length === 0);
    // At most the attempt in flight at the deletion (and one the sender began before it saw the deletion) reaches the receiver.
    expect(receiver.received.length).toBeLessThanOrEqual(sentBefore + 1);
    const dropped = await deliveries(app(), webhookId, '?status=dropped');
    expect(dropped.length + receiver.received.length).toBe(6);
    expect(dropped.every((delivery) => delivery['dropReason'] === 'webhook-deleted')).toBe(true);
  });

  it.each([
    'http://10.0.0.7/hooks', 'http://192.168.1.20/hooks', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hooks', 'http://[fd00::1]/hooks', 'http://[::ffff:7f00:2]/hooks', 'http://0.0.0.0/hooks',
    'http://127.0.0.2/hooks',
  ])('refuses to register %s (not a public address, not allowed), writing nothing', async (url) => {
    const before = await app().request('GET', '/webhooks', { role: 'admin' });
    const response = await app().request('POST', '/webhooks', { role: 'admin', body: { url, secret: SECRET, reason: 'try' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'validation-failed', errors: [{ field: 'url' }] });
    expect(response.body.errors[0].message).toContain('WEBHOOK_ALLOW_HOSTS');
    expect((await app().request('GET', '/webhooks', { role: 'admin' })).body.revision).toBe(before.body.revision);
  });

  it('keeps the registrations on a hash-chained stream an auditor can check (GET /audit/verify?stream=webhooks)', async () => {
    await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    const verdict = await app().request('GET', '/audit/verify?stream=webhooks', { role: 'auditor' });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ ok: true, stream: 'webhooks', events: expect.any(Number) });
  });

  it('rotates the secret: the old one signs beside the new one during the grace period, then only the new one; the log keeps fingerprints only', async () => {
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    const send = async () => {
      const before = receiver.received.length;
      await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: `cust-${randomUUID().slice(0, 8)}` } });
      await receiver.waitFor((hooks) => hooks.length > before);
      const hook = receiver.received[before]!;
      return { signature: String(hook.headers['complaint-desk-signature']), body: hook.body };
    };
    const now = () => Math.floor(Date.now() / 1000);
    const NEXT = 'whsec-e2e-rotated-0123456789abcdef01234567';
    // A rotation names the revision it rotates: the ETag of the webhook as read just before.
    const etag = async () => (await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).headers.get('etag')!;
    const rotate = async (body: Record<string, unknown>) => app().request('POST', `/webhooks/${webhookId}/rotate-secret`, { role: 'admin', body: { reason: 'yearly rotation', ...body }, headers: { 'if-match': await etag() } });

    const rotated = await rotate({ secret: NEXT, graceHours: 24 });
    expect(rotated.status).toBe(200);
    const during = await send();
    expect(during.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(NEXT, during.signature, during.body, now())).toBe(true);
    expect(verifyWebhook(SECRET, during.signature, during.body, now())).toBe(true);
    const view = (await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).body;
    expect(view).toMatchObject({ secretFingerprint: secretFingerprint(NEXT).slice(0, 16), previousSecret: { fingerprint: secretFingerprint(SECRET).slice(0, 16), signing: true } });
    expect(Date.parse(view.previousSecret.until) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    // The event names fingerprints, never a secret.
    const history = await app().get(EventStore).readStream('webhooks');
    const event = history.find((recorded) => recorded.type === 'WebhookSecretRotated' && recorded.data['webhookId'] === webhookId)!;
    expect(event.data).toMatchObject({ secretFingerprint: secretFingerprint(NEXT), previousFingerprint: secretFingerprint(SECRET), reason: 'yearly rotation', by: { role: 'admin' } });
    expect(JSON.stringify(history)).not.toContain(NEXT);

    // Refusals write nothing: the same secret again, a grace period out of range, no reason.
    const revision = history[history.length - 1]!.revision;
    const same = await rotate({ secret: NEXT });
    expect([same.status, same.body.code, same.body.errors?.[0]?.field]).toEqual([400, 'webhook-secret-unchanged', 'secret']);
    const long = await rotate({ secret: 'whsec-e2e-third-0123456789abcdef0123456789', graceHours: 1000 });
    expect([long.status, long.body.errors?.[0]?.field]).toEqual([400, 'graceHours']);
    expect(long.body.errors[0].message).toContain('from 0 to 168');
    expect((await rotate({ secret: 'whsec-e2e-third-0123456789abcdef0123456789', reason: undefined })).status).toBe(400);
    expect((await app().get(EventStore).readStream('webhooks')).at(-1)!.revision).toBe(revision);

    // A rotation without grace: only the newest secret signs.
    const THIRD = 'whsec-e2e-third-0123456789abcdef0123456789';
    expect((await rotate({ secret: THIRD, graceHours: 0 })).status).toBe(200);
    const after = await send();
    expect(after.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(THIRD, after.signature, after.body, now())).toBe(true);
    expect(verifyWebhook(NEXT, after.signature, after.body, now())).toBe(false);
    expect(verifyWebhook(SECRET, after.signature, after.body, now())).toBe(false);

    await app().request('POST', `/webhooks/${webhookId}/delete`, { role: 'admin', body: { reason: 'test done' } });
    const deleted = await rotate({ secret: 'whsec-e2e-fourth-0123456789abcdef012345678' });
    expect([deleted.status, deleted.body.code]).toEqual([409, 'webhook-deleted']);
    const unknown = await app().request('POST', `/webhooks/${randomUUID()}/rotate-secret`, { role: 'admin', body: { secret: THIRD, reason: 'r' }, headers: { 'if-match': '"0"' } });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'webhook-not-found']);
  });

  it('of two rotations of one revision at once, takes one and tells the other (412); a rotation without If-Match is 428 saying where the ETag is; nothing is written for either refusal', async () => {
    const webhookId = await register(app(), receiver.url, { eventTypes: ['ComplaintReceived'] });
    const read = await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' });
    const etag = read.headers.get('etag')!;
    const revision = (await app().get(EventStore).readStream('webhooks')).at(-1)!.revision;
    expect(etag).toBe(`"${revision}"`);
    const rotate = (secret: string, headers: Record<string, string>) =>
      app().request('POST', `/webhooks/${webhookId}/rotate-secret`, { role: 'admin', body: { secret, graceHours: 0, reason: 'leaked' }, headers });

    // Without If-Match, or with `*`: 428, nothing written.
    for (const headers of [{}, { 'if-match': '*' }] as Array<Record<string, string>>) {
      const missing = await rotate('whsec-e2e-missing-0123456789abcdef012345', headers);
      expect([missing.status, missing.body.code, missing.body.errors?.[0]?.field]).toEqual([428, 'precondition-required', 'If-Match']);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect(missing.body.detail).toContain(`GET /webhooks/${webhookId}`);
    }
    expect((await app().get(EventStore).readStream('webhooks')).at(-1)!.revision).toBe(revision);

    // Two rotations of the same revision at once: exactly one 200, the other 412 (as of the winner's revision).
    const FIRST = 'whsec-e2e-race-one-0123456789abcdef0123456';
    const SECOND = 'whsec-e2e-race-two-0123456789abcdef0123456';
    const answers = await Promise.all([rotate(FIRST, { 'if-match': etag }), rotate(SECOND, { 'if-match': etag })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
    const winner = answers[0]!.status === 200 ? FIRST : SECOND;
    const loser = answers.find((answer) => answer.status === 412)!;
    expect(loser.body).toMatchObject({ code: 'revision-mismatch', expectedRevision: revision, currentRevision: revision + 1 });
    expect(loser.body.detail).toBe(`The webhook registry is at revision ${revision + 1}, not ${revision}: reload it and decide again.`);
    const rotations = (await app().get(EventStore).readStream('webhooks')).filter((recorded) => recorded.type === 'WebhookSecretRotated' && recorded.data['webhookId'] === webhookId);
    expect(rotations.map((recorded) => recorded.data['secretFingerprint'])).toEqual([secretFingerprint(winner)]);
    expect((await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).body.secretFingerprint).toBe(secretFingerprint(winner).slice(0, 16));

    // The winner's secret is the one that signs (the loser's did not replace it in the store).
    const before = receiver.received.length;
    await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: `cust-${randomUUID().slice(0, 8)}` } });
    await receiver.waitFor((hooks) => hooks.length > before);
    const hook = receiver.received[before]!;
    expect(verifyWebhook(winner, String(hook.headers['complaint-desk-signature']), hook.body, Math.floor(Date.now() / 1000))).toBe(true);

    // The other changes take If-Match too (optional, as on complaints and customer files): a stale one is 412, nothing written.
    const stale = await app().request('POST', `/webhooks/${webhookId}/pause`, { role: 'admin', body: { reason: 'maintenance' }, headers: { 'if-match': etag } });
    expect([stale.status, stale.body.code]).toEqual([412, 'revision-mismatch']);
    expect(stale.body.detail).toBe(`The webhook registry is at revision ${revision + 1}, not ${revision}: reload it and decide again.`);
    const current = (await app().request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).headers.get('etag')!;
    const paused = await app().request('POST', `/webhooks/${webhookId}/pause`, { role: 'admin', body: { reason: 'maintenance' }, headers: { 'if-match': current } });
    expect(paused.status).toBe(200);
    expect(paused.headers.get('etag')).toBe(`"${revision + 2}"`);
    await app().request('POST', `/webhooks/${webhookId}/delete`, { role: 'admin', body: { reason: 'test done' } });
  });

  it('refuses a URL with a line break, a space or a bidirectional control, saying to percent-encode', async () => {
    for (const url of ['http://93.184.215.14/a\r\nX-Evil: 1', 'http://93.184.215.14/a b', 'http://93.184.215.14/\u202etxt.exe']) {
      const response = await app().request('POST', '/webhooks', { role: 'admin', body: { url, secret: SECRET, reason: 'try' } });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'url', message: expect.stringMatching(/percent-encode/) })]));
    }
  });

  it('refuses a short secret and an unknown stream type with a 400 that says how to fix it', async () => {
    const short = await app().request('POST', '/webhooks', { role: 'admin', body: { url: receiver.url, secret: 'short', reason: 'try' } });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body.errors)).toContain('secret must be 32–256 visible ASCII characters');
    const kind = await app().request('POST', '/webhooks', { role: 'admin', body: { url: receiver.url, secret: SECRET, streamTypes: ['webhooks'], reason: 'try' } });
    expect(kind.status).toBe(400);
    expect(JSON.stringify(kind.body.errors)).toContain('each of streamTypes must be one of');
  });

  it('refuses an event type the feed does not know (it would match nothing), as GET /feed?type= does, and writes nothing', async () => {
    // The registry's revision: other webhooks' circuits keep changing in the background, a registration would move it.
    const revision = async () => (await app().request('GET', '/webhooks', { role: 'admin' })).body.revision as number;
    const before = await revision();
    const nope = await app().request('POST', '/webhooks', { role: 'admin', body: { url: receiver.url, secret: SECRET, eventTypes: ['ComplaintReceived', 'Nope'], reason: 'try' } });
    expect([nope.status, nope.body.code]).toEqual([400, 'validation-failed']);
    expect(nope.body.errors).toEqual([{ field: 'eventTypes', message: expect.stringContaining('each of eventTypes must be an event type the API records') }]);
    expect((await app().request('GET', '/feed?type=Nope', { role: 'admin' })).status).toBe(400);
    // A misspelt one gets the close types, and the whole list is where the API serves its OpenAPI document.
    const misspelt = await app().request('POST', '/webhooks', { role: 'admin', body: { url: receiver.url, secret: SECRET, eventTypes: ['ComplaintRecieved'], reason: 'try' } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.errors).toEqual([{ field: 'eventTypes', message: expect.stringContaining('"ComplaintRecieved" (did you mean ComplaintReceived') }]);
    expect(misspelt.body.errors[0].message).toMatch(/GET \/docs-json\)\.$/);
    expect((await app().request('GET', '/docs-json', { role: null })).status).toBe(200);
    expect(await revision()).toBe(before);
  });

  it('keeps no secret for a registration the registry refuses (a user name in the URL, port 0, a fragment)', async () => {
    const secrets = () => app().get(ReadStore).count(SECRETS);
    const before = await secrets();
    const target = new URL(receiver.url);
    for (const url of [`http://user:pass@${target.host}/in`, `http://${target.hostname}:0/in`, `${receiver.url}#part`]) {
      const response = await app().request('POST', '/webhooks', { role: 'admin', body: { url, secret: SECRET, reason: 'try' } });
      expect([url, response.status, response.body.errors?.[0]?.field]).toEqual([url, 400, 'url']);
      expect([url, await secrets()]).toEqual([url, before]);
    }
  });

  it('refuses a URL that is not http or https by its scheme, before any DNS lookup of its host', async () => {
    for (const url of ['ftp://hooks.example.invalid/in', 'file:///etc/passwd', 'gopher://hooks.example.invalid/']) {
      const response = await app().request('POST', '/webhooks', { role: 'admin', body: { url, secret: SECRET, reason: 'try' } });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('absolute http or https URL') }]);
    }
  });

  it('is for admins of every department only', async () => {
    for (const role of ['agent', 'supervisor', 'engineer', 'analyst', 'auditor'] as const) {
      expect((await app().request('GET', '/webhooks', { role })).status).toBe(403);
      expect((await app().request('POST', '/webhooks', { role, body: { url: receiver.url, secret: SECRET, reason: 'x' } })).status).toBe(403);
    }
    // Admin tokens cannot be limited to departments; a supervisor's limited token is refused like any other.
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'supervisor-north', role: 'supervisor', departments: ['north'], reason: 'regional supervisor' } });
    expect(issued.status).toBe(201);
    const scoped = await app().request('GET', '/webhooks', { token: issued.body.token });
    expect(scoped).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await app().request('GET', '/webhooks', { role: 'admin' })).status).toBe(200);
  });
});

describe('webhooks across a crash', () => {
  it('sends the delivery in flight again after a kill -9 and a restart on the same data dir, and loses none', async () => {
    const { startServer } = await import('../crash/support/server');
    const receiver = await startReceiver();
    const dataDir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/complaint-desk-webhooks-`);
    const ADMIN = 'crash-admin-token-0123456789abcdef';
    const env = {
      PROJECTIONS: 'inline', WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '100', WEBHOOK_TIMEOUT_MS: '60000',
      API_TOKENS: `crash-agent-token-0123456789abcdef:crash-agent:agent,${ADMIN}:crash-admin:admin`,
    };
    const call = async (url: string, path: string, body: unknown, token: string) => {
      const response = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
    };
    try {
      let server = await startServer(dataDir, env);
      const registered = await call(server.url, '/webhooks', { url: receiver.url, secret: SECRET, eventTypes: ['ComplaintReceived'], reason: 'crash test' }, ADMIN);
      expect(registered.status).toBe(201);
      // The first delivery hangs at the receiver: the process dies while it is in flight.
      receiver.next('hang');
      const streams: string[] = [];
      for (let index = 0; index < 3; index += 1) streams.push(`complaint-${(await call(server.url, '/complaints', newComplaint, 'crash-agent-token-0123456789abcdef')).body['id']}`);
      await receiver.waitFor((hooks) => hooks.length === 1);
      server.child.kill('SIGKILL');
      await server.exited;

      server = await startServer(dataDir, env);
      try {
        await receiver.waitFor((hooks) => hooks.length >= 4);
        const got = receiver.received.map((hook) => hook.json.stream);
        // The one in flight once more (same delivery id: at least once), then the others, in order, each once.
        expect(got).toEqual([streams[0], streams[0], streams[1], streams[2]]);
        expect(receiver.received[1]!.headers['complaint-desk-delivery']).toBe(receiver.received[0]!.headers['complaint-desk-delivery']);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(receiver.received).toHaveLength(4);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    } finally {
      await receiver.close();
      removeDataDir(dataDir);
    }
  }, 240_000);
});


describe('webhook delivery as commits happen', () => {
  it('sends an event moments after its commit, without waiting for the next poll', async () => {
    // A poll of a minute: only being told of the commit can deliver within the test's few seconds.
    const started = await startApp(undefined, { webhooks: { ...FAST, pollMs: 60_000 } });
    const receiver = await startReceiver();
    try {
      await register(started, receiver.url, { eventTypes: ['ComplaintReceived'] });
      for (const customerId of ['cust-prompt-1', 'cust-prompt-2']) {
        const received = await started.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId } });
        expect(received.status).toBe(201);
        await receiver.waitFor((hooks) => hooks.some((hook) => hook.json.stream === `complaint-${received.body.id}`), 5_000);
      }
      expect(receiver.received.map((hook) => hook.json.type)).toEqual(['ComplaintReceived', 'ComplaintReceived']);
    } finally {
      await receiver.close();
      await started.stop();
      removeDataDir(started.dataDir);
    }
  });
});

describe('webhook secret rotation across two API processes', () => {
  it('of two rotations of one revision sent to two processes at once, takes one and refuses the other (412), and the stored secret is the winner\'s every time', async () => {
    const first = await startApp(undefined, { webhooks: { ...FAST, pollMs: 60_000 } });
    // The second process on the same data: its own rotation queue, so only the store can keep the two apart.
    const second = await startApp(first.dataDir, { projections: 'external', http: QUIET_HTTP, webhooks: { ...FAST, pollMs: 60_000 } });
    try {
      const webhookId = await register(first, 'http://127.0.0.1:9/unused', { eventTypes: ['ComplaintReceived'] });
      for (let round = 0; round < 6; round += 1) {
        const etag = (await first.request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).headers.get('etag')!;
        const secrets = [`whsec-e2e-two-a-${round}-0123456789abcdef0123456`, `whsec-e2e-two-b-${round}-0123456789abcdef0123456`];
        const answers = await Promise.all([first, second].map((app, index) => app.request('POST', `/webhooks/${webhookId}/rotate-secret`, {
          role: 'admin', body: { secret: secrets[index], graceHours: 0, reason: `round ${round}` }, headers: { 'if-match': etag },
        })));
        expect([round, answers.map((answer) => answer.status).sort()]).toEqual([round, [200, 412]]);
        expect(answers.find((answer) => answer.status === 412)!.body.code).toBe('revision-mismatch');
        const winner = secrets[answers.findIndex((answer) => answer.status === 200)]!;
        const loser = secrets.find((secret) => secret !== winner)!;
        expect((await first.request('GET', `/webhooks/${webhookId}`, { role: 'admin' })).body.secretFingerprint).toBe(secretFingerprint(winner).slice(0, 16));
        // What the sender signs with, in either process: the winner's secret, and the loser's nowhere.
        for (const app of [first, second]) {
          expect([round, await app.get(WebhookStore).secret(webhookId, secretFingerprint(winner))]).toEqual([round, winner]);
          expect([round, await app.get(WebhookStore).secret(webhookId, secretFingerprint(loser))]).toEqual([round, undefined]);
        }
      }
    } finally {
      await second.stop();
      await first.stop();
      removeDataDir(first.dataDir);
    }
  }, 120_000);
});
