import { randomUUID } from 'node:crypto';
import {
  PRODUCT_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, WORK_ORDER_EVENT_SCHEMA_VERSIONS, type Actor,
} from '@app/domain';
import { chainedEvents } from '@app/complaints';
import { chainStart } from '@app/event-sourcing';
import { EventStore, StreamNotFoundError } from '@app/event-store';
import type { RunningApp } from './test-app';

const SCHEMA_VERSIONS: Record<string, number> = { ...WORK_ORDER_EVENT_SCHEMA_VERSIONS, ...PRODUCT_EVENT_SCHEMA_VERSIONS, ...SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS };

/** The stream of an after-sales event, from the id in its data. */
function streamOf(data: Record<string, unknown>): string {
  if (typeof data['workOrderId'] === 'string') return `work-order-${data['workOrderId']}`;
  if (typeof data['serialNumber'] === 'string') return `product-${data['serialNumber']}`;
  return SERVICE_NETWORK_STREAM;
}

/**
 * Appends after-sales events (work orders, products, the service network) to the running app's event
 * store as the command side would: one decision per event, the audited metadata (actor, command id,
 * schema version, occurredAt), each linked into its stream's hash chain, appended at the stream's
 * revision. The commands over HTTP are another slice; the read side is tested on the events they write.
 * Returns the position of the last event.
 */
export async function appendAfterSalesEvents(app: RunningApp, events: ReadonlyArray<{ type: string; data: object }>): Promise<number> {
  const store = app.get(EventStore);
  let position = 0;
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    const stream = streamOf(data);
    let head: { revision: number; hash: string };
    try {
      const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      head = { revision: last!.revision, hash: String(last!.metadata['hash']) };
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      head = { revision: -1, hash: chainStart(stream) };
    }
    const actor = (data['by'] ?? data['reportedBy'] ?? { id: 'system:test', role: 'system' }) as Actor;
    const occurredAt = Object.entries(data).find(([key, value]) => key.endsWith('At') && typeof value === 'string')?.[1] as string;
    const commandId = randomUUID();
    const reason = typeof data['reason'] === 'string' ? { reason: data['reason'] } : {};
    const { events: chained } = chainedEvents([event], { commandId, commandType: `Test${event.type}`, correlationId: commandId, causationId: commandId, actor, occurredAt, ...reason }, head.hash, (type) => SCHEMA_VERSIONS[type] ?? 1);
    const appended = await store.append(stream, chained, { expectedRevision: head.revision < 0 ? 'no_stream' : head.revision });
    position = appended.position;
  }
  return position;
}
