import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@app/domain';
import { DEFAULT_ATTACHMENT_SETTINGS } from '../../apps/api/src/complaints/attachments/attachment-settings';
import { TOKENS, newComplaint, useApp } from './support/test-app';

/**
 * Attachments over HTTP: a file uploaded with multipart/form-data, stored under its SHA-256, the hash
 * in the event; listed and downloaded byte for byte under the complaint's roles and departments; and
 * every refusal (too large, a type not taken, a disguised one, no file, an unknown or unseen
 * complaint, a closed one) a 4xx problem that writes nothing: no event, no blob.
 */
const MAX = 64 * 1024;
const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const jpeg = (size = 2_000): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const pdf = (): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(500), Buffer.from('\n%%EOF\n')]);

interface Upload {
  readonly bytes?: Buffer;
  readonly fileName?: string;
  readonly type?: string;
  readonly fields?: Record<string, string>;
  readonly fileField?: string;
}

/** Every blob file under DATA_DIR/blobs (the temporary directory left out). */
function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'blobs');
  if (!existsSync(root)) return [];
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'tmp' && dir === root ? [] : walk(path);
    return [name];
  });
  return walk(root).sort();
}

describe('attachments over HTTP', () => {
  jest.setTimeout(60_000);
  const app = useApp(undefined, { attachments: { ...DEFAULT_ATTACHMENT_SETTINGS, maxBytes: MAX } });

  const receive = async (body: Record<string, unknown> = {}): Promise<string> => {
    const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, ...body } });
    expect(received.status).toBe(201);
    return received.body.id as string;
  };
  const upload = async (id: string, input: Upload, auth: { role?: Role; token?: string; headers?: Record<string, string> } = {}) => {
    const form = new FormData();
    if (input.bytes) form.append(input.fileField ?? 'file', new Blob([input.bytes], { type: input.type ?? 'application/octet-stream' }), input.fileName ?? 'file.bin');
    for (const [name, value] of Object.entries(input.fields ?? { kind: 'receipt' })) form.append(name, value);
    const response = await fetch(`${app().baseUrl}/complaints/${id}/attachments`, {
      method: 'POST', body: form, headers: { authorization: `Bearer ${auth.token ?? TOKENS[auth.role ?? 'agent']}`, ...auth.headers },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const download = async (path: string, auth: { role?: Role; token?: string } = {}) => {
    const response = await fetch(`${app().baseUrl}${path}`, { headers: { authorization: `Bearer ${auth.token ?? TOKENS[auth.role ?? 'agent']}` } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const revisionOf = async (id: string) => (await app().request('GET', `/complaints/${id}`)).body.revision as number;

  describe('a file attached', () => {
    it('is stored under its SHA-256, recorded in the event, listed, and downloaded byte for byte with safe headers', async () => {
      const id = await receive();
      const bytes = jpeg(20_000);
      const added = await upload(id, { bytes, fileName: '加油小票 0302.jpg', type: 'image/jpeg', fields: { kind: 'receipt', description: '加油小票，显示 40 升' } });
      expect(added.status).toBe(201);
      const href = `/complaints/${id}/attachments/${sha256Of(bytes)}`;
      expect(added.headers.get('location')).toBe(href);
      expect(added.headers.get('etag')).toBe('"1"');
      expect(added.body).toEqual({
        id, revision: 1, position: expect.any(Number),
        attachment: {
          sha256: sha256Of(bytes), size: bytes.length, mediaType: 'image/jpeg', fileName: '加油小票 0302.jpg', kind: 'receipt', description: '加油小票，显示 40 升',
          addedAt: expect.any(String), by: { id: 'agent-e2e', role: 'agent' }, revision: 1, href,
        },
      });

      const list = await app().request('GET', `/complaints/${id}/attachments`, { role: 'analyst' });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ id, revision: 1, items: [added.body.attachment] });
      expect((await app().request('GET', `/complaints/${id}`, { role: 'agent' })).body.attachments).toEqual([added.body.attachment]);

      const file = await download(href, { role: 'auditor' });
      expect(file.status).toBe(200);
      expect(file.bytes.equals(bytes)).toBe(true);
      expect(sha256Of(file.bytes)).toBe(sha256Of(bytes));
      expect(Object.fromEntries(['content-type', 'content-length', 'content-disposition', 'etag', 'x-content-type-options'].map((name) => [name, file.headers.get(name)]))).toEqual({
        'content-type': 'image/jpeg', 'content-length': String(bytes.length),
        'content-disposition': 'attachment; filename="____ 0302.jpg"; filename*=UTF-8\'\'%E5%8A%A0%E6%B2%B9%E5%B0%8F%E7%A5%A8%200302.jpg',
        etag: `"${sha256Of(bytes)}"`, 'x-content-type-options': 'nosniff',
      });
      expect(file.headers.get('content-security-policy')).toContain('sandbox');

      // The event holds the hash (the chain covers it), the file name only under personal.
      const events = (await app().request('GET', `/complaints/${id}/events`)).body.events;
      expect(events[1]).toMatchObject({
        type: 'ComplaintAttachmentAdded',
        data: { sha256: sha256Of(bytes), size: bytes.length, mediaType: 'image/jpeg', kind: 'receipt', personal: { fileName: '加油小票 0302.jpg' } },
      });
      expect(events[1].data.fileName).toBeUndefined();
      const trail = await app().request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
      expect(trail.body.verification).toMatchObject({ ok: true, events: 2 });
      expect(trail.body.entries[1].decision).toEqual({ 'zh-CN': '添加附件：票据/小票（image/jpeg，19.5 KiB）', en: 'Attached a file: Receipt (image/jpeg, 19.5 KiB)' });
      expect(blobFiles(app().dataDir)).toContain(sha256Of(bytes));
    });

    it('takes a PDF, text and an Office document told by their content; text is served as UTF-8', async () => {
      const id = await receive();
      const text = Buffer.from('油品编号,升数\n92#,40\n');
      const docx = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(40), Buffer.from('[Content_Types].xml word/document.xml', 'latin1'), randomBytes(40)]);
      for (const [bytes, fileName, type, mediaType, kind] of [
        [pdf(), 'quality.pdf', 'application/pdf', 'application/pdf', 'quality-dispute-form'],
        [text, '样品记录.csv', 'text/csv', 'text/csv', 'sample-record'],
        [docx, '计量纠纷判断表.docx', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'metering-dispute-form'],
      ] as const) {
        const added = await upload(id, { bytes, fileName, type, fields: { kind } });
        expect([fileName, added.status, added.body.attachment?.mediaType]).toEqual([fileName, 201, mediaType]);
      }
      const csv = await download(`/complaints/${id}/attachments/${sha256Of(text)}`);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.bytes.equals(text)).toBe(true);
      expect((await app().request('GET', `/complaints/${id}/attachments`)).body.items.map((item: { kind: string }) => item.kind))
        .toEqual(['quality-dispute-form', 'sample-record', 'metering-dispute-form']);
    });

    it('keeps one blob for the same file on two complaints, and refuses it twice on one (409), the blob kept', async () => {
      const first = await receive();
      const second = await receive();
      const bytes = jpeg();
      expect((await upload(first, { bytes, type: 'image/jpeg' })).status).toBe(201);
      expect((await upload(second, { bytes, type: 'image/jpeg', fields: { kind: 'photo' } })).status).toBe(201);
      const again = await upload(first, { bytes, type: 'image/jpeg', fileName: 'other.jpg' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'attachment-already-added' });
      expect(blobFiles(app().dataDir).filter((name) => name === sha256Of(bytes))).toHaveLength(1);
      expect((await download(`/complaints/${first}/attachments/${sha256Of(bytes)}`)).bytes.equals(bytes)).toBe(true);
    });

    it('is retried safely with an Idempotency-Key', async () => {
      const id = await receive();
      const bytes = jpeg();
      const headers = { 'idempotency-key': `attach-${sha256Of(bytes).slice(0, 8)}` };
      const first = await upload(id, { bytes, type: 'image/jpeg' }, { headers });
      const replayed = await upload(id, { bytes, type: 'image/jpeg' }, { headers });
      expect(first.status).toBe(201);
      expect(replayed.status).toBe(201);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(replayed.body).toEqual(first.body);
      expect(await revisionOf(id)).toBe(1);
      expect((await upload(id, { bytes: jpeg(), type: 'image/jpeg' }, { headers })).status).toBe(422);
    });

    it('is downloaded under a name that ends with an extension of the type found in it, the given name kept in the record', async () => {
      const id = await receive();
      const html = Buffer.from('Receipt 12345\n\n<script>alert(1)</script>\n');
      const pdfWithHtml = Buffer.concat([pdf(), Buffer.from('<html><script>alert(1)</script></html>')]);
      const photo = jpeg();
      const sheet = Buffer.from('油品编号,升数\n95#,30\n');
      const cases = [
        [html, 'receipt.html', 'text/plain', 'receipt.html.txt'],
        [pdfWithHtml, 'invoice.HTM', 'application/pdf', 'invoice.HTM.pdf'],
        [photo, 'pump.JPEG', 'image/jpeg', 'pump.JPEG'],
        [sheet, '样品记录.csv', 'text/csv', '样品记录.csv'],
      ] as const;
      for (const [bytes, fileName, type, served] of cases) {
        const added = await upload(id, { bytes, fileName, type });
        expect([fileName, added.status, added.body.attachment?.fileName]).toEqual([fileName, 201, fileName]);
        const file = await download(added.body.attachment.href);
        expect([fileName, file.headers.get('content-disposition')]).toEqual([fileName, expect.stringContaining(`filename*=UTF-8''${encodeURIComponent(served)}`)]);
        expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]*\.(txt|pdf|JPEG|csv)"; /);
      }
    });

    it('cleans the file name: no path, no control or direction characters', async () => {
      const id = await receive();
      const added = await upload(id, { bytes: jpeg(), type: 'image/jpeg', fileName: '..\\..\\C:\\evil\u202Egpj.jpg' });
      expect(added.status).toBe(201);
      expect(added.body.attachment.fileName).toBe('evilgpj.jpg');
    });
  });

  describe('refused, writing nothing (no event, no blob)', () => {
    const refusals: Array<[string, Upload, number, string]> = [
      ['a file above ATTACHMENT_MAX_BYTES', { bytes: jpeg(MAX + 1), type: 'image/jpeg' }, 413, 'attachment-too-large'],
      ['a program', { bytes: Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), randomBytes(300)]), fileName: 'setup.exe', type: 'application/x-msdownload' }, 415, 'attachment-type-not-allowed'],
      ['HTML disguised as a JPEG', { bytes: Buffer.from('<html><script>alert(document.cookie)</script></html>'), fileName: 'receipt.jpg', type: 'image/jpeg' }, 415, 'attachment-type-not-allowed'],
      ['an SVG', { bytes: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), fileName: 'pump.svg', type: 'image/svg+xml' }, 415, 'attachment-type-not-allowed'],
      ['a PDF sent as a PNG', { bytes: pdf(), fileName: 'photo.png', type: 'image/png' }, 415, 'attachment-type-mismatch'],
      ['no file', { fields: { kind: 'receipt' } }, 400, 'attachment-missing'],
      ['an empty file', { bytes: Buffer.alloc(0), type: 'image/jpeg' }, 400, 'attachment-empty'],
      ['no kind', { bytes: jpeg(), type: 'image/jpeg', fields: {} }, 400, 'validation-failed'],
      ['an unknown kind', { bytes: jpeg(), type: 'image/jpeg', fields: { kind: 'selfie' } }, 400, 'validation-failed'],
      ['an unknown field', { bytes: jpeg(), type: 'image/jpeg', fields: { kind: 'receipt', isAdmin: 'true' } }, 400, 'validation-failed'],
      ['the file in another field', { bytes: jpeg(), type: 'image/jpeg', fileField: 'upload' }, 400, 'validation-failed'],
      ['a blank description', { bytes: jpeg(), type: 'image/jpeg', fields: { kind: 'receipt', description: '   ' } }, 400, 'blank-text'],
      ['a description with a bidirectional override', { bytes: jpeg(), type: 'image/jpeg', fields: { kind: 'receipt', description: 'receipt \u202eexe.jpg' } }, 400, 'validation-failed'],
    ];
    it.each(refusals)('%s', async (_name, input, status, code) => {
      const id = await receive();
      const blobsBefore = blobFiles(app().dataDir);
      const refused = await upload(id, input);
      expect([refused.status, refused.body?.code]).toEqual([status, code]);
      expect(refused.body.detail.length).toBeGreaterThan(20);
      expect(await revisionOf(id)).toBe(0);
      expect(blobFiles(app().dataDir)).toEqual(blobsBefore);
    });

    it.each([600, 5_000])('a description of %i characters, naming the limit (also past the bytes the upload reads of a field)', async (length) => {
      const id = await receive();
      const refused = await upload(id, { bytes: jpeg(), type: 'image/jpeg', fields: { kind: 'receipt', description: 'x'.repeat(length) } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field: 'description', message: 'description must be at most 500 characters' }]);
      expect(await revisionOf(id)).toBe(0);
    });

    it('two files in one request', async () => {
      const id = await receive();
      const form = new FormData();
      form.append('file', new Blob([jpeg()], { type: 'image/jpeg' }), 'a.jpg');
      form.append('file', new Blob([jpeg()], { type: 'image/jpeg' }), 'b.jpg');
      form.append('kind', 'photo');
      const response = await fetch(`${app().baseUrl}/complaints/${id}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}` } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'malformed-multipart', detail: expect.stringContaining('one file per request') });
      expect(await revisionOf(id)).toBe(0);
    });

    describe('kind sent as something other than a text field: 400 naming kind and how to send it', () => {
      const post = async (id: string, body: NonNullable<RequestInit['body']>, contentType?: string) => {
        const response = await fetch(`${app().baseUrl}/complaints/${id}/attachments`, {
          method: 'POST', body, headers: { authorization: `Bearer ${TOKENS.agent}`, ...(contentType ? { 'content-type': contentType } : {}) },
        });
        return { status: response.status, body: await response.json() as { code: string; detail: string; errors?: Array<{ field: string; message: string }> } };
      };
      const kindAsFile = (withFile: boolean) => {
        const form = new FormData();
        if (withFile) form.append('file', new Blob([jpeg()], { type: 'image/jpeg' }), 'a.jpg');
        form.append('kind', new Blob(['receipt'], { type: 'text/plain' }), 'kind.txt');
        return form;
      };
      /** A body curl -F 'kind=<value>;type=application/json' sends: a text part (no filename) that declares JSON. */
      const kindAsJson = (value: string) => {
        const boundary = '----complaint-desk-e2e';
        const part = (headers: string, content: Buffer | string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
        const body = Buffer.concat([
          part('Content-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg', jpeg()),
          part('Content-Disposition: form-data; name="kind"\r\nContent-Type: application/json', value),
          Buffer.from(`--${boundary}--\r\n`),
        ]);
        return { body, contentType: `multipart/form-data; boundary=${boundary}` };
      };

      it.each([['beside the file', true], ['without a file', false]])('kind as a file part (curl -F kind=@file), %s', async (_name, withFile) => {
        const id = await receive();
        const blobsBefore = blobFiles(app().dataDir);
        const refused = await post(id, kindAsFile(withFile));
        expect(refused.status).toBe(400);
        expect(refused.body.detail).not.toContain('one file per request');
        expect(refused.body.errors).toContainEqual({ field: 'kind', message: expect.stringMatching(/kind is a text field.*-F kind=receipt/) });
        expect(await revisionOf(id)).toBe(0);
        expect(blobFiles(app().dataDir)).toEqual(blobsBefore);
      });

      it('the file sent as a text part typed application/json that is no JSON, beside kind: 400 in general words, not blaming description', async () => {
        const id = await receive();
        const blobsBefore = blobFiles(app().dataDir);
        const boundary = '----complaint-desk-e2e';
        const part = (headers: string, content: Buffer | string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
        const body = Buffer.concat([
          part('Content-Disposition: form-data; name="kind"', 'receipt'),
          part('Content-Disposition: form-data; name="file"\r\nContent-Type: application/json', 'not json'),
          Buffer.from(`--${boundary}--\r\n`),
        ]);
        const refused = await post(id, body, `multipart/form-data; boundary=${boundary}`);
        expect([refused.status, refused.body.code]).toEqual([400, 'malformed-multipart']);
        expect(refused.body.detail).toMatch(/declared application\/json and is no JSON: send the file as a file part \(curl -F file=@/);
        expect(JSON.stringify(refused.body.errors ?? [])).not.toMatch(/kind is a text field|description is a text field/);
        expect(await revisionOf(id)).toBe(0);
        expect(blobFiles(app().dataDir)).toEqual(blobsBefore);
      });

      it.each([['not JSON', 'other'], ['JSON', '"receipt"'], ['a JSON object', '{"kind":"receipt"}']])('kind as a text part typed application/json, its value %s', async (_name, value) => {
        const id = await receive();
        const blobsBefore = blobFiles(app().dataDir);
        const { body, contentType } = kindAsJson(value);
        const refused = await post(id, body, contentType);
        expect([refused.status, refused.body.code]).toEqual([400, 'validation-failed']);
        expect(refused.body.detail).not.toMatch(/not a valid JSON as declared/);
        expect(refused.body.errors).toEqual([{ field: 'kind', message: expect.stringMatching(/kind is a text field.*-F kind=receipt.*application\/json/) }]);
        expect(await revisionOf(id)).toBe(0);
        expect(blobFiles(app().dataDir)).toEqual(blobsBefore);
      });
    });

    it('a JSON body: 415, saying to send multipart/form-data', async () => {
      const id = await receive();
      const refused = await app().request('POST', `/complaints/${id}/attachments`, { role: 'agent', body: { kind: 'receipt' } });
      expect(refused.status).toBe(415);
      expect(refused.body).toMatchObject({ code: 'unsupported-media-type', detail: expect.stringContaining('multipart/form-data') });
    });

    it('a closed complaint (409 not-open), and the blob uploaded for it removed again', async () => {
      const id = await receive();
      for (const [action, body] of [
        ['validate', { reason: 'checked' }], ['assign', { department: 'station-ops', assignee: 'zhang.wei' }],
        ['resolve', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }], ['callback', { outcome: 'satisfied', satisfaction: 5 }],
      ] as const) expect((await app().request('POST', `/complaints/${id}/${action}`, { body })).status).toBe(200);
      const before = await revisionOf(id);
      const blobsBefore = blobFiles(app().dataDir);
      const refused = await upload(id, { bytes: jpeg(), type: 'image/jpeg' });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'not-open', currentStatus: 'closed', detail: expect.stringContaining('reopen it first') });
      expect(await revisionOf(id)).toBe(before);
      expect(blobFiles(app().dataDir)).toEqual(blobsBefore);
      const view = (await app().request('GET', `/complaints/${id}`, { role: 'agent' })).body;
      expect(view.allowedActions.find((entry: { action: string }) => entry.action === 'attachments')).toMatchObject({ allowed: false, reason: { code: 'not-open' } });
    });

    it('an unknown complaint: 404 for the upload (no blob kept), the list and a download', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const blobsBefore = blobFiles(app().dataDir);
      const bytes = jpeg();
      const refused = await upload(unknown, { bytes, type: 'image/jpeg' });
      expect([refused.status, refused.body.code]).toEqual([404, 'complaint-not-found']);
      expect(blobFiles(app().dataDir)).toEqual(blobsBefore);
      expect((await app().request('GET', `/complaints/${unknown}/attachments`)).status).toBe(404);
      expect((await download(`/complaints/${unknown}/attachments/${sha256Of(bytes)}`)).status).toBe(404);
    });

    it('a file that is not on the complaint (404 attachment-not-found), or a text that is no hash (400)', async () => {
      const id = await receive();
      const elsewhere = await receive();
      const bytes = jpeg();
      expect((await upload(elsewhere, { bytes, type: 'image/jpeg' })).status).toBe(201);
      const notHere = await app().request('GET', `/complaints/${id}/attachments/${sha256Of(bytes)}`);
      expect([notHere.status, notHere.body.code]).toEqual([404, 'attachment-not-found']);
      const malformed = await app().request('GET', `/complaints/${id}/attachments/..%2F..%2Fetc%2Fpasswd`);
      expect([malformed.status, malformed.body.code]).toEqual([400, 'validation-failed']);
    });

    it('an analyst or an auditor may read but not attach (403)', async () => {
      const id = await receive();
      for (const role of ['analyst', 'auditor'] as const) {
        const refused = await upload(id, { bytes: jpeg(), type: 'image/jpeg' }, { role });
        expect([role, refused.status]).toEqual([role, 403]);
      }
      expect(await revisionOf(id)).toBe(0);
    });
  });

  describe('department narrowing', () => {
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      for (const [name, body] of Object.entries({
        opsAgent: { principalId: 'ops.agent', role: 'agent', departments: ['station-ops'] },
        billingAgent: { principalId: 'billing.agent', role: 'agent', departments: ['billing'] },
      })) {
        const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { ...body, reason: 'attachment scope' } });
        expect(issued.status).toBe(201);
        tokens[name] = issued.body.token;
      }
    });

    it('another department gets what an unknown complaint gets: 404, for the upload, the list and the download; its own department gets the file', async () => {
      const id = await receive();
      await app().request('POST', `/complaints/${id}/validate`, { body: { reason: 'checked' } });
      await app().request('POST', `/complaints/${id}/assign`, { body: { department: 'station-ops', assignee: 'zhang.wei' } });
      const bytes = jpeg();
      const added = await upload(id, { bytes, type: 'image/jpeg', fields: { kind: 'photo' } }, { token: tokens['opsAgent'] });
      expect(added.status).toBe(201);
      const before = await revisionOf(id);
      const blobsBefore = blobFiles(app().dataDir);

      const outside = await upload(id, { bytes: jpeg(), type: 'image/jpeg' }, { token: tokens['billingAgent'] });
      expect([outside.status, outside.body.code]).toEqual([404, 'complaint-not-found']);
      expect(blobFiles(app().dataDir)).toEqual(blobsBefore);
      expect(await revisionOf(id)).toBe(before);
      const list = await app().request('GET', `/complaints/${id}/attachments`, { token: tokens['billingAgent'] });
      expect([list.status, list.body.code]).toEqual([404, 'complaint-not-found']);
      const file = await download(added.body.attachment.href, { token: tokens['billingAgent'] });
      expect(file.status).toBe(404);
      expect(JSON.parse(file.bytes.toString()).code).toBe('complaint-not-found');

      const inside = await download(added.body.attachment.href, { token: tokens['opsAgent'] });
      expect(inside.status).toBe(200);
      expect(inside.bytes.equals(bytes)).toBe(true);
    });
  });

  it('refuses 401 an upload whose token was revoked while its file was still arriving, and keeps nothing (found by an attacker)', async () => {
    const id = await receive();
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'pm1', role: 'agent', reason: 'upload test' } });
    expect(issued.status).toBe(201);
    const bytes = jpeg();
    const boundary = 'revoked-upload-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nreceipt\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = Buffer.concat([head, bytes, tail]);
    const { request } = await import('node:http');
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const sending = request(`${app().baseUrl}/complaints/${id}/attachments`, {
        method: 'POST', headers: { authorization: `Bearer ${issued.body.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
      }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      sending.on('error', reject);
      sending.write(body.subarray(0, head.length + 100));
      // The file is on its way; the token is revoked before the rest arrives.
      void (async () => {
        await new Promise((done) => setTimeout(done, 300));
        const revoked = await app().request('POST', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'left' } });
        expect(revoked.status).toBe(200);
        sending.end(body.subarray(head.length + 100));
      })().catch(reject);
    });
    const refused = await answer;
    expect(refused.status).toBe(401);
    expect(await revisionOf(id)).toBe(0);
    expect(blobFiles(app().dataDir)).not.toContain(sha256Of(bytes));
  });
});
