import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Clock } from '@app/complaints';
import { DEFAULT_SLA_POLICY, formatMoney, isMoney, type Role } from '@app/domain';
import { cny, expiredProduct, freeRepair, serviceNetworkHistory, workOrder } from '@app/read-models/testing';
import { appendAfterSalesEvents } from './support/after-sales-history';
import { CSV_EXPORTS } from './support/routes';
import { newComplaint, TOKENS, useApp, type RunningApp } from './support/test-app';

/** The system's time, or a moment held still while a JSON answer and a CSV answer are compared (open breaches and at-risk clocks are measured against now). */
class HoldableClock extends Clock {
  held: Date | undefined;
  override now(): Date {
    return this.held ?? new Date();
  }
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test

interface CsvAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  readonly header: string[];
  readonly rows: string[][];
}

/** GET as CSV; the answer parsed with csv-parse, as a spreadsheet or a script would read it. */
async function getCsv(app: RunningApp, path: string, options: { role?: Role; token?: string; headers?: Record<string, string> } = {}): Promise<CsvAnswer> {
  const token = options.token ?? TOKENS[options.role ?? 'admin'];
  const response = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...options.headers } });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!response.headers.get('content-type')?.startsWith('text/csv')) return { status: response.status, headers: response.headers, bytes, header: [], rows: [] };
  const [header = [], ...rows] = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
  return { status: response.status, headers: response.headers, bytes, header, rows };
}

const withQuery = (path: string, extra: string) => `${path}${path.includes('?') ? '&' : '?'}${extra}`;

/** Every item of a paged JSON route, walking nextCursor 200 at a time. */
async function everyJsonItem(app: RunningApp, path: string, options: { role?: Role; token?: string } = {}): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const page = await app.request('GET', withQuery(path, `limit=200${cursor ? `&cursor=${cursor}` : ''}`), { role: options.role ?? 'admin', ...(options.token ? { token: options.token } : {}) });
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? null;
  } while (cursor);
  return items;
}

/** The value at a dotted path of a JSON row. */
const at = (row: Json, path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Json)[key] : undefined), row);

/** What a JSON value looks like in a CSV cell: empty for null, arrays joined with ;, text that would run as a formula behind a '. */
function asCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'string') return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return String(value);
}

/** The CSV cells a JSON row should have, by the CSV's own header. */
function expectedCells(row: Json, header: string[]): string[] {
  return header.map((column) => {
    if (column === 'factors') return (row.factors as Array<{ code: string; contribution: number }>).map((factor) => `${factor.code}:${factor.contribution}`).join(';');
    if (column.startsWith('complaints.bySeverity.')) return String(at(row, column) ?? 0);
    // Money as "CNY 780.00", sums per currency as "CNY 300.30;USD 19.99", a board's deadlines as "clock@deadline;…".
    if (column === 'fees' || column === 'confirmedQuotes') return (row[column] as Array<{ currency: string; amount: string }>).map((total) => `${total.currency} ${total.amount}`).join(';');
    // A survey's scores in the order asked ("speed:4;quality:5"); the statistics' per-question means ("overall:3.5/2;…").
    if (column === 'scores') return (row.questions as string[]).filter((question) => (row.scores as Json)[question] !== undefined).map((question) => `${question}:${(row.scores as Json)[question]}`).join(';');
    if (column === 'questions' && (row.questions as unknown[]).some((question) => typeof question === 'object')) {
      return (row.questions as Array<{ questionId: string; meanScore: number; answers: number }>).map((question) => `${question.questionId}:${question.meanScore}/${question.answers}`).join(';');
    }
    if (column === 'deadlines') return (row.deadlines as Array<{ clock: string; deadline: string }>).map((deadline) => `${deadline.clock}@${deadline.deadline}`).join(';');
    const value = at(row, column);
    if (isMoney(value)) return formatMoney(value);
    return asCell(value);
  });
}

/** The dotted paths of a JSON row's values (arrays are one value). */
function leafPaths(row: Json, prefix = ''): string[] {
  return Object.entries(row).flatMap(([key, value]) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? leafPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

/**
 * The CSV holds the JSON's rows in the same order, and a column for every value of a row: its own, or
 * one for the object it is part of (an amount of money), or those of the object it is when that is null.
 */
function expectSameRows(csv: CsvAnswer, json: Json[], internal: readonly string[] = []) {
  expect(csv.status).toBe(200);
  expect(csv.rows).toEqual(json.map((row) => expectedCells(row, csv.header)));
  const covered = (path: string) => csv.header.some((column) => column === path || path.startsWith(`${column}.`) || column.startsWith(`${path}.`));
  for (const row of json) {
    for (const path of leafPaths(row)) if (!internal.includes(path)) expect({ path, covered: covered(path) }).toEqual({ path, covered: true });
  }
}

const WORK_ORDERS = ['a2000000-0000-4000-8000-000000000001', 'b2000000-0000-4000-8000-000000000002', 'c2000000-0000-4000-8000-000000000003'];

describe('CSV exports', () => {
  const clock = new HoldableClock();
  // A first reply due within a second: the SLA monitor records breaches while the test runs.
  const app = useApp(undefined, { slaPolicy: { ...DEFAULT_SLA_POLICY, version: 'seconds-test', firstReply: 'PT1S', answer: 'PT1H', callback: 'PT1H', bySeverity: {} } }, { clock });
  const scoped: Record<string, string> = {};
  let position = 0;

  const receive = async (overrides: object = {}, options: { token?: string } = {}) => {
    const response = await app().request('POST', '/complaints', { role: 'agent', ...options, body: { ...newComplaint, ...overrides } });
    expect(response.status).toBe(201);
    position = Math.max(position, response.body.position);
    return response.body.id as string;
  };
  const act = async (id: string, verb: string, body: object, role: Role = 'supervisor') => {
    const response = await app().request('POST', `/complaints/${id}/${verb}`, { role, body });
    expect(response.status).toBe(200);
    position = Math.max(position, response.body.position);
  };

  beforeAll(async () => {
    for (const [name, body] of Object.entries({
      opsAgent: { principalId: 'ops.agent', role: 'agent', departments: ['station-ops'] },
      opsSupervisor: { principalId: 'ops.supervisor', role: 'supervisor', departments: ['station-ops'] },
    })) {
      const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { ...body, reason: 'CSV scope' } });
      scoped[name] = issued.body.token;
    }
    // Complaints in two departments, one unassigned of the scoped agent, Chinese text, a quote and a comma, and a name that would be a formula.
    const ops = await receive({ customerId: 'cust-ops', customerName: '王先生, "老客户"', cause: 'price' });
    const billing = await receive({ customerId: 'cust-billing', customerName: '=HYPERLINK("http://example.com")', cause: 'service', severity: 'low' });
    await receive({ customerId: 'cust-own', customerName: '李女士' }, { token: scoped['opsAgent']! });
    await act(ops, 'apologise', { statement: '非常抱歉，我们马上核实。', channel: 'phone' }, 'agent');
    for (const [id, department] of [[ops, 'station-ops'], [billing, 'billing']] as const) {
      await act(id, 'validate', { reason: '加油机计量核实无误' });
      await act(id, 'assign', { department, assignee: `${department}-handler` });
    }
    await act(ops, 'resolve', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }, 'agent');
    await act(ops, 'callback', { outcome: 'satisfied', satisfaction: 5 }, 'agent');
    // Not answered in time, in station-ops: a breach (and a running clock) within the scoped supervisor's department.
    const late = await receive({ customerId: 'cust-late', customerName: '张先生', cause: 'quantity-metering' });
    await act(late, 'validate', { reason: '属实' });
    await act(late, 'assign', { department: 'station-ops', assignee: 'zhang.wei' });
    // Wait for the SLA monitor to record the missed first replies (billing, late and the agent's own).
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const breaches = await app().request('GET', '/sla/breaches?open=true&clock=first-reply', { role: 'analyst' });
      if (breaches.body.items.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A reply after its breach was recorded: a closed breach, with how late it came.
    await act(billing, 'apologise', { statement: '抱歉回复晚了', channel: 'phone' }, 'agent');
    // Repairs (the commands over HTTP are another slice: their events are appended as the command side writes them).
    const charged = workOrder(WORK_ORDERS[1]!, { customerId: 'cust-ops', minutes: 60 });
    const open = workOrder(WORK_ORDERS[2]!, { customerId: 'cust-billing', minutes: 24 * 60, serialNumber: 'TQ2240-000003' });
    await appendAfterSalesEvents(app(), [
      ...serviceNetworkHistory(), ...freeRepair(WORK_ORDERS[0]!, { customerId: 'cust-ops' }),
      charged.reported, charged.dispatched(80, 'dandong-station', 'eng-zhao'), charged.arrived(600), ...charged.findings(630, 'product-defect', expiredProduct()),
      charged.quoted(640, cny(78_000)), charged.confirmed(650, cny(78_000)), charged.work(660, true), charged.fee(700, cny(78_050)), charged.tested(710), charged.signedOff(720), charged.closed(760),
      open.reported, open.dispatched(24 * 60 + 10, 'dalian-station', 'eng-liu'),
    ]);
    // The SLA monitors record the repairs' missed deadlines a moment later: wait until they have (the log stays still for
    // several of their passes), so that no breach lands between a JSON read and the CSV read it is compared with.
    const head = async (): Promise<number> => (await app().request('GET', '/health')).body.eventStore.headPosition;
    for (let attempt = 0, before = await head(); attempt < 50; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 800));
      const now = await head();
      if (now === before) break;
      before = now;
    }
    position = await head();
  });
  afterEach(() => {
    clock.held = undefined;
  });

  describe.each([
    ['/complaints', 'complaints', ['visibleTo']],
    ['/sla/breaches', 'sla-breaches', []],
    ['/sla/breaches?open=false', 'sla-breaches', []],
    ['/sla/at-risk?within=P30D', 'sla-at-risk', []],
    ['/customers?sort=score', 'customers', []],
    ['/customers/files', 'customer-files', []],
    ['/audit/decisions?type=ComplaintValidated', 'audit-decisions', []],
    ['/audit/decisions?type=WorkOrderDispatched', 'audit-decisions', []],
    ['/work-orders', 'work-orders', []],
    ['/work-orders?status=closed', 'work-orders', []],
    ['/work-orders/board', 'work-order-board', []],
  ])('%s', (path, file, internal) => {
    it('answers every row of every page as CSV, the same rows and values as the JSON', async () => {
      clock.held = new Date();
      const json = await everyJsonItem(app(), withQuery(path, `minPosition=${position}`));
      expect(json.length).toBeGreaterThan(0);
      const csv = await getCsv(app(), withQuery(path, `format=csv&minPosition=${position}`));
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${file}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      expect(csv.headers.get('vary')).toBe('Accept');
      expect(Number(csv.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(position);
      expectSameRows(csv, json, internal);
    });
  });

  it('/access/tokens: every token as CSV, as in the JSON', async () => {
    const json = (await app().request('GET', '/access/tokens', { role: 'auditor' })).body.items;
    const csv = await getCsv(app(), '/access/tokens?format=csv', { role: 'auditor' });
    expect(csv.headers.get('content-disposition')).toMatch(/filename="access-tokens-/);
    expectSameRows(csv, json);
    expect(csv.rows.find((row) => row[1] === 'ops.agent')).toContain('station-ops');
  });

  it('/sla/compliance and /stats/complaints: the rows in their order, and the totals last, labelled as totals', async () => {
    const compliance = await app().request('GET', `/sla/compliance?by=department&minPosition=${position}`, { role: 'analyst' });
    const complianceCsv = await getCsv(app(), `/sla/compliance?by=department&format=csv&minPosition=${position}`, { role: 'analyst' });
    expect(complianceCsv.header).toEqual(['period', 'value', 'met', 'breached', 'compliancePercent']);
    // The totals last, labelled in the period column, which is there without an interval too (empty in each row).
    expect(compliance.body.rows.length).toBeGreaterThan(0);
    expectSameRows(complianceCsv, [...compliance.body.rows, { period: 'totals', ...compliance.body.totals }]);
    expect(complianceCsv.rows.slice(0, -1).every((row) => row[0] === '')).toBe(true);

    for (const interval of ['month', 'quarter']) {
      const stats = await app().request('GET', `/stats/complaints?by=department&interval=${interval}&minPosition=${position}`, { role: 'analyst' });
      const csv = await getCsv(app(), `/stats/complaints?by=department&interval=${interval}&format=csv&minPosition=${position}`, { role: 'analyst' });
      expect(csv.headers.get('content-disposition')).toMatch(/filename="stats-complaints-/);
      expect(stats.body.rows.length).toBeGreaterThan(1);
      expectSameRows(csv, [...stats.body.rows, { period: 'totals', ...stats.body.totals }]);
      expect(csv.rows.at(-1)!.slice(0, 3)).toEqual(['totals', '', String(stats.body.totals.received)]);
      expect(csv.header.slice(0, 9)).toEqual(['period', 'value', 'received', 'validated', 'rejected', 'resolved', 'reopened', 'wellFoundedPercent', 'timeToFirstReplyMs.mean']);
      expect(csv.header).toContain('timeToFirstReplyHours.p50');
    }
    // Nothing received in the period: the header row alone, and no totals row (the JSON's totals are null).
    const empty = await getCsv(app(), '/stats/complaints?from=2001-01-01&to=2001-02-01&format=csv', { role: 'analyst' });
    expect(empty.status).toBe(200);
    expect(empty.rows).toEqual([]);
  });

  it('/stats/engineers, /stats/stations and /stats/repair-fees: the rows in their order, money per currency as decimal text, and the totals last', async () => {
    for (const [path, file, first] of [
      ['/stats/engineers?interval=month', 'stats-engineers', ['period', 'engineerId', 'engineerName', 'station', 'orders']],
      ['/stats/stations?interval=quarter', 'stats-stations', ['period', 'station', 'stationName.zh-CN', 'stationName.en', 'orders']],
      ['/stats/repair-fees?interval=month', 'stats-repair-fees', ['period', 'station', 'stationName.zh-CN', 'stationName.en', 'closed']],
    ] as const) {
      const json = await app().request('GET', withQuery(path, `minPosition=${position}`), { role: 'analyst' });
      expect(json.status).toBe(200);
      expect(json.body.rows.length).toBeGreaterThan(0);
      const csv = await getCsv(app(), withQuery(path, `format=csv&minPosition=${position}`), { role: 'analyst' });
      expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`filename="${file}-`));
      expect(csv.header.slice(0, first.length)).toEqual([...first]);
      expectSameRows(csv, [...json.body.rows, { period: 'totals', ...json.body.totals }]);
      expect(csv.rows.at(-1)![0]).toBe('totals');
    }
    const fees = await getCsv(app(), `/stats/repair-fees?interval=year&format=csv&minPosition=${position}`, { role: 'analyst' });
    const dandong = fees.rows.find((row) => row[1] === 'dandong-station')!;
    expect(dandong[fees.header.indexOf('fees')]).toBe('CNY 780.50');
    expect(dandong[fees.header.indexOf('stationName.zh-CN')]).toBe('丹东服务站');
    const orders = await getCsv(app(), `/work-orders?format=csv&minPosition=${position}`);
    const charged = orders.rows.find((row) => row[0] === WORK_ORDERS[1])!;
    expect([charged[orders.header.indexOf('fee')], charged[orders.header.indexOf('quote.total')]]).toEqual(['CNY 780.50', 'CNY 780.00']);
  });

  it('keeps Chinese text, quotes and commas intact, and writes a byte-order mark for Excel with bom=1', async () => {
    const plain = await getCsv(app(), `/complaints?customerId=cust-ops&format=csv&minPosition=${position}`);
    const withBom = await getCsv(app(), `/complaints?customerId=cust-ops&format=csv&bom=1&minPosition=${position}`);
    expect([...plain.bytes.subarray(0, 2)]).toEqual([...Buffer.from('id')]);
    expect([...withBom.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withBom.rows).toEqual(plain.rows);
    expect(plain.rows[0]![plain.header.indexOf('customerName')]).toBe('王先生, "老客户"');
    expect(plain.bytes.toString('utf8')).toContain('"王先生, ""老客户"""');
    expect(plain.bytes.toString('utf8')).toMatch(/\r\n$/);
    const decisions = await getCsv(app(), `/audit/decisions?type=ComplaintValidated&format=csv&minPosition=${position}`);
    expect(decisions.rows.map((row) => row[decisions.header.indexOf('decision.zh-CN')])).toEqual(expect.arrayContaining([expect.stringContaining('加油机计量核实无误')]));
    const customers = await getCsv(app(), `/customers?format=csv&minPosition=${position}`, { role: 'analyst' });
    expect(customers.rows.find((row) => row[0] === 'cust-billing')![customers.header.indexOf('name')]).toBe('\'=HYPERLINK("http://example.com")');
  });

  it('shows a principal limited to a department only its rows, as the JSON does', async () => {
    const agent = { token: scoped['opsAgent']! };
    const json = await everyJsonItem(app(), `/complaints?minPosition=${position}`, agent);
    const csv = await getCsv(app(), `/complaints?format=csv&minPosition=${position}`, agent);
    expectSameRows(csv, json, ['visibleTo']);
    const customers = csv.rows.map((row) => row[csv.header.indexOf('customerId')]).sort();
    expect(customers).toEqual(['cust-late', 'cust-ops', 'cust-own']);
    expect((await getCsv(app(), `/complaints?format=csv&minPosition=${position}`)).rows.length).toBeGreaterThan(csv.rows.length);

    const supervisor = { token: scoped['opsSupervisor']! };
    for (const path of ['/sla/breaches', '/sla/at-risk?within=P30D']) {
      clock.held = new Date();
      const clocks = await getCsv(app(), withQuery(path, 'format=csv'), supervisor);
      expect(clocks.rows.length).toBeGreaterThan(0);
      expect(new Set(clocks.rows.map((row) => row[clocks.header.indexOf('department')]))).toEqual(new Set(['station-ops']));
      expectSameRows(clocks, await everyJsonItem(app(), path, supervisor));
    }
    const elsewhere = await getCsv(app(), '/sla/breaches?department=billing&format=csv', supervisor);
    expect(elsewhere.status).toBe(403);
    for (const path of ['/sla/compliance', '/stats/complaints', '/customers', '/customers/files', '/customers/alerts', '/customers/importance-loyalty']) {
      const refused = await getCsv(app(), withQuery(path, 'format=csv'), supervisor);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(refused.bytes.toString()).detail).toMatch(/spans every department/);
    }
  });

  it('walks beyond one page: every row of the filter, capped by limit, from a cursor on', async () => {
    // Time held still: the SLA monitor records no breach, so the rows do not change between the JSON and the CSV read.
    clock.held = new Date();
    // More than one page of the export (EXPORT_PAGE_SIZE, 500) and than three of the JSON (200).
    const ids: string[] = [];
    for (let batch = 0; batch < 26; batch += 1) {
      ids.push(...await Promise.all(Array.from({ length: 20 }, (_, index) => receive({ customerId: 'cust-bulk', customerName: `客户 ${batch * 20 + index}` }))));
    }
    const idsOf = (csv: CsvAnswer) => csv.rows.map((row) => row[0]);

    const all = await getCsv(app(), `/complaints?customerId=cust-bulk&format=csv&minPosition=${position}`);
    expect(new Set(idsOf(all))).toEqual(new Set(ids));
    expect(all.rows).toHaveLength(520);
    const json = await everyJsonItem(app(), '/complaints?customerId=cust-bulk');
    expectSameRows(all, json, ['visibleTo']);
    const newestFirst = json.map((item) => item.id as string);

    expect(idsOf(await getCsv(app(), '/complaints?customerId=cust-bulk&format=csv&limit=7'))).toEqual(newestFirst.slice(0, 7));
    const firstPage = await app().request('GET', '/complaints?customerId=cust-bulk&limit=200');
    expect(idsOf(await getCsv(app(), `/complaints?customerId=cust-bulk&format=csv&cursor=${firstPage.body.nextCursor}`))).toEqual(newestFirst.slice(200));
  }, 120_000);

  it('negotiates: format in the query, else Accept (text/csv is CSV, application/json or */* JSON, anything else 406)', async () => {
    const accept = (value: string, query = '') => getCsv(app(), `/complaints?limit=1${query}`, { headers: { accept: value } });
    expect((await accept('text/csv')).headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await accept('text/csv; charset=utf-8')).header[0]).toBe('id');
    // RFC 4180's header parameter: every CSV here has its header row (header=present was a 406 before).
    expect((await accept('text/csv;header=present')).header[0]).toBe('id');
    expect((await accept('text/csv; header=absent')).status).toBe(406);
    for (const json of ['application/json', '*/*', 'text/html, application/json;q=0.9']) {
      expect((await accept(json)).headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect((await accept('text/csv', '&format=json')).headers.get('content-type')).toMatch(/^application\/json/);
    expect((await accept('application/json', '&format=csv')).headers.get('content-type')).toBe('text/csv; charset=utf-8');

    for (const [path, role] of [['/complaints', 'agent'], ['/stats/complaints', 'analyst'], ['/access/tokens', 'admin']] as const) {
      const refused = await getCsv(app(), path, { role, headers: { accept: 'text/html' } });
      expect(refused.status).toBe(406);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      const problem = JSON.parse(refused.bytes.toString());
      expect(problem).toMatchObject({ status: 406, code: 'not-acceptable', available: ['application/json', 'text/csv'] });
      expect(problem.detail).toMatch(/format=json\|csv/);
    }
  });

  it('an Accept it cannot meet says why and what to send; a repeated or empty parameter is refused, not read as header=present; a malformed q is a 400', async () => {
    const complaint = await receive({ customerId: 'cust-odd-accept' });
    const refusals = [
      ['text/csv;header=absent', 406, /text\/csv;header=absent cannot be served: every CSV here starts with its header row .*send Accept: text\/csv, or add format=csv/],
      ['text/csv; charset=latin1', 406, /the only charset is utf-8; send Accept: text\/csv, or add format=csv/],
      ['text/csv;header=present;header=absent', 406, /names header more than once/],
      ['text/csv; header=present; header=present', 406, /names header more than once/],
      ['text/csv;header=', 406, /gives header no value/],
      // Cut as negotiator cuts: a quote opens only where a value starts, and an unclosed one is no parameter.
      ['text/plain;x=a"b, text/csv;header=', 406, /gives header no value/],
      ['text/csv;header=;q="0', 406, /gives header no value/],
      ['text/csv;q=1.5', 400, /q=1\.5, which is not a q-value: a q-value is a number from 0 to 1/],
      ['text/csv;q=0.5;q=1, application/json', 400, /names q more than once/],
    ] as const;
    for (const [path, role] of [['/complaints?limit=1', 'agent'], ['/stats/complaints', 'analyst']] as const) {
      for (const [accept, status, detail] of refusals) {
        const refused = await getCsv(app(), path, { role, headers: { accept } });
        expect([path, accept, refused.status, refused.headers.get('content-type')]).toEqual([path, accept, status, expect.stringContaining('application/problem+json')]);
        const problem = JSON.parse(refused.bytes.toString());
        if (status === 406) {
          expect(problem).toMatchObject({ status: 406, code: 'not-acceptable', available: ['application/json', 'text/csv'] });
          expect([accept, problem.detail]).toEqual([accept, expect.stringMatching(detail)]);
        } else {
          expect(problem).toMatchObject({ status: 400, code: 'validation-failed' });
          expect(problem.errors).toEqual([{ field: 'Accept', message: expect.stringMatching(detail) }]);
        }
      }
    }
    // format= in the query is the way out: the Accept is not read then.
    for (const [accept] of refusals) expect((await getCsv(app(), '/complaints?limit=1&format=csv', { role: 'agent', headers: { accept } })).header[0]).toBe('id');
    // A route that answers one document reads the Accept as the lists do: a malformed q is the same 400; else it refuses each that asks
    // for CSV alone as it refuses CSV (406), answers JSON where JSON is allowed, never a 500.
    for (const [accept, status] of refusals) {
      expect([accept, (await getCsv(app(), `/complaints/${complaint}`, { headers: { accept } })).status]).toEqual([accept, status === 400 ? 400 : accept.includes('application/json') ? 200 : 406]);
    }
    // Well-formed weights at the edges of RFC 9110's grammar still negotiate.
    expect((await getCsv(app(), '/complaints?limit=1', { headers: { accept: 'text/csv;q=1.000, application/json;q=0.999' } })).header[0]).toBe('id');
    expect((await getCsv(app(), '/complaints?limit=1', { headers: { accept: 'text/csv;q=0., application/json;q=1.' } })).headers.get('content-type')).toMatch(/^application\/json/);
    // Java's HttpURLConnection sends this by default (q=.2, outside RFC 9110's strict form): JSON, not a 400.
    const java = await getCsv(app(), '/complaints?limit=1', { headers: { accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2' } });
    expect([java.status, java.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^application\/json/)]);
  });

  it('refuses an unknown format or bom with a 400 that names the accepted values, and CSV on a route that answers one document', async () => {
    for (const [path, field, message] of [
      ['/complaints?format=xlsx', 'format', /json, csv/],
      ['/sla/compliance?format=CSV', 'format', /json, csv/],
      ['/access/tokens?format=', 'format', /json, csv/],
      ['/customers?format=csv&bom=yes', 'bom', /1 or 0/],
    ] as const) {
      const response = await app().request('GET', path, { role: 'admin' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
    }
    expect((await app().request('GET', '/customers/cust-ops?format=csv', { role: 'admin' })).status).toBe(400);
    // A bad cursor or an unknown asOf is an error answer, not a CSV cut short.
    const badCursor = await getCsv(app(), '/complaints?format=csv&cursor=bm90LWEtY3Vyc29y');
    expect(badCursor.status).toBe(400);
    expect(badCursor.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await getCsv(app(), '/stats/complaints?format=csv&asOf=never-built', { role: 'analyst' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.bytes.toString()).code).toBe('as-of-not-found');
  });

  it('reads its own writes with minPosition, and serves a read model built as of a moment with asOf', async () => {
    const id = await receive({ customerId: 'cust-asof', cause: 'integrity' });
    const received = (await app().request('GET', `/complaints/${id}/events`)).body.events[0].position as number;
    const fresh = await getCsv(app(), `/complaints?customerId=cust-asof&format=csv&minPosition=${received}`);
    expect(fresh.rows.map((row) => row[0])).toEqual([id]);

    const { replayUntil } = await import('../../apps/cli/src/commands');
    const { SqliteEventStore } = await import('@app/event-store');
    const { SqliteReadStore } = await import('@app/read-store');
    const events = new SqliteEventStore({ filename: join(app().dataDir, 'events.sqlite') });
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    await replayUntil(events, readStore, { position: received - 1 }, 'before-asof');
    await events.close();
    await readStore.close();

    const past = await getCsv(app(), '/complaints?customerId=cust-asof&format=csv&asOf=before-asof');
    expect(past.status).toBe(200);
    expect(past.rows).toEqual([]);
    const stats = await app().request('GET', '/stats/complaints?by=cause&asOf=before-asof', { role: 'analyst' });
    const statsCsv = await getCsv(app(), '/stats/complaints?by=cause&format=csv&asOf=before-asof', { role: 'analyst' });
    expectSameRows(statsCsv, [...stats.body.rows, { period: 'totals', ...stats.body.totals }]);
    expect(statsCsv.rows.some((row) => row[1] === 'integrity')).toBe(false);
    const customers = await everyJsonItem(app(), '/customers?asOf=before-asof');
    expectSameRows(await getCsv(app(), '/customers?format=csv&asOf=before-asof'), customers);
  });

  it('/customers/alerts, /customers/importance-loyalty and /stats/loyalty: the rows of the JSON, in its order', async () => {
    const month = (ago: number) => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - ago, 1)).toISOString().slice(0, 7);
    const opened = await app().request('POST', '/customers', { role: 'supervisor', body: { customerId: 'cust-csv-key', category: 'fixed', reason: 'supply agreement', name: '=SUM(A1)' } });
    expect(opened.status).toBe(201);
    expect((await app().request('POST', '/customers/cust-csv-key/importance', { body: { reason: 'key account', key: true, level: 'a' } })).status).toBe(200);
    for (const [ago, amount] of [[3, 900], [2, 1000], [1, 300]] as const) {
      const recorded = await app().request('POST', '/customers/cust-csv-key/consumption', { role: 'agent', body: { period: month(ago), volume: { amount, unit: 'tonne' } } });
      expect(recorded.status).toBe(200);
      position = Math.max(position, recorded.body.position);
    }
    const alerts = await everyJsonItem(app(), `/customers/alerts?minPosition=${position}`);
    expect(alerts).toHaveLength(1);
    const alertsCsv = await getCsv(app(), `/customers/alerts?format=csv&minPosition=${position}`);
    expect(alertsCsv.headers.get('content-disposition')).toMatch(/filename="customer-alerts-/);
    expectSameRows(alertsCsv, alerts);

    const matrix = await app().request('GET', `/customers/importance-loyalty?minPosition=${position}`, { role: 'analyst' });
    const matrixCsv = await getCsv(app(), `/customers/importance-loyalty?format=csv&minPosition=${position}`, { role: 'analyst' });
    expect(matrixCsv.header).toEqual(['importance', 'tier', 'customers', 'keyCustomers']);
    expectSameRows(matrixCsv, matrix.body.rows);
    const loyalty = await app().request('GET', `/stats/loyalty?minPosition=${position}`, { role: 'analyst' });
    const loyaltyCsv = await getCsv(app(), `/stats/loyalty?format=csv&minPosition=${position}`, { role: 'analyst' });
    expect(loyaltyCsv.header).toEqual(['dimension', 'value', 'labels.zh-CN', 'labels.en', 'customers']);
    expect(loyaltyCsv.headers.get('content-disposition')).toMatch(/filename="loyalty-distribution-/);
    expectSameRows(loyaltyCsv, loyalty.body.rows);
    const files = await getCsv(app(), `/customers/files?category=fixed&format=csv&minPosition=${position}`);
    expect(files.rows.find((row) => row[0] === 'cust-csv-key')![files.header.indexOf('name')]).toBe('\'=SUM(A1)');
  });

  it('/surveys and /stats/surveys: the rows of the JSON in its order, the scores and the per-question means in one cell each, and the totals last', async () => {
    // A survey of the called-back complaint, answered, and the older survey of the free repair (work-order events).
    const [called] = (await app().request('GET', `/complaints?customerId=cust-ops&minPosition=${position}`, { role: 'analyst' })).body.items as Array<{ id: string }>;
    const sent = await app().request('POST', '/surveys', { role: 'agent', body: { subject: { kind: 'complaint', id: called!.id }, channel: 'phone' } });
    expect(sent.status).toBe(201);
    const answered = await app().request('POST', `/surveys/${sent.body.id}/answer`, { role: 'agent', body: { answers: [{ questionId: 'overall', score: 4 }, { questionId: 'speed', score: 2, comment: '慢, "很慢"' }] } });
    expect(answered.status).toBe(200);
    const repair = workOrder(WORK_ORDERS[0]!, { customerId: 'cust-ops' });
    const last = Math.max(answered.body.position, await appendAfterSalesEvents(app(), [repair.surveySent(21 * 60), repair.surveyAnswered(22 * 60, [4, 5])]));
    const list = await everyJsonItem(app(), `/surveys?minPosition=${last}`);
    expect(list.map((item) => item['source']).sort()).toEqual(['survey', 'work-order']);
    const listCsv = await getCsv(app(), `/surveys?format=csv&minPosition=${last}`);
    expect(listCsv.headers.get('content-disposition')).toMatch(/filename="surveys-/);
    expectSameRows(listCsv, list);
    for (const path of ['/stats/surveys?by=engineer&interval=year', '/stats/surveys?by=department']) {
      const json = await app().request('GET', withQuery(path, `minPosition=${last}`), { role: 'analyst' });
      expect(json.body.rows.length).toBeGreaterThan(0);
      const csv = await getCsv(app(), withQuery(path, `format=csv&minPosition=${last}`), { role: 'analyst' });
      expect(csv.headers.get('content-disposition')).toMatch(/filename="stats-surveys-/);
      expectSameRows(csv, [...json.body.rows, { period: 'totals', ...json.body.totals }]);
      expect(csv.rows.at(-1)!.slice(0, 3)).toEqual(['totals', '', '2']);
    }
  });

  it('covers every route listed as a CSV export in the route table', () => {
    const covered = [
      'GET /complaints', 'GET /sla/breaches', 'GET /sla/at-risk', 'GET /sla/compliance', 'GET /stats/complaints', 'GET /customers', 'GET /audit/decisions', 'GET /access/tokens',
      'GET /work-orders', 'GET /work-orders/board', 'GET /stats/engineers', 'GET /stats/stations', 'GET /stats/repair-fees',
      'GET /customers/files', 'GET /customers/alerts', 'GET /customers/importance-loyalty', 'GET /surveys', 'GET /stats/surveys', 'GET /stats/loyalty',
      // csv-lists.e2e-spec.ts compares these with their JSON.
      'GET /webhooks', 'GET /webhooks/:webhookId/deliveries', 'GET /audit/access', 'GET /analytics/as-of', 'GET /complaints/:id/events',
      'GET /work-orders/:id/events', 'GET /customers/:id/events',
    ];
    expect([...CSV_EXPORTS].sort()).toEqual(covered.sort());
  });

  it('lists in the route table exactly the GET routes whose OpenAPI answer offers JSON and text/csv (a route answering CSV cannot be left out)', async () => {
    const document = (await app().request('GET', '/docs-json', { role: null })).body as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };
    const offered = Object.entries(document.paths)
      // An export answers JSON or CSV; a downloaded attachment lists text/csv among the types its bytes may have, and no JSON.
      .filter(([, operations]) => ['text/csv', 'application/json'].every((type) => Object.keys(operations.get?.responses?.['200']?.content ?? {}).includes(type)))
      .map(([path]) => `GET ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    expect(offered.sort()).toEqual([...CSV_EXPORTS].sort());
  });
});

describe('CSV exports: the statistics\' totals row cannot be taken for a row', () => {
  // No directory units: assign takes any department and assignee, so a department and an assignee can be named "totals".
  const app = useApp();

  it('/sla/compliance without an interval: an assignee or a department named "totals" is a row, the totals are labelled in the period column', async () => {
    const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-totals' } });
    expect(received.status).toBe(201);
    const id = received.body.id as string;
    for (const [verb, body] of [['validate', { reason: 'Well-founded' }], ['assign', { department: 'totals', assignee: 'totals' }]] as const) {
      expect((await app().request('POST', `/complaints/${id}/${verb}`, { role: 'supervisor', body })).status).toBe(200);
    }
    // The first reply, in time: a met clock of department "totals", assignee "totals".
    const replied = await app().request('POST', `/complaints/${id}/apologise`, { role: 'agent', body: { statement: 'Sorry for the trouble.', channel: 'phone' } });
    expect(replied.status).toBe(200);
    for (const by of ['assignee', 'department']) {
      const json = await app().request('GET', `/sla/compliance?by=${by}&minPosition=${replied.body.position}`, { role: 'analyst' });
      expect(json.body.rows).toEqual([{ value: 'totals', met: 1, breached: 0, compliancePercent: 100 }]);
      const csv = await getCsv(app(), `/sla/compliance?by=${by}&format=csv&minPosition=${replied.body.position}`, { role: 'analyst' });
      // As every statistics CSV: a period column first, empty in each row without an interval, `totals` (never a day) in the totals row's.
      expect(csv.header).toEqual(['period', 'value', 'met', 'breached', 'compliancePercent']);
      expect(csv.rows).toEqual([['', 'totals', '1', '0', '100'], ['totals', '', '1', '0', '100']]);
      expect(csv.rows.filter((row) => row[0] === 'totals')).toHaveLength(1);
    }
  });
});
