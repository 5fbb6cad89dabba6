import { dataKeysErasedBy } from '@app/domain';
import { withReadableData } from '@app/event-sourcing';
import {
  EventStore, type AllSubscription, type AppendResult, type EventToAppend, type ExpectedRevision, type ReadAllOptions, type ReadStreamOptions, type RecordedEvent,
  type StreamAppend, type SubscribeToAllOptions, type SubscriptionMessage,
} from '@app/event-store';
import type { PersonalDataCipher } from './personal-data-cipher';

/**
 * The event store as every reader of the application sees it: personal values decrypted with the
 * customers' keys, null where a key was destroyed (erased). It is a read-path step, like the
 * upcasters: the stored events are never changed, and each decrypted event keeps its stored data
 * for the hash chains (`withReadableData`), so verification still covers the ciphertext. Appends
 * pass through: the command executors encrypt before they chain (docs/adr/0019).
 *
 * A recorded erasure closes the keys it names (`KeyStore.closeKeys`, durable, for every process)
 * before this store hands it, or anything after it, to a reader. So a record that raced the erasure
 * (sealed with the key before the erasure, appended after it, before the key was destroyed) never
 * reaches a projection readable: a projection's checkpoint past the erasure implies the keys were
 * closed, whatever stopped when (docs/adr/0019, "Racing records").
 */
export class PersonalDataEventStore extends EventStore {
  constructor(private readonly inner: EventStore, readonly cipher: PersonalDataCipher, private readonly closeAlso: () => Promise<void> = async () => undefined) {
    super();
  }

  override get tellsStoredAppends(): boolean {
    return this.inner.tellsStoredAppends;
  }

  override append(stream: string, events: readonly EventToAppend[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    return this.inner.append(stream, events, options);
  }

  override appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return this.inner.appendToStreams(appends);
  }

  override async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.readable(await this.inner.readStream(stream, options));
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.readable(await this.inner.readAll(options));
  }

  override subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.inner.subscribeToAll(options);
    const cipher = this.cipher;
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
        for await (const message of subscription) {
          if (message.kind !== 'event') {
            yield message;
            continue;
          }
          await closeErasedKeys([message.event], cipher);
          const data = await cipher.reader()(message.event.stream, message.event.data);
          yield { kind: 'event', event: withReadableData(message.event, data) };
        }
      },
    };
  }

  override headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  override async close(): Promise<void> {
    try {
      await this.inner.close();
    } finally {
      await this.closeAlso();
    }
  }

  private async readable(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    await closeErasedKeys(events, this.cipher);
    const read = this.cipher.reader();
    return Promise.all(events.map(async (event) => withReadableData(event, await read(event.stream, event.data))));
  }
}

/** Closes the keys the erasures among these events name, before anything of them is decrypted. */
async function closeErasedKeys(events: readonly RecordedEvent[], cipher: PersonalDataCipher): Promise<void> {
  const keyIds = events.flatMap((event) => dataKeysErasedBy(event.type, event.data));
  if (keyIds.length > 0) await cipher.keys.closeKeys(keyIds);
}
