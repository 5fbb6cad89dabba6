import type { NotificationAudience, NotificationChannel, NotificationTemplate } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { ReadDocument } from '@app/read-store';

/**
 * The outbox (docs/adr/0017): one document per send still to make or made, written by the planner in
 * the same commit as its checkpoint, updated by the sender. It lives in the read store under a name no
 * generation has (`notifications__outbox`), so a rebuild or a new generation of the read models never
 * sees it, let alone empties it: nothing is ever sent twice because the read models were rebuilt.
 */
export const OUTBOX_COLLECTION = 'notifications__outbox';
export const PLANNER_CHECKPOINT = 'notifications-planner';
export const SENDER_CHECKPOINT = 'notifications-sender';
/** The planner's own note of where it started (a new outbox starts at the head of the log: history is not notified again). */
export const PLANNER_START_ID = '$start';

export interface OutboxEntry extends ReadDocument {
  /** `<trigger event id>:<template>:<channel>`: the notificationId of the event that records it. */
  readonly id: string;
  readonly kind: 'send';
  /** The complaint whose notification stream records the send; null for a work order's survey invitation. */
  readonly complaintId: string | null;
  /** For a work order's survey invitation: the work order (its stream `notification-<id>` records the send). */
  readonly workOrderId?: string;
  /** For a survey invitation: the survey. */
  readonly surveyId?: string;
  readonly audience: NotificationAudience;
  readonly template: NotificationTemplate;
  readonly channel: NotificationChannel;
  readonly trigger: { readonly eventId: string; readonly type: string; readonly revision: number; readonly position: number };
  readonly status: 'pending' | 'done';
  readonly attempts: number;
  /** Epoch ms: not before then (after a failed attempt). */
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly position: number;
}

/** The complaint events that cause notifications, and which. */
const CUSTOMER: Readonly<Record<string, NotificationTemplate>> = {
  ComplaintReceived: 'acknowledgement',
  ComplaintRejected: 'rejected',
  ComplaintResolved: 'resolved',
  ComplaintReopened: 'reopened',
};
const STAFF: Readonly<Record<string, NotificationTemplate>> = {
  ComplaintAssigned: 'staff-assigned',
  ComplaintEscalated: 'staff-escalated',
  SlaAtRisk: 'staff-at-risk',
  SlaBreached: 'staff-breached',
};
/** The survey invitation is driven by the survey itself (a complaint's after its callback, a work order's after its hand-over). */
const SURVEY_SENT = 'SatisfactionSurveySent';
export const TRIGGER_EVENT_TYPES: readonly string[] = [...Object.keys(CUSTOMER), ...Object.keys(STAFF), SURVEY_SENT];

/** The customer is written to by e-mail and by text message (SMS); staff by e-mail. */
export const CUSTOMER_CHANNELS: readonly NotificationChannel[] = ['email', 'sms'];

/**
 * The channels of a survey invitation: the survey's own when it is one a message goes through (e-mail;
 * a survey sent by phone, in person or on the web still gets its invitation in writing, by e-mail and text).
 */
export function surveyInvitationChannels(channel: unknown): readonly NotificationChannel[] {
  return channel === 'email' ? ['email'] : CUSTOMER_CHANNELS;
}

/** The sends one recorded event calls for (none for most events). */
export function planNotifications(recorded: RecordedEvent): OutboxEntry[] {
  const trigger = { eventId: recorded.eventId, type: recorded.type, revision: recorded.revision, position: recorded.position };
  const base = { kind: 'send' as const, trigger, status: 'pending' as const, attempts: 0, nextAttemptAt: 0, lastError: null, position: recorded.position };
  if (recorded.stream.startsWith('survey-') && recorded.type === SURVEY_SENT) {
    const subject = recorded.data['subject'] as { kind?: unknown; id?: unknown } | undefined;
    const surveyId = recorded.data['surveyId'];
    if (typeof surveyId !== 'string' || typeof subject?.id !== 'string') return [];
    const about = subject.kind === 'complaint' ? { complaintId: subject.id } : subject.kind === 'work-order' ? { complaintId: null, workOrderId: subject.id } : undefined;
    if (!about) return [];
    return surveyInvitationChannels(recorded.data['channel']).map((channel) => ({
      ...base, id: `${recorded.eventId}:survey-invitation:${channel}`, ...about, surveyId, audience: 'customer', template: 'survey-invitation', channel,
    }));
  }
  if (!recorded.stream.startsWith('complaint-')) return [];
  const complaintId = recorded.data['complaintId'];
  if (typeof complaintId !== 'string') return [];
  const entry = (audience: NotificationAudience, template: NotificationTemplate, channel: NotificationChannel): OutboxEntry => ({
    ...base, id: `${recorded.eventId}:${template}:${channel}`, complaintId, audience, template, channel,
  });
  const customer = CUSTOMER[recorded.type];
  if (customer) return CUSTOMER_CHANNELS.map((channel) => entry('customer', customer, channel));
  const staff = STAFF[recorded.type];
  if (staff) return [entry('staff', staff, 'email')];
  return [];
}

/** The id of the stream `notification-<id>` that records a send: its complaint's, or its work order's. */
export function notificationSubjectOf(entry: Pick<OutboxEntry, 'complaintId' | 'workOrderId'>): string {
  return entry.complaintId ?? entry.workOrderId ?? '';
}
