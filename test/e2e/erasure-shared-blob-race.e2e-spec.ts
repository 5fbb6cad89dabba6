import { createHash } from 'node:crypto';
import { BlobStore } from '@app/blob-store';
import { KeyedTurns } from '@app/event-sourcing';
import { TOKENS, newComplaint, useApp } from './support/test-app';

/**
 * An attacker's race (issue 19, docs/adr/0019, "A file another customer uploads while it is erased"):
 * customer A's complaint holds a file; customer B uploads the same bytes to B's complaint while A is
 * erased. The erasure found no other complaint naming the file, B's upload put the bytes (already
 * there) and recorded its attachment, and then the erasure deleted them: B's list named a file whose
 * download answered 404, and B could not upload it again (409 attachment-already-added). Here B's
 * upload arrives every time between the erasure's reference check and its delete: the hook on the
 * blob store's delete lets it in, and goes on once B has put its bytes, or waits for the file's turn.
 */
const REQUEST = { ground: 'consent-withdrawn', reason: 'r', requestReference: 'x' };
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('an erasure racing another customer\'s upload of the same file', () => {
  const app = useApp();

  const upload = async (complaintId: string, bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/plain' }), 'blank-form.txt');
    form.append('kind', 'other');
    const answer = await fetch(`${app().baseUrl}/complaints/${complaintId}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}` } });
    return { status: answer.status, body: await answer.json() as { code?: string } };
  };
  const receive = async (customerId: string) => {
    const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId } });
    expect(received.status).toBe(201);
    return received.body.id as string;
  };
  const download = (complaintId: string, bytes: Buffer) => app().request('GET', `/complaints/${complaintId}/attachments/${sha256Of(bytes)}`, { role: 'agent' });

  it('keeps the bytes that B\'s upload recorded while A\'s erasure was deleting them', async () => {
    const complaintA = await receive('cust-blob-a');
    const complaintB = await receive('cust-blob-b');
    const bytes = Buffer.from('计量纠纷判断表（空白）\n', 'utf8');
    const sha256 = sha256Of(bytes);
    expect((await upload(complaintA, bytes)).status).toBe(201);

    const blobs = app().get(BlobStore);
    const put = blobs.put.bind(blobs);
    const remove = blobs.delete.bind(blobs);
    const inTurn = KeyedTurns.prototype.inTurn;
    let racing: ReturnType<typeof upload> | undefined;
    let arrived = () => {};
    try {
      // B's upload is in the window: it has put its bytes (nothing held it), or waits for the file's turn (the erasure holds it).
      const inWindow = new Promise<void>((resolve) => { arrived = resolve; });
      blobs.put = async (...args) => { const stored = await put(...args); arrived(); return stored; };
      KeyedTurns.prototype.inTurn = function <T>(this: KeyedTurns, key: string, work: () => Promise<T>) {
        // Someone holds the file's turn (the erasure, deleting): B waits for it. A free turn lets B on to its put.
        if (key === sha256 && (this as unknown as { tails: Map<string, unknown> }).tails.has(key)) arrived();
        return inTurn.call(this, key, work) as Promise<T>;
      };
      blobs.delete = async (hash) => {
        if (hash === sha256 && racing === undefined) {
          racing = upload(complaintB, bytes);
          await inWindow;
        }
        return remove(hash);
      };
      expect((await app().request('POST', '/customers/cust-blob-a/erase', { role: 'admin', body: REQUEST })).status).toBe(200);
    } finally {
      blobs.put = put;
      blobs.delete = remove;
      KeyedTurns.prototype.inTurn = inTurn;
    }
    expect(racing).toBeDefined();
    expect((await racing)?.status).toBe(201);
    const downloaded = await download(complaintB, bytes);
    expect(downloaded.status).toBe(200);
    expect(downloaded.body).toBe(bytes.toString('utf8'));
    // A's copy went with A.
    expect((await download(complaintA, bytes)).status).toBe(404);
  });
});
