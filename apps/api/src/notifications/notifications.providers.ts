import { Clock } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { Notifier, SmtpEmailTransport } from '@app/notifications';
import { ReadStore } from '@app/read-store';
import type { NotificationConfig } from './notification-config';

/** The notifier from its settings; it runs under the projector lease, beside the projections (read-models/leased-projector.ts). */
export function createNotifier(events: EventStore, store: ReadStore, clock: Clock, config: NotificationConfig, log: (level: 'info' | 'warn' | 'error', message: string) => void): Notifier {
  return new Notifier(events, store, clock, {
    from: config.from,
    email: config.smtpUrl === null ? null : new SmtpEmailTransport(config.smtpUrl),
    staff: config.staff,
    messages: config.messages,
    intervalMs: config.intervalMs,
    ...(config.retryDelaysMs ? { retryDelaysMs: config.retryDelaysMs } : {}),
    log,
  });
}
