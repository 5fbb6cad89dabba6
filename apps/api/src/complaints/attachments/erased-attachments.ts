import { BlobStore } from '@app/blob-store';
import { eventsAfter } from '@app/complaints';
import { ErasedAttachments } from '@app/customers';
import type { EventStore } from '@app/event-store';
import { dataKeysErasedBy } from '@app/domain';
import { storedDataOf } from '@app/event-sourcing';
import { isEnvelope } from '@app/key-store';
import type { BlobTurns } from './blob-turns';

/** Who attached a file: a complaint, at a position of the log. */
interface Holder {
  readonly complaintId: string;
  readonly position: number;
  /** The data key its file name was sealed under, as stored (absent for plaintext). */
  readonly keyId: string | undefined;
}

/** What the log says about attachments and erasures, read in one pass in log order. */
interface AttachmentLedger {
  /** Each complaint's customer (ComplaintReceived keeps the customer's id, a pseudonym). */
  readonly customerOf: Map<string, string>;
  /** Per file (its SHA-256): the complaints that attached it. */
  readonly holders: Map<string, Holder[]>;
  /** Per customer id: the position of the last erasure that covered it. */
  readonly lastErasure: Map<string, number>;
  /** Every data key an erasure named: what is sealed under one of them was erased, wherever it landed in the log. */
  readonly erasedKeys: Set<string>;
  /** The log position read up to. */
  position: number;
}

/**
 * The attachments' part of an erasure (docs/adr/0019). A file is stored once for every complaint
 * that attached the same bytes (a blank dispute form, say), so it stays while one complaint of a
 * customer not erased names it: an attachment counts as erased when its complaint's customer was
 * erased after it was attached (a customer who came back after an erasure holds what they attached
 * since). Read from the log itself, not from a read model that could lag behind. An attachment
 * sealed under a key an erasure named is erased too, even when it landed after the erasure: an
 * upload that raced it (docs/adr/0019, "Racing uploads"). A file is checked again and deleted in its
 * turn (`BlobTurns`), which an upload holds from putting the bytes to recording: another customer's
 * upload of the same bytes is then seen by the check, or stores them again after the delete.
 */
export class BlobErasedAttachments extends ErasedAttachments {
  constructor(private readonly events: EventStore, private readonly blobs: BlobStore, private readonly turns: BlobTurns) {
    super();
  }

  override async storedOf(customerIds: readonly string[]): Promise<readonly string[]> {
    const erasing = new Set(customerIds);
    const ledger = await this.read();
    const stored: string[] = [];
    for (const [sha256, holders] of ledger.holders) {
      const theirs = holders.some((holder) => erasing.has(ledger.customerOf.get(holder.complaintId) ?? ''));
      if (theirs && holders.every((holder) => erased(ledger, holder, erasing)) && await this.blobs.has(sha256)) stored.push(sha256);
    }
    return stored;
  }

  override async deleteErased(): Promise<number> {
    const ledger = await this.read();
    const onlyErased = (sha256: string) => (ledger.holders.get(sha256) ?? []).every((holder) => erased(ledger, holder, new Set()));
    let deleted = 0;
    for (const sha256 of [...ledger.holders.keys()].filter(onlyErased)) {
      // Files an earlier erasure deleted are named in the log for ever: a look at the store spares them the turn.
      if (!await this.blobs.has(sha256)) continue;
      // Checked again in the file's turn, with what the log recorded since: an upload that put these
      // bytes before the first check holds the turn until its attachment is in the log.
      // The erasure is in the log already: wait for another instance's turn as long as it takes (a
      // 503 "nothing was written" would be false, and the deletion would wait for a retry or a restart).
      const gone = await this.turns.inTurn(sha256, async () => {
        await this.read(ledger);
        return onlyErased(sha256) && this.blobs.delete(sha256);
      }, { untilFree: true });
      if (gone) deleted += 1;
    }
    return deleted;
  }

  /** Reads the log into the ledger from where it was read up to (a new ledger: from the start). */
  private async read(ledger: AttachmentLedger = { customerOf: new Map(), holders: new Map(), lastErasure: new Map(), erasedKeys: new Set(), position: 0 }): Promise<AttachmentLedger> {
    const eventTypes = ['ComplaintReceived', 'ComplaintAttachmentAdded', 'CustomerFilePersonalDataErased'];
    for await (const event of eventsAfter(this.events, ledger.position, { eventTypes })) {
      ledger.position = event.position;
      const data = event.data;
      if (event.type === 'ComplaintReceived') {
        const customer = (data['customer'] ?? {}) as { id?: unknown };
        if (typeof customer.id === 'string' && typeof data['complaintId'] === 'string') ledger.customerOf.set(data['complaintId'], customer.id);
      } else if (event.type === 'ComplaintAttachmentAdded') {
        const { sha256, complaintId } = data as { sha256?: unknown; complaintId?: unknown };
        if (typeof sha256 !== 'string' || typeof complaintId !== 'string') continue;
        const personal = storedDataOf(event)['personal'];
        const holder = { complaintId, position: event.position, keyId: isEnvelope(personal) ? personal.kid : undefined };
        ledger.holders.set(sha256, [...(ledger.holders.get(sha256) ?? []), holder]);
      } else {
        for (const keyId of dataKeysErasedBy(event.type, data)) ledger.erasedKeys.add(keyId);
        const covered = Array.isArray(data['coveredFileIds']) ? data['coveredFileIds'] : [data['customerId']];
        for (const id of covered) if (typeof id === 'string') ledger.lastErasure.set(id, event.position);
      }
    }
    return ledger;
  }
}

/**
 * An attachment is erased when its complaint's customer was erased after it was attached (or is being
 * erased now), or when it was sealed under a key an erasure named (it raced that erasure).
 */
function erased(ledger: AttachmentLedger, holder: Holder, erasing: ReadonlySet<string>): boolean {
  if (holder.keyId !== undefined && ledger.erasedKeys.has(holder.keyId)) return true;
  const customerId = ledger.customerOf.get(holder.complaintId);
  if (customerId === undefined) return false;
  return erasing.has(customerId) || (ledger.lastErasure.get(customerId) ?? 0) > holder.position;
}
