import { BlobStore } from '@app/blob-store';
import { ErasedAttachments } from '@app/customers';
import type { EventStore, RecordedEvent } from '@app/event-store';

const PAGE = 1000;

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
      if ([...complaints].some((id) => mine.has(id)) && [...complaints].every((id) => mine.has(id))) await this.blobs.delete(sha256);
    }
  }

  private async scan(type: string, visit: (event: RecordedEvent) => void): Promise<void> {
    let from: number | undefined;
    for (;;) {
      const page = await this.events.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: PAGE + (from === undefined ? 0 : 1), filter: { eventTypes: [type] } });
      const fresh = from === undefined ? page : page.filter((event) => event.position !== from);
      for (const event of fresh) visit(event);
      if (page.length < PAGE + (from === undefined ? 0 : 1) || fresh.length === 0) return;
      from = page[page.length - 1]!.position;
    }
  }
}
