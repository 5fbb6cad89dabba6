import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KeyStore } from '@app/key-store';
import { TOKENS, newComplaint, useApp } from './support/test-app';

/**
 * An attacker's race (issue 19, docs/adr/0019, "Racing uploads"): a file uploaded while the
 * customer's erasure ran was recorded after the erasure, under the key being erased, so its name read
 * null; but its bytes stayed in the blob store and downloaded with 200 until a second erasure. Here
 * the upload lands in each gap every time: the key store of the running app lets it in.
 */
const REQUEST = { ground: 'consent-withdrawn', reason: 'r', requestReference: 'x' };
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('an upload racing an erasure leaves no bytes', () => {
  const app = useApp();

  const blobPath = (bytes: Buffer) => { const hash = sha256Of(bytes); return join(app().dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash); };
  const upload = async (complaintId: string, bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/plain' }), 'receipt-139.txt');
    form.append('kind', 'receipt');
    const answer = await fetch(`${app().baseUrl}/complaints/${complaintId}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}` } });
    return { status: answer.status, body: await answer.json() as { code?: string; detail?: string } };
  };
  const receive = async (customerId: string) => {
    const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId, customerName: '欧阳修' } });
    expect(received.status).toBe(201);
    return received.body.id as string;
  };
  const erase = (customerId: string) => app().request('POST', `/customers/${customerId}/erase`, { role: 'admin', body: REQUEST });
  const download = (complaintId: string, bytes: Buffer) => app().request('GET', `/complaints/${complaintId}/attachments/${sha256Of(bytes)}`, { role: 'agent' });

  it('refuses an upload that arrives while the erasure\'s keys are closed, and records nothing', async () => {
    const customerId = 'cust-up-1';
    const complaintId = await receive(customerId);
    const bytes = Buffer.from('小票 2026-03-02 92# 300 元 欧阳修 139\n', 'utf8');
    const keys = app().get(KeyStore);
    const destroyKeys = keys.destroyKeys.bind(keys);
    let racing: Awaited<ReturnType<typeof upload>> | undefined;
    keys.destroyKeys = async (...args) => {
      keys.destroyKeys = destroyKeys;
      // The erasure is recorded, its files deleted; before its key goes, the upload arrives.
      racing = await upload(complaintId, bytes);
      return destroyKeys(...args);
    };
    expect((await erase(customerId)).status).toBe(200);
    expect(racing).toMatchObject({ status: 409, body: { code: 'customer-erased' } });
    expect(racing?.body.detail).toContain('erased');
    expect(existsSync(blobPath(bytes))).toBe(false);
    expect((await app().request('GET', `/complaints/${complaintId}/attachments`, { role: 'agent' })).body.items).toEqual([]);
    expect((await download(complaintId, bytes)).status).toBe(404);
  });

  it('deletes the bytes of an upload sealed before the erasure and recorded after it finished, and refuses it', async () => {
    const customerId = 'cust-up-2';
    const complaintId = await receive(customerId);
    const bytes = Buffer.from('质量纠纷判断表 欧阳修 13911112222\n', 'utf8');
    const keys = app().get(KeyStore);
    const keyFor = keys.keyFor.bind(keys);
    keys.keyFor = async (...args) => {
      keys.keyFor = keyFor;
      const key = await keyFor(...args);
      // The upload has its key; the whole erasure runs before it appends.
      expect((await erase(customerId)).status).toBe(200);
      return key;
    };
    const racing = await upload(complaintId, bytes);
    expect(keys.keyFor).toBe(keyFor);
    expect(racing).toMatchObject({ status: 409, body: { code: 'customer-erased' } });
    expect(existsSync(blobPath(bytes))).toBe(false);
    expect((await download(complaintId, bytes)).status).toBe(404);
    // The record stays (it landed in the log), nameless; nothing of it is left to erase.
    const listed = await app().request('GET', `/complaints/${complaintId}/attachments`, { role: 'agent' });
    expect(listed.body.items).toMatchObject([{ sha256: sha256Of(bytes), fileName: null }]);
    expect((await erase(customerId)).body.code).toBe('customer-file-erased');
  });
});
