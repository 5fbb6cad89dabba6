import {
  NOTIFIER, NotificationAlreadyRecordedError, followSurvivors, notificationDecider, notificationStreamName,
  type ExistingComplaint, type NotificationCommand, type NotificationEvent, type NotificationOutcome, type NotificationSkipReason, type NotificationState,
  type CustomerLanguage, type SatisfactionSurveySent, type StaffNotificationTemplate,
} from '@app/domain';
import { FailureStreak, PeriodicCheck, backOffDelayMs, describeLoopFailure, deterministicUuid } from '@app/event-sourcing';
import { EventStore, readStreamOrEmpty, type AllSubscription, type RecordedEvent } from '@app/event-store';
import { ReadStore, type DocumentChange } from '@app/read-store';
import { ComplaintRepository, StreamCommandExecutor, executeParts, leftOutOnError, type Clock } from '@app/complaints';
import { SatisfactionSurveyRepository, WorkOrderRepository } from '@app/after-sales';
import { CustomerFileRepository } from '@app/customers';
import { LoggingTextMessageSender, type EmailTransport, type TextMessageSender } from './channels';
import { composeMessage, composeSurveyInvitation, customerLanguage, DEFAULT_MESSAGE_SETTINGS, type ComposedMessage, type MessageSettings } from './notification-message';
import {
  OUTBOX_COLLECTION, PLANNER_CHECKPOINT, PLANNER_START_ID, SENDER_CHECKPOINT, TRIGGER_EVENT_TYPES, notificationSubjectOf, planNotifications, type OutboxEntry,
} from './notification-plan';
import { contactAddress, customerAddress, maskEmail, maskPhone, staffAddresses, staffConcerned, type CustomerContact, type StaffDirectory } from './recipients';


/** Who a send goes to (addresses, and masked for the record), or why it goes to nobody. */
interface Recipients {
  readonly addresses: string[];
  readonly masked: string[];
  readonly skip?: NotificationSkipReason;
}

/** The facts of a send's record, its outcome aside. */
type NotificationFacts = Omit<Extract<NotificationCommand, { type: 'RecordNotification' }>['data'], 'outcome'>;

/** A send settled in a pass: done, and what to record of it (none: nothing to send, or recorded already). */
interface Settled {
  readonly entry: OutboxEntry;
  readonly outcome: NotificationOutcome | null;
  readonly record?: { readonly facts: NotificationFacts; readonly outcome: NotificationOutcome };
}

/** The customer opted out of the channel: nobody is written to, and the record says why (no address is named). */
const OPTED_OUT: Recipients = { addresses: [], masked: [], skip: 'opted-out' };

/**
 * A send ready to go: its language, its recipients, and its words, composed only when it goes to
 * somebody (a send recorded as skipped keeps no words; composing them for nobody was most of its cost).
 */
interface PreparedSend {
  readonly language: CustomerLanguage;
  readonly compose: () => ComposedMessage;
  readonly recipients: Recipients;
}

export interface NotifierSettings {
  /** The From of e-mails (NOTIFY_FROM). */
  readonly from: string;
  /** null: no SMTP server configured; e-mail sends are recorded as skipped. */
  readonly email: EmailTransport | null;
  readonly texts?: readonly TextMessageSender[];
  readonly staff: StaffDirectory;
  readonly messages?: Partial<MessageSettings>;
  /** How often the sender looks for pending sends (default 500 ms). */
  readonly intervalMs?: number;
  /** Waits after failed attempts, in ms; after the last one the send is given up (NotificationFailed). */
  readonly retryDelaysMs?: readonly number[];
  /** After a failure of the planner (a read-store write, a read of the log): the wait before it follows the log again from its checkpoint, doubling up to `max` (default 1 s to 60 s, as the projections). */
  readonly followRetryDelayMs?: { readonly first: number; readonly max: number };
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

const COMMAND_NAMESPACE = '3c6f1d2a-9b8e-4f7a-a5d1-7e2c4b9f0a63';
const DEFAULT_RETRY_DELAYS_MS = [1_000, 10_000, 60_000, 300_000, 1_800_000];
const SENDS_PER_PASS = 50;
/** At most this many outbox documents in one commit of the planner. */
const PLANS_PER_COMMIT = 500;
const NOT_YET = Symbol('not yet');
/** Resolves after the I/O of this turn: a message of the read in hand arrives before it, the next commit's does not. */
const nextTurn = () => new Promise<typeof NOT_YET>((resolve) => setImmediate(() => resolve(NOT_YET)));

/**
 * Customer and staff notifications (docs/adr/0017), driven by the log with an outbox:
 * - the planner follows the log from its checkpoint and, for each event that calls for sends, writes
 *   one pending outbox document per send in the same commit as its checkpoint: a crash loses no send
 *   and plans none twice;
 * - the sender takes the pending documents in log order, sends each, records the outcome on the
 *   complaint's notification stream (a command id derived from the send, so a repeat writes nothing)
 *   and marks the document done. A crash after the channel took a message and before the outcome was
 *   recorded sends it again on restart: delivery is at least once (the e-mail carries the send's id in
 *   X-Complaint-Desk-Notification, so a receiver can tell).
 */
export class Notifier extends PeriodicCheck {
  private subscription: AllSubscription | undefined;
  private following: Promise<void> | undefined;
  /** Ends the planner's wait before its next try (end()). */
  private wakeFollower: (() => void) | undefined;
  private stopped = false;
  /** Settles when end() is called: a send still waiting on its channel then is let go (see sendOne). */
  private readonly ending: Promise<null>;
  private endNow: (() => void) | undefined;
  private readonly executor: StreamCommandExecutor<NotificationCommand, NotificationEvent, NotificationState>;
  private readonly complaints: ComplaintRepository;
  private readonly surveys: SatisfactionSurveyRepository;
  private readonly workOrders: WorkOrderRepository;
  private readonly customerFiles: CustomerFileRepository;
  private readonly messages: MessageSettings;
  private readonly texts: ReadonlyMap<string, TextMessageSender>;
  /** The planner's failures in a row (reported by problems()). */
  private readonly planning = new FailureStreak();

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly clock: Clock,
    private readonly settings: NotifierSettings,
  ) {
    super({ intervalMs: settings.intervalMs ?? 500, onError: (error) => settings.log?.('error', `notifications: sending failed: ${String((error as Error)?.stack ?? error)}`) });
    this.ending = new Promise<null>((resolve) => {
      this.endNow = () => resolve(null);
    });
    this.complaints = new ComplaintRepository(events);
    this.surveys = new SatisfactionSurveyRepository(events);
    this.workOrders = new WorkOrderRepository(events);
    this.customerFiles = new CustomerFileRepository(events);
    this.messages = { ...DEFAULT_MESSAGE_SETTINGS, ...settings.messages };
    const texts = settings.texts ?? [new LoggingTextMessageSender('sms', (entry) => settings.log?.('info', `notifications: text message (logging sender) ${JSON.stringify(entry)}`))];
    this.texts = new Map(texts.map((sender) => [sender.channel, sender]));
    this.executor = new StreamCommandExecutor(events, clock, {
      kind: 'notification stream',
      streamName: notificationStreamName,
      load: async (subjectId) => {
        const recorded = await this.readNotifications(subjectId);
        const state = recorded.reduce((folded, event) => notificationDecider.evolve(folded, event as unknown as NotificationEvent), notificationDecider.initialState);
        return { state, revision: recorded.length > 0 ? recorded[recorded.length - 1]!.revision : -1, events: recorded };
      },
      decide: (command, state) => notificationDecider.decide(command, state),
      schemaVersionOf: () => 1,
    });
  }

  /** Starts the planner (following the log) and the sender. */
  async begin(): Promise<void> {
    await this.store.ensureCollections([{ name: OUTBOX_COLLECTION, indexes: [['status', 'position']] }]);
    await this.store.recover(PLANNER_CHECKPOINT);
    await this.store.recover(SENDER_CHECKPOINT);
    let from = await this.store.checkpoint(PLANNER_CHECKPOINT);
    if (from === 0 && !(await this.store.get(OUTBOX_COLLECTION, PLANNER_START_ID))) {
      // A new outbox starts at the head: the history before it is not notified (again).
      from = await this.events.headPosition();
      const start = { id: PLANNER_START_ID, kind: 'start', position: from, at: this.clock.now().toISOString() };
      await this.store.commit(PLANNER_CHECKPOINT, [{ kind: 'put', collection: OUTBOX_COLLECTION, document: start }], from);
    }
    this.following = this.followFrom(from);
    this.start();
  }

  async end(): Promise<void> {
    this.stopped = true;
    this.endNow?.();
    this.wakeFollower?.();
    await this.subscription?.close();
    await this.following;
    await this.stop();
    await this.settings.email?.close();
  }

  /**
   * The planner: follows the log from `from`; after a failure (a read-store write refused by a full
   * disk, a read of the log) it waits, then follows it again from its checkpoint, the wait doubling
   * while it keeps failing (the projections do the same). What it planned before the failure and did
   * not commit is planned again from the checkpoint, so nothing is lost nor planned twice; while it
   * fails twice or more in a row problems() says so (and /health with it).
   */
  private async followFrom(from: number): Promise<void> {
    for (let position: number | undefined = from; !this.stopped; position = undefined) {
      try {
        const fromPosition = position ?? (await this.store.checkpoint(PLANNER_CHECKPOINT));
        if (this.stopped) return;
        this.subscription = this.events.subscribeToAll({ fromPosition, filter: { eventTypes: TRIGGER_EVENT_TYPES } });
        await this.follow(this.subscription);
        return;
      } catch (error) {
        if (this.stopped) return;
        const { first, max } = this.settings.followRetryDelayMs ?? { first: 1_000, max: 60_000 };
        const delay = backOffDelayMs(this.planning.attempts + 1, first, max);
        this.planning.failed(error, delay);
        this.settings.log?.('error', `notifications: following the log stopped (failure ${this.planning.attempts} in a row; following it again from its checkpoint in ${delay} ms): ${String((error as Error)?.stack ?? error)}`);
        await this.subscription?.close().catch(() => undefined);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, delay);
          this.wakeFollower = done;
          function done() {
            clearTimeout(timer);
            resolve();
          }
        });
        this.wakeFollower = undefined;
      }
    }
  }

  /**
   * Plans the sends of each event the subscription brings, in one commit (with the checkpoint of the
   * last event planned) for all that one read of the log held: the plans gathered are committed when
   * the next message is not there at once (a wait for the next commit), or after PLANS_PER_COMMIT.
   * A crash before the commit plans those events again from the checkpoint, as before.
   */
  private async follow(subscription: AllSubscription): Promise<void> {
    const messages = subscription[Symbol.asyncIterator]();
    let changes: DocumentChange[] = [];
    let through = 0;
    const commit = async () => {
      if (changes.length === 0) return;
      const gathered = changes;
      changes = [];
      await this.store.commit(PLANNER_CHECKPOINT, gathered, through);
      this.planning.succeeded();
    };
    for (;;) {
      const next = messages.next();
      if (changes.length > 0 && (await Promise.race([next, nextTurn()])) === NOT_YET) await commit();
      const result = await next;
      if (result.done || this.stopped) break;
      const message = result.value;
      if (message.kind !== 'event') {
        // Caught up with nothing left to commit: whatever failed before is behind it.
        if (changes.length === 0) this.planning.succeeded();
        continue;
      }
      const planned = planNotifications(message.event);
      if (planned.length === 0) continue;
      for (const document of planned) changes.push({ kind: 'put', collection: OUTBOX_COLLECTION, document });
      through = message.event.position;
      if (changes.length >= PLANS_PER_COMMIT) await commit();
    }
    await messages.return?.(undefined);
    await commit();
  }

  /** What fails in the notifier now, in the words of /health's `problems` (empty while it works). */
  problems(): string[] {
    const planner = this.planning.failure();
    const sender = this.failure();
    return [
      ...(planner ? [describeLoopFailure('notifications: following the log', planner)] : []),
      ...(sender ? [describeLoopFailure('notifications: sending', sender)] : []),
    ];
  }

  /**
   * One pass of the sender: the pending sends that are due, in log order; returns how many it settled.
   * Each is sent (or skipped) in turn; then their outcomes are recorded together, one append to all their
   * streams per round (recordAll), and their entries marked done in one commit. A send that throws ends
   * the pass as before, the ones settled before it recorded and marked first. A crash after a record and
   * before the commit sends nothing again (each send looks for its record first); a crash after a delivery
   * and before the records delivers again, as it did between one send's delivery and its record: at least
   * once, the window now up to a pass's deliveries (SENDS_PER_PASS) rather than one.
   */
  async check(): Promise<number> {
    const now = this.clock.now().getTime();
    const page = await this.store.find<OutboxEntry>(OUTBOX_COLLECTION, {
      filter: { status: 'pending' }, sort: [{ field: 'position', direction: 'asc' }], limit: SENDS_PER_PASS,
    });
    const settled: Settled[] = [];
    try {
      for (const entry of page.items) {
        if (this.stopped) break;
        if (entry.nextAttemptAt > now) continue;
        const each = await this.sendOne(entry);
        if (each !== null) settled.push(each);
      }
    } finally {
      await this.recordAll(settled);
      await this.markDone(settled);
    }
    return settled.length;
  }

  /** Sends one entry; what to record of it, or null when it is to be tried again later. */
  private async sendOne(entry: OutboxEntry): Promise<Settled | null> {
    const prepared = entry.template === 'survey-invitation' ? await this.prepareSurveyInvitation(entry) : await this.prepareComplaintSend(entry);
    if (prepared === null) return { entry, outcome: null };
    const { language, recipients } = prepared;
    const facts = {
      complaintId: entry.complaintId, ...(entry.workOrderId === undefined ? {} : { workOrderId: entry.workOrderId }), ...(entry.surveyId === undefined ? {} : { surveyId: entry.surveyId }),
      notificationId: entry.id, audience: entry.audience, template: entry.template, channel: entry.channel,
      language, to: recipients.masked, trigger: { eventId: entry.trigger.eventId, type: entry.trigger.type, revision: entry.trigger.revision },
    };
    // Recorded already (a crash between the record and the outbox update): not sent again.
    if ((await this.readNotifications(notificationSubjectOf(entry))).some((event) => event.data['notificationId'] === entry.id)) return { entry, outcome: null };
    let outcome: NotificationOutcome;
    if (recipients.skip) outcome = { kind: 'skipped', reason: recipients.skip };
    else {
      try {
        const message = prepared.compose();
        // A stop does not wait for a slow channel (an SMTP server that answers after up to its 30 s timeout): the
        // pass records at once what it sent before, and this send stays pending for the next run, which sends it
        // again if it went (at least once). Waiting, the notifier's thread was ended at its 15 s bound first and
        // every send of the pass, delivered but not recorded, went out again.
        const delivered = await Promise.race([this.deliver(entry, recipients.addresses, message), this.ending]);
        if (delivered === null) return null;
        const { messageId } = delivered;
        outcome = { kind: 'sent', subject: entry.channel === 'email' ? message.subject : null, text: message.text, messageId };
      } catch (error) {
        const attempts = entry.attempts + 1;
        const text = String((error as Error)?.message ?? error).slice(0, 500);
        const delays = this.settings.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
        if (attempts <= delays.length) {
          this.settings.log?.('warn', `notifications: ${entry.channel} send ${entry.id} failed (attempt ${attempts}), trying again: ${text}`);
          await this.markPending(entry, attempts, this.clock.now().getTime() + delays[attempts - 1]!, text);
          return null;
        }
        outcome = { kind: 'failed', attempts, error: text };
      }
    }
    return { entry, outcome, record: { facts, outcome } };
  }

  /** A send caused by a complaint event: the complaint as it is now (null: nothing to send). */
  private async prepareComplaintSend(entry: OutboxEntry): Promise<PreparedSend | null> {
    if (entry.complaintId === null) return null;
    const loaded = await this.complaints.load(entry.complaintId);
    const trigger = loaded.events[entry.trigger.revision];
    if (loaded.state.status === 'none' || !trigger) return null;
    const complaint = loaded.state;
    const language = entry.audience === 'customer' ? customerLanguage(complaint) : this.messages.staffLanguage;
    const compose = () => composeMessage(entry, complaint, trigger, this.messages);
    if (entry.audience === 'customer' && (await this.optedOut(complaint.customer.id, entry.channel))) return { language, compose, recipients: OPTED_OUT };
    return { language, compose, recipients: this.recipientsOf(entry, complaint, trigger) };
  }

  /**
   * A survey invitation (SatisfactionSurveySent): to the contact of its subject as it is now — the
   * complaint's (in its language), or the work order's (its phone; work orders record no language, so
   * zh-CN). A survey answered or cancelled before the invitation went out is not announced (null); so is
   * an entry planned by an older version from a callback (it names no survey).
   */
  private async prepareSurveyInvitation(entry: OutboxEntry): Promise<PreparedSend | null> {
    if (entry.surveyId === undefined) return null;
    const survey = await this.surveys.load(entry.surveyId);
    const sent = survey.events[entry.trigger.revision];
    if (survey.state.status !== 'sent' || sent?.type !== 'SatisfactionSurveySent') return null;
    const data: SatisfactionSurveySent['data'] = survey.state;
    let contact: CustomerContact | null = null;
    let language: 'zh-CN' | 'en' = 'zh-CN';
    if (entry.complaintId !== null) {
      const complaint = (await this.complaints.load(entry.complaintId)).state;
      if (complaint.status === 'none') return null;
      contact = complaint.contact;
      language = customerLanguage(complaint);
    } else if (entry.workOrderId !== undefined) {
      const workOrder = (await this.workOrders.load(entry.workOrderId)).state;
      if (workOrder.status === 'none') return null;
      contact = workOrder.contact === null ? null : { email: null, phone: workOrder.contact.phone };
    }
    const compose = () => composeSurveyInvitation(data, language, this.messages);
    if (await this.optedOut(data.customerId, entry.channel)) return { language, compose, recipients: OPTED_OUT };
    return { language, compose, recipients: this.customerRecipients(entry, contact === null ? null : contactAddress(contact, entry.channel)) };
  }

  /**
   * Whether the customer's file says they want nothing by this channel (SetNotificationOptOut), read
   * when sending: an opt-out recorded after the cause and before the send still holds. A merged file
   * answers with its last survivor's; an erased file keeps (and still takes) its opt-out; no file has opted out of nothing.
   */
  private async optedOut(customerId: string, channel: string): Promise<boolean> {
    // A merged file answers with its survivor's, which may itself have been merged since: follow the chain to its end.
    const { state: file } = await followSurvivors(customerId, async (id) => (await this.customerFiles.load(id)).state);
    return (file.status === 'active' || file.status === 'erased') && (file.notificationOptOut ?? []).some((each) => each === channel);
  }

  private recipientsOf(entry: OutboxEntry, complaint: ExistingComplaint, trigger: RecordedEvent): Recipients {
    if (entry.audience === 'staff') {
      const configured = this.configured(entry);
      const addresses = staffAddresses(this.settings.staff, staffConcerned(entry.template as StaffNotificationTemplate, complaint, trigger));
      const masked = addresses.map(maskEmail);
      if (addresses.length === 0) return { addresses, masked, skip: 'no-recipient' };
      return configured ? { addresses, masked } : { addresses, masked, skip: 'channel-not-configured' };
    }
    return this.customerRecipients(entry, customerAddress(complaint, entry.channel));
  }

  private customerRecipients(entry: OutboxEntry, address: string | null): Recipients {
    if (address === null) return { addresses: [], masked: [], skip: 'no-address' };
    const masked = [entry.channel === 'email' ? maskEmail(address) : maskPhone(address)];
    return this.configured(entry) ? { addresses: [address], masked } : { addresses: [address], masked, skip: 'channel-not-configured' };
  }

  private configured(entry: OutboxEntry): boolean {
    return entry.channel === 'email' ? this.settings.email !== null : this.texts.has(entry.channel);
  }

  private async deliver(entry: OutboxEntry, addresses: readonly string[], message: { language: string; subject: string; text: string }): Promise<{ messageId: string | null }> {
    if (entry.channel === 'email') {
      return this.settings.email!.send({ from: this.settings.from, to: addresses, subject: message.subject, text: message.text, language: message.language, notificationId: entry.id });
    }
    return this.texts.get(entry.channel)!.send(addresses[0]!, message.text, entry.id);
  }

  /**
   * Records the outcomes of a pass: in rounds of one send per notification stream (an append names a
   * stream once), each round one atomic append to all its streams (executeParts), where each send used
   * to be an append of its own. A send recorded already (its command id derived from the send) is
   * answered from its record; one the decider finds recorded under another command is left out.
   */
  private async recordAll(settled: readonly Settled[]): Promise<void> {
    const bySubject = new Map<string, Array<Required<Settled>>>();
    for (const each of settled) {
      if (each.record === undefined) continue;
      const subject = notificationSubjectOf(each.entry);
      const queue = bySubject.get(subject) ?? [];
      if (queue.length === 0) bySubject.set(subject, queue);
      queue.push(each as Required<Settled>);
    }
    const alreadyRecorded = (error: unknown) => {
      if (!(error instanceof NotificationAlreadyRecordedError)) throw error;
    };
    for (let round = 0; ; round += 1) {
      const parts = [...bySubject.entries()].flatMap(([subject, queue]) => {
        const each = queue[round];
        if (each === undefined) return [];
        const commandId = deterministicUuid(COMMAND_NAMESPACE, each.entry.id);
        return [leftOutOnError(this.executor.part({
          id: subject, command: { type: 'RecordNotification', data: { ...each.record.facts, outcome: each.record.outcome } },
          context: { commandId, correlationId: commandId, causationId: each.entry.trigger.eventId, actor: NOTIFIER },
        }), alreadyRecorded)];
      });
      if (parts.length === 0) return;
      await executeParts(this.events, parts);
    }
  }

  /** Marks the entries of a pass done, in one commit (checkpoint: the last one's position; they come in log order). */
  private async markDone(settled: readonly Settled[]): Promise<void> {
    if (settled.length === 0) return;
    const doneAt = this.clock.now().toISOString();
    const changes = settled.map(({ entry, outcome }): DocumentChange => ({
      kind: 'put', collection: OUTBOX_COLLECTION, document: { ...entry, status: 'done' as const, outcome: outcome?.kind ?? null, doneAt },
    }));
    await this.store.commit(SENDER_CHECKPOINT, changes, Math.max(...settled.map(({ entry }) => entry.position)));
  }

  private async markPending(entry: OutboxEntry, attempts: number, nextAttemptAt: number, lastError: string): Promise<void> {
    await this.store.commit(SENDER_CHECKPOINT, [{ kind: 'put', collection: OUTBOX_COLLECTION, document: { ...entry, attempts, nextAttemptAt, lastError } }], entry.position);
  }

  private readNotifications(subjectId: string): Promise<RecordedEvent[]> {
    return readStreamOrEmpty(this.events, notificationStreamName(subjectId));
  }
}
