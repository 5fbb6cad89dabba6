import type { Actor } from '../principal';

/**
 * What the complaint desk tells people on its own (docs/adr/0017): the customer on receipt, on the
 * answers they should know and with the survey invitation; staff on assignment, escalation and SLA
 * warnings and breaches. Each send is recorded on the complaint's notification stream
 * (`notification-<complaintId>`), beside its own stream, so that the trail shows what was said to whom.
 */
export const CUSTOMER_NOTIFICATION_TEMPLATES = ['acknowledgement', 'rejected', 'resolved', 'reopened', 'survey-invitation'] as const;
export const STAFF_NOTIFICATION_TEMPLATES = ['staff-assigned', 'staff-escalated', 'staff-at-risk', 'staff-breached'] as const;
export const NOTIFICATION_TEMPLATES = [...CUSTOMER_NOTIFICATION_TEMPLATES, ...STAFF_NOTIFICATION_TEMPLATES] as const;
export type CustomerNotificationTemplate = (typeof CUSTOMER_NOTIFICATION_TEMPLATES)[number];
export type StaffNotificationTemplate = (typeof STAFF_NOTIFICATION_TEMPLATES)[number];
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** E-mail over SMTP, or a text through the pluggable sender of SMS or WeChat messages. */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'wechat'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export type NotificationAudience = 'customer' | 'staff';

/**
 * Why nothing was sent: the complaint has no address for the channel, the channel is not configured, no
 * staff address is set up for the people concerned, or the customer opted out of the channel (their file).
 */
export const NOTIFICATION_SKIP_REASONS = ['no-address', 'channel-not-configured', 'no-recipient', 'opted-out'] as const;
export type NotificationSkipReason = (typeof NOTIFICATION_SKIP_REASONS)[number];

/** What every notification event says: which send (notificationId), what, to whom (masked), why. */
export interface NotificationFacts {
  /**
   * The complaint the send is about, whose notification stream records it; null for the survey
   * invitation of a work order (then `workOrderId` names it, and the stream is `notification-<work order id>`).
   */
  readonly complaintId: string | null;
  readonly workOrderId?: string;
  /** The survey a survey invitation invites to. */
  readonly surveyId?: string;
  /** The outbox entry: `<id of the event that caused it>:<template>:<channel>`, unique per send. */
  readonly notificationId: string;
  readonly audience: NotificationAudience;
  readonly template: NotificationTemplate;
  readonly channel: NotificationChannel;
  readonly language: 'zh-CN' | 'en';
  /** The recipients, masked (w***@example.com, 138****8000, ops: d***@example.com): the trail must not spell out personal data. */
  readonly to: readonly string[];
  /** The event that caused it: the complaint's, or the survey's (`SatisfactionSurveySent`). */
  readonly trigger: { readonly eventId: string; readonly type: string; readonly revision: number };
  readonly by: Actor;
}

export interface NotificationSent {
  readonly type: 'NotificationSent';
  readonly data: NotificationFacts & {
    readonly sentAt: string;
    /** What was said: the subject (e-mail) and the text, as rendered (no personal data in the templates). */
    readonly subject: string | null;
    readonly text: string;
    /** The id the channel gave the message (SMTP Message-ID), when it gives one. */
    readonly messageId: string | null;
  };
}

export interface NotificationSkipped {
  readonly type: 'NotificationSkipped';
  readonly data: NotificationFacts & { readonly skippedAt: string; readonly reason: NotificationSkipReason };
}

/** The channel refused or failed every attempt: given up, nothing was delivered. */
export interface NotificationFailed {
  readonly type: 'NotificationFailed';
  readonly data: NotificationFacts & { readonly failedAt: string; readonly attempts: number; readonly error: string };
}

export type NotificationEvent = NotificationSent | NotificationSkipped | NotificationFailed;
export const NOTIFICATION_EVENT_TYPES: ReadonlyArray<NotificationEvent['type']> = ['NotificationSent', 'NotificationSkipped', 'NotificationFailed'];

/** The notification stream of a complaint (or, for a work order's survey invitation, of the work order). */
export const notificationStreamName = (subjectId: string): string => `notification-${subjectId}`;

/** The actor of every notification event: the service itself. */
export const NOTIFIER: Actor = { id: 'system:notifier', role: 'system' };
