import { SqliteReadStore } from '@app/read-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlobStore } from '@app/blob-store';
import { SqliteEventStore } from '@app/event-store';
import { BlobErasedAttachments } from './erased-attachments';
import { BlobTurns } from './blob-turns';

/** A sealed value as the log stores it (docs/adr/0019); the ledger reads only its key id. */
const sealedUnder = (kid: string) => ({ $enc: 'v1', kid, iv: 'aXZpdml2aXZpdml2', ct: 'Y3Q=' });

describe('BlobErasedAttachments', () => {
  let dir: string;
  let events: SqliteEventStore;
  let blobs: FileBlobStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'erased-attachments-'));
    events = new SqliteEventStore({ filename: ':memory:' });
    blobs = new FileBlobStore({ dir });
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (stream: string, type: string, data: Record<string, unknown>) => events.append(stream, [{ eventId: randomUUID(), type, data, metadata: {} }]);
  const receive = (complaintId: string, customerId: string) => append(`complaint-${complaintId}`, 'ComplaintReceived', { complaintId, customer: { id: customerId, name: null } });
  const attach = (complaintId: string, sha256: string, personal: unknown) => append(`complaint-${complaintId}`, 'ComplaintAttachmentAdded', { complaintId, sha256, personal });
  const erase = (customerId: string, keyIds: readonly string[]) => append(`customer-${customerId}`, 'CustomerFilePersonalDataErased', { customerId, coveredFileIds: [customerId], keyIds });
  const store = async (text: string) => (await blobs.put(Buffer.from(text, 'utf8'))).sha256;

  it('deletes a file attached after the erasure under a key the erasure named (an upload that raced it)', async () => {
    await receive('c1', 'cust-1');
    await erase('cust-1', ['key-1']);
    const sha256 = await store('racing receipt');
    await attach('c1', sha256, sealedUnder('key-1'));
    expect(await (new BlobErasedAttachments(events, blobs, new BlobTurns())).storedOf(['cust-1'])).toEqual([sha256]);
    expect(await (new BlobErasedAttachments(events, blobs, new BlobTurns())).deleteErased()).toBe(1);
    expect(await blobs.has(sha256)).toBe(false);
  });

  it('waits for another instance holding the file longer than a request waits: the erasure is recorded, so its deletion may not give up', async () => {
    await receive('c1', 'cust-1');
    await erase('cust-1', ['key-1']);
    const sha256 = await store('racing receipt');
    await attach('c1', sha256, sealedUnder('key-1'));
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    // Another instance's turn on this file (its own in-process turn, the same read store's lease).
    let release!: () => void;
    const other = new BlobTurns(readStore, { waitMs: 50 }).inTurn(sha256, () => new Promise<void>((resolve) => { release = resolve; }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const deleting = new BlobErasedAttachments(events, blobs, new BlobTurns(readStore, { waitMs: 50 })).deleteErased();
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await other;
    expect(await deleting).toBe(1);
    expect(await blobs.has(sha256)).toBe(false);
    await readStore.close();
  });

  it('keeps a file attached after the erasure under a new key (the customer came back)', async () => {
    await receive('c1', 'cust-1');
    await erase('cust-1', ['key-1']);
    const sha256 = await store('late receipt');
    await attach('c1', sha256, sealedUnder('key-2'));
    expect(await (new BlobErasedAttachments(events, blobs, new BlobTurns())).deleteErased()).toBe(0);
    expect(await blobs.has(sha256)).toBe(true);
  });

  it('keeps a racing file that another customer, not erased, attached too', async () => {
    await receive('c1', 'cust-1');
    await receive('c2', 'cust-2');
    await erase('cust-1', ['key-1']);
    const sha256 = await store('blank dispute form');
    await attach('c2', sha256, sealedUnder('key-2'));
    await attach('c1', sha256, sealedUnder('key-1'));
    expect(await (new BlobErasedAttachments(events, blobs, new BlobTurns())).deleteErased()).toBe(0);
    expect(await blobs.has(sha256)).toBe(true);
  });
  it('keeps a file that an upload holding its turn records after the first check (checked again in the turn)', async () => {
    await receive('c1', 'cust-1');
    await receive('c2', 'cust-2');
    const sha256 = await store('blank metering dispute form');
    await attach('c1', sha256, sealedUnder('key-1'));
    await erase('cust-1', ['key-1']);
    const turns = new BlobTurns();
    let deleting: Promise<number> | undefined;
    // The upload has put the bytes (already there) and holds the file's turn; the erasure checks now, the upload records after.
    await turns.inTurn(sha256, async () => {
      // The erasure has checked and waits for the file's turn.
      const waiting = new Promise<void>((resolve) => { turns.inTurn = <T>(key: string, work: () => Promise<T>) => { resolve(); return BlobTurns.prototype.inTurn.call(turns, key, work) as Promise<T>; }; });
      deleting = new BlobErasedAttachments(events, blobs, turns).deleteErased();
      await waiting;
      await attach('c2', sha256, sealedUnder('key-2'));
    });
    expect(await deleting).toBe(0);
    expect(await blobs.has(sha256)).toBe(true);
  });
});
