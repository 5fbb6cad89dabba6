import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEBHOOKS_STREAM } from '@app/domain';
import { SqliteEventStore, type ReadAllOptions, type ReadStreamOptions, type RecordedEvent } from '@app/event-store';
import { SqliteReadStore, type DocumentChange, type FindOptions, type ReadDocument, type VersionedDocument } from '@app/read-store';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSender } from './webhook-sender';
import { DEFAULT_WEBHOOK_SETTINGS } from './webhook-settings';
import { secretFingerprint } from './webhook-signature';
import { ENDPOINTS, SECRETS, WebhookStore } from './webhook-store';

/** What the sender asked of the stores: reads by collection, and the transactions it wrote. */
class CountingReadStore extends SqliteReadStore {
  readonly gets = new Map<string, number>();
  finds = 0;
  writes = 0;

  override async get<T extends ReadDocument>(collection: string, id: string): Promise<T | undefined> {
    this.gets.set(collection, (this.gets.get(collection) ?? 0) + 1);
    return super.get<T>(collection, id);
  }

  override async find<T extends ReadDocument>(collection: string, options: FindOptions = {}) {
    this.finds += 1;
    return super.find<T>(collection, options);
  }

  override async commit(checkpointName: string, changes: readonly DocumentChange[], position: number, options = {}): Promise<void> {
    this.writes += 1;
    return super.commit(checkpointName, changes, position, options);
  }

  override async putIfVersion(collection: string, document: VersionedDocument, expectedVersion: number | null): Promise<boolean> {
    this.writes += 1;
    return super.putIfVersion(collection, document, expectedVersion);
  }
}

class CountingEventStore extends SqliteEventStore {
  reads = 0;
  /** Events of the webhooks stream handed out by readStream, all reads together. */
  webhookEventsRead = 0;

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.reads += 1;
    return super.readAll(options);
  }

  override async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await super.readStream(stream, options);
    if (stream === WEBHOOKS_STREAM) this.webhookEventsRead += events.length;
    return events;
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached in 10 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const by = { id: 'admin-1', role: 'admin' };
const secret = 'whsec-sender-spec-0123456789abcdef0123';
const lookups = { facts: async () => undefined, customerFileVisible: async () => true };

/** docs/adr/0018, "A webhook that keeps up": the sender's reads and commits per delivery, and a backlog longer than one run. */
describe('the webhook sender on a backlog', () => {
  let dir: string;
  let events: CountingEventStore;
  let reads: CountingReadStore;
  let receiver: Server;
  let port: number;
  /** Each POST the receiver got: the log position and the delivery id. */
  let received: Array<{ position: number; delivery: string }>;
  /** Positions the receiver answers 500 to, once each. */
  let failOnce: Set<number>;
  /** A position whose answer waits until the test releases it (an attempt in flight). */
  let holdAt: number | undefined;
  let release: (() => void) | undefined;
  let sender: WebhookSender | undefined;
  const webhookId = randomUUID();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-sender-'));
    events = new CountingEventStore({ filename: join(dir, 'events.sqlite') });
    reads = new CountingReadStore({ filename: join(dir, 'read.sqlite') });
    received = [];
    failOnce = new Set();
    holdAt = undefined;
    release = undefined;
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const position = Number(request.headers['complaint-desk-position']);
        received.push({ position, delivery: String(request.headers['complaint-desk-delivery']) });
        if (failOnce.delete(position)) response.writeHead(500).end();
        else if (position === holdAt) release = () => response.writeHead(204).end();
        else response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
    const store = new WebhookStore(reads);
    await store.ensure();
    await store.putSecret(webhookId, secret);
    await events.append(WEBHOOKS_STREAM, [{ eventId: randomUUID(), type: 'WebhookRegistered', metadata: {}, data: {
      webhookId, url: `http://127.0.0.1:${port}/hooks`, filter: { eventTypes: [], streamTypes: [], complaintId: null, customerId: null },
      secretFingerprint: secretFingerprint(secret), description: null, registeredAt: new Date().toISOString(), by, reason: 'test',
    } }]);
  });
  afterEach(async () => {
    await sender?.stop();
    sender = undefined;
    await new Promise((resolve) => receiver.close(resolve));
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `count` complaint events, queued by the outbox; their log positions. */
  const backlog = async (count: number): Promise<number[]> => {
    const positions: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const complaintId = randomUUID();
      const result = await events.append(`complaint-${complaintId}`, [{ eventId: randomUUID(), type: 'ComplaintReceived', data: { complaintId }, metadata: {} }]);
      positions.push(result.position);
    }
    const outbox = new WebhookOutbox(events, reads, lookups, { pollMs: 60_000, now: () => new Date() });
    expect(await outbox.check()).toBe(count);
    return positions;
  };

  /** `pairs` pauses each followed by its resume in the webhooks stream (a long history, the webhook active after it); or one pause, or one resume. */
  const pauseAndResume = async (pairs: number, one?: 'pause' | 'resume') => {
    const pause = () => ({ eventId: randomUUID(), type: 'WebhookPaused', data: { webhookId, by, reason: 'test', pausedAt: new Date().toISOString() }, metadata: {} });
    const resume = () => ({ eventId: randomUUID(), type: 'WebhookResumed', data: { webhookId, by, reason: 'test', resumedAt: new Date().toISOString() }, metadata: {} });
    if (one !== undefined) return events.append(WEBHOOKS_STREAM, [one === 'pause' ? pause() : resume()]);
    return events.append(WEBHOOKS_STREAM, Array.from({ length: pairs }, () => [pause(), resume()]).flat());
  };

  /** A poll of a minute: whatever is sent within the test is sent without waiting for it. */
  const startSender = () => {
    sender = new WebhookSender(events, new WebhookStore(reads), {
      settings: { ...DEFAULT_WEBHOOK_SETTINGS, allowHosts: ['127.0.0.1'], pollMs: 60_000, retry: { ...DEFAULT_WEBHOOK_SETTINGS.retry, baseDelayMs: 1 } },
      now: () => new Date(), random: () => 0,
    });
    sender.start();
    sender.wake();
    return sender;
  };
  const pending = async () => new WebhookStore(reads).countPending(webhookId);

  it('sends a backlog longer than one run in a row at once, in log order, without waiting for the next poll', async () => {
    const positions = await backlog(230);
    startSender();
    await until(async () => (await pending()) === 0, 'the backlog delivered');
    expect(received.map((delivery) => delivery.position)).toEqual(positions);
  });

  it('records a run of successes in one commit each and reads the endpoint, the secret, the line and the events once per page, not per delivery', async () => {
    await backlog(20);
    reads.gets.clear();
    reads.finds = 0;
    reads.writes = 0;
    events.reads = 0;
    startSender();
    await until(async () => received.length === 20 && (await pending()) === 0, 'twenty delivered');
    await sender!.stop();
    expect(reads.writes).toBe(20);
    expect(reads.gets.get(ENDPOINTS) ?? 0).toBeLessThanOrEqual(1);
    expect(reads.gets.get(SECRETS) ?? 0).toBeLessThanOrEqual(1);
    // The line: a page, and the look that finds it empty; the events: the page's in one read.
    expect(reads.finds).toBeLessThanOrEqual(2);
    expect(events.reads).toBeLessThanOrEqual(2);
  });

  // The look before every attempt read and folded the whole webhooks stream: on a desk whose stream is long (pauses, rotations,
  // many webhooks) that was most of an attempt's cost. It now reads what came after the fold it keeps.
  it('folds the webhooks stream once and then reads only what came after it before each attempt, not the whole stream per attempt', async () => {
    await pauseAndResume(25);
    const streamLength = (await events.readStream(WEBHOOKS_STREAM)).length;
    await backlog(20);
    events.webhookEventsRead = 0;
    startSender();
    await until(async () => received.length === 20 && (await pending()) === 0, 'twenty delivered');
    await sender!.stop();
    // The whole stream once (the first pass), then nothing new: far from 20 whole reads.
    expect(events.webhookEventsRead).toBeLessThanOrEqual(streamLength + 2);
  });

  it('sees a pause and a resume stored after its fold: it stops at the pause\'s answer and sends the rest after the resume', async () => {
    const positions = await backlog(10);
    holdAt = positions[3]!;
    startSender();
    await until(() => release !== undefined, 'the fourth attempt in flight');
    await pauseAndResume(0, 'pause');
    release!();
    await until(async () => (await pending()) === 6, 'the attempt in flight recorded');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((delivery) => delivery.position)).toEqual(positions.slice(0, 4));
    await pauseAndResume(0, 'resume');
    sender!.wake();
    await until(async () => (await pending()) === 0, 'the rest delivered after the resume');
    expect(received.map((delivery) => delivery.position)).toEqual(positions);
  });

  it('holds the rest of the page behind a failed delivery, and sends it again with the same id before the ones behind it', async () => {
    const positions = await backlog(6);
    failOnce.add(positions[2]!);
    startSender();
    await until(() => received.length === 3, 'the failure');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Nothing behind the failed head was sent meanwhile.
    expect(received.map((delivery) => delivery.position)).toEqual(positions.slice(0, 3));
    const failedId = received[2]!.delivery;
    // Its retry is due at once (base delay 1 ms, jitter 0): the next pass sends it, then the rest.
    sender!.wake();
    await until(async () => (await pending()) === 0, 'the rest delivered');
    expect(received.map((delivery) => delivery.position)).toEqual([...positions.slice(0, 3), ...positions.slice(2)]);
    expect(received[3]!.delivery).toBe(failedId);
  });

  it('records the endpoint\'s breaker when a failure changes it, and closes it again on the next success', async () => {
    const positions = await backlog(3);
    failOnce.add(positions[0]!);
    startSender();
    await until(() => received.length === 1, 'the failure');
    await until(async () => (await new WebhookStore(reads).endpoint(webhookId)).consecutiveFailures === 1, 'the failure counted');
    sender!.wake();
    await until(async () => (await pending()) === 0, 'the rest delivered');
    const endpoint = await new WebhookStore(reads).endpoint(webhookId);
    expect(endpoint.consecutiveFailures).toBe(0);
    expect(endpoint.lastFailureAt).not.toBeNull();
  });

  it('stops a run before its next attempt once a pass has read the pause: the attempt in flight ends, the rest of the page waits', async () => {
    const positions = await backlog(10);
    holdAt = positions[3]!;
    startSender();
    await until(() => release !== undefined, 'the fourth attempt in flight');
    await events.append(WEBHOOKS_STREAM, [{ eventId: randomUUID(), type: 'WebhookPaused', data: { webhookId, by, reason: 'test', pausedAt: new Date().toISOString() }, metadata: {} }]);
    sender!.wake();
    await new Promise((resolve) => setTimeout(resolve, 100));
    release!();
    await until(async () => (await pending()) === 6, 'the attempt in flight recorded');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((delivery) => delivery.position)).toEqual(positions.slice(0, 4));
    expect(await pending()).toBe(6);
  });

  it('stops a run before its next attempt once the pause is in the log, though no pass has read it yet: nothing goes after the pause\'s answer', async () => {
    const positions = await backlog(10);
    holdAt = positions[3]!;
    startSender();
    await until(() => release !== undefined, 'the fourth attempt in flight');
    // The pause is recorded (its command has answered); the sender's poll is a minute away and nobody wakes it.
    await events.append(WEBHOOKS_STREAM, [{ eventId: randomUUID(), type: 'WebhookPaused', data: { webhookId, by, reason: 'test', pausedAt: new Date().toISOString() }, metadata: {} }]);
    release!();
    await until(async () => (await pending()) === 6, 'the attempt in flight recorded');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((delivery) => delivery.position)).toEqual(positions.slice(0, 4));
    expect(await pending()).toBe(6);
  });

  it('reads alone an event the page\'s read of the log did not reach (copies of old deliveries, far apart in the log)', async () => {
    const positions = await backlog(4);
    startSender();
    await until(async () => received.length === 4 && (await pending()) === 0, 'four delivered');
    const store = new WebhookStore(reads);
    const originals = await Promise.all([positions[0]!, positions[3]!].map(async (position) => (await store.deliveries(webhookId, { limit: 10 })).items.find((delivery) => delivery.eventPosition === position)!));
    await reads.commit('webhook-sender', originals.map((original, index) => ({ kind: 'put' as const, collection: 'webhook_deliveries', document: {
      ...original, id: randomUUID(), sequence: 1_000 + index, status: 'pending' as const, attempts: 0, firstAttemptAt: null, nextAttemptAt: null, deliveredAt: null, version: 0, redeliveryOf: original.id,
    } })), 0);
    sender!.wake();
    await until(async () => (await pending()) === 0, 'the copies delivered');
    expect(received.slice(4).map((delivery) => delivery.position)).toEqual([positions[0], positions[3]]);
  });

  it('sends a delivery again with the same id when its attempt was made but not recorded (at least once)', async () => {
    const positions = await backlog(3);
    const putIfVersion = reads.putIfVersion.bind(reads);
    let failed = false;
    // The record of the second attempt fails, as a process killed between the POST and its commit would leave it.
    jest.spyOn(reads, 'putIfVersion').mockImplementation(async (collection, document, expected) => {
      if (!failed && document['eventPosition'] === positions[1]) {
        failed = true;
        throw new Error('disk I/O error');
      }
      return putIfVersion(collection, document, expected);
    });
    startSender();
    await until(() => failed && received.length === 2, 'the unrecorded attempt');
    sender!.wake();
    await until(async () => (await pending()) === 0, 'the rest delivered');
    expect(received.map((delivery) => delivery.position)).toEqual([positions[0], positions[1], positions[1], positions[2]]);
    expect(received[2]!.delivery).toBe(received[1]!.delivery);
  });
});
