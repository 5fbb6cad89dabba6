import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock, ComplaintCommandExecutor, ComplaintRepository } from '@app/complaints';
import { DEFAULT_SLA_POLICY, WORK_ORDER_EVENT_SCHEMA_VERSIONS, notificationStreamName, surveyStreamName, workOrderStreamName } from '@app/domain';
import { surveySent } from '@app/domain/survey/testing/survey.fixtures';
import { reported, workOrderId } from '@app/domain/work-order/testing/work-order.fixtures';
import { deterministicUuid } from '@app/event-sourcing';
import { EventStore, SqliteEventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { ReadStore, SqliteReadStore } from '@app/read-store';
import { EmailTransport, type EmailMessage, type TextMessageSender } from './channels';
import * as messages from './notification-message';
import { OUTBOX_COLLECTION, PLANNER_CHECKPOINT, type OutboxEntry } from './notification-plan';
import { Notifier } from './notifier';
import { parseStaffDirectory } from './recipients';

class TestClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** An SMTP stand-in that keeps what it was given, and fails the first `failures` sends. */
class RecordingTransport extends EmailTransport {
  readonly sent: EmailMessage[] = [];
  constructor(private failures = 0) {
    super();
  }

  async send(message: EmailMessage): Promise<{ messageId: string | null }> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('421 try again later');
    }
    this.sent.push(message);
    return { messageId: `<${this.sent.length}@test>` };
  }

  async close(): Promise<void> {}
}

/** An SMTP server that takes a message and never answers for the addresses of `hanging` (until released): a slow relay. */
class HangingTransport extends RecordingTransport {
  readonly hung: EmailMessage[] = [];
  private release: (() => void) | undefined;
  private readonly released = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  constructor(private readonly hanging: string) {
    super();
  }

  override async send(message: EmailMessage): Promise<{ messageId: string | null }> {
    if (!message.to.some((address) => address.includes(this.hanging))) return super.send(message);
    this.hung.push(message);
    await this.released;
    return { messageId: '<late@test>' };
  }

  answer(): void {
    this.release?.();
  }
}

/** The read store on a volume that fills up: while `full`, every commit fails as SQLite's does on a full disk. */
class FillingReadStore extends SqliteReadStore {
  full = false;
  override async commit(...args: Parameters<SqliteReadStore['commit']>): Promise<void> {
    if (this.full) throw new Error('SqliteError: database or disk is full');
    return super.commit(...args);
  }
}

/**
 * The notifier on the embedded stores: the outbox and its checkpoints make each send happen once
 * across restarts, leave history alone, and retry a failing channel before giving up.
 */
describe('the notifier', () => {
  jest.setTimeout(30_000);
  let dir: string;
  let events: EventStore;
  let store: ReadStore;
  const clock = new TestClock();
  const running: Notifier[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'notifier-'));
    events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    store = new SqliteReadStore({ filename: join(dir, 'read.sqlite') });
  });
  afterEach(async () => {
    for (const notifier of running.splice(0)) await notifier.end();
    await events.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (email: EmailTransport, retryDelaysMs: number[] = [50, 50], texts: TextMessageSender[] = []) => {
    const notifier = new Notifier(events, store, clock, { from: 'desk@example.com', email, staff: parseStaffDirectory('dept:ops=ops@example.com'), intervalMs: 50, retryDelaysMs, texts });
    running.push(notifier);
    await notifier.begin();
    return notifier;
  };
  const stop = async (notifier: Notifier) => {
    running.splice(running.indexOf(notifier), 1);
    await notifier.end();
  };
  const executor = () => new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock);
  const receive = async (complaintId: string, email: string) => {
    const commandId = deterministicUuid(A, `receive ${complaintId}`);
    await executor().execute({ type: 'ReceiveComplaint', complaintId, data: { customerId: 'cust-1', channel: 'phone', cause: 'service', description: 'Slow service.', policy: DEFAULT_SLA_POLICY, contact: { email } } }, {
      commandId, correlationId: commandId, causationId: commandId, actor: { id: 'agent-1', role: 'agent' },
    });
  };
  const notificationsOf = async (complaintId: string): Promise<RecordedEvent[]> => {
    try {
      return await events.readStream(notificationStreamName(complaintId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  };
  const until = async (condition: () => Promise<boolean> | boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const A = '11111111-1111-4111-8111-111111111111';
  const B = '22222222-2222-4222-8222-222222222222';

  it('sends each planned e-mail once, and a restart sends nothing again', async () => {
    const transport = new RecordingTransport();
    const first = await start(transport);
    await receive(A, 'a@example.com');
    await until(async () => (await notificationsOf(A)).length === 2, 'the e-mail and the text recorded');
    expect(transport.sent.map((message) => message.to)).toEqual([['a@example.com']]);
    await stop(first);

    await start(transport);
    await receive(B, 'b@example.com');
    await until(async () => (await notificationsOf(B)).length === 2, 'the second complaint\'s sends recorded');
    expect(transport.sent.map((message) => message.to)).toEqual([['a@example.com'], ['b@example.com']]);
    expect((await notificationsOf(A)).map((event) => event.type)).toEqual(['NotificationSent', 'NotificationSkipped']);
  });

  it('composes no words for a send that goes to nobody: no SMTP server for the e-mail, no phone for the text: both recorded as skipped, in the customer\'s language', async () => {
    const composed = jest.spyOn(messages, 'composeMessage');
    try {
      const notifier = new Notifier(events, store, clock, { from: 'desk@example.com', email: null, staff: parseStaffDirectory(''), intervalMs: 50, texts: [] });
      running.push(notifier);
      await notifier.begin();
      await receive(A, 'a@example.com');
      await until(async () => (await notificationsOf(A)).length === 2, 'both sends recorded');
      const recorded = await notificationsOf(A);
      expect(recorded.map((event) => [event.type, event.data['channel'], event.data['language'], (event.data['outcome'] as { reason?: string } | undefined)?.reason ?? event.data['reason']]))
        .toEqual([['NotificationSkipped', 'email', 'zh-CN', 'channel-not-configured'], ['NotificationSkipped', 'sms', 'zh-CN', 'no-address']]);
      expect(composed).not.toHaveBeenCalled();
    } finally {
      composed.mockRestore();
    }
  });

  it('plans what the log holds in one commit per read of it, not one per event, and sends each once', async () => {
    const transport = new RecordingTransport();
    await stop(await start(transport));
    const ids = Array.from({ length: 6 }, (_, index) => `3333333${index}-3333-4333-8333-333333333333`);
    for (const id of ids) await receive(id, `${id.slice(0, 8)}@example.com`);
    const commit = jest.spyOn(store, 'commit');
    try {
      await start(transport);
      await until(async () => (await Promise.all(ids.map(notificationsOf))).every((recorded) => recorded.length === 2), 'every send recorded');
      expect(commit.mock.calls.filter(([checkpoint]) => checkpoint === PLANNER_CHECKPOINT)).toHaveLength(1);
      expect(await store.checkpoint(PLANNER_CHECKPOINT)).toBe((await events.readStream(`complaint-${ids[ids.length - 1]}`))[0]!.position);
      expect(transport.sent).toHaveLength(ids.length);
    } finally {
      commit.mockRestore();
    }
  });

  it('records the sends of a pass in one append per round (one send a stream each), not one per send, and marks them done in one commit', async () => {
    const transport = new RecordingTransport();
    // No pass on a timer: the one pass below is called by hand once everything is planned.
    const notifier = new Notifier(events, store, clock, { from: 'desk@example.com', email: transport, staff: parseStaffDirectory(''), intervalMs: 3_600_000, texts: [] });
    running.push(notifier);
    await notifier.begin();
    const ids = Array.from({ length: 6 }, (_, index) => `4444444${index}-4444-4444-8444-444444444444`);
    for (const id of ids) await receive(id, `${id.slice(0, 8)}@example.com`);
    await until(async () => (await store.count(OUTBOX_COLLECTION, { status: 'pending' })) === 2 * ids.length, 'every send planned');
    const append = jest.spyOn(events, 'append');
    const appendToStreams = jest.spyOn(events, 'appendToStreams');
    const commit = jest.spyOn(store, 'commit');
    try {
      expect(await notifier.check()).toBe(2 * ids.length);
      for (const id of ids) expect((await notificationsOf(id)).map((event) => [event.type, event.data['channel']])).toEqual([['NotificationSent', 'email'], ['NotificationSkipped', 'sms']]);
      expect(transport.sent).toHaveLength(ids.length);
      // The e-mails, then the texts: a complaint's two sends go to one stream, one of them in each append.
      expect(append).not.toHaveBeenCalled();
      expect(appendToStreams).toHaveBeenCalledTimes(2);
      expect(commit.mock.calls.filter(([checkpoint]) => checkpoint === 'notifications-sender')).toHaveLength(1);
      expect(await store.count(OUTBOX_COLLECTION, { status: 'pending' })).toBe(0);
    } finally {
      append.mockRestore();
      appendToStreams.mockRestore();
      commit.mockRestore();
    }
  });

  it('a stop while a send waits on a slow server records the pass\'s sends made before it at once; the waiting one is left for the next run', async () => {
    const transport = new HangingTransport('slow');
    await stop(await start(transport));
    await receive(A, 'a@example.com');
    await receive(B, 'slow@example.com');
    const notifier = await start(transport);
    await until(() => transport.hung.length === 1, 'the slow send begun');
    try {
      // A stop used to wait for the slow server (up to the SMTP timeout, 30 s), and the notifier's thread is ended after 15 s: the pass's earlier sends, delivered but not recorded, went out again.
      const ended = await Promise.race([stop(notifier).then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 3_000))]);
      expect(ended).toBe(true);
      expect((await notificationsOf(A)).map((event) => [event.type, event.data['channel']])).toEqual([['NotificationSent', 'email'], ['NotificationSkipped', 'sms']]);
      expect(await notificationsOf(B)).toEqual([]);
      expect((await store.find<OutboxEntry>(OUTBOX_COLLECTION, { filter: { status: 'pending' } })).items.map((entry) => [entry.complaintId, entry.channel, entry.attempts]))
        .toEqual([[B, 'email', 0], [B, 'sms', 0]]);
    } finally {
      transport.answer();
    }
    await start(new RecordingTransport());
    await until(async () => (await notificationsOf(B)).length === 2, 'the waiting send made by the next run');
    expect(transport.sent.map((message) => message.to)).toEqual([['a@example.com']]);
  });

  it('starts a new outbox at the head of the log: complaints from before it are not notified', async () => {
    await receive(A, 'a@example.com');
    const transport = new RecordingTransport();
    await start(transport);
    await receive(B, 'b@example.com');
    await until(async () => (await notificationsOf(B)).length === 2, 'the new complaint\'s sends recorded');
    expect(transport.sent.map((message) => message.to)).toEqual([['b@example.com']]);
    expect(await notificationsOf(A)).toEqual([]);
  });

  it('does not send again a send whose outcome is recorded but whose outbox entry was not marked (a crash between the two)', async () => {
    const transport = new RecordingTransport();
    const notifier = await start(transport);
    await receive(A, 'a@example.com');
    await until(async () => (await notificationsOf(A)).length === 2, 'the sends recorded');
    await stop(notifier);
    // As if the process died after recording the outcome, before marking the entry done.
    const page = await store.find<OutboxEntry>(OUTBOX_COLLECTION, { filter: { complaintId: A } });
    const changes = page.items.map((entry) => ({ kind: 'put' as const, collection: OUTBOX_COLLECTION, document: { ...entry, status: 'pending' } }));
    await store.commit('notifications-sender', changes, 1);
    await start(transport);
    await until(async () => (await store.count(OUTBOX_COLLECTION, { complaintId: A, status: 'pending' })) === 0, 'the entries marked done');
    expect(transport.sent).toHaveLength(1);
    expect(await notificationsOf(A)).toHaveLength(2);
  });

  it('sends nothing again when every read model is dropped and rebuilt from the log', async () => {
    const transport = new RecordingTransport();
    const notifier = await start(transport);
    await receive(A, 'a@example.com');
    await until(async () => (await notificationsOf(A)).length === 2, 'the sends recorded');
    const build = async () => {
      const runner = new ProjectionRunner(events, store, ALL_PROJECTIONS);
      await runner.start();
      await runner.waitForPosition(await events.headPosition(), 10_000);
      await runner.stop();
    };
    await build();
    await stop(notifier);
    // Every generation gone, then built again from the whole log (notification events included), and the notifier started again.
    const live = Object.values(await store.liveGenerations());
    expect(live.length).toBe(ALL_PROJECTIONS.length);
    for (const generation of live) await store.dropGeneration(generation);
    await build();
    await start(transport);
    await receive(B, 'b@example.com');
    await until(async () => (await notificationsOf(B)).length === 2, 'the next complaint\'s sends recorded');
    expect(transport.sent.map((message) => message.to)).toEqual([['a@example.com'], ['b@example.com']]);
    expect(await notificationsOf(A)).toHaveLength(2);
  });

  it('follows the log again from its checkpoint after a failed write (a full disk), says so meanwhile, and sends what came in meanwhile once', async () => {
    await store.close();
    const filling = new FillingReadStore({ filename: join(dir, 'read.sqlite') });
    store = filling;
    const transport = new RecordingTransport();
    const notifier = new Notifier(events, store, clock, {
      from: 'desk@example.com', email: transport, staff: parseStaffDirectory('dept:ops=ops@example.com'), intervalMs: 50, retryDelaysMs: [50], followRetryDelayMs: { first: 20, max: 100 },
    });
    running.push(notifier);
    await notifier.begin();
    expect(notifier.problems()).toEqual([]);
    filling.full = true;
    await receive(A, 'a@example.com');
    await until(() => notifier.problems().length > 0, 'the stopped planner named');
    expect(notifier.problems()).toEqual([expect.stringMatching(/^notifications: following the log fails \(\d+ times in a row since .+\): .*database or disk is full/)]);
    filling.full = false;
    await receive(B, 'b@example.com');
    await until(async () => (await notificationsOf(A)).length === 2 && (await notificationsOf(B)).length === 2, 'both complaints\' sends recorded');
    expect(transport.sent.map((message) => message.to)).toEqual([['a@example.com'], ['b@example.com']]);
    await until(() => notifier.problems().length === 0, 'the problem gone');
  });

  it('follows the log again after one failed write of the planner, and the sends are still recorded', async () => {
    await store.close();
    let failures = 1;
    const flaky = new (class extends SqliteReadStore {
      override async commit(...args: Parameters<SqliteReadStore['commit']>): Promise<void> {
        if (args[0] === PLANNER_CHECKPOINT && args[2] > 0 && failures-- > 0) throw new Error('SqliteError: database or disk is full');
        return super.commit(...args);
      }
    })({ filename: join(dir, 'read.sqlite') });
    store = flaky;
    const transport = new RecordingTransport();
    const notifier = await start(transport);
    await receive(A, 'a@example.com');
    await until(async () => (await notificationsOf(A)).length === 2, 'the sends recorded');
    expect(failures).toBeLessThan(0);
    expect(transport.sent.map((message) => message.to)).toEqual([['a@example.com']]);
    expect(notifier.problems()).toEqual([]);
  });

  it('tries a failing channel again, and records the send once it goes through', async () => {
    const transport = new RecordingTransport(2);
    await start(transport, [20, 20, 20]);
    await receive(A, 'a@example.com');
    await until(async () => (await notificationsOf(A)).some((event) => event.data['channel'] === 'email'), 'the e-mail recorded');
    expect((await notificationsOf(A)).find((event) => event.data['channel'] === 'email')?.type).toBe('NotificationSent');
    expect(transport.sent).toHaveLength(1);
  });

  it('gives up after its attempts and records the failure with the last error', async () => {
    await start(new RecordingTransport(10), [20, 20]);
    await receive(A, 'a@example.com');
    await until(async () => (await notificationsOf(A)).some((event) => event.data['channel'] === 'email'), 'the e-mail recorded');
    expect((await notificationsOf(A)).find((event) => event.data['channel'] === 'email')).toMatchObject({
      type: 'NotificationFailed', data: { attempts: 3, error: '421 try again later', to: ['a***@example.com'] },
    });
  });

  describe('survey invitations', () => {
    const texts: Array<{ to: string; text: string }> = [];
    const sms: TextMessageSender = { channel: 'sms', send: async (to, text) => (texts.push({ to, text }), { messageId: `sms-${texts.length}` }) };
    const append = (stream: string, type: string, data: object, schemaVersion = 1) => {
      const eventId = deterministicUuid(A, `${stream}:${type}`);
      return events.append(stream, [{ eventId, type, data: data as Record<string, unknown>, metadata: { schemaVersion } }]);
    };
    beforeEach(() => texts.splice(0));

    it('texts the invitation to a handed-over work order\'s contact, in Chinese, and records it on the work order\'s notification stream', async () => {
      await start(new RecordingTransport(), [50], [sms]);
      await append(workOrderStreamName(workOrderId), 'WorkOrderReported', reported.data, WORK_ORDER_EVENT_SCHEMA_VERSIONS['WorkOrderReported']);
      await append(surveyStreamName(surveySent.data.surveyId), 'SatisfactionSurveySent', { ...surveySent.data, subject: { kind: 'work-order', id: workOrderId }, channel: 'phone' });
      await until(async () => (await notificationsOf(workOrderId)).length === 2, 'the text and the skipped e-mail recorded');
      expect(texts).toHaveLength(1);
      expect(texts[0]!.to).toBe('+86 415 000 0000');
      expect(texts[0]!.text).toContain('请为本次维修服务（工单编号');
      expect(texts[0]!.text).toContain(`调查编号 ${surveySent.data.surveyId}`);
      const recorded = await notificationsOf(workOrderId);
      expect(recorded.find((event) => event.data['channel'] === 'sms')).toMatchObject({
        type: 'NotificationSent', data: { complaintId: null, workOrderId, surveyId: surveySent.data.surveyId, template: 'survey-invitation', language: 'zh-CN', to: ['+86****0000'] },
      });
      expect(recorded.find((event) => event.data['channel'] === 'email')).toMatchObject({ type: 'NotificationSkipped', data: { reason: 'no-address' } });
    });

    it('does not announce a survey cancelled before its invitation went out', async () => {
      await append(workOrderStreamName(workOrderId), 'WorkOrderReported', reported.data, WORK_ORDER_EVENT_SCHEMA_VERSIONS['WorkOrderReported']);
      const notifier = await start(new RecordingTransport(), [50], [sms]);
      await stop(notifier);
      const stream = surveyStreamName(surveySent.data.surveyId);
      await append(stream, 'SatisfactionSurveySent', { ...surveySent.data, subject: { kind: 'work-order', id: workOrderId } });
      await events.append(stream, [{ eventId: deterministicUuid(B, 'cancel'), type: 'SatisfactionSurveyCancelled', data: { surveyId: surveySent.data.surveyId, cancelledAt: new Date().toISOString(), by: { id: 's', role: 'supervisor' }, reason: 'wrong customer' }, metadata: { schemaVersion: 1 } }]);
      await start(new RecordingTransport(), [50], [sms]);
      await until(async () => (await store.count(OUTBOX_COLLECTION, { status: 'pending' })) === 0 && (await store.count(OUTBOX_COLLECTION, { surveyId: surveySent.data.surveyId })) === 2, 'the invitations settled');
      expect(texts).toEqual([]);
      expect(await notificationsOf(workOrderId)).toEqual([]);
    });
  });
});
