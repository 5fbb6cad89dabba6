import { parse } from 'csv-parse/sync';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../../apps/api/src/webhooks/webhook-settings';
import { CSV_EXPORTS } from './support/routes';
import { newComplaint, newWorkOrder, TOKENS, useApp, type RunningApp } from './support/test-app';
import { startReceiver } from './support/webhook-receiver';

/*
 * The list routes that answered `Accept: text/csv` with JSON and refused `format=csv` (issue 17's acceptance audit):
 * the webhooks and their delivery log, the access-control history, the as-of generations, a complaint's events. And the
 * rule for every other GET route: `Accept: text/csv` without a JSON alternative is a 406, never JSON.
 */

jest.setTimeout(60_000);

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test

const FAST: WebhookSettings = {
  ...DEFAULT_WEBHOOK_SETTINGS, allowHosts: ['127.0.0.1'], pollMs: 50, timeoutMs: 2_000,
  retry: { baseDelayMs: 50, maxDelayMs: 100, retryWindowMs: 1_500 }, breaker: { threshold: 1000, cooldownMs: 100 },
};
const SECRET = 'whsec-e2e-0123456789abcdef0123456789abcdef';
const FORMULA = '=HYPERLINK("http://example.com","open")';

interface CsvAnswer { readonly status: number; readonly type: string; readonly disposition: string | null; readonly headers: Headers; readonly text: string; readonly header: string[]; readonly rows: string[][] }

async function getCsv(app: RunningApp, path: string, options: { token?: string; accept?: string } = {}): Promise<CsvAnswer> {
  const response = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${options.token ?? TOKENS.admin}`, ...(options.accept ? { accept: options.accept } : {}) } });
  // As bytes: fetch's text() drops a byte-order mark.
  const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
  const type = response.headers.get('content-type') ?? '';
  const [header = [], ...rows] = type.startsWith('text/csv') ? (parse(text, { bom: true }) as string[][]) : [];
  return { status: response.status, type, disposition: response.headers.get('content-disposition'), headers: response.headers, text, header, rows };
}

const at = (row: Json, path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Json)[key] : undefined), row);

/** A JSON value as its CSV cell: empty for null, arrays joined with ;, an object as its JSON, a formula behind a '. */
function asCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string') return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return String(value);
}

/** The CSV holds the JSON's rows, in order, each cell the value at its column's dotted path; and every value of a row has a column. */
function expectSameRows(csv: CsvAnswer, json: Json[], file: string, fileTag = '') {
  expect([csv.status, csv.type]).toEqual([200, 'text/csv; charset=utf-8']);
  expect(csv.disposition).toMatch(new RegExp(`^attachment; filename="${file}-\\d{4}-\\d{2}-\\d{2}${fileTag}\\.csv"$`));
  expect(csv.text.endsWith('\r\n')).toBe(true);
  expect(csv.rows).toEqual(json.map((row) => csv.header.map((column) => asCell(at(row, column)))));
  const leaves = (row: Json, prefix = ''): string[] => Object.entries(row)
    .flatMap(([key, value]) => (value !== null && typeof value === 'object' && !Array.isArray(value) && key !== 'data' ? leaves(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
  for (const row of json) {
    for (const path of leaves(row)) {
      const covered = csv.header.some((column) => column === path || path.startsWith(`${column}.`) || column.startsWith(`${path}.`));
      expect({ path, covered }).toEqual({ path, covered: true });
    }
  }
}

describe('CSV on every list route', () => {
  const app = useApp(undefined, { webhooks: FAST });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let webhookId = '';
  let complaintId = '';
  let opsToken = '';

  beforeAll(async () => {
    receiver = await startReceiver();
    const hook = await app().request('POST', '/webhooks', { role: 'admin', body: { url: receiver.url, secret: SECRET, eventTypes: ['ComplaintReceived'], description: FORMULA, reason: 'CRM follows complaints' } });
    expect(hook.status).toBe(201);
    webhookId = hook.body.id;
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'ops.agent', role: 'agent', departments: ['station-ops'], reason: FORMULA } });
    expect(issued.status).toBe(201);
    opsToken = issued.body.token;
    // Three complaints, three deliveries; the scoped agent's own complaint, in its department, with a reason that would be a formula.
    for (const customerId of ['cust-csv-1', 'cust-csv-2']) expect((await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId } })).status).toBe(201);
    const own = await app().request('POST', '/complaints', { token: opsToken, body: { ...newComplaint, customerId: 'cust-csv-own', customerName: FORMULA } });
    expect(own.status).toBe(201);
    complaintId = own.body.id;
    expect((await app().request('POST', `/complaints/${complaintId}/validate`, { role: 'supervisor', body: { reason: '-1 L at pump 3' } })).status).toBe(200);
    expect((await app().request('POST', `/complaints/${complaintId}/assign`, { role: 'supervisor', body: { department: 'station-ops', assignee: 'zhang.wei', reason: '+86 hotline' } })).status).toBe(200);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const log = await app().request('GET', `/webhooks/${webhookId}/deliveries`, { role: 'admin' });
      if (log.body.items.length === 3 && log.body.items.every((item: Json) => item.status === 'delivered')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('GET /webhooks/{id}/deliveries: every delivery of every page, as in the JSON pages, newest first', async () => {
    const json: Json[] = [];
    let cursor: string | null = null;
    do {
      const page = await app().request('GET', `/webhooks/${webhookId}/deliveries?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { role: 'admin' });
      expect(page.status).toBe(200);
      json.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(json).toHaveLength(3);
    const csv = await getCsv(app(), `/webhooks/${webhookId}/deliveries`, { accept: 'text/csv' });
    expect(csv.header[0]).toBe('id');
    expectSameRows(csv, json, 'webhook-deliveries');
    // limit caps the rows and cursor starts where a JSON page ended, as on the other exports.
    const first = await app().request('GET', `/webhooks/${webhookId}/deliveries?limit=1`, { role: 'admin' });
    expect((await getCsv(app(), `/webhooks/${webhookId}/deliveries?format=csv&cursor=${first.body.nextCursor}`)).rows.map((row) => row[0])).toEqual(json.slice(1).map((item) => item.id));
    expect((await getCsv(app(), `/webhooks/${webhookId}/deliveries?format=csv&limit=2`)).rows).toHaveLength(2);
    expect((await getCsv(app(), `/webhooks/${webhookId}/deliveries?format=csv&status=dead`)).rows).toEqual([]);
  });

  it('GET /webhooks: every webhook as in the JSON, the description that would be a formula behind a \'', async () => {
    const json = await app().request('GET', '/webhooks', { role: 'admin' });
    const csv = await getCsv(app(), '/webhooks?format=csv&bom=1');
    expect(csv.text.startsWith('\ufeff')).toBe(true);
    expectSameRows(csv, json.body.items, 'webhooks');
    expect(csv.rows[0]![csv.header.indexOf('description')]).toBe(`'${FORMULA}`);
  });

  it('GET /audit/access: every grant and revocation as in the JSON, a reason that would be a formula behind a \'', async () => {
    const json = await app().request('GET', '/audit/access', { role: 'auditor' });
    expect(json.body.entries.length).toBeGreaterThan(0);
    const csv = await getCsv(app(), '/audit/access', { token: TOKENS.auditor, accept: 'text/csv' });
    // The chain's verdict, which the JSON has as verification, rides in a header a CSV reader sees (rows stay entries only),
    // and in the file's name, which a saved file keeps; the head is the last row's hash.
    const { events, head } = json.body.verification as { events: number; head: string };
    expect(json.body.verification.ok).toBe(true);
    expectSameRows(csv, json.body.entries, 'audit-access', `-chain-intact-${events}`);
    expect(csv.headers.get('x-chain-verdict')).toBe(`intact; events=${events}; head=${head}`);
    expect(csv.rows.at(-1)![csv.header.indexOf('hash')]).toBe(head);
    expect(csv.rows.map((row) => row[csv.header.indexOf('reason')])).toContain(`'${FORMULA}`);
  });

  it('GET /analytics/as-of: the generations, then the jobs of this server, as in the JSON', async () => {
    expect((await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '2026-01-01', name: 'csv-new-year' } })).status).toBe(202);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const job = await app().request('GET', '/analytics/as-of/csv-new-year', { role: 'analyst' });
      if (job.body.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const json = await app().request('GET', '/analytics/as-of', { role: 'analyst' });
    const rows = [...json.body.generations.map((row: Json) => ({ kind: 'generation', ...row })), ...json.body.jobs.map((row: Json) => ({ kind: 'job', ...row }))];
    expect(rows.map((row) => row.kind)).toEqual(['generation', 'job']);
    const csv = await getCsv(app(), '/analytics/as-of?format=csv', { token: TOKENS.analyst });
    // A job's own generation is the generation row of its name (the JSON nests it).
    expectSameRows(csv, rows.map(({ generation: _generation, ...row }) => row), 'as-of');
  });

  it('GET /complaints/{id}/events: every event with its metadata, a scoped token seeing the same rows as in its JSON', async () => {
    for (const token of [TOKENS.auditor, opsToken]) {
      const json = await app().request('GET', `/complaints/${complaintId}/events`, { token });
      expect(json.status).toBe(200);
      const csv = await getCsv(app(), `/complaints/${complaintId}/events`, { token, accept: 'text/csv' });
      expect(csv.header.slice(0, 3)).toEqual(['revision', 'position', 'type']);
      expectSameRows(csv, json.body.events, 'complaint-events');
      expect(csv.rows.map((row) => row[csv.header.indexOf('metadata.reason')])).toEqual(['', "'-1 L at pump 3", "'+86 hotline"]);
    }
    // Outside the caller's departments: the same 404 as the JSON, not an empty file.
    const other = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-csv-billing' } });
    await app().request('POST', `/complaints/${other.body.id}/validate`, { role: 'supervisor', body: { reason: 'ok' } });
    await app().request('POST', `/complaints/${other.body.id}/assign`, { role: 'supervisor', body: { department: 'billing', assignee: 'li.na' } });
    const hidden = await getCsv(app(), `/complaints/${other.body.id}/events?format=csv`, { token: opsToken });
    expect([hidden.status, hidden.type]).toEqual([(await app().request('GET', `/complaints/${other.body.id}/events`, { token: opsToken })).status, expect.stringMatching(/^application\/problem\+json/)]);
  });

  it('GET /work-orders/{id}/events and GET /customers/{id}/events: the other streams, as in their JSON', async () => {
    const order = await app().request('POST', '/work-orders', { role: 'admin', body: newWorkOrder });
    expect(order.status).toBe(201);
    const customerId = 'cust-csv-stream';
    expect((await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId } })).status).toBe(201);
    for (const [path, file] of [[`/work-orders/${order.body.id}/events`, 'work-order-events'], [`/customers/${customerId}/events`, 'customer-file-events']] as const) {
      const json = await app().request('GET', path, { role: 'auditor' });
      expect([path, json.status, json.body.events.length > 0]).toEqual([path, 200, true]);
      expectSameRows(await getCsv(app(), path, { token: TOKENS.auditor, accept: 'text/csv' }), json.body.events, file);
      expectSameRows(await getCsv(app(), `${path}?format=csv`, { token: TOKENS.auditor }), json.body.events, file);
    }
  });

  it('the same routes refuse a scoped token as CSV as they do as JSON', async () => {
    for (const path of ['/webhooks', `/webhooks/${webhookId}/deliveries`, '/analytics/as-of']) {
      const json = await app().request('GET', path, { token: opsToken });
      const csv = await getCsv(app(), `${path}?format=csv`, { token: opsToken });
      expect([path, csv.status, csv.type]).toEqual([path, json.status, expect.stringMatching(/^application\/problem\+json/)]);
      expect(json.status).toBe(403);
    }
  });

  it('a GET route that answers one document refuses Accept: text/csv with a 406 (JSON only when the Accept allows it)', async () => {
    for (const [path, token] of [
      [`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], ['/taxonomy', TOKENS.agent], [`/webhooks/${webhookId}`, TOKENS.admin],
      [`/complaints/${complaintId}/trail`, TOKENS.auditor], ['/analytics/as-of/csv-new-year', TOKENS.analyst],
    ] as const) {
      for (const accept of ['text/csv', 'text/csv; charset=utf-8', 'TEXT/CSV;charset=latin1', 'text/csv, application/xml']) {
        const refused = await getCsv(app(), path, { token, accept });
        expect([path, accept, refused.status, refused.type]).toEqual([path, accept, 406, expect.stringMatching(/^application\/problem\+json/)]);
        const problem = JSON.parse(refused.text);
        expect(problem).toMatchObject({ status: 406, code: 'not-acceptable', available: ['application/json'] });
        expect(problem.detail).toMatch(/application\/json/);
        expect(problem.detail).not.toMatch(/format=/);
      }
      // A JSON alternative, however unwanted, is JSON; so are no Accept, */* and text/csv;q=0.
      for (const accept of ['text/csv, */*;q=0.1', 'text/csv, application/json;q=0.5', '*/*', 'text/csv;q=0, application/json', 'text/*', '']) {
        const answered = await getCsv(app(), path, { token, ...(accept ? { accept } : {}) });
        expect([path, accept, answered.status, answered.type]).toEqual([path, accept, 200, expect.stringMatching(/^application\/json/)]);
      }
    }
    // HEAD answers as GET would.
    expect((await fetch(`${app().baseUrl}/health`, { method: 'HEAD', headers: { accept: 'text/csv' } })).status).toBe(406);
    expect((await fetch(`${app().baseUrl}/health`, { method: 'HEAD' })).status).toBe(200);
    // The feed keeps its own negotiation (JSON or an event stream); the metrics are text.
    const feed = await getCsv(app(), '/feed', { token: TOKENS.supervisor, accept: 'text/csv' });
    expect([feed.status, JSON.parse(feed.text).available]).toEqual([406, expect.arrayContaining(['text/event-stream'])]);
    const metrics = await getCsv(app(), '/metrics', { token: TOKENS.admin, accept: 'text/csv' });
    expect([metrics.status, metrics.type]).toEqual([200, expect.stringMatching(/^text\/plain/)]);
  });

  it('a JSON-only GET route answers JSON when the Accept lists JSON beside CSV with parameters or q-values, and 406 when it sets JSON\'s q to 0 (RFC 9110 §12.5.1)', async () => {
    for (const [path, token] of [[`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], [`/webhooks/${webhookId}`, TOKENS.admin]] as const) {
      for (const accept of [
        'text/csv, application/json; charset=utf-8', 'text/csv, application/json;charset="UTF-8"', 'application/json;q=0.9, text/csv;q=0.1', 'text/csv;q=1.0, application/json;q=0.001',
        'text/csv, application/*', 'text/csv, application/*;q=0.2', 'text/csv , application/json ; charset=utf-8 ; q=0.5', 'TEXT/CSV, Application/JSON',
      ]) {
        const answered = await getCsv(app(), path, { token, accept });
        expect([path, accept, answered.status, answered.type]).toEqual([path, accept, 200, expect.stringMatching(/^application\/json/)]);
      }
      // q=0 is "not acceptable": JSON refused that way leaves CSV alone.
      for (const accept of ['text/csv, application/json;q=0', 'text/csv, application/*;q=0', 'text/csv, application/json;q=0.0, */*']) {
        const refused = await getCsv(app(), path, { token, accept });
        expect([path, accept, refused.status, JSON.parse(refused.text).code]).toEqual([path, accept, 406, 'not-acceptable']);
      }
    }
  });

  // A JSON-only route answered JSON to an Accept the lists refuse: everything refused (*/*;q=0), a parameter its JSON does not have,
  // a repeated one, a range both refused and asked for. Where the Accept speaks of JSON, they now read it alike: 406.
  it('a JSON-only GET route and a list refuse alike an Accept that speaks of JSON and cannot be met, or cannot be read one way', async () => {
    for (const [accept, why] of [
      ['*/*;q=0', /refuse|allows neither/], ['application/json;foo=bar', /no parameter foo/], ['application/json;charset=utf-8;charset=latin1', /names charset more than once/],
      ['application/json;q=0, application/json', /refuse|allows neither/],
    ] as const) {
      for (const [path, token] of [[`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], [`/webhooks/${webhookId}`, TOKENS.admin], ['/complaints?limit=1', TOKENS.agent]] as const) {
        const refused = await getCsv(app(), path, { token, accept });
        expect([accept, path, refused.status, refused.type]).toEqual([accept, path, 406, expect.stringMatching(/^application\/problem\+json/)]);
        const problem = JSON.parse(refused.text);
        expect([accept, path, problem.code, problem.detail]).toEqual([accept, path, 'not-acceptable', expect.stringMatching(why)]);
      }
    }
    // A list: the refusal of a range wins over the same range asked for; another one allowed is answered.
    const csvRefused = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept: 'text/csv;q=0, text/csv' });
    expect(csvRefused.status).toBe(406);
    const json = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept: 'text/csv;q=0, text/csv, application/json;q=0.5' });
    expect([json.status, json.type]).toEqual([200, expect.stringMatching(/^application\/json/)]);
  });

  // Node reads a header's bytes as Latin-1: a no-break space typed into a UTF-8 terminal (C2 A0) was echoed as `Â` and U+00A0.
  it('echoes a header sent with raw UTF-8 bytes with them escaped, naming the character', async () => {
    const refused = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept: 'text/csv\u00c2\u00a0' });
    expect(refused.status).toBe(406);
    const { detail } = JSON.parse(refused.text) as { detail: string };
    expect(detail).toContain('text/csv\\xc2\\xa0 has a no-break space (U+00A0) sent as the UTF-8 bytes C2 A0');
    expect(detail).not.toMatch(/[\u00c2\u00a0]/);
  });

  // One reading of the Accept on every route (readAccept): what real clients send by default works everywhere, a malformed q is a 400
  // everywhere (a JSON-only route and the feed took q=5 silently), and a header of no media range (`,`) is as if absent everywhere.
  const CLIENTS = [
    ['Chrome', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7'],
    ['Firefox', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'], ['curl and Python requests', '*/*'],
    ['Java HttpURLConnection', 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2'], ['Java, the wildcards alone', '*; q=.2, */*; q=.2'],
    ['axios', 'application/json, text/plain, */*'], ['a problem+json client', 'application/problem+json'], ['a problem+json client that lists JSON', 'application/json, application/problem+json'],
    ['no Accept', ''], ['an empty list', ','], ['an empty list with blanks', ' , ,'],
  ] as const;

  it('answers JSON to the Accept real clients send by default, on a JSON-only route, a list, a statistics route, the feed and a command', async () => {
    for (const [client, accept] of CLIENTS) {
      for (const [path, token] of [[`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], ['/complaints?limit=1', TOKENS.agent], ['/stats/complaints', TOKENS.analyst], ['/feed?limit=1', TOKENS.supervisor]] as const) {
        const answered = await getCsv(app(), path, { token, accept });
        expect([client, path, answered.status, answered.type]).toEqual([client, path, 200, expect.stringMatching(/^application\/json/)]);
      }
      const command = await app().request('POST', `/complaints/${complaintId}/notes`, { role: 'agent', body: { visibility: 'internal', text: `note from ${client}` }, headers: accept === '' ? {} : { accept } });
      expect([client, command.status]).toEqual([client, 200]);
    }
  });

  it('refuses a malformed q-value with the same 400 naming Accept on every route, a command included, which then writes nothing', async () => {
    const before = (await app().request('GET', `/complaints/${complaintId}/events`, { role: 'agent' })).body.events.length as number;
    for (const accept of ['*/*;q=5', 'application/json;q=2', 'text/csv;q=0.5;q=1, application/json', 'application/json, */*;q=abc']) {
      for (const [path, token] of [[`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], ['/taxonomy', TOKENS.agent], ['/complaints?limit=1', TOKENS.agent],
        ['/stats/complaints', TOKENS.analyst], ['/feed?limit=1', TOKENS.supervisor], ['/metrics', TOKENS.admin]] as const) {
        const refused = await getCsv(app(), path, { token, accept });
        expect([accept, path, refused.status, refused.type]).toEqual([accept, path, 400, expect.stringMatching(/^application\/problem\+json/)]);
        const problem = JSON.parse(refused.text);
        expect(problem).toMatchObject({ code: 'validation-failed', errors: [{ field: 'Accept', message: expect.stringMatching(/a q-value is a number from 0 to 1/) }] });
      }
      const command = await app().request('POST', `/complaints/${complaintId}/notes`, { role: 'agent', body: { visibility: 'internal', text: 'never written' }, headers: { accept } });
      expect([accept, command.status, command.body.errors]).toEqual([accept, 400, [expect.objectContaining({ field: 'Accept' })]]);
    }
    expect((await app().request('GET', `/complaints/${complaintId}/events`, { role: 'agent' })).body.events.length).toBe(before);
    // Where the query names the format, the Accept is not read (the lists' and the feed's way out).
    expect((await getCsv(app(), '/complaints?limit=1&format=json', { token: TOKENS.agent, accept: '*/*;q=5' })).status).toBe(200);
    expect((await getCsv(app(), '/feed?limit=1&format=json', { token: TOKENS.supervisor, accept: '*/*;q=5' })).status).toBe(200);
  });

  it('names a parameter with no name, and a no-break space (sent as the byte A0, or as the UTF-8 bytes C2 A0), in the 406 of a list', async () => {
    for (const [accept, detail] of [
      ['text/csv;=x', /text\/csv;=x has a parameter with no name \(=x\)/],
      ['text/csv\u00a0', /has a no-break space \(U\+00A0\) after text\/csv/],
      ['text/csv\u00c2\u00a0, application/json;q=0.5', /has a no-break space \(U\+00A0\) sent as the UTF-8 bytes C2 A0 after text\/csv/],
    ] as const) {
      const refused = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept });
      expect([accept, refused.status]).toEqual([accept, 406]);
      expect([accept, JSON.parse(refused.text).detail]).toEqual([accept, expect.stringMatching(detail)]);
    }
  });

  // Each found by the last attacks: a JSON-only route answered JSON to a CSV with a stray blank; application/problem+json with JSON refused
  // was answered as application/json; a range both refused and asked for got a 406 that said "allows neither".
  it('a JSON-only route names a stray blank in a CSV asked for with the lists\' words, instead of answering JSON', async () => {
    for (const [accept, reason] of [
      ['text/csv\u00a0', "the Accept header's text/csv\\xa0 has a no-break space (U+00A0) after text/csv, so it matches nothing"],
      ['text/csv\u00c2\u00a0', "the Accept header's text/csv\\xc2\\xa0 has a no-break space (U+00A0) sent as the UTF-8 bytes C2 A0 after text/csv, so it matches nothing"],
    ] as const) {
      for (const [path, token] of [[`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], ['/complaints?limit=1', TOKENS.agent]] as const) {
        const refused = await getCsv(app(), path, { token, accept });
        expect([path, accept, refused.status, refused.type]).toEqual([path, accept, 406, expect.stringMatching(/^application\/problem\+json/)]);
        expect([path, accept, JSON.parse(refused.text).detail]).toEqual([path, accept, expect.stringContaining(reason)]);
      }
    }
    // Beside a JSON the client takes, the single document is JSON (as without the blank).
    const json = await getCsv(app(), `/complaints/${complaintId}`, { token: TOKENS.agent, accept: 'text/csv\u00a0, application/json;q=0.5' });
    expect([json.status, json.type]).toEqual([200, expect.stringMatching(/^application\/json/)]);
  });

  it('refuses with a 406 an Accept that takes only application/problem+json (an error\'s type, RFC 9457), on a list and a single document alike', async () => {
    for (const accept of ['application/json;q=0, application/problem+json', '*/*;q=0, application/problem+json']) {
      for (const [path, token] of [[`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], ['/complaints?limit=1', TOKENS.agent], ['/stats/complaints', TOKENS.analyst]] as const) {
        const refused = await getCsv(app(), path, { token, accept });
        expect([path, accept, refused.status, refused.type]).toEqual([path, accept, 406, expect.stringMatching(/^application\/problem\+json/)]);
        expect([path, accept, JSON.parse(refused.text).detail]).toEqual([path, accept, expect.stringMatching(/accepts only application\/problem\+json.*RFC 9457.*send Accept: application\/json/)]);
      }
    }
    // A list still answers the CSV such a header also takes.
    const csv = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept: 'application/json;q=0, application/problem+json, text/csv;q=0.5' });
    expect([csv.status, csv.type]).toEqual([200, 'text/csv; charset=utf-8']);
  });

  // Review: CSV asked for beside problem+json with JSON refused was told "accepts only application/problem+json".
  it('tells a JSON-only route\'s client that asked for CSV beside problem+json that it has no CSV', async () => {
    const accept = 'application/json;q=0, application/problem+json, text/csv';
    for (const path of [`/complaints/${complaintId}`, '/health']) {
      const refused = await getCsv(app(), path, { token: TOKENS.agent, accept });
      expect([path, refused.status, JSON.parse(refused.text).detail]).toEqual([path, 406, 'This route answers application/json only, not CSV (the lists and statistics do); send Accept: application/json or leave Accept out.']);
    }
    const list = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept: 'text/event-stream, application/json;q=0, application/problem+json' });
    expect([list.status, JSON.parse(list.text).detail]).toEqual([406, expect.not.stringMatching(/accepts only application\/problem\+json/)]);
    expect(JSON.parse(list.text).detail).toMatch(/asks for an event stream with text\/event-stream, and this route has none \(the feed does\)/);
  });

  // Review: application/problem+json;q=0 got JSON from a single document and "allows neither" from a list: it takes nothing, said alike.
  it('refuses application/problem+json;q=0 with a 406 that says how to fix it, on every route alike', async () => {
    for (const [accept, why] of [
      ['application/problem+json;q=0', /refuses application\/problem\+json with application\/problem\+json;q=0, and taking it is reading JSON, so it takes nothing: remove application\/problem\+json;q=0 and send Accept: application\/json/],
      ['application/problem+json;q=0, application/problem+json', /refuses JSON with application\/problem\+json;q=0 and asks for it with application\/problem\+json: .*remove application\/problem\+json;q=0 to get JSON/],
    ] as const) {
      for (const [path, token] of [[`/complaints/${complaintId}`, TOKENS.agent], ['/health', TOKENS.agent], ['/complaints?limit=1', TOKENS.agent], ['/stats/complaints', TOKENS.analyst]] as const) {
        const refused = await getCsv(app(), path, { token, accept });
        expect([path, accept, refused.status, refused.type]).toEqual([path, accept, 406, expect.stringMatching(/^application\/problem\+json/)]);
        expect([path, accept, JSON.parse(refused.text).detail]).toEqual([path, accept, expect.stringMatching(why)]);
      }
    }
  });

  it('says a range is both refused (q=0) and asked for, and how to fix it, where nothing else is asked for', async () => {
    const refused = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept: 'text/csv;q=0, text/csv' });
    expect(refused.status).toBe(406);
    expect(JSON.parse(refused.text).detail).toMatch(/refuses CSV with text\/csv;q=0 and asks for it with text\/csv\b.*remove text\/csv;q=0 to get CSV, or add format=csv to the query\.$/);
    const single = await getCsv(app(), `/complaints/${complaintId}`, { token: TOKENS.agent, accept: 'application/json;q=0, application/json' });
    expect([single.status, JSON.parse(single.text).detail]).toEqual([406, expect.stringMatching(/refuses JSON with application\/json;q=0 and asks for it with application\/json\b.*or leave Accept out\.$/)]);
  });

  // RFC 9110's ranking, as the README says: */*;q=0.8 takes CSV where JSON is refused; a single document has no CSV to answer.
  it('answers "*/*;q=0.8, application/json;q=0" with CSV on a list and a 406 on a single document', async () => {
    const accept = '*/*;q=0.8, application/json;q=0';
    const list = await getCsv(app(), '/complaints?limit=1', { token: TOKENS.agent, accept });
    expect([list.status, list.type]).toEqual([200, 'text/csv; charset=utf-8']);
    const single = await getCsv(app(), `/complaints/${complaintId}`, { token: TOKENS.agent, accept });
    expect([single.status, JSON.parse(single.text).code]).toEqual([406, 'not-acceptable']);
  });

  it('lists the new exports in the route table', () => {
    for (const route of ['GET /webhooks', 'GET /webhooks/:webhookId/deliveries', 'GET /audit/access', 'GET /analytics/as-of', 'GET /complaints/:id/events', 'GET /work-orders/:id/events', 'GET /customers/:id/events']) {
      expect(CSV_EXPORTS).toContain(route);
    }
  });
});
