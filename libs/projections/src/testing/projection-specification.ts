import type { RecordedEvent } from '@app/event-store';
import type { ReadDocument } from '@app/read-store';
import { withAmounts } from '../amounts';
import { initialOf, type InitialDocument, type Projection, type ProjectionContext } from '../projection';

/**
 * The stream a domain event of a spec belongs to, from the id in its data: `customer-<customerId>` for a
 * customer file's events (`CustomerFile*`, which may name a complaint too), `complaint-<complaintId>`,
 * `work-order-<workOrderId>`, `product-<serialNumber>`; the service network's events (a unit's `code`,
 * an `engineerId`) are all of the one `service-network` stream. An event may also name its `stream`.
 */
function streamOf(event: { type: string; data: object; stream?: string }): string {
  if (event.stream !== undefined) return event.stream;
  const data = event.data as Record<string, unknown>;
  if (event.type.startsWith('CustomerFile')) return `customer-${String(data['customerId'])}`;
  if (typeof data['complaintId'] === 'string') return `complaint-${data['complaintId']}`;
  if (typeof data['workOrderId'] === 'string') return `work-order-${data['workOrderId']}`;
  if (typeof data['serialNumber'] === 'string') return `product-${data['serialNumber']}`;
  if (typeof data['code'] === 'string' || typeof data['engineerId'] === 'string') return 'service-network';
  return `complaint-${String(data['complaintId'])}`;
}

/** Turns domain events into recorded ones: stream from the id in the data (streamOf), revisions per stream, increasing positions. */
export function recordedEvents(events: ReadonlyArray<{ type: string; data: object; stream?: string }>, startPosition = 1): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return events.map((event, index) => {
    const stream = streamOf(event);
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    return {
      eventId: `00000000-0000-4000-8000-${String(startPosition + index).padStart(12, '0')}`, stream, revision, position: startPosition + index,
      type: event.type, data: event.data as Record<string, unknown>, metadata: {}, recordedAt: '2026-01-01T00:00:00.000Z',
    };
  });
}

/** An in-memory context: what a projection wrote, by collection and id. */
export class InMemoryProjectionContext implements ProjectionContext {
  readonly collections = new Map<string, Map<string, ReadDocument>>();

  /** Documents come back frozen, deep: a projection that changed one in place would corrupt the runner's memory. */
  get<T extends ReadDocument>(collection: string, id: string): T | undefined {
    const document = this.collections.get(collection)?.get(id);
    return document && (deepFreeze(structuredClone(document)) as T);
  }

  /** The stored document itself: the projection changes it in place. */
  change<T extends ReadDocument>(collection: string, id: string): T | undefined {
    return this.collections.get(collection)?.get(id) as T | undefined;
  }

  put(collection: string, document: ReadDocument): void {
    if (!this.collections.has(collection)) this.collections.set(collection, new Map());
    this.collections.get(collection)!.set(document.id, structuredClone(document));
  }

  add(collection: string, id: string, initial: InitialDocument, amounts: Readonly<Record<string, number>>): void {
    const made = initialOf(initial);
    this.put(collection, withAmounts(this.collections.get(collection)?.get(id) ?? made, made, Object.entries(amounts)));
  }

  delete(collection: string, id: string): void {
    this.collections.get(collection)?.delete(id);
  }

  all<T extends ReadDocument>(collection: string): T[] {
    return [...(this.collections.get(collection)?.values() ?? [])] as T[];
  }

  /** Every document, sorted, serialised: two equal snapshots mean byte-identical read models. */
  snapshot(): string {
    return JSON.stringify([...this.collections.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, documents]) => [name, [...documents.entries()].sort(([a], [b]) => a.localeCompare(b))]));
  }
}

/** given(events) → the documents the projection writes. */
export async function project(projection: Projection, events: ReadonlyArray<{ type: string; data: object; stream?: string }>): Promise<InMemoryProjectionContext> {
  const context = new InMemoryProjectionContext();
  for (const event of recordedEvents(events)) projection.apply(event, context);
  return context;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
