import { createHash, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '@app/complaints';
import { QUIET_HTTP, removeDataDir, startApp, newComplaint, newWorkOrder, TOKENS, type RunningApp } from './support/test-app';
import { editReadStore } from './support/read-store-edit';

async function expectProblem(response: { status: number; headers: Headers; body: any }, status: number, code?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  if (code) expect(response.body.code).toBe(code);
}


describe('errors over HTTP: problem+json, and a refused command writes nothing', () => {
  let app: RunningApp;
  let head: () => Promise<number>;
  beforeAll(async () => {
    app = await startApp();
    head = async () => (await app.request('GET', '/health', { role: null })).body.eventStore.headPosition;
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  async function validatedComplaint(): Promise<string> {
    const { body } = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
    expect((await app.request('POST', `/complaints/${body.id}/validate`, { body: { reason: 'ok' } })).status).toBe(200);
    return body.id;
  }

  /** The assignment of a validated complaint, with this If-Match. */
  const assign = (id: string, ifMatch: string) => app.request('POST', `/complaints/${id}/assign`, { body: { department: 'd', assignee: 'a' }, headers: { 'if-match': ifMatch } });

  describe('400 bad request', () => {
    it('lists every invalid field', async () => {
      const before = await head();
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, channel: 'pigeon', severity: 'apocalyptic', description: '' } });
      await expectProblem(response, 400, 'validation-failed');
      const fields = response.body.errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['channel', 'severity', 'description']));
      expect(await head()).toBe(before);
    });

    it('refuses unknown fields', async () => {
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, isAdmin: true } });
      await expectProblem(response, 400, 'validation-failed');
      // With the fields the command takes, so that the fix is in the answer.
      expect(response.body.errors).toContainEqual({ field: 'isAdmin', message: expect.stringMatching(/^property isAdmin should not exist; the fields here are .*\bcustomerId\b.*\bdescription\b/) });
    });

    it.each(['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])('refuses an unknown field named like an object method (%s) and writes nothing', async (key) => {
      const id = await validatedComplaint();
      const before = await head();
      const response = await app.request('POST', `/complaints/${id}/assign`, { body: { department: 'station-ops', assignee: 'zhang.wei', [key]: 'x' } });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toContainEqual({ field: key, message: expect.stringMatching(new RegExp(`^property ${key} should not exist; the fields here are .*\\bdepartment\\b.*\\bassignee\\b`)) });
      expect(await head()).toBe(before);
    });

    it.each(['unknown', 'toString'])('refuses an unknown query parameter (%s) on a read', async (key) => {
      const response = await app.request('GET', `/complaints?${key}=x`, { role: 'analyst' });
      await expectProblem(response, 400, 'validation-failed');
      // The parameters the route takes, from its query DTO (one place for every query and body).
      expect(response.body.errors).toContainEqual({ field: key, message: expect.stringMatching(new RegExp(`^property ${key} should not exist; the fields here are .*\\bstatus\\b.*\\bcursor\\b`)) });
    });

    it('suggests the query parameter meant when one is close', async () => {
      const response = await app.request('GET', '/complaints?stauts=received', { role: 'analyst' });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toContainEqual({ field: 'stauts', message: 'stauts is not a field; did you mean status?' });
    });

    it.each([
      ['a number for a string', { ...newComplaint, customerId: 42 }],
      ['an array for the body', [newComplaint]],
      ['a satisfaction of 0', null],
      ['a date that is not ISO 8601', { ...newComplaint, occurredAt: 'yesterday' }],
      ['a control character in free text', { ...newComplaint, description: 'bad\u0000text' }],
      ['a lone surrogate in free text (not well-formed Unicode)', { ...newComplaint, description: 'bad\uD800text' }],
      ['a lone low surrogate in a name', { ...newComplaint, customerName: '\uDC00王' }],
    ])('refuses %s', async (_name, body) => {
      const path = body === null ? `/complaints/${await validatedComplaint()}/callback` : '/complaints';
      const response = await app.request('POST', path, { role: 'agent', body: body ?? { outcome: 'satisfied', satisfaction: 0 } });
      await expectProblem(response, 400);
    });

    it('refuses malformed JSON and prototype-pollution keys', async () => {
      await expectProblem(await app.request('POST', '/complaints', { role: 'agent', rawBody: '{"customerId": ', headers: { 'content-type': 'application/json' } }), 400);
      await expectProblem(await app.request('POST', '/complaints', { role: 'agent', rawBody: '{"__proto__": {"role": "admin"}}', headers: { 'content-type': 'application/json' } }), 400);
    });

    it('refuses a complaint said to have happened in the future', async () => {
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, occurredAt: '2999-01-01T00:00:00Z' } });
      await expectProblem(response, 400, 'occurred-in-future');
    });

    it.each([['the object replacement character', '\ufffc'], ['it between invisible characters', '\u200b\ufffc\u2060 \ufffc']])('refuses a reason of %s alone: 400 naming the reason, saying it must show something, nothing written', async (_name, reason) => {
      // Found by the attacker: U+FFFC is a symbol to Unicode, yet it shows nothing (it stands for an object that is not there).
      const { body } = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      const before = await head();
      const response = await app.request('POST', `/complaints/${body.id}/validate`, { body: { reason } });
      await expectProblem(response, 400);
      expect(response.body.errors).toContainEqual({ field: 'reason', message: expect.stringMatching(/^reason must say why, and must not be blank: write something a reader can see .*object replacement character/) });
      expect(await head()).toBe(before);
    });

    // One rule for every date-time: at most milliseconds (visitedAt's seventh digit was cut without a word, while until refused a fourth),
    // and a UTC instant in the years 0000-9999 (until in year 10000 once in UTC was taken, where the other fields refused it).
    it('refuses more than three digits after the seconds in every date-time field, and an until in year 10000 once in UTC: 400 saying the rule, nothing written', async () => {
      const before = await head();
      const seven = '2026-03-02T10:00:00.1234567+08:00';
      for (const [method, path, role, body, field, says] of [
        ['POST', '/customers/cust-digits/visits', 'agent', { visitedAt: seven, channel: 'phone', summary: '电话' }, 'visitedAt', 'at most three digits after the seconds'],
        ['POST', '/complaints', 'agent', { ...newComplaint, occurredAt: seven }, 'occurredAt', 'at most three digits after the seconds'],
        ['POST', '/work-orders/00000000-0000-4000-8000-000000000000/schedule-visit', 'agent', { scheduledFor: '2099-03-02T10:00:00.1234+08:00' }, 'scheduledFor', 'at most three digits after the seconds'],
        ['GET', `/complaints?from=${encodeURIComponent(seven)}`, 'analyst', undefined, 'from', 'at most three digits after the seconds'],
        ['POST', '/analytics/as-of', 'analyst', { until: '+9999-12-31T23:00:00-12:00', name: 'year-10000-a' }, 'until', 'in the years 0000-9999 once in UTC'],
        ['POST', '/analytics/as-of', 'analyst', { until: '9999-12-31T23:30:00-01:00', name: 'year-10000-b' }, 'until', 'in the years 0000-9999 once in UTC'],
        ['POST', '/analytics/as-of', 'analyst', { until: '0000-01-01T00:00:00+01:00', name: 'year-minus-1' }, 'until', 'in the years 0000-9999 once in UTC'],
      ] as const) {
        const response = await app.request(method, path, { role, ...(body === undefined ? {} : { body }) });
        expect({ path, field, status: response.status }).toEqual({ path, field, status: 400 });
        await expectProblem(response, 400, 'validation-failed');
        expect(response.body.errors).toContainEqual({ field, message: expect.stringContaining(says) });
      }
      for (const name of ['year-10000-a', 'year-10000-b', 'year-minus-1']) expect((await app.request('GET', `/analytics/as-of/${name}`, { role: 'analyst' })).status).toBe(404);
      expect(await head()).toBe(before);
    });

    // Offsets in use run from -12:00 to +14:00; Date.parse took +14:01 (up to ±23:59) and moved the moment by hours.
    it('refuses a date-time whose offset is outside -12:00 to +14:00, in a query, a body and as-of until: 400 naming the field and the range, nothing written', async () => {
      const before = await head();
      const query = await app.request('GET', '/complaints?from=2026-03-01T08:00:00%2B14:01', { role: 'analyst' });
      await expectProblem(query, 400, 'validation-failed');
      expect(query.body.errors).toContainEqual({ field: 'from', message: expect.stringContaining('from -12:00 to +14:00') });
      const body = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, occurredAt: '2026-01-01T08:00:00-12:01' } });
      await expectProblem(body, 400, 'validation-failed');
      expect(body.body.errors).toContainEqual({ field: 'occurredAt', message: expect.stringContaining('from -12:00 to +14:00') });
      const until = await app.request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '2026-03-01T08:00:00+14:01', name: 'offset-typo' } });
      await expectProblem(until, 400, 'validation-failed');
      expect(until.body.errors).toContainEqual({ field: 'until', message: expect.stringContaining('from -12:00 to +14:00') });
      expect((await app.request('GET', '/analytics/as-of/offset-typo', { role: 'analyst' })).status).toBe(404);
      expect(await head()).toBe(before);
      // The ends of the range are offsets clocks use.
      expect((await app.request('GET', '/complaints?from=2026-03-01T08:00:00%2B14:00&to=2026-03-02T08:00:00-12:00', { role: 'analyst' })).status).toBe(200);
    });

    // IsISO8601 took week dates, ordinal dates, a year alone, hours alone, basic format and times without a zone: kept as
    // written, Date.parse read most as NaN, so occurredAt: '2099-060' passed the check that it is not after the complaint.
    it.each([
      ['an ordinal date in the future', '2099-060'], ['a week date', '2026-W09-1'], ['a year alone', '2026'], ['a time without its zone', '2026-03-01T09:30'],
      ['an offset of hours alone', '2099-03-01T09:30:00+08'], ['an offset without its colon', '2026-03-01T09:30:00+0800'], ['the basic format', '20260301T093000Z'],
      ['an hour alone', '2026-03-01T09Z'], ['a comma before the fraction', '2026-03-01T09:30:00,5Z'],
    ])('refuses occurredAt as %s (%s): 400 naming the field and the form, nothing written', async (_, occurredAt) => {
      const before = await head();
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, occurredAt } });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toContainEqual({ field: 'occurredAt', message: expect.stringContaining('2026-03-01T09:30:00+08:00') });
      expect(await head()).toBe(before);
    });

    it('takes occurredAt as a date-time with its offset or Z, or a day, and keeps it as written', async () => {
      for (const occurredAt of ['2026-03-01T09:30:00+08:00', '2026-03-01T09:30-00:00', '2026-03-01T01:30:00.5Z', '2026-03-01']) {
        const created = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, occurredAt } });
        expect(created.status).toBe(201);
        expect((await app.request('GET', `/complaints/${created.body.id as string}`, { role: 'agent' })).body.occurredAt).toBe(occurredAt);
      }
    });

    it('refuses a malformed If-Match', async () => {
      const id = await validatedComplaint();
      await expectProblem(await assign(id, 'yesterday'), 400);
    });
  });

  describe('401 and 403', () => {
    it('asks for a token when there is none', async () => {
      const response = await app.request('POST', '/complaints', { role: null, body: newComplaint });
      await expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('refuses a wrong token', async () => {
      await expectProblem(await app.request('GET', '/complaints/00000000-0000-4000-8000-000000000000', { token: 'not-a-real-token-at-all' }), 401);
    });

    it.each([
      ['analyst', 'POST', '/complaints'],
      ['auditor', 'POST', '/complaints'],
      ['agent', 'POST', '/complaints/{id}/validate'],
      ['agent', 'POST', '/complaints/{id}/assign'],
      ['agent', 'POST', '/complaints/{id}/escalate'],
      ['agent', 'POST', '/complaints/{id}/reopen'],
      ['analyst', 'POST', '/complaints/{id}/apologise'],
    ] as const)('forbids the %s role %s %s and writes nothing', async (role, method, template) => {
      const id = await validatedComplaint();
      const before = await head();
      const response = await app.request(method, template.replace('{id}', id), { role, body: { reason: 'x', department: 'd', assignee: 'a', to: 't', statement: 's', channel: 'phone' } });
      await expectProblem(response, 403);
      expect(await head()).toBe(before);
    });

    it('lets every role read a complaint', async () => {
      const id = await validatedComplaint();
      for (const role of Object.keys(TOKENS) as Array<keyof typeof TOKENS>) {
        expect((await app.request('GET', `/complaints/${id}`, { role })).status).toBe(200);
      }
    });
  });

  describe('404', () => {
    it('for a complaint that does not exist, read or written', async () => {
      await expectProblem(await app.request('GET', '/complaints/00000000-0000-4000-8000-000000000000'), 404, 'complaint-not-found');
      await expectProblem(await app.request('GET', '/complaints/00000000-0000-4000-8000-000000000000/events'), 404, 'complaint-not-found');
      await expectProblem(await app.request('POST', '/complaints/00000000-0000-4000-8000-000000000000/validate', { body: { reason: 'x' } }), 404, 'complaint-not-found');
    });

    it('for an id that is not a complaint id, and for unknown routes', async () => {
      await expectProblem(await app.request('GET', "/complaints/1' OR '1'='1"), 404);
      await expectProblem(await app.request('GET', '/nowhere'), 404);
    });

    it.each([
      ['a complaint', '/complaints/%E2%80%AEabc', 'complaint-not-found'],
      ['a webhook', '/webhooks/abc%E2%80%8B', 'webhook-not-found'],
      ['a customer file', '/customers/abc%E2%80%8B/file', 'customer-file-not-found'],
    ])('shows the id of %s it repeats escaped, as the other path pipes do (an attacker\'s LOW: a right-to-left override or a zero-width space came back raw, unseen)', async (_, path, code) => {
      const response = await app.request('GET', path, { role: 'admin' });
      await expectProblem(response, 404, code);
      expect(response.body.detail).toMatch(/\\u202eabc|abc\\u200b/);
      expect(response.body.detail).not.toMatch(/[\u200b\u202e]/);
    });
  });

  describe('409 illegal transition', () => {
    it('names the rule with a machine-readable code and writes nothing', async () => {
      const id = await validatedComplaint();
      const before = await head();
      const response = await app.request('POST', `/complaints/${id}/resolve`, { role: 'agent', body: { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true } });
      await expectProblem(response, 409, 'not-assigned');
      expect(response.body).toMatchObject({ command: 'ResolveComplaint', currentStatus: 'validated' });
      expect(await head()).toBe(before);
    });

    it('lets exactly one of many concurrent identical decisions through', async () => {
      const { body } = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      const responses = await Promise.all(Array.from({ length: 20 }, () => app.request('POST', `/complaints/${body.id}/validate`, { body: { reason: 'ok' } })));
      expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
      expect(responses.filter((response) => response.status === 409)).toHaveLength(19);
      const events = await app.request('GET', `/complaints/${body.id}/events`);
      expect(events.body.events.map((event: { revision: number }) => event.revision)).toEqual([0, 1]);
    });
  });

  describe('412 precondition failed', () => {
    it('refuses a command decided on an older revision and writes nothing', async () => {
      const id = await validatedComplaint();
      const before = await head();
      const response = await assign(id, '"0"');
      await expectProblem(response, 412, 'revision-mismatch');
      expect(response.body).toMatchObject({ expectedRevision: 0, currentRevision: 1 });
      expect(await head()).toBe(before);
      const current = await assign(id, '"1"');
      expect(current.status).toBe(200);
    });
  });

  describe('If-Match with a list of entity-tags (RFC 9110)', () => {
    it('runs the command when any listed tag is the current revision, and refuses a list that names none of it (412, listing them), writing nothing', async () => {
      const id = await validatedComplaint();
      const before = await head();
      const stale = await assign(id, '"0", "7"');
      await expectProblem(stale, 412, 'revision-mismatch');
      expect(stale.body).toMatchObject({ expectedRevisions: [0, 7], currentRevision: 1 });
      expect(stale.body.detail).toContain('not 0 or 7');
      expect(await head()).toBe(before);
      const listed = await assign(id, '"0" ,"1",  "9"');
      expect([listed.status, listed.body.revision, listed.headers.get('etag')]).toEqual([200, 2, '"2"']);
    });

    it('refuses a weak tag (If-Match compares strongly) and a malformed list with a 400 that says what to send, writing nothing', async () => {
      const id = await validatedComplaint();
      const before = await head();
      // Half-quoted tags and a leading zero too (found by an attacker: "01" was taken as 1, a strong comparison would not).
      for (const ifMatch of ['W/"1"', '"0", W/"1"', '"1" "2"', '*, "1"', '"1", yesterday', '"1', '1"', '"01"', '01', ',', ' , ,']) {
        const response = await assign(id, ifMatch);
        await expectProblem(response, 400, 'validation-failed');
        expect([ifMatch, response.body.errors[0].field]).toEqual([ifMatch, 'If-Match']);
        expect(response.body.errors[0].message).toMatch(ifMatch.includes('W/') ? /weak .*never matches.*"1"/ : ifMatch.includes('01') ? /no leading zero.*"1"/ : /"3", "4"/);
      }
      expect(await head()).toBe(before);
    });

    it('ignores empty elements of the list (RFC 9110 §5.6.1: a recipient accepts them), and refuses a list of nothing but them, saying what to send', async () => {
      // Found by the attacker: `If-Match: "0",` was a 400 though the list names revision 0.
      for (const ifMatch of ['"1",', ', "1"', '"9",, "1" ,', ' ,"1", , ']) {
        const response = await assign(await validatedComplaint(), ifMatch);
        expect({ ifMatch, status: response.status, revision: response.body.revision }).toEqual({ ifMatch, status: 200, revision: 2 });
      }
      const id = await validatedComplaint();
      const stale = await assign(id, '"0", ,');
      await expectProblem(stale, 412, 'revision-mismatch');
      expect(stale.body).toMatchObject({ expectedRevision: 0, currentRevision: 1 });
      const empty = await assign(id, ' , ');
      await expectProblem(empty, 400, 'validation-failed');
      expect(empty.body.errors[0]).toEqual({ field: 'If-Match', message: expect.stringMatching(/names no entity-tag.*such as "1"/) });
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first response for a retry with the same body and writes nothing', async () => {
      const headers = { 'idempotency-key': 'web-form-submission-7f3a' };
      const first = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers });
      const before = await head();
      const retry = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint }, headers });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await head()).toBe(before);
    });

    it('answers concurrent retries once', async () => {
      const headers = { 'idempotency-key': 'double-click-1' };
      const responses = await Promise.all([1, 2, 3, 4, 5].map(() => app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers })));
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      expect(responses.every((response) => response.status === 201)).toBe(true);
      expect((await app.request('GET', `/complaints/${responses[0]!.body.id}/events`)).body.events).toHaveLength(1);
    });

    it('answers a retry that writes the complaint id in capitals as the same request, and another complaint with that key still 422', async () => {
      const [id, other] = [await validatedComplaint(), await validatedComplaint()];
      const headers = { 'idempotency-key': `assign-once-${id}` };
      const assignAs = (path: string) => app.request('POST', `/complaints/${path}/assign`, { body: { department: 'station-ops', assignee: 'zhang.wei' }, headers });
      const first = await assignAs(id.toUpperCase());
      expect(first.status).toBe(200);
      const before = await head();
      const retry = await assignAs(id);
      expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.body }).toEqual({ status: 200, replayed: 'true', body: first.body });
      await expectProblem(await assignAs(other), 422, 'idempotency-key-reused');
      expect(await head()).toBe(before);
    });

    it('answers a retry that spells a serial number in the body otherwise (case, spaces) as the same request, and another serial with that key still 422', async () => {
      const serial = `TQ2240-${randomUUID().slice(0, 8).toUpperCase()}`;
      const product = (serialNumber: string) => app.request('POST', '/products', {
        role: 'admin', headers: { 'idempotency-key': `register-${serial}` },
        body: { serialNumber, model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn: '2026-01-15', warrantyMonths: 12, covers: ['parts'] },
      });
      const first = await product(serial);
      expect(first.status).toBe(201);
      for (const spelling of [serial.toLowerCase(), `  ${serial.toLowerCase()} `]) {
        const retry = await product(spelling);
        expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.body }).toEqual({ status: 201, replayed: 'true', body: first.body });
      }
      await expectProblem(await product(`${serial}9`), 422, 'idempotency-key-reused');
      // A report names its product the same way.
      const report = (serialNumber: string) => app.request('POST', '/work-orders', { role: 'agent', headers: { 'idempotency-key': `report-${serial}` }, body: { ...newWorkOrder, product: { ...newWorkOrder.product, serialNumber } } });
      const reported = await report(serial);
      expect(reported.status).toBe(201);
      const retried = await report(serial.toLowerCase());
      expect({ status: retried.status, replayed: retried.headers.get('idempotent-replayed'), body: retried.body }).toEqual({ status: 201, replayed: 'true', body: reported.body });
    });

    it('answers a retry that writes a work order id in the body in capitals as the same request', async () => {
      const complaint = await validatedComplaint();
      const order = await app.request('POST', '/work-orders', { role: 'agent', body: newWorkOrder });
      const link = (workOrderId: string) => app.request('POST', `/complaints/${complaint}/links`, { headers: { 'idempotency-key': `link-${complaint}` }, body: { workOrderId } });
      const first = await link(order.body.id);
      expect(first.status).toBe(200);
      const retry = await link(order.body.id.toUpperCase());
      expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.body }).toEqual({ status: 200, replayed: 'true', body: first.body });
    });

    it('returns 422 when the same key comes with another body', async () => {
      const headers = { 'idempotency-key': 'reused-key-1' };
      await app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers });
      const before = await head();
      await expectProblem(await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, severity: 'low' }, headers }), 422, 'idempotency-key-reused');
      expect(await head()).toBe(before);
    });
  });

  describe('400 for input that used to get through (issue 16): each message says how to fix it, and nothing is written', () => {
    it.each(['P100000000D', 'PT2400000000H', 'P14285715W', 'PT8640000000000S', 'P99999999999999999999D', 'PT99999999999999999999S', 'P367D', 'P53W'])(
      'refuses an at-risk window of %s, naming the allowed range', async (within) => {
        const response = await app.request('GET', `/sla/at-risk?within=${within}`, { role: 'analyst' });
        await expectProblem(response, 400, 'validation-failed');
        expect(response.body.errors).toEqual([{ field: 'within', message: expect.stringMatching(/PT0S to P366D/) }]);
      },
    );

    it.each(['P366D', 'P52W', 'PT0S', 'PT2H'])('accepts an at-risk window of %s', async (within) => {
      expect((await app.request('GET', `/sla/at-risk?within=${within}`, { role: 'analyst' })).status).toBe(200);
    });

    const dated = [
      ['/complaints', 'analyst'], ['/sla/breaches', 'analyst'], ['/sla/compliance', 'analyst'], ['/stats/complaints', 'analyst'], ['/audit/decisions', 'auditor'],
    ] as const;
    const impossible = ['2026-13-45', '9999-99-99', '2026-02-30', '2026-02-29', '2026-04-31', '2026-00-10'];
    it.each(dated.flatMap(([path, role]) => impossible.flatMap((date) => [[path, role, 'from', date], [path, role, 'to', date]] as const)))(
      'refuses GET %s (as %s) with %s=%s, a day that does not exist', async (path, role, field, date) => {
        const response = await app.request('GET', `${path}?${field}=${date}`, { role });
        await expectProblem(response, 400, 'validation-failed');
        expect(response.body.errors).toEqual([{ field, message: expect.stringMatching(/YYYY-MM-DD/) }]);
      },
    );

    it.each(['/complaints', '/sla/breaches', '/audit/decisions'])('refuses an impossible day in an instant on %s', async (path) => {
      const response = await app.request('GET', `${path}?from=2026-02-30T08:00:00Z`, { role: 'auditor' });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['from']);
    });

    it.each(dated)('refuses GET %s (as %s) with to not later than from, which could only answer nothing', async (path, role) => {
      for (const [from, to] of [['2026-06-01', '2026-05-01'], ['2026-06-01', '2026-06-01']]) {
        const response = await app.request('GET', `${path}?from=${from}&to=${to}`, { role });
        await expectProblem(response, 400, 'validation-failed');
        expect(response.body.errors).toEqual([{ field: 'to', message: expect.stringMatching(/later than from/) }]);
      }
      expect((await app.request('GET', `${path}?from=2026-05-01&to=2026-06-01`, { role })).status).toBe(200);
    });

    it.each([['2028-02-29', 200], ['2026-12-31', 200]] as const)('still accepts a real day (%s)', async (date, status) => {
      for (const [path, role] of dated) expect((await app.request('GET', `${path}?from=${date}`, { role })).status).toBe(status);
    });

    it.each(['\\u0080', '\\u0085', '\\u009b', '\\u009f'])('refuses the C1 control character %s in free text and writes nothing', async (escaped) => {
      const before = await head();
      const character = JSON.parse(`"${escaped}"`) as string;
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, description: `bad${character}text` } });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toEqual([{ field: 'description', message: expect.stringMatching(/control characters/) }]);
      expect(await head()).toBe(before);
    });

    it.each(['\\u202e', '\\u2066'])('refuses the bidirectional control %s in free text (it would show the text reordered) and writes nothing', async (escaped) => {
      const before = await head();
      const character = JSON.parse(`"${escaped}"`) as string;
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, description: `refund ${character}001 OOC` } });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toEqual([{ field: 'description', message: expect.stringMatching(/bidirectional/) }]);
      expect(await head()).toBe(before);
    });

    it('says a missing field is required, once, and what it must be', async () => {
      const id = await validatedComplaint();
      const before = await head();
      const response = await app.request('POST', `/complaints/${id}/apologise`, { role: 'agent', body: {} });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toEqual([
        { field: 'statement', message: expect.stringMatching(/^statement is required/) },
        { field: 'channel', message: expect.stringMatching(/^channel is required.*phone/) },
      ]);
      expect(JSON.stringify(response.body)).not.toMatch(/surrogate|control characters/);
      expect(await head()).toBe(before);
    });

    it.each([
      ['"5" for satisfaction', { outcome: 'satisfied', satisfaction: '5' }, 'satisfaction', 'satisfaction must be a whole number from 1 to 5'],
      ['2.5 for satisfaction', { outcome: 'satisfied', satisfaction: 2.5 }, 'satisfaction', 'satisfaction must be a whole number from 1 to 5'],
      ['9 for satisfaction', { outcome: 'satisfied', satisfaction: 9 }, 'satisfaction', 'satisfaction must be a whole number from 1 to 5'],
      ['a number for remarks', { outcome: 'satisfied', satisfaction: 5, remarks: 42 }, 'remarks', 'remarks must be text of 1–2000 characters'],
    ])('says what type is expected, once, for %s', async (_name, body, field, message) => {
      const response = await app.request('POST', `/complaints/${await validatedComplaint()}/callback`, { role: 'agent', body });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toEqual([{ field, message }]);
    });

    it.each(['[{"reason":"x"}]', 'null', '"x"', '42'])('says a body of %s must be a JSON object, once', async (rawBody) => {
      const response = await app.request('POST', `/complaints/${await validatedComplaint()}/reopen`, { rawBody, headers: { 'content-type': 'application/json' } });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toEqual([{ field: 'body', message: expect.stringMatching(/must be a JSON object/) }]);
    });

    it('says what type is expected for a query parameter', async () => {
      const response = await app.request('GET', '/complaints?limit=many', { role: 'analyst' });
      expect(response.body.errors).toEqual([{ field: 'limit', message: 'limit must be a whole number from 1 to 200' }]);
    });

    it.each([
      ['POST', '/complaints', { ...newComplaint, customer_id: 'x' }, 'customer_id', 'customerId'],
      ['POST', '/complaints', { ...newComplaint, desciption: 'x' }, 'desciption', 'description'],
      ['POST', '/complaints', { ...newComplaint, Channel: 'phone' }, 'Channel', 'channel'],
      ['GET', '/complaints?customer-id=cust-1', undefined, 'customer-id', 'customerId'],
    ])('suggests the known field close to an unknown one (%s %s)', async (method, path, body, field, known) => {
      const response = await app.request(method, path, { role: 'agent', body });
      await expectProblem(response, 400, 'validation-failed');
      expect(response.body.errors).toContainEqual({ field, message: `${field} is not a field; did you mean ${known}?` });
    });

    it('answers a query string of raw UTF-8 with problem+json, a request id, and the advice to percent-encode', async () => {
      const port = new URL(app.baseUrl).port;
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(Buffer.concat([
            Buffer.from('GET /complaints?customerId='), Buffer.from('李女士', 'utf8'),
            Buffer.from(` HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKENS.analyst}\r\nConnection: close\r\n\r\n`),
          ]));
        });
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => { received += chunk; });
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
      });
      const [head, body] = raw.split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
      const requestId = /\r\nx-request-id: ([^\r]+)/i.exec(head)?.[1];
      expect(requestId).toEqual(expect.any(String));
      const problem = JSON.parse(body);
      expect(problem).toMatchObject({ status: 400, code: 'url-not-encoded', requestId });
      expect(problem.detail).toMatch(/percent-encode/i);
    });
  });

  describe('a cursor no page gave: 400 on every list that takes one, never a page from it', () => {
    const written = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const lists = ['/complaints', '/audit/decisions', '/sla/breaches', '/sla/at-risk', '/customers', '/customers/files', '/customers/alerts', '/work-orders', '/work-orders/board', '/surveys'];
    it.each(lists)('refuses GET %s with a cursor written by hand (an instant that is not one), saying where a cursor comes from', async (path) => {
      for (const cursor of [written(['2026', 'a']), written(['2026-01-01T00:00:00.000Z', 'a']), written([1, 'a'])]) {
        const response = await app.request('GET', `${path}?cursor=${cursor}`, { role: 'admin' });
        await expectProblem(response, 400, 'invalid-query');
        expect(response.body.detail).toMatch(/nextCursor of a previous page/);
      }
    });

    it.each([...lists, '/webhooks/5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f/deliveries'])('refuses GET %s with text that is no cursor at all as it refuses a cursor no page gave: one code, the same words', async (path) => {
      for (const cursor of ['%27%3B--', 'x'.repeat(1001), '', 'a%20b']) {
        const response = await app.request('GET', `${path}?cursor=${cursor}`, { role: 'admin' });
        await expectProblem(response, 400, 'invalid-query');
        // The words of the store's refusal of a cursor no page gave (the test above).
        expect(response.body.detail).toBe('cursor must be the nextCursor of a previous page of this list, unchanged (leave it out for the first page)');
      }
    });

    it('pages GET /audit/decisions with the cursor it gave, and refuses that cursor with its values changed', async () => {
      await validatedComplaint();
      const first = await app.request('GET', `/audit/decisions?limit=1&minPosition=${await head()}`, { role: 'auditor' });
      expect(first.status).toBe(200);
      const given: string = first.body.nextCursor;
      expect((await app.request('GET', `/audit/decisions?limit=1&cursor=${given}`, { role: 'auditor' })).body.items).toHaveLength(1);
      const [, id, check] = JSON.parse(Buffer.from(given, 'base64url').toString('utf8')) as unknown[];
      const response = await app.request('GET', `/audit/decisions?cursor=${written(['2026', id, check])}`, { role: 'auditor' });
      await expectProblem(response, 400, 'invalid-query');
    });

    it('refuses a cursor whose check anyone could recompute (a SHA-256 of the sort and the values): the check is keyed', async () => {
      const values = ['zzz', 'x'];
      const digest = createHash('sha256').update(JSON.stringify([[['occurredAt', 'desc']], values])).digest('base64url').slice(0, 16);
      const response = await app.request('GET', `/audit/decisions?cursor=${written([...values, digest])}`, { role: 'auditor' });
      await expectProblem(response, 400, 'invalid-query');
      expect(response.body.detail).toMatch(/nextCursor of a previous page of this list, unchanged \(leave it out for the first page\)/);
    });

    it('pages with a cursor one instance gave on another instance on the same data dir, and after a restart', async () => {
      await validatedComplaint();
      await validatedComplaint();
      const first = await app.request('GET', `/audit/decisions?limit=1&minPosition=${await head()}`, { role: 'auditor' });
      const given: string = first.body.nextCursor;
      const expected = (await app.request('GET', `/audit/decisions?limit=1&cursor=${given}`, { role: 'auditor' })).body.items;
      expect(expected).toHaveLength(1);
      for (let round = 0; round < 2; round++) {
        // A second instance on the same files (its projections elsewhere), started anew each round: the key is the data dir's.
        const other = await startApp(app.dataDir, { projections: 'external' });
        try {
          const paged = await other.request('GET', `/audit/decisions?limit=1&cursor=${given}`, { role: 'auditor' });
          expect(paged.status).toBe(200);
          expect(paged.body.items).toEqual(expected);
          // And the other way: a cursor it gave pages here.
          expect((await app.request('GET', `/audit/decisions?limit=1&cursor=${paged.body.nextCursor as string}`, { role: 'auditor' })).status).toBe(200);
        } finally {
          await other.stop();
        }
      }
    });

    /** The read store's cursor key row, edited by hand while the instances run (an attacker's MEDIUM: a 500 on every list with a next page, or two keys). */
    const editCursorKey = (sql: string) => editReadStore(app.dataDir, sql);

    it.each([
      ['garbled (an integer where the key was)', "UPDATE rm_secrets SET secret = 42 WHERE name = 'cursor'"],
      ['garbled (an empty key)', "UPDATE rm_secrets SET secret = x'' WHERE name = 'cursor'"],
      // JavaScript reads it back rounded: matched by the value read, its repair matched nothing and the store did not open.
      ['garbled (an integer above 2^53)', "UPDATE rm_secrets SET secret = 9007199254740993 WHERE name = 'cursor'"],
      ['deleted', "DELETE FROM rm_secrets WHERE name = 'cursor'"],
    ])('pages on every instance when the cursor key in the read store is %s while they run: never a 500, one key again', async (_, sql) => {
      await validatedComplaint();
      await validatedComplaint();
      editCursorKey(sql);
      // An instance started after the edit, beside the one that ran through it.
      const other = await startApp(app.dataDir, { projections: 'external' });
      try {
        for (const [giver, taker] of [[other, app], [app, other]] as const) {
          const first = await giver.request('GET', '/audit/decisions?limit=1', { role: 'auditor' });
          expect(first.status).toBe(200);
          const given: string = first.body.nextCursor;
          expect(typeof given).toBe('string');
          const paged = await taker.request('GET', `/audit/decisions?limit=1&cursor=${given}`, { role: 'auditor' });
          expect(paged.status).toBe(200);
          expect(paged.body.items).toHaveLength(1);
        }
      } finally {
        await other.stop();
      }
    });

    it('pages when the cursor key\'s table is dropped by hand while the instance runs (an attacker\'s MEDIUM: a 500 on every list with a next page until a restart), and another instance started after pages with its cursors', async () => {
      await validatedComplaint();
      await validatedComplaint();
      editCursorKey('DROP TABLE rm_secrets');
      const first = await app.request('GET', '/audit/decisions?limit=1', { role: 'auditor' });
      expect(first.status).toBe(200);
      const given: string = first.body.nextCursor;
      expect(typeof given).toBe('string');
      const other = await startApp(app.dataDir, { projections: 'external' });
      try {
        for (const taker of [app, other]) {
          const paged = await taker.request('GET', `/audit/decisions?limit=1&cursor=${given}`, { role: 'auditor' });
          expect(paged.status).toBe(200);
          expect(paged.body.items).toHaveLength(1);
        }
      } finally {
        await other.stop();
      }
    });

    it.each([
      ['made again by hand with other columns', 'CREATE TABLE rm_secrets (name TEXT PRIMARY KEY, value TEXT)', 'TABLE'],
      ['made again by hand without its primary key', 'CREATE TABLE rm_secrets (name TEXT, secret BLOB)', 'TABLE'],
      ['made again by hand as a view', "CREATE VIEW rm_secrets AS SELECT 'cursor' AS name, 42 AS secret", 'VIEW'],
    ])('answers 503 store-damaged naming rm_secrets and how to mend it when the cursor key\'s table is %s (a LOW: a 500 on every list), and /health says so; dropped, it is made again', async (_, create, kind) => {
      await validatedComplaint();
      await validatedComplaint();
      editCursorKey('DROP TABLE rm_secrets');
      editCursorKey(create);
      const response = await app.request('GET', '/audit/decisions?limit=1', { role: 'auditor' });
      await expectProblem(response, 503, 'store-damaged');
      expect(response.body.detail).toMatch(new RegExp(`^read\\.sqlite's rm_secrets, .*cursor key.*DROP ${kind} rm_secrets in read\\.sqlite\\) and it is made again`));
      const health = await app.request('GET', '/health', { role: null });
      expect(health.body.status).toBe('degraded');
      expect(health.body.problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`rm_secrets.*DROP ${kind} rm_secrets`))]));
      editCursorKey(`DROP ${kind} rm_secrets`);
      const first = await app.request('GET', '/audit/decisions?limit=1', { role: 'auditor' });
      expect(first.status).toBe(200);
      const paged = await app.request('GET', `/audit/decisions?limit=1&cursor=${first.body.nextCursor as string}`, { role: 'auditor' });
      expect(paged.status).toBe(200);
      expect((await app.request('GET', '/health', { role: null })).body.problems).not.toEqual(expect.arrayContaining([expect.stringMatching(/rm_secrets/)]));
    });
  });

  describe('rm_secrets of another shape that still holds a key: /health says what is true of paging', () => {
    // /health said "no list can give or take a cursor" for a view or a table without its primary key while the lists paged
    // with the key they held (a LOW): such a shape can read the key, only not make or repair it.
    const editSecrets = editReadStore;
    const key = `x'${'ab'.repeat(32)}'`;
    it.each([
      ['a view that gives a good key', `CREATE VIEW rm_secrets AS SELECT 'cursor' AS name, ${key} AS secret`, 'VIEW', true],
      ['a table without its primary key that holds a good key', `CREATE TABLE rm_secrets (name TEXT, secret BLOB); INSERT INTO rm_secrets VALUES ('cursor', ${key})`, 'TABLE', true],
      ['a table without its primary key that holds a garbled key (repaired in place)', "CREATE TABLE rm_secrets (name TEXT, secret BLOB); INSERT INTO rm_secrets VALUES ('cursor', 42)", 'TABLE', true],
      ['a view that gives a garbled key', "CREATE VIEW rm_secrets AS SELECT 'cursor' AS name, 42 AS secret", 'VIEW', false],
      ['a table without its primary key and no key', 'CREATE TABLE rm_secrets (name TEXT, secret BLOB)', 'TABLE', false],
    ] as const)('%s: paging and /health agree', async (_, create, kind, pages) => {
      await validatedComplaint();
      await validatedComplaint();
      editSecrets(app.dataDir, 'DROP TABLE IF EXISTS rm_secrets');
      editSecrets(app.dataDir, create);
      try {
        const first = await app.request('GET', '/audit/decisions?limit=1', { role: 'auditor' });
        const health = await app.request('GET', '/health', { role: null });
        const said = (health.body.problems as string[]).filter((problem) => /rm_secrets/.test(problem));
        expect(said).toHaveLength(1);
        expect(said[0]).toMatch(new RegExp(`DROP ${kind} rm_secrets in read\\.sqlite\\) and it is made again`));
        if (pages) {
          expect(first.status).toBe(200);
          const paged = await app.request('GET', `/audit/decisions?limit=1&cursor=${first.body.nextCursor as string}`, { role: 'auditor' });
          expect(paged.status).toBe(200);
          expect(said[0]).toMatch(/the lists page with the key it holds/);
          expect(said[0]).not.toMatch(/no list can/);
        } else {
          await expectProblem(first, 503, 'store-damaged');
          expect(said[0]).toMatch(/no list can give or take a cursor/);
        }
      } finally {
        editSecrets(app.dataDir, `DROP ${kind} rm_secrets`);
      }
    });
  });

  describe('rm_leases remade by hand in another shape', () => {
    // It gave SQLite's own text on /health and in every as-of job, and the projector logged it at every try (a LOW): it is
    // store-damaged now, as rm_secrets of another shape is, naming the table, its shape and the mend.
    it.each([
      ['with other columns', 'CREATE TABLE rm_leases (name TEXT PRIMARY KEY, owner TEXT, until INTEGER)', 'TABLE'],
      ['without its primary key', 'CREATE TABLE rm_leases (name TEXT, holder TEXT NOT NULL, expires_at INTEGER NOT NULL)', 'TABLE'],
      ['as a view', "CREATE VIEW rm_leases AS SELECT 'projector' AS name, 'someone' AS holder, 0 AS expires_at", 'VIEW'],
    ])('%s: /health, an upload and an as-of job say store-damaged with the mend, the projector says so once in its log; dropped, it is made again', async (_, create, kind) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-e2e-'));
      const edit = (sql: string) => editReadStore(dataDir, sql);
      edit(create);
      const lines: Array<Record<string, unknown>> = [];
      // A lease of 3 s: the table made again after the mend holds the lease back for one ttl (docs/adr/0005).
      const damaged = await startApp(dataDir, { http: { ...QUIET_HTTP, logLevel: 'info' }, leaseTtlMs: 3_000 }, { logDestination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
      try {
        const fault = new RegExp(`^read\\.sqlite's rm_leases, .*lease.*${kind === 'VIEW' ? 'is a view' : 'was made with other columns \\('}.*DROP ${kind} rm_leases in read\\.sqlite\\) and it is made again`);
        const health = await damaged.request('GET', '/health', { role: null });
        expect(health.body.status).toBe('degraded');
        expect(health.body.problems).toEqual(expect.arrayContaining([expect.stringMatching(fault)]));
        expect(JSON.stringify(health.body)).not.toMatch(/ON CONFLICT|no such column|cannot modify|SqliteError/);

        const complaint = await damaged.request('POST', '/complaints', { role: 'agent', body: newComplaint });
        expect(complaint.status).toBe(201);
        const form = new FormData();
        form.append('file', new Blob([Buffer.from('a receipt, as text')], { type: 'text/plain' }), 'receipt.txt');
        form.append('kind', 'receipt');
        const uploaded = await fetch(`${damaged.baseUrl}/complaints/${complaint.body.id as string}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}` } });
        const problem = { status: uploaded.status, headers: uploaded.headers, body: JSON.parse(await uploaded.text()) };
        await expectProblem(problem, 503, 'store-damaged');
        expect(problem.body.detail).toMatch(fault);

        const asked = await damaged.request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '1', name: 'leases-damaged' } });
        expect(asked.status).toBe(202);
        let job: { status: string; error: string | null } = asked.body;
        for (let tries = 0; tries < 100 && !['done', 'failed'].includes(job.status); tries++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          job = (await damaged.request('GET', '/analytics/as-of/leases-damaged', { role: 'analyst' })).body;
        }
        expect(job.status).toBe('failed');
        expect(job.error).toMatch(/rm_leases.*DROP/);

        // The projector tries every second: it says so once, not at every try.
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        const said = lines.filter((line) => line['context'] === 'Projections' && /rm_leases/.test(String(line['msg'])));
        expect(said).toHaveLength(1);
        expect(String(said[0]!['msg'])).toMatch(/rm_leases.*DROP/);
        expect(lines.map((line) => String(line['msg']))).not.toEqual(expect.arrayContaining([expect.stringMatching(/ON CONFLICT|no such column|cannot modify/)]));

        edit(`DROP ${kind} rm_leases`);
        let after = await damaged.request('GET', '/health', { role: null });
        // Taken one ttl after the table is made again (nobody held it before: none of its processes may still project), plus a try.
        for (let tries = 0; tries < 100 && after.body.lease?.state !== 'active'; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          after = await damaged.request('GET', '/health', { role: null });
        }
        expect(after.body.problems ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/rm_leases/)]));
        expect(after.body.lease.state).toBe('active');
      } finally {
        await damaged.stop();
        removeDataDir(dataDir);
      }
    });
  });

  describe('a date-time query parameter given twice', () => {
    // ?from=…&from=… was told the date-time rule, which both values keep (a LOW): it is told it was given twice, as tag is.
    it.each([
      ['/complaints?from=2026-01-01&from=2026-02-01', 'from', 'agent'],
      ['/complaints?to=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&to=2026-03-01', 'to', 'agent'],
      ['/work-orders?from=2026-01-01&from=2026-02-01', 'from', 'agent'],
    ] as const)('GET %s: 400 saying the parameter takes one date-time and was given more than once', async (route, field, role) => {
      const response = await app.request('GET', route, { role });
      await expectProblem(response, 400, 'validation-failed');
      const count = route.split(`${field}=`).length - 1;
      expect(response.body.errors).toEqual([{ field, message: `${field} takes one date-time, and was given ${count} (${field}=… more than once): send ${field} once` }]);
    });
  });

  describe('414', () => {
    // The router counts a decoded path parameter in UTF-16 code units: 60 emoji (120 units) are refused, 100 ASCII
    // characters are not. The message said "100 characters", which 60 emoji are not (a LOW): it says the units now.
    it('refuses a path parameter over 100 UTF-16 code units, saying so (60 emoji are 120 of them), and takes 100 ASCII characters', async () => {
      const emoji = await app.request('GET', `/complaints/${encodeURIComponent('😀'.repeat(60))}`, { role: 'agent' });
      await expectProblem(emoji, 414, 'uri-too-long');
      expect(emoji.body.detail).toBe('A path parameter is longer than 100 UTF-16 code units (100 ASCII characters; a character above U+FFFF, such as an emoji, counts 2).');
      expect((await app.request('GET', `/complaints/${'a'.repeat(100)}`, { role: 'agent' })).status).toBe(404);
      await expectProblem(await app.request('GET', `/complaints/${'a'.repeat(101)}`, { role: 'agent' }), 414, 'uri-too-long');
    });
  });

  describe('413 and 415', () => {
    it('refuses a body over 64 KiB', async () => {
      const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, description: 'x'.repeat(70_000) } });
      await expectProblem(response, 413, 'body-too-large');
      // The documented answer (OpenAPI's 413), with the limit and the way to send a file.
      expect(response.body.detail).toMatch(/larger than 64 KiB \(65536 bytes\).*POST \/complaints\/\{id\}\/attachments/);
    });

    it('refuses a GET announcing a body over 64 KiB before reading it (found by an attacker: 200 MB were read, then 200)', async () => {
      const port = new URL(app.baseUrl).port;
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          // Only the head is sent: the answer must not wait for the 10 MB it announces.
          socket.write(`GET /complaints?limit=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKENS.analyst}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`);
        });
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => {
          received += chunk;
          const body = received.split('\r\n\r\n')[1];
          if (body !== undefined && body.trimEnd().endsWith('}')) { socket.destroy(); resolve(received); }
        });
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
      });
      const [head, body] = raw.split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 413 /);
      expect(JSON.parse(body)).toMatchObject({ status: 413, code: 'body-too-large' });
    });

    it('refuses a GET with a chunked body past 64 KiB, and reads no more of it (found by an attacker: 300 MB were read whole)', async () => {
      const port = new URL(app.baseUrl).port;
      const chunk = `${(16 * 1024).toString(16)}\r\n${'0'.repeat(16 * 1024)}\r\n`;
      const offered = 2048; // 32 MiB in 16 KiB chunks: far more than the socket buffers hold
      const outcome = await new Promise<{ raw: string; written: number }>((resolve) => {
        let received = '';
        let written = 0;
        let closed = false;
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`GET /complaints?limit=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKENS.analyst}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
          const pump = () => {
            while (!closed && written < offered) {
              written += 1;
              if (!socket.write(chunk)) return void socket.once('drain', pump);
            }
            if (!closed) socket.write('0\r\n\r\n');
          };
          pump();
        });
        socket.setEncoding('utf8');
        socket.on('data', (data) => { received += data; });
        const finish = () => { if (!closed) { closed = true; socket.destroy(); resolve({ raw: received, written }); } };
        socket.on('close', finish);
        socket.on('error', finish);
        // Unfixed, the whole body is read and the GET answered 200 on a connection kept open.
        socket.on('data', () => { if (/\r\n\r\n[\s\S]*\}\s*$/.test(received) && written >= offered) finish(); });
      });
      expect(outcome.written).toBeLessThan(offered);
      if (outcome.raw !== '') {
        const [head, body] = outcome.raw.split('\r\n\r\n') as [string, string];
        expect(head).toMatch(/^HTTP\/1\.1 413 /);
        expect(JSON.parse(body)).toMatchObject({ status: 413, code: 'body-too-large' });
      }
      // The server goes on answering.
      expect((await app.request('GET', '/complaints?limit=1', { role: 'analyst' })).status).toBe(200);
    });

    it('answers a large body of the wrong type 415 at once and closes the connection, reading no more of it (found by the attacker: it was read until the 30 s timeout)', async () => {
      const port = new URL(app.baseUrl).port;
      const piece = 'x'.repeat(16 * 1024);
      const offered = 2048; // 32 MiB in 16 KiB pieces: far more than the socket buffers hold
      const started = Date.now();
      const outcome = await new Promise<{ raw: string; written: number; closedAfterMs: number }>((resolve) => {
        let received = '';
        let written = 0;
        let closed = false;
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /complaints HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKENS.agent}\r\nContent-Type: text/plain\r\nContent-Length: ${offered * piece.length}\r\n\r\n`);
          const pump = () => {
            while (!closed && written < offered) {
              written += 1;
              if (!socket.write(piece)) return void socket.once('drain', pump);
            }
          };
          pump();
        });
        socket.setEncoding('utf8');
        socket.on('data', (data) => { received += data; });
        const finish = () => { if (!closed) { closed = true; socket.destroy(); resolve({ raw: received, written, closedAfterMs: Date.now() - started }); } };
        socket.on('close', finish);
        socket.on('error', finish);
        // Unfixed, the server keeps the connection and reads on: give up after 10 s and say so.
        setTimeout(finish, 10_000).unref();
      });
      expect(outcome.written).toBeLessThan(offered);
      expect(outcome.closedAfterMs).toBeLessThan(5_000);
      const [head, body] = outcome.raw.split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 415 /);
      expect(head).toMatch(/\r\nconnection: close/i);
      expect(JSON.parse(body)).toMatchObject({ status: 415, code: 'unsupported-media-type' });
      // The server goes on answering.
      expect((await app.request('GET', '/complaints?limit=1', { role: 'analyst' })).status).toBe(200);
    });

    it('closes the connection after a 415 even when the announced body never comes (no wait for the request timeout)', async () => {
      const port = new URL(app.baseUrl).port;
      const started = Date.now();
      const outcome = await new Promise<{ raw: string; closedAfterMs: number }>((resolve) => {
        let received = '';
        let closed = false;
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /complaints HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKENS.agent}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\ncustomerId=1`);
        });
        socket.setEncoding('utf8');
        socket.on('data', (data) => { received += data; });
        const finish = () => { if (!closed) { closed = true; socket.destroy(); resolve({ raw: received, closedAfterMs: Date.now() - started }); } };
        socket.on('close', finish);
        socket.on('end', finish);
        socket.on('error', finish);
        setTimeout(finish, 10_000).unref();
      });
      expect(outcome.raw).toMatch(/^HTTP\/1\.1 415 /);
      expect(outcome.closedAfterMs).toBeLessThan(5_000);
    });

    it('refuses a body that is not JSON', async () => {
      await expectProblem(await app.request('POST', '/complaints', { role: 'agent', rawBody: 'customerId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported-media-type');
      await expectProblem(await app.request('POST', '/complaints', { role: 'agent', rawBody: 'hello', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported-media-type');
    });
  });
});

describe('Idempotency-Key expiry (IDEMPOTENCY_TTL_HOURS)', () => {
  class MovableClock extends Clock {
    at = new Date();
    override now(): Date {
      return this.at;
    }
  }
  const clock = new MovableClock();
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(undefined, { idempotencyTtlHours: 1 }, { clock });
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  it('answers from the stored response within the TTL and forgets it after, while a retry still writes nothing (the key stands for one command id)', async () => {
    const headers = { 'idempotency-key': 'expiring-key-1' };
    // The log as seen by this complaint: moving the clock an hour lets the SLA monitor record breaches elsewhere.
    const received = async (id: string) => (await app.request('GET', `/complaints/${id}/events`)).body.events.filter((event: { type: string }) => event.type === 'ComplaintReceived').length;
    const first = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers });
    expect(first.status).toBe(201);
    clock.at = new Date(clock.at.getTime() + 3_599_000);
    const within = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers });
    expect(within.headers.get('idempotent-replayed')).toBe('true');
    expect((await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, severity: 'low' }, headers })).status).toBe(422);
    clock.at = new Date(clock.at.getTime() + 1_000);
    const after = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers });
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect(after.status).toBe(201);
    expect(after.body).toEqual(first.body);
    expect(await received(first.body.id)).toBe(1);
  });

  describe('a key used again once its stored answer expired, on a command the stream recorded for it', () => {
    /** What the requests recorded: the SLA monitor's events are left out, the clock having moved on. */
    const recorded = async (path: string) => ((await app.request('GET', `${path}/events`, { role: 'auditor' })).body.events as Array<{ type: string }>)
      .map((event) => event.type).filter((type) => !/Sla|AtRisk|Breach/.test(type));
    const expire = () => { clock.at = new Date(clock.at.getTime() + 2 * 3_600_000); };

    it('refuses another complaint command under it (422 idempotency-key-reused, saying to send a new key), writes nothing, and answers the same request as before', async () => {
      const complaint = `/complaints/${(await app.request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id}`;
      const headers = { 'idempotency-key': 'expired-apology-1' };
      const apologise = (statement: string) => app.request('POST', `${complaint}/apologise`, { role: 'agent', body: { statement, channel: 'phone' }, headers });
      const first = await apologise('抱歉，我们马上核实。');
      expect(first.status).toBe(200);
      expire();
      const before = await recorded(complaint);
      for (const other of [
        await apologise('抱歉，油量问题已查明。'),
        await app.request('POST', `${complaint}/notes`, { role: 'agent', body: { visibility: 'customer', text: '明天给您答复。', channel: 'phone' }, headers }),
      ]) {
        await expectProblem(other, 422, 'idempotency-key-reused');
        expect(other.body.detail).toContain(`already recorded another request on complaint ${first.body.id}`);
        expect(other.body.detail).toContain('send this request with a new Idempotency-Key');
      }
      expect(await recorded(complaint)).toEqual(before);
      const again = await apologise('抱歉，我们马上核实。');
      expect([again.status, again.body]).toEqual([200, first.body]);
      expect(await recorded(complaint)).toEqual(before);
    });

    it('refuses another work-order command under it the same way, and writes nothing', async () => {
      const order = `/work-orders/${(await app.request('POST', '/work-orders', { role: 'agent', body: newWorkOrder })).body.id}`;
      const headers = { 'idempotency-key': 'expired-contact-1' };
      const contact = (notes: string) => app.request('POST', `${order}/contact`, { role: 'agent', body: { channel: 'phone', notes }, headers });
      const first = await contact('Customer asked for a morning visit.');
      expect(first.status).toBe(200);
      expire();
      const before = await recorded(order);
      const refused = await contact('Customer asked for an evening visit.');
      await expectProblem(refused, 422, 'idempotency-key-reused');
      expect(refused.body.detail).toContain(`already recorded another request on work order ${first.body.id}`);
      expect(await recorded(order)).toEqual(before);
      expect((await contact('Customer asked for a morning visit.')).body).toEqual(first.body);
    });
  });
});
