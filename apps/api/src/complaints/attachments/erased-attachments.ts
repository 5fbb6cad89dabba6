import { BlobStore } from '@app/blob-store';
import { eventsAfter } from '@app/complaints';
import { ErasedAttachments } from '@app/customers';
import type { EventStore, RecordedEvent } from '@app/event-store';

/**
 * The attachments' part of an erasure (docs/adr/0019): deletes the stored files of the customer's
 * complaints. A file is stored once for every complaint that attached the same bytes (a blank
 * dispute form, say), so a file another customer's complaint also names is kept. Read from the log
 * itself, not from a read model that could lag behind: the customer's complaints
 * (ComplaintReceived keeps the customer's id, a pseudonym) and every ComplaintAttachmentAdded.
 */
export class BlobErasedAttachments extends ErasedAttachments {
  constructor(private readonly events: EventStore, private readonly blobs: BlobStore) {
    super();
  }

  async deleteOf(customerId: string): Promise<void> {
    const mine = new Set<string>();
    await this.scan('ComplaintReceived', (event) => {
      const customer = (event.data['customer'] ?? {}) as { id?: unknown };
      if (customer.id === customerId && typeof event.data['complaintId'] === 'string') mine.add(event.data['complaintId']);
    });
    if (mine.size === 0) return;
    // Per file: the complaints that attached it.
    const holders = new Map<string, Set<string>>();
    await this.scan('ComplaintAttachmentAdded', (event) => {
      const { sha256, complaintId } = event.data as { sha256?: unknown; complaintId?: unknown };
      if (typeof sha256 !== 'string' || typeof complaintId !== 'string') return;
      const set = holders.get(sha256) ?? new Set<string>();
      set.add(complaintId);
      holders.set(sha256, set);
    });
    for (const [sha256, complaints] of holders) {
      if ([...complaints].every((id) => mine.has(id))) await this.blobs.delete(sha256);
    }
  }

  private async scan(type: string, visit: (event: RecordedEvent) => void): Promise<void> {
    for await (const event of eventsAfter(this.events, 0, { eventTypes: [type] })) visit(event);
  }
}
