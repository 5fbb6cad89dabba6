import type { Provider } from '@nestjs/common';
import { ReadStore } from '@app/read-store';
import type { ApiConfig } from '../config/api-config';
import { WebhookCommandExecutor, WebhookRepository } from './webhook-command.executor';
import { WebhookStore } from './webhook-store';

export const WEBHOOK_SETTINGS = Symbol('WebhookSettings');

/** Delivery runs under the projector lease (read-models/leased-projector.ts), in whichever process holds it. */
export function webhookProviders(config: ApiConfig): Provider[] {
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
  ];
}
