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
  readonly complaintId: string;
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
  CallbackDone: 'survey-invitation',
};
const STAFF: Readonly<Record<string, NotificationTemplate>> = {
  ComplaintAssigned: 'staff-assigned',
  ComplaintEscalated: 'staff-escalated',
  SlaAtRisk: 'staff-at-risk',
  SlaBreached: 'staff-breached',
};
export const TRIGGER_EVENT_TYPES: readonly string[] = [...Object.keys(CUSTOMER), ...Object.keys(STAFF)];

/** The customer is written to by e-mail and by text message (SMS); staff by e-mail. */
export const CUSTOMER_CHANNELS: readonly NotificationChannel[] = ['email', 'sms'];

/** The sends one recorded event calls for (none for most events). */
export function planNotifications(recorded: RecordedEvent): OutboxEntry[] {
  if (!recorded.stream.startsWith('complaint-')) return [];
  const complaintId = recorded.data['complaintId'];
  if (typeof complaintId !== 'string') return [];
  const trigger = { eventId: recorded.eventId, type: recorded.type, revision: recorded.revision, position: recorded.position };
  const entry = (audience: NotificationAudience, template: NotificationTemplate, channel: NotificationChannel): OutboxEntry => ({
    id: `${recorded.eventId}:${template}:${channel}`, kind: 'send', complaintId, audience, template, channel, trigger,
    status: 'pending', attempts: 0, nextAttemptAt: 0, lastError: null, position: recorded.position,
  });
  const customer = CUSTOMER[recorded.type];
  if (customer) return CUSTOMER_CHANNELS.map((channel) => entry('customer', customer, channel));
  const staff = STAFF[recorded.type];
  if (staff) return [entry('staff', staff, 'email')];
  return [];
}
