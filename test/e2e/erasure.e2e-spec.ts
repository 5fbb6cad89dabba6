import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runEntry } from '../support/run-entry';
import { TOKENS, filesHolding, newComplaint, newWorkOrder, removeDataDir, sealDirOf, startApp, type RunningApp } from './support/test-app';

/**
 * Erasure without breaking the audit chain (issue 19, docs/adr/0019), end to end: complaints and a
 * customer file with a distinctive name, phone and e-mail; the erasure; then every read, a replay
 * of the read models, the chain's verification, the exports, and the bytes of every file in the
 * data directory (the SQLite files and their write-ahead logs included).
 */
const NAME = '欧阳娜娜';
const PHONE = '13912345678';
const EMAIL = 'nana.ouyang@example.com';
const KEPT_NAME = '司马光明';
const CUSTOMER = 'cust-erasure-e2e';

const cli = (args: string[], dataDir: string) => runEntry('apps/cli/src/main.ts', args, { DATA_DIR: dataDir, SEAL_DIR: sealDirOf(dataDir) });

describe('erasing a customer: the events stay, the chain verifies, the person is gone', () => {
  let app: RunningApp;
  let dataDir: string;
  let position = 0;
  const seen = <T extends { body: { position?: number } }>(response: T): T => {
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position);
    return response;
  };
  const complaintIds: string[] = [];
  let keptId = '';
  let workOrderId = '';

  beforeAll(async () => {
    app = await startApp();
    dataDir = app.dataDir;
  });
  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    removeDataDir(dataDir);
  });

  it('keeps the personal values out of the event log from the start: encrypted when appended, readable through the API', async () => {
    for (const description of ['加油机显示40升，但油箱只加进了约35升。', '发票开错了抬头。']) {
      const received = seen(await app.request('POST', '/complaints', {
        role: 'agent', body: { ...newComplaint, customerId: CUSTOMER, customerName: NAME, description, phone: PHONE, email: EMAIL, address: '上海市浦东新区世纪大道 100 号' },
      }));
      expect(received.status).toBe(201);
      complaintIds.push(received.body.id);
    }
    const contact = seen(await app.request('POST', `/customers/${CUSTOMER}/contacts`, { role: 'agent', body: { reason: 'Her own mobile, given at the desk.', name: NAME, phone: PHONE } }));
    expect(contact.status).toBe(200);
    const repair = seen(await app.request('POST', '/work-orders', { role: 'agent', body: { ...newWorkOrder, customerId: CUSTOMER, contact: { name: NAME, phone: PHONE }, address: '上海市浦东新区世纪大道 100 号' } }));
    expect(repair.status).toBe(201);
    workOrderId = repair.body.id;
    expect((await app.request('GET', `/work-orders/${workOrderId}`, { role: 'agent' })).body).toMatchObject({ contact: { name: NAME, phone: PHONE } });
    const kept = seen(await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-erasure-kept', customerName: KEPT_NAME } }));
    keptId = kept.body.id;

    const view = await app.request('GET', `/complaints/${complaintIds[0]}`, { role: 'agent' });
    expect(view.body.customer).toMatchObject({ id: CUSTOMER, name: NAME });
    expect(view.body.contact).toMatchObject({ phone: PHONE, email: EMAIL });
    const events = (await app.request('GET', `/complaints/${complaintIds[0]}/events`, { role: 'auditor' })).body.events;
    expect(events[0].data.customer.name).toBe(NAME);
    expect(events[1].data.personal).toMatchObject({ phone: PHONE });
    const found = await app.request('GET', `/complaints?q=${encodeURIComponent('欧阳')}&minPosition=${position}`, { role: 'agent' });
    expect(found.body.items.map((item: { id: string }) => item.id).sort()).toEqual([...complaintIds].sort());

    // On disk, the log holds ciphertext only; the read models hold the name (until the erasure).
    expect(filesHolding(dataDir, NAME).filter((file) => file.startsWith('events.sqlite'))).toEqual([]);
    expect(filesHolding(dataDir, PHONE).filter((file) => file.startsWith('events.sqlite'))).toEqual([]);
    expect(filesHolding(dataDir, KEPT_NAME).filter((file) => file.startsWith('events.sqlite'))).toEqual([]);
  });

  // Two files on her first complaint: her own receipt, and a blank dispute form that another customer's complaint also attached.
  const RECEIPT = Buffer.from(`小票 ${NAME} ${PHONE} 40 升 / 35 升\n`, 'utf8');
  const BLANK_FORM = Buffer.from('计量纠纷判断表（空白）\n', 'utf8');
  // A third, sent with an Idempotency-Key under a file name that names her.
  const PHOTO_NOTE = Buffer.from('照片说明：加油机读数\n', 'utf8');
  const PHOTO_NAME = `${NAME}-加油机照片说明.txt`;
  const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const blobPath = (bytes: Buffer) => { const hash = sha256Of(bytes); return join(dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash); };
  const upload = async (id: string, bytes: Buffer, kind: string, fileName = `${kind}.txt`, headers: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/plain' }), fileName);
    form.append('kind', kind);
    return fetch(`${app.baseUrl}/complaints/${id}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}`, ...headers } });
  };
  const attach = async (id: string, bytes: Buffer, kind: string) => {
    const response = await upload(id, bytes, kind);
    return response.status;
  };
  const downloadStatus = async (id: string, bytes: Buffer) => (await fetch(`${app.baseUrl}/complaints/${id}/attachments/${sha256Of(bytes)}`, { headers: { authorization: `Bearer ${TOKENS.agent}` } })).status;

  it('stores the attachments of her complaint, and a file another customer attached too, once', async () => {
    expect(await attach(complaintIds[0]!, RECEIPT, 'receipt')).toBe(201);
    expect(await attach(complaintIds[0]!, BLANK_FORM, 'metering-dispute-form')).toBe(201);
    expect(await attach(keptId, BLANK_FORM, 'metering-dispute-form')).toBe(201);
    // Sent with an Idempotency-Key: the stored answer names the file, as she named it.
    const named = await upload(complaintIds[0]!, PHOTO_NOTE, 'photo', PHOTO_NAME, { 'idempotency-key': 'erasure-photo-note' });
    expect(named.status).toBe(201);
    expect(await named.text()).toContain(NAME);
    expect(statSync(blobPath(RECEIPT)).size).toBe(RECEIPT.length);
    expect(statSync(blobPath(BLANK_FORM)).size).toBe(BLANK_FORM.length);
  });

  it('refuses the erasure to every role but admin, and for a customer without a file', async () => {
    const body = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-042' };
    for (const role of ['agent', 'supervisor', 'analyst', 'auditor'] as const) expect((await app.request('POST', `/customers/${CUSTOMER}/erase`, { role, body })).status).toBe(403);
    const unknown = await app.request('POST', '/customers/cust-nobody-here/erase', { role: 'admin', body });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('customer-file-not-found');
  });

  it('erases: one audited event on the file, the key destroyed, a second request refused', async () => {
    const body = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-042' };
    const erased = seen(await app.request('POST', `/customers/${CUSTOMER}/erase`, { role: 'admin', body }));
    expect(erased.status).toBe(200);
    const again = await app.request('POST', `/customers/${CUSTOMER}/erase`, { role: 'admin', body });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('customer-file-erased');
    const fileEvents = (await app.request('GET', `/customers/${CUSTOMER}/events`, { role: 'auditor' })).body.events;
    expect(fileEvents.at(-1)).toMatchObject({ type: 'CustomerFilePersonalDataErased', data: { reason: body.reason, requestReference: 'PIPL-2026-042' }, metadata: { actor: { role: 'admin' } } });
  });

  it('deletes the files only her complaints named, and keeps the one another customer\'s complaint names', async () => {
    expect(existsSync(blobPath(RECEIPT))).toBe(false);
    expect(await downloadStatus(complaintIds[0]!, RECEIPT)).toBe(404);
    expect(existsSync(blobPath(BLANK_FORM))).toBe(true);
    expect(await downloadStatus(keptId, BLANK_FORM)).toBe(200);
  });

  it('shows the person as erased in every read, and nobody else', async () => {
    const view = await app.request('GET', `/complaints/${complaintIds[0]}`, { role: 'agent' });
    expect(view.status).toBe(200);
    expect(view.body.customer).toMatchObject({ id: CUSTOMER, name: null });
    expect(view.body.contact).toEqual({ phone: null, email: null, address: null, preferredChannel: null, preferredTime: null, language: null });
    expect(view.body.description).toBe('加油机显示40升，但油箱只加进了约35升。');
    const events = (await app.request('GET', `/complaints/${complaintIds[0]}/events`, { role: 'auditor' })).body.events;
    expect(events[0].data.customer.name).toBeNull();
    expect(events[1].data.personal).toBeNull();
    expect((await app.request('GET', `/customers/${CUSTOMER}/file`, { role: 'agent' })).body).toMatchObject({ status: 'erased' });
    // The repair report's contact and address (under data.personal since issue 18) went with the key too.
    expect((await app.request('GET', `/work-orders/${workOrderId}`, { role: 'agent' })).body).toMatchObject({ customerId: CUSTOMER, contact: null, address: null });
    const list = await app.request('GET', `/complaints?customerId=${CUSTOMER}&minPosition=${position}`, { role: 'agent' });
    expect(list.body.items.map((item: { customerName: unknown }) => item.customerName)).toEqual([null, null]);
    expect((await app.request('GET', `/complaints?q=${encodeURIComponent('欧阳')}&minPosition=${position}`, { role: 'agent' })).body.items).toEqual([]);
    expect((await app.request('GET', `/customers/files?q=${PHONE}&minPosition=${position}`, { role: 'agent' })).body.items).toEqual([]);
    expect((await app.request('GET', `/complaints/${keptId}`, { role: 'agent' })).body.customer.name).toBe(KEPT_NAME);
  });

  it('forgets the stored answers of her complaints: an identical retry of an upload with its Idempotency-Key no longer names the file', async () => {
    const retried = await upload(complaintIds[0]!, PHOTO_NOTE, 'photo', PHOTO_NAME, { 'idempotency-key': 'erasure-photo-note' });
    const text = await retried.text();
    expect(text).not.toContain(NAME);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect([retried.status, JSON.parse(text).attachment?.fileName]).toEqual([201, null]);
    // The retry sent the bytes again: they are not stored again (the erasure deleted them).
    expect(existsSync(blobPath(PHOTO_NOTE))).toBe(false);
    expect(await downloadStatus(complaintIds[0]!, PHOTO_NOTE)).toBe(404);
  });

  it('keeps the chain verifying: the hashes cover the ciphertext, which is still there', async () => {
    const verified = await app.request('GET', '/audit/verify', { role: 'auditor' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
    expect((await app.request('GET', `/complaints/${complaintIds[0]}/trail`, { role: 'auditor' })).body).toMatchObject({ verification: { ok: true } });
  });

  it('exports nothing personal: the CSV list, the feed', async () => {
    const csv = await fetch(`${app.baseUrl}/complaints?format=csv&minPosition=${position}`, { headers: { authorization: 'Bearer supervisor-token-0123456789abcdef' } });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text).toContain(CUSTOMER);
    expect(text).not.toContain(NAME);
    const feed = await app.request('GET', '/feed?format=json&after=0&limit=200', { role: 'admin' });
    expect(feed.status).toBe(200);
    const sent = JSON.stringify(feed.body);
    expect(sent).toContain(CUSTOMER);
    for (const value of [NAME, PHONE, EMAIL]) expect(sent).not.toContain(value);
    // The feed carries no customer's name at all, erased or not: it goes to other systems.
    expect(sent).not.toContain(KEPT_NAME);
    expect(text).toContain(KEPT_NAME);
  });

  it('after a replay of the read models, the CLI verify and the NDJSON export, no file of the data directory holds the name or the phone', async () => {
    await app.stop();
    const replayed = await cli(['replay'], dataDir);
    expect(replayed).toMatchObject({ code: 0 });
    const verified = await cli(['verify'], dataDir);
    expect(verified.stderr).toMatch(/^OK: /m);
    expect(verified.code).toBe(0);
    const exported = await cli(['export'], dataDir);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(CUSTOMER);
    for (const value of [NAME, PHONE, EMAIL]) expect(exported.stdout).not.toContain(value);

    app = await startApp(dataDir);
    const list = await app.request('GET', `/complaints?customerId=${CUSTOMER}&minPosition=${position}`, { role: 'agent' });
    expect(list.body.items.map((item: { customerName: unknown }) => item.customerName)).toEqual([null, null]);
    expect((await app.request('GET', `/complaints/${keptId}`, { role: 'agent' })).body.customer.name).toBe(KEPT_NAME);
    await app.stop();

    for (const value of [NAME, PHONE, EMAIL]) expect(filesHolding(dataDir, value)).toEqual([]);
    // The control: the other customer's name is still on disk (in the read models), so the search above could find one.
    expect(filesHolding(dataDir, KEPT_NAME)).not.toEqual([]);
    // Three CLI processes and an app start through ts-node: minutes on a busy two-core machine.
  }, 360_000);
});
