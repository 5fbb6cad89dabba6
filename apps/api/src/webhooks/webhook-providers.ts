import { Logger, type Provider } from '@nestjs/common';
import { Clock } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ReadStore } from '@app/read-store';
import type { ApiConfig } from '../config/api-config';
import { WebhookCommandExecutor, WebhookRepository } from './webhook-command.executor';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookStore } from './webhook-store';

export const WEBHOOK_SETTINGS = Symbol('WebhookSettings');
/** The delivery of this process: `WebhookDispatcher | undefined` (none with PROJECTIONS=external: apps/projector delivers). */
export const WEBHOOK_DISPATCHER = Symbol('WebhookDispatcher');

export function webhookProviders(config: ApiConfig): Provider[] {
  const logger = new Logger('Webhooks');
  return [
    { provide: WEBHOOK_SETTINGS, useValue: config.webhooks },
    WebhookRepository,
    WebhookCommandExecutor,
    {
      // The collections exist before a route reads them, whoever delivers.
      provide: WebhookStore,
      useFactory: async (store: ReadStore) => {
        const deliveries = new WebhookStore(store);
        await deliveries.ensure();
        return deliveries;
      },
      inject: [ReadStore],
    },
    {
      provide: WEBHOOK_DISPATCHER,
      useFactory: (events: EventStore, store: ReadStore, clock: Clock) => (config.projections !== 'external'
        ? new WebhookDispatcher(events, store, { settings: config.webhooks, now: () => clock.now(), log: (level, message) => logger[level === 'info' ? 'log' : level](message) })
        : undefined),
      inject: [EventStore, ReadStore, Clock],
    },
  ];
}
