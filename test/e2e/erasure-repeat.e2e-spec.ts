import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ComplaintCommandExecutor, SlaPolicySource, type CommandContext } from '@app/complaints';
import { CustomerFileCommandExecutor } from '@app/customers';
import { KeyStore } from '@app/key-store';
import { TOKENS, newComplaint, newWorkOrder, removeDataDir, startApp, type RunningApp } from './support/test-app';

/**
 * Erasure gaps an attacker found (issue 19, docs/adr/0019), closed end to end over HTTP: personal
 * data recorded after an erasure can be erased by a second one; a file two erased customers
 * attached goes; a customer whose intake was cut short (a complaint, no file) or that only a repair
 * names can be erased; an erasure whose key outlived a stop is finished when the API starts.
 */
const REQUEST = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-077' };
const agent: CommandContext['actor'] = { id: 'agent-e2e', role: 'agent' };
const context = (): CommandContext => { const id = randomUUID(); return { commandId: id, correlationId: id, causationId: id, actor: agent }; };
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('erasure covers what was recorded after it, shared files, files never opened, and stops in between', () => {
  let app: RunningApp;
  let dataDir: string;
  beforeAll(async () => {
    app = await startApp();
    dataDir = app.dataDir;
  });
  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    removeDataDir(dataDir);
  });

  const blobPath = (bytes: Buffer) => { const hash = sha256Of(bytes); return join(dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash); };
  const attach = async (id: string, bytes: Buffer, kind: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/plain' }), `${kind}.txt`);
    form.append('kind', kind);
    return (await fetch(`${app.baseUrl}/complaints/${id}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}` } })).status;
  };
  const receive = async (customerId: string, customerName: string, extra: object = {}) => {
    const received = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId, customerName, ...extra } });
    expect(received.status).toBe(201);
    return received.body.id as string;
  };
  const erase = (customerId: string) => app.request('POST', `/customers/${customerId}/erase`, { role: 'admin', body: REQUEST });
  const nameOn = async (complaintId: string) => (await app.request('GET', `/complaints/${complaintId}`, { role: 'agent' })).body.customer.name;

  it('erases again what a customer gave after coming back (a new complaint, its contact, its attachment, a file added to an old complaint), and only then', async () => {
    const customerId = 'cust-comes-back';
    const first = await receive(customerId, '上官婉儿');
    expect((await erase(customerId)).status).toBe(200);
    expect(await nameOn(first)).toBeNull();

    // She comes back: a new complaint under the same customer id, with her phone, and two files.
    const second = await receive(customerId, '上官婉儿', { phone: '13711112222' });
    const photo = Buffer.from('照片：加油机显示屏 2 号枪 上官婉儿\n', 'utf8');
    const lateReceipt = Buffer.from('补交的小票 上官婉儿\n', 'utf8');
    expect(await attach(second, photo, 'photo')).toBe(201);
    expect(await attach(first, lateReceipt, 'receipt')).toBe(201);
    const view = await app.request('GET', `/complaints/${second}`, { role: 'agent' });
    expect(view.body).toMatchObject({ customer: { name: '上官婉儿' }, contact: { phone: '13711112222' } });

    const again = await erase(customerId);
    expect(again.status).toBe(200);
    const events = (await app.request('GET', `/customers/${customerId}/events`, { role: 'auditor' })).body.events;
    expect(events.map((event: { type: string }) => event.type)).toEqual(['CustomerFileOpened', 'CustomerFilePersonalDataErased', 'CustomerFilePersonalDataErased']);
    expect(events[2].data.keyIds).toHaveLength(1);
    expect(events[2].data.keyIds[0]).not.toBe(events[1].data.keyIds[0]);
    expect(await nameOn(second)).toBeNull();
    expect((await app.request('GET', `/complaints/${second}`, { role: 'agent' })).body.contact.phone).toBeNull();
    expect(existsSync(blobPath(photo))).toBe(false);
    expect(existsSync(blobPath(lateReceipt))).toBe(false);

    // Nothing recorded since: nothing left to erase.
    const third = await erase(customerId);
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: 'customer-file-erased', detail: expect.stringContaining('nothing left to erase') });
  });

  it('erases again when only a file was attached since, to a complaint received before the erasure', async () => {
    const customerId = 'cust-late-file';
    const complaintId = await receive(customerId, '端木蓉');
    expect((await erase(customerId)).status).toBe(200);
    const scan = Buffer.from('事后补交的扫描件 端木蓉\n', 'utf8');
    expect(await attach(complaintId, scan, 'other')).toBe(201);
    // Its file name is personal: sealed under a new key, which the second erasure names.
    const live = await app.get(KeyStore).liveKey(customerId);
    expect(existsSync(blobPath(scan))).toBe(true);
    expect((await erase(customerId)).status).toBe(200);
    expect(existsSync(blobPath(scan))).toBe(false);
    expect((await app.request('GET', `/customers/${customerId}/events`, { role: 'auditor' })).body.events.at(-1).data.keyIds).toEqual([live!.keyId]);
    expect((await erase(customerId)).status).toBe(409);
  });

  it('takes the same file on the same complaint again after an erasure (the customer came back), sealed under the new key, and still refuses a double upload of a live one', async () => {
    const customerId = 'cust-same-file-again';
    const complaintId = await receive(customerId, '慕容复');
    const receipt = Buffer.from('加油小票 慕容复 2 号枪 40 升\n', 'utf8');
    expect(await attach(complaintId, receipt, 'receipt')).toBe(201);
    const double = async () => {
      const form = new FormData();
      form.append('file', new Blob([receipt], { type: 'text/plain' }), 'receipt.txt');
      form.append('kind', 'receipt');
      const response = await fetch(`${app.baseUrl}/complaints/${complaintId}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}` } });
      return [response.status, ((await response.json()) as { code?: string }).code];
    };
    expect(await double()).toEqual([409, 'attachment-already-added']);
    expect((await erase(customerId)).status).toBe(200);
    expect(existsSync(blobPath(receipt))).toBe(false);

    // She comes back with the same receipt: a new attachment, under a new key, its bytes stored again.
    expect(await attach(complaintId, receipt, 'receipt')).toBe(201);
    expect(existsSync(blobPath(receipt))).toBe(true);
    const live = await app.get(KeyStore).liveKey(customerId);
    expect(live).not.toBeNull();
    const listed = (await app.request('GET', `/complaints/${complaintId}/attachments`, { role: 'agent' })).body.items as Array<{ sha256: string; fileName: string | null }>;
    expect(listed.map((item) => [item.sha256, item.fileName])).toEqual([[sha256Of(receipt), null], [sha256Of(receipt), 'receipt.txt']]);
    const download = await fetch(`${app.baseUrl}/complaints/${complaintId}/attachments/${sha256Of(receipt)}`, { headers: { authorization: `Bearer ${TOKENS.agent}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(receipt)).toBe(true);
    // Live again: a double upload is refused as before, and keeps the bytes.
    expect(await double()).toEqual([409, 'attachment-already-added']);
    expect(existsSync(blobPath(receipt))).toBe(true);

    // A further erasure names the new key only, and the bytes go again.
    expect((await erase(customerId)).status).toBe(200);
    expect((await app.request('GET', `/customers/${customerId}/events`, { role: 'auditor' })).body.events.at(-1).data.keyIds).toEqual([live!.keyId]);
    expect(existsSync(blobPath(receipt))).toBe(false);
  });

  it('keeps a file two customers attached while one of them is not erased, and deletes it once both are', async () => {
    const form = Buffer.from('质量纠纷判断表（空白）共用\n', 'utf8');
    const a = await receive('cust-shared-a', '甲客户');
    const b = await receive('cust-shared-b', '乙客户');
    expect(await attach(a, form, 'quality-dispute-form')).toBe(201);
    expect(await attach(b, form, 'quality-dispute-form')).toBe(201);
    expect((await erase('cust-shared-a')).status).toBe(200);
    expect(existsSync(blobPath(form))).toBe(true);
    expect((await erase('cust-shared-b')).status).toBe(200);
    expect(existsSync(blobPath(form))).toBe(false);
  });

  it('erases a customer whose intake was cut short: the complaint was written, its file never', async () => {
    const customerId = 'cust-intake-cut';
    const complaintId = randomUUID();
    // The complaint's own executor, without the intake step that opens the file: what a crash between the two leaves.
    await app.get(ComplaintCommandExecutor).execute({
      type: 'ReceiveComplaint', complaintId,
      data: { ...newComplaint, customerId, customerName: '诸葛明', policy: app.get(SlaPolicySource).current() },
    } as Parameters<ComplaintCommandExecutor['execute']>[0], context());
    expect(await nameOn(complaintId)).toBe('诸葛明');
    expect((await app.request('GET', `/customers/${customerId}/file`, { role: 'agent' })).status).toBe(404);

    const erased = await erase(customerId);
    expect(erased.status).toBe(200);
    expect(await nameOn(complaintId)).toBeNull();
    const events = (await app.request('GET', `/customers/${customerId}/events`, { role: 'auditor' })).body.events;
    expect(events.map((event: { type: string }) => event.type)).toEqual(['CustomerFileOpened', 'CustomerFilePersonalDataErased']);
    expect(events[0].data).toMatchObject({ complaintId, personal: null });
    expect((await app.request('GET', `/customers/${customerId}/file`, { role: 'agent' })).body).toMatchObject({ status: 'erased' });
    expect((await app.request('GET', '/audit/verify', { role: 'auditor' })).body).toMatchObject({ ok: true });
  });

  it('erases a customer that only a repair names (a work order opens no file)', async () => {
    const repair = await app.request('POST', '/work-orders', { role: 'agent', body: { ...newWorkOrder, customerId: 'cust-repair-only', contact: { name: '欧阳修', phone: '13822223333' } } });
    expect(repair.status).toBe(201);
    expect((await erase('cust-repair-only')).status).toBe(200);
    expect((await app.request('GET', `/work-orders/${repair.body.id}`, { role: 'agent' })).body).toMatchObject({ customerId: 'cust-repair-only', contact: null, address: null });
  });

  it('still answers 404 for a customer id that no file and no record names', async () => {
    const unknown = await erase('cust-nobody-at-all');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('customer-file-not-found');
  });

  it('finishes at start an erasure whose key outlived a stop between the event and the destruction', async () => {
    const customerId = 'cust-stopped-midway';
    const complaintId = await receive(customerId, '司徒雷');
    const live = await app.get(KeyStore).liveKey(customerId);
    expect(live).not.toBeNull();
    // The erasure event alone, as the handler records it before it destroys: the process stops there.
    await app.get(CustomerFileCommandExecutor).execute({
      type: 'EraseCustomerPersonalData', customerId, data: { ground: 'consent-withdrawn', reason: REQUEST.reason, keyIds: [live!.keyId] },
    }, { ...context(), actor: { id: 'admin-e2e', role: 'admin' } });
    // The key outlived the stop (still the live key), though closed for reading: the erasure is recorded (ADR 0019, "Racing records").
    expect(await app.get(KeyStore).liveKey(customerId)).toEqual(live);
    expect(await nameOn(complaintId)).toBeNull();
    await app.stop();

    app = await startApp(dataDir);
    expect(await nameOn(complaintId)).toBeNull();
    expect(await app.get(KeyStore).get(live!.keyId)).toBeNull();
    // Destroyed at start, not only closed.
    expect(await app.get(KeyStore).liveKey(customerId)).toBeNull();
  });
});
