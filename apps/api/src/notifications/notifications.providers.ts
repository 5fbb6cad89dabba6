import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { Clock } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { Notifier, SmtpEmailTransport } from '@app/notifications';
import { ReadStore } from '@app/read-store';
import type { ApiConfig } from '../config/api-config';
import type { NotificationConfig } from './notification-config';

export const NOTIFIER = Symbol('Notifier');

/** The notifier from its settings: the API (beside the projections) and apps/projector build it alike. */
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

/** Runs where the projections run: in this process unless they run in apps/projector (PROJECTIONS=external). */
export function notificationProviders(config: ApiConfig): Provider[] {
  const logger = new Logger('Notifications');
  return [
    {
      provide: NOTIFIER,
      useFactory: (events: EventStore, store: ReadStore, clock: Clock) => (config.notifications?.enabled && config.projections !== 'external'
        ? createNotifier(events, store, clock, config.notifications, (level, message) => logger[level === 'info' ? 'log' : level](message))
        : undefined),
      inject: [EventStore, ReadStore, Clock],
    },
    NotificationsLifecycle,
  ];
}

@Injectable()
export class NotificationsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(NOTIFIER) private readonly notifier: Notifier | undefined) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifier?.begin();
  }

  /** Before the stores close (ProcessLifecycle closes them on shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.notifier?.end();
  }
}
