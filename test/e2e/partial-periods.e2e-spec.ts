import { Clock } from '@app/complaints';
import { freeRepair, productRegistered, serviceNetworkHistory, workOrder } from '@app/read-models/testing';
import { appendAfterSalesEvents } from './support/after-sales-history';
import { buildAsOf } from './support/as-of';
import { newComplaint, useApp } from './support/test-app';

// A loaded machine: the history of the beforeAll takes a few seconds.
jest.setTimeout(60_000);

/** Time stands still where the test puts it: complaints are received on the days it chooses, and "now" is its own. */
class SettableClock extends Clock {
  at = new Date('2026-01-14T02:00:00.000Z');
  override now(): Date {
    return this.at;
  }
}

interface PeriodRow { period: string; partial: boolean }

/** A CSV answer's header and rows (the cells of these tests hold no commas or quotes). */
const csvOf = (body: unknown) => {
  const [header, ...rows] = String(body).trim().split(/\r?\n/).map((line) => line.split(','));
  return { header: header!, rows };
};

/** The rows a period statistic marks partial: those the range `from`–`to`, or the clock, cut short. */
describe('periods cut short by from, to or now are marked partial', () => {
  const clock = new SettableClock();
  const app = useApp(undefined, { slaMonitorIntervalMs: 3_600_000 }, { clock });
  let position = 0;
  const get = async (path: string) => {
    const response = await app().request('GET', `${path}&minPosition=${position}`, { role: 'analyst' });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return response;
  };
  const marks = (rows: PeriodRow[]) => rows.map((row) => [row.period, row.partial]);

  beforeAll(async () => {
    // Complaints received on Wednesday 14 January, Tuesday 20 January, 10 February and 3 March 2026.
    for (const day of ['2026-01-14', '2026-01-20', '2026-02-10', '2026-03-03']) {
      clock.at = new Date(`${day}T02:00:00.000Z`);
      const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: `cust-${day}` } });
      expect(received.status).toBe(201);
      position = Math.max(position, received.body.position);
      // The first reply an hour later: a met clock for /sla/compliance.
      clock.at = new Date(`${day}T03:00:00.000Z`);
      const replied = await app().request('POST', `/complaints/${received.body.id}/apologise`, { role: 'agent', body: { statement: '抱歉', channel: 'phone' } });
      expect(replied.status).toBe(200);
      position = Math.max(position, replied.body.position);
    }
    // Work orders reported on Monday 2 March (repaired free in warranty, surveyed) and Wednesday 4 March 2026, both dispatched to Dandong's 王工.
    const monday = 'a2000000-0000-4000-8000-000000000001';
    const wednesday = workOrder('a2000000-0000-4000-8000-000000000002', { minutes: 2 * 24 * 60, serialNumber: 'TQ2240-000002' });
    position = Math.max(position, await appendAfterSalesEvents(app(), [
      ...serviceNetworkHistory(), productRegistered('TQ2240-000731', 'cust-001'), ...freeRepair(monday), workOrder(monday).surveySent(21 * 60),
      wednesday.reported, wednesday.dispatched(2 * 24 * 60 + 30),
    ]));
    // Now: Wednesday 18 March 2026, March not over.
    clock.at = new Date('2026-03-18T10:00:00.000Z');
  });

  it('/stats/complaints?interval=month&from=2026-01-15: January (from the 15th) is partial, February whole, March (not over) partial; rows and periods alike', async () => {
    clock.at = new Date('2026-03-18T10:00:00.000Z');
    const stats = await get('/stats/complaints?interval=month&from=2026-01-15');
    expect(marks(stats.body.periods)).toEqual([['2026-01-01', true], ['2026-02-01', false], ['2026-03-01', true]]);
    expect(marks(stats.body.rows)).toEqual([['2026-01-01', true], ['2026-02-01', false], ['2026-03-01', true]]);
    expect(stats.body.totals).not.toHaveProperty('partial');
    // From the 1st and to the 1st of February: January whole.
    expect(marks((await get('/stats/complaints?interval=month&from=2026-01-01&to=2026-02-01')).body.periods)).toEqual([['2026-01-01', false]]);
    // A to inside February cuts it short.
    expect(marks((await get('/stats/complaints?interval=month&from=2026-01-01&to=2026-02-15')).body.periods)).toEqual([['2026-01-01', false], ['2026-02-01', true]]);
  });

  it('/stats/complaints as CSV: the mark is the last column, true or false, and empty in the totals row', async () => {
    clock.at = new Date('2026-03-18T10:00:00.000Z');
    const csv = csvOf((await get('/stats/complaints?interval=month&from=2026-01-15&format=csv')).body);
    expect(csv.header[0]).toBe('period');
    expect(csv.header.at(-1)).toBe('partial');
    expect(csv.rows.map((row) => [row[0], row.at(-1)])).toEqual([['2026-01-01', 'true'], ['2026-02-01', 'false'], ['2026-03-01', 'true'], ['totals', '']]);
  });

  it('interval=week from a Wednesday: the ISO week it falls in (from Monday 12 January) is partial, the next ones whole', async () => {
    clock.at = new Date('2026-03-18T10:00:00.000Z');
    const weeks = await get('/stats/complaints?interval=week&from=2026-01-14&to=2026-03-02');
    expect(marks(weeks.body.periods)).toEqual([['2026-01-12', true], ['2026-01-19', false], ['2026-02-09', false]]);
  });

  it('the current period is partial without a to and with one after it, by the server\'s clock; whole once it has ended', async () => {
    clock.at = new Date('2026-03-18T10:00:00.000Z');
    expect(marks((await get('/stats/complaints?interval=month&from=2026-03-01')).body.periods)).toEqual([['2026-03-01', true]]);
    expect(marks((await get('/stats/complaints?interval=month&from=2026-03-01&to=2026-04-01')).body.periods)).toEqual([['2026-03-01', true]]);
    expect(marks((await get('/stats/complaints?interval=quarter&from=2026-01-01')).body.periods)).toEqual([['2026-01-01', true]]);
    clock.at = new Date('2026-04-01T00:00:00.000Z');
    expect(marks((await get('/stats/complaints?interval=month&from=2026-03-01')).body.periods)).toEqual([['2026-03-01', false]]);
    expect(marks((await get('/stats/complaints?interval=quarter&from=2026-01-01')).body.periods)).toEqual([['2026-01-01', false]]);
  });

  it('/stats/stations?interval=week&from=2026-03-04 (a Wednesday): the week of Monday 2 March is partial, as JSON and as CSV', async () => {
    clock.at = new Date('2026-03-18T10:00:00.000Z');
    const cut = await get('/stats/stations?interval=week&from=2026-03-04');
    expect(cut.body.rows.map((row: PeriodRow & { station: string; orders: number }) => [row.period, row.station, row.orders, row.partial])).toEqual([['2026-03-02', 'dandong-station', 1, true]]);
    expect(cut.body.totals).not.toHaveProperty('partial');
    const whole = await get('/stats/stations?interval=week&from=2026-03-02');
    expect(whole.body.rows.map((row: PeriodRow & { orders: number }) => [row.period, row.orders, row.partial])).toEqual([['2026-03-02', 2, false]]);
    const csv = csvOf((await get('/stats/stations?interval=week&from=2026-03-04&format=csv')).body);
    expect(csv.header.at(-1)).toBe('partial');
    expect(csv.rows.map((row) => [row[0], row.at(-1)])).toEqual([['2026-03-02', 'true'], ['totals', '']]);
  });

  it('every one of the six period statistics marks its rows, and its CSV has the mark as its last column', async () => {
    clock.at = new Date('2026-03-18T10:00:00.000Z');
    for (const path of [
      '/stats/complaints?interval=month', '/sla/compliance?interval=month', '/stats/surveys?interval=month',
      '/stats/engineers?interval=month', '/stats/stations?interval=month', '/stats/repair-fees?interval=month',
    ]) {
      const rows = (await get(`${path}&from=2026-01-15`)).body.rows as PeriodRow[];
      expect({ path, rows: rows.length > 0 }).toEqual({ path, rows: true });
      // March is not over: partial, as every row of January (from the 15th); February is whole.
      expect({ path, marks: rows.map((row) => [row.period, row.partial]) }).toEqual({ path, marks: rows.map((row) => [row.period, row.period !== '2026-02-01']) });
      expect({ path, last: csvOf((await get(`${path}&format=csv`)).body).header.at(-1) }).toEqual({ path, last: 'partial' });
    }
    // Engineers: the March of the two orders is not over.
    expect(marks((await get('/stats/engineers?interval=month&from=2026-03-01')).body.rows)).toEqual([['2026-03-01', true]]);
  });

  it('with asOf, the mark compares with the generation\'s cut, not the clock: as of 10 March, read on 20 April, March is partial; as of 31 March, whole', async () => {
    // Given generations built on 20 April, one until a moment inside March, one until its last day (a date: the end of that day)
    clock.at = new Date('2026-04-20T10:00:00.000Z');
    await buildAsOf(app(), 'mid-march', '2026-03-10T12:00:00Z');
    await buildAsOf(app(), 'end-of-march', '2026-03-31');
    // When read on 20 April / Then the March that generation holds half of is partial, in complaints and the after-sales statistics alike
    expect(marks((await get('/stats/complaints?interval=month&asOf=mid-march')).body.periods)).toEqual([['2026-01-01', false], ['2026-02-01', false], ['2026-03-01', true]]);
    expect(marks((await get('/stats/complaints?interval=month&asOf=mid-march')).body.rows)).toEqual([['2026-01-01', false], ['2026-02-01', false], ['2026-03-01', true]]);
    const stations = await get('/stats/stations?interval=month&asOf=mid-march');
    expect(stations.body.rows.map((row: PeriodRow & { orders: number }) => [row.period, row.orders, row.partial])).toEqual([['2026-03-01', 2, true]]);
    expect(csvOf((await get('/stats/stations?interval=month&asOf=mid-march&format=csv')).body).rows.map((row) => [row[0], row.at(-1)])).toEqual([['2026-03-01', 'true'], ['totals', '']]);
    // Every one of the six says so
    for (const path of [
      '/stats/complaints?interval=month', '/sla/compliance?interval=month', '/stats/surveys?interval=month',
      '/stats/engineers?interval=month', '/stats/stations?interval=month', '/stats/repair-fees?interval=month',
    ]) {
      const rows = (await get(`${path}&from=2026-03-01&asOf=mid-march`)).body.rows as PeriodRow[];
      expect({ path, marks: rows.map((row) => [row.period, row.partial]) }).toEqual({ path, marks: rows.map(() => ['2026-03-01', true]) });
      expect({ path, rows: rows.length > 0 }).toEqual({ path, rows: true });
    }
    // As of the end of 31 March, March is whole; the quarter it ends too
    expect(marks((await get('/stats/complaints?interval=month&asOf=end-of-march')).body.periods)).toEqual([['2026-01-01', false], ['2026-02-01', false], ['2026-03-01', false]]);
    expect(marks((await get('/stats/complaints?interval=quarter&asOf=end-of-march')).body.periods)).toEqual([['2026-01-01', false]]);
    expect(marks((await get('/stats/stations?interval=month&asOf=end-of-march')).body.rows)).toEqual([['2026-03-01', false]]);
    // The clock still counts when it is the earlier: read on 25 March, the generation as of the 31st (built later, by the clock of then) is partial in March
    clock.at = new Date('2026-03-25T10:00:00.000Z');
    expect(marks((await get('/stats/complaints?interval=month&asOf=end-of-march')).body.periods)).toEqual([['2026-01-01', false], ['2026-02-01', false], ['2026-03-01', true]]);
  });
});
