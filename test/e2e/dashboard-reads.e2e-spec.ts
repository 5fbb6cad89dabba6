import { Clock } from '@app/complaints';
import { newComplaint, useApp, type TestResponse } from './support/test-app';

// A loaded machine: the history of the beforeAll takes a few seconds.
jest.setTimeout(60_000);

/** Time stands still unless the test moves it: complaints fall in the months the test chooses. */
class MovableClock extends Clock {
  at = new Date('2026-03-02T02:00:00.000Z');
  override now(): Date {
    return this.at;
  }
  advance(days: number): void {
    this.at = new Date(this.at.getTime() + days * 86_400_000);
  }
}

interface ComplianceRow { period?: string; partial?: boolean; value: string; met: number; breached: number; compliancePercent: number | null }

/** What the analyst dashboards and the dispatch board read: compliance per department × month, the complaints behind a number, the escalated ones. */
describe('dashboard reads over HTTP', () => {
  const clock = new MovableClock();
  // The clock jumps days: the monitors wait, so the late step is what records the breach.
  const app = useApp(undefined, { slaMonitorIntervalMs: 3_600_000 }, { clock });
  let position = 0;

  async function post(path: string, role: 'agent' | 'supervisor', body: object): Promise<TestResponse> {
    const response = await app().request('POST', path, { role, body });
    expect({ path, status: response.status, problem: response.status >= 300 ? response.body : undefined }).toEqual({ path, status: response.status < 300 ? response.status : 200, problem: undefined });
    position = Math.max(position, response.body.position);
    return response;
  }

  /** Received, apologised, validated and assigned to a department; resolved after `days` (the answer deadline is days away, so late when long). */
  async function handled(overrides: object, department: string, days: number): Promise<string> {
    const { id } = (await post('/complaints', 'agent', { ...newComplaint, ...overrides })).body as { id: string };
    await post(`/complaints/${id}/apologise`, 'agent', { statement: '抱歉', channel: 'phone' });
    await post(`/complaints/${id}/validate`, 'supervisor', { reason: '核实' });
    await post(`/complaints/${id}/assign`, 'supervisor', { department, assignee: 'zhao' });
    clock.advance(days);
    await post(`/complaints/${id}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    return id;
  }

  let march = '';
  let april = '';
  beforeAll(async () => {
    march = await handled({ customerId: 'cust-march', channel: 'phone', segment: 'private-car', purpose: 'criticism' }, 'quality', 0);
    clock.at = new Date('2026-04-06T02:00:00.000Z');
    april = await handled({ customerId: 'cust-april', channel: 'web', segment: 'fleet', purpose: 'accusation' }, 'station-ops', 20);
    await post(`/complaints/${april}/escalate`, 'supervisor', { to: 'regional-manager', reason: '超出权限' });
  });

  it('/sla/compliance?interval=month: one row per month and department, periods in order, as JSON and as CSV', async () => {
    const monthly = await app().request('GET', `/sla/compliance?by=department&interval=month&minPosition=${position}`, { role: 'analyst' });
    expect(monthly.status).toBe(200);
    expect(monthly.body).toMatchObject({ by: 'department', interval: 'month', asOf: null });
    const rows = monthly.body.rows as ComplianceRow[];
    expect(rows.find((row) => row.period === '2026-03-01' && row.value === 'quality')).toMatchObject({ breached: 0, compliancePercent: 100 });
    expect(rows.find((row) => row.period === '2026-04-01' && row.value === 'station-ops')).toMatchObject({ met: 0, compliancePercent: 0 });
    expect(rows.find((row) => row.period === '2026-04-01' && row.value === 'station-ops')!.breached).toBeGreaterThanOrEqual(1);
    expect(rows.map((row) => row.period)).toEqual([...rows.map((row) => row.period)].sort());

    // Without an interval: as before, one row per department over every day, no period.
    const overall = await app().request('GET', '/sla/compliance?by=department', { role: 'analyst' });
    expect(overall.body.interval).toBeNull();
    expect((overall.body.rows as ComplianceRow[]).every((row) => row.period === undefined)).toBe(true);
    expect((overall.body.rows as ComplianceRow[]).every((row) => row.partial === undefined)).toBe(true);
    expect((overall.body.rows as ComplianceRow[]).map((row) => row.value)).toEqual([...new Set(rows.map((row) => row.value))].sort());

    const csv = await app().request('GET', '/sla/compliance?by=department&interval=month&format=csv', { role: 'analyst' });
    expect(csv.status).toBe(200);
    const lines = String(csv.body).trim().split(/\r?\n/);
    // partial last: March is over by the test's clock (late April), so whole.
    expect(lines[0]).toBe('period,value,met,breached,compliancePercent,partial');
    expect(lines).toContain('2026-03-01,quality,' + `${rows.find((row) => row.period === '2026-03-01' && row.value === 'quality')!.met},0,100,false`);
  });

  it('/sla/compliance?interval=quarter: totals beside the rows, the percent recomputed from the summed counts, and the CSV\'s last row', async () => {
    for (const query of ['by=department&interval=quarter', 'by=department', 'by=clock&interval=month']) {
      const json = await app().request('GET', `/sla/compliance?${query}&minPosition=${position}`, { role: 'analyst' });
      expect(json.status).toBe(200);
      const rows = json.body.rows as ComplianceRow[];
      expect(rows.length).toBeGreaterThan(1);
      // Summed here, independently of the server: counts added, the percent taken from the sums (never an average of the rows' percents).
      const met = rows.reduce((sum, row) => sum + row.met, 0);
      const breached = rows.reduce((sum, row) => sum + row.breached, 0);
      expect({ query, totals: json.body.totals }).toEqual({ query, totals: { met, breached, compliancePercent: Math.round((met / (met + breached)) * 1000) / 10 } });

      const csv = String((await app().request('GET', `/sla/compliance?${query}&format=csv`, { role: 'analyst' })).body).trim().split(/\r?\n/);
      expect(csv).toHaveLength(rows.length + 2);
      // With an interval or without, `totals` in the period column and the value empty (a value may be named totals);
      // with an interval, the last column (partial) too, empty in the totals row.
      const withInterval = query.includes('interval');
      expect(csv[0]).toBe(`period,value,met,breached,compliancePercent${withInterval ? ',partial' : ''}`);
      expect(csv.at(-1)).toBe(['totals', '', met, breached, json.body.totals.compliancePercent, ...(withInterval ? [''] : [])].join(','));
    }
    // The heat map's quarters: the rows' percents differ, so an average of them would not be the totals' percent.
    const quarters = (await app().request('GET', '/sla/compliance?by=department&interval=quarter', { role: 'analyst' })).body;
    const percents = (quarters.rows as ComplianceRow[]).map((row) => row.compliancePercent!);
    expect(new Set(percents).size).toBeGreaterThan(1);

    // Nothing in the range: no rows, totals null, and a CSV of the header alone.
    const empty = await app().request('GET', '/sla/compliance?by=department&interval=quarter&from=2001-01-01&to=2001-04-01', { role: 'analyst' });
    expect(empty.body).toMatchObject({ rows: [], totals: null });
    const emptyCsv = await app().request('GET', '/sla/compliance?by=department&interval=quarter&from=2001-01-01&to=2001-04-01&format=csv', { role: 'analyst' });
    expect(String(emptyCsv.body).trim().split(/\r?\n/)).toEqual(['period,value,met,breached,compliancePercent,partial']);
  });

  it('/sla/breaches and /sla/at-risk: overdueMs and dueInMs with an hours twin of one decimal, in JSON and in CSV', async () => {
    const hours = (ms: number) => (Math.sign(ms) * Math.round(Math.abs(ms) / 360_000)) / 10 || 0;
    // The CSV is a second request, a moment later: a clock still running may have crossed a tenth of an hour since the JSON.
    const near = (csv: number[], json: number[]) => expect(csv.map((value, index) => Math.abs(value - json[index]!) <= 0.1 + 1e-9)).toEqual(json.map(() => true));
    const breaches = await app().request('GET', `/sla/breaches?minPosition=${position}`, { role: 'analyst' });
    const late = breaches.body.items as Array<{ overdueMs: number; overdueHours: number }>;
    expect(late.length).toBeGreaterThan(0);
    expect(late.map((item) => item.overdueHours)).toEqual(late.map((item) => hours(item.overdueMs)));
    // April's answer came 20 days after receipt, against the 48-hour deadline of a high-severity complaint: 18 days late.
    expect(late.map((item) => item.overdueHours)).toContain(18 * 24);
    const breachesCsv = String((await app().request('GET', '/sla/breaches?format=csv', { role: 'analyst' })).body).trim().split(/\r?\n/);
    expect(breachesCsv[0]!.split(',').slice(-1)).toEqual(['overdueHours']);
    expect(breachesCsv.length - 1).toBe(late.length);
    near(breachesCsv.slice(1).map((line) => Number(line.split(',').at(-1))), late.map((item) => item.overdueHours));

    // April's callback clock runs from its resolution (now).
    const atRisk = await app().request('GET', '/sla/at-risk?within=P30D', { role: 'analyst' });
    const due = atRisk.body.items as Array<{ dueInMs: number; dueInHours: number; overdueHours: number | null }>;
    expect(due.length).toBeGreaterThan(0);
    expect(due.map((item) => [item.dueInHours, item.overdueHours])).toEqual(due.map((item) => [hours(item.dueInMs), null]));
    const atRiskCsv = String((await app().request('GET', '/sla/at-risk?within=P30D&format=csv', { role: 'analyst' })).body).trim().split(/\r?\n/);
    expect(atRiskCsv[0]!.split(',').slice(-2)).toEqual(['overdueHours', 'dueInHours']);
    expect(atRiskCsv.slice(1).map((line) => line.split(',').at(-2))).toEqual(due.map(() => ''));
    near(atRiskCsv.slice(1).map((line) => Number(line.split(',').at(-1))), due.map((item) => item.dueInHours));
  });

  it('/sla/compliance refuses an unknown interval with a 400 that names it', async () => {
    const refused = await app().request('GET', '/sla/compliance?interval=fortnight', { role: 'analyst' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'interval', message: expect.stringContaining('month') })]);
  });

  it('/complaints filters by channel, segment and purpose: the complaints behind a number of /stats/complaints', async () => {
    const ids = async (query: string) => ((await app().request('GET', `/complaints?${query}&minPosition=${position}`, { role: 'analyst' })).body.items as Array<{ id: string }>).map((item) => item.id);
    expect(await ids('channel=web')).toEqual([april]);
    expect(await ids('segment=private-car')).toEqual([march]);
    expect(await ids('purpose=accusation&from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z')).toEqual([april]);
    expect(await ids('purpose=accusation&to=2026-04-01T00:00:00Z')).toEqual([]);
    const stats = await app().request('GET', '/stats/complaints?by=channel&interval=month', { role: 'analyst' });
    expect(stats.body.rows.find((row: { period: string; value: string }) => row.period === '2026-04-01' && row.value === 'web').received).toBe(1);
  });

  it('/complaints?escalated=true: only the escalated complaints, the board\'s list; false: the others', async () => {
    const list = async (query: string) => app().request('GET', `/complaints?${query}&minPosition=${position}`, { role: 'supervisor' });
    const escalated = await list('escalated=true&status=open');
    expect(escalated.status).toBe(200);
    expect(escalated.body.items.map((item: { id: string; escalationLevel: number }) => [item.id, item.escalationLevel > 0])).toEqual([[april, true]]);
    expect((await list('escalated=false')).body.items.map((item: { id: string }) => item.id)).toEqual([march]);
    const csv = await app().request('GET', '/complaints?escalated=true&format=csv', { role: 'supervisor' });
    expect(String(csv.body).trim().split(/\r?\n/)).toHaveLength(2);
  });

  it('refuses escalated, channel and segment values it does not know, saying what to send', async () => {
    for (const [query, field, hint] of [['escalated=yes', 'escalated', 'true or false'], ['channel=pigeon', 'channel', 'mobile-app'], ['segment=martian', 'segment', 'private-car']] as const) {
      const refused = await app().request('GET', `/complaints?${query}`, { role: 'supervisor' });
      expect({ query, status: refused.status }).toEqual({ query, status: 400 });
      expect(refused.body.errors).toEqual([expect.objectContaining({ field, message: expect.stringContaining(hint) })]);
    }
  });
});
