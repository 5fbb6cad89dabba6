import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEBHOOKS_STREAM } from '@app/domain';
import { SqliteEventStore, type AllSubscription, type SubscribeToAllOptions, type SubscriptionMessage } from '@app/event-store';
import { SqliteReadStore } from '@app/read-store';
import { WebhookDispatcher } from './webhook-dispatcher';
import { DEFAULT_WEBHOOK_SETTINGS } from './webhook-settings';

/** Each subscription the dispatcher opened: its filter, whether it is still open, and the streams of the events it was given. */
interface Watched { readonly options: SubscribeToAllOptions; open: boolean; readonly streams: string[] }

class WatchedStore extends SqliteEventStore {
  readonly opened: Watched[] = [];

  override subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const inner = super.subscribeToAll(options);
    const watched: Watched = { options, open: true, streams: [] };
    this.opened.push(watched);
    return {
      close: async () => {
        watched.open = false;
        await inner.close();
      },
      async* [Symbol.asyncIterator](): AsyncGenerator<SubscriptionMessage> {
        for await (const message of inner) {
          if (message.kind === 'event') watched.streams.push(message.event.stream);
          yield message;
        }
      },
    };
  }

  get open(): Watched[] {
    return this.opened.filter((watched) => watched.open);
  }
}

const by = { id: 'admin-1', role: 'admin' };
const at = '2026-06-01T08:00:00.000Z';
const complaintEvent = () => ({ eventId: randomUUID(), type: 'ComplaintReceived', data: { complaintId: randomUUID() }, metadata: {} });

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached in 5 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** ADR 0018, last amendment: the log is followed on the API's thread only while some webhook is active. */
describe('the webhook dispatcher\'s subscription to the log', () => {
  let dir: string;
  let events: WatchedStore;
  let reads: SqliteReadStore;
  let dispatcher: WebhookDispatcher;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-dispatcher-'));
    events = new WatchedStore({ filename: join(dir, 'events.sqlite') });
    reads = new SqliteReadStore({ filename: join(dir, 'read.sqlite') });
    // A poll of a minute: whatever happens within the test is the subscription's doing.
    dispatcher = new WebhookDispatcher(events, reads, { settings: { ...DEFAULT_WEBHOOK_SETTINGS, pollMs: 60_000 }, now: () => new Date(at), log: () => undefined });
    await dispatcher.start();
  });
  afterEach(async () => {
    await dispatcher.stop();
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const webhookChange = async (type: string, data: Record<string, unknown>, store: SqliteEventStore = events) => {
    await store.append(WEBHOOKS_STREAM, [{ eventId: randomUUID(), type, data: { ...data, by, reason: 'test' }, metadata: {} }]);
  };
  const register = async (webhookId: string, store: SqliteEventStore = events) => webhookChange('WebhookRegistered', {
    webhookId, url: 'https://crm.example.com/hooks', filter: { eventTypes: [], streamTypes: [], complaintId: null, customerId: null },
    secretFingerprint: 'f'.repeat(64), description: null, registeredAt: at,
  }, store);
  const followsEverything = () => events.open.some((watched) => watched.options.filter === undefined);

  it('with no webhook, reads no event of the log but the webhooks stream\'s', async () => {
    await until(() => events.open.length === 1, 'a subscription is open');
    for (let index = 0; index < 20; index += 1) await events.append(`complaint-${randomUUID()}`, [complaintEvent()]);
    // Time for a subscription to all events to have read them (the store wakes its subscriptions at each commit).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(followsEverything()).toBe(false);
    expect(events.opened.flatMap((watched) => watched.streams)).toEqual([]);
    expect(events.open.map((watched) => watched.options.filter)).toEqual([{ streamPrefixes: [WEBHOOKS_STREAM] }]);
  });

  it('follows every event once a webhook is registered, and stops when none is active (paused or deleted)', async () => {
    const webhookId = randomUUID();
    await register(webhookId);
    await until(followsEverything, 'a subscription to every event after the registration');
    const complaint = `complaint-${randomUUID()}`;
    await events.append(complaint, [complaintEvent()]);
    await until(() => events.open.some((watched) => watched.streams.includes(complaint)), 'the complaint\'s event read');

    await webhookChange('WebhookPaused', { webhookId, pausedAt: at });
    await until(() => !followsEverything(), 'no subscription to every event while the only webhook is paused');
    await webhookChange('WebhookResumed', { webhookId, resumedAt: at });
    await until(followsEverything, 'every event followed again after the resume');
    await webhookChange('WebhookDeleted', { webhookId, deletedAt: at });
    await until(() => !followsEverything(), 'no subscription to every event after the deletion');

    const later = `complaint-${randomUUID()}`;
    await events.append(later, [complaintEvent()]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.opened.some((watched) => watched.streams.includes(later))).toBe(false);
    expect(events.open).toHaveLength(1);
  });

  it('sees a registration another process wrote (apps/projector delivers, the API registers) well before the poll', async () => {
    const api = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    try {
      await until(() => events.open.length === 1, 'a subscription is open');
      await register(randomUUID(), api);
      await until(followsEverything, 'a subscription to every event after a registration from another connection');
      const complaint = `complaint-${randomUUID()}`;
      await api.append(complaint, [complaintEvent()]);
      await until(() => events.open.some((watched) => watched.streams.includes(complaint)), 'the other connection\'s commit read');
    } finally {
      await api.close();
    }
  });
});
