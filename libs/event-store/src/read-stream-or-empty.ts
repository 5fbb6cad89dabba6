import { StreamNotFoundError } from './event-store.errors';
import type { EventStore, ReadStreamOptions, RecordedEvent } from './event-store.port';

/**
 * The events of a stream, or none when it does not exist (never written, or deleted): for the
 * streams a reader may find empty (a complaint's notifications, the webhooks, the access log).
 * Any other failure is thrown.
 */
export async function readStreamOrEmpty(store: EventStore, stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(stream, options);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}
