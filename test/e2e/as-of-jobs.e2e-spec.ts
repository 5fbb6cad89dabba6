import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStore, SqliteEventStore } from '@app/event-store';
import { ALL_PROJECTIONS, AsOfCatalogue, asOfPrefix } from '@app/read-models';
import { SqliteReadStore, generationCollection } from '@app/read-store';
import { generationFor, processSpace } from '@app/projections';
import { cny, expiredProduct, freeRepair, serviceNetworkHistory, workOrder } from '@app/read-models/testing';
import { appendAfterSalesEvents } from './support/after-sales-history';
import { buildAsOf } from './support/as-of';
import { newComplaint, removeDataDir, startApp, useApp, type RunningApp } from './support/test-app';

/**
 * The SLA monitors wait: the repairs here are dated in the past, so a monitor would record their
 * breaches at the moment it ran — racing the appends of this history (a stream one event further than
 * expected) and stamping the source and the system fed up to the cut-off at different times.
 */
const QUIET_MONITORS = { slaMonitorIntervalMs: 3_600_000 };

const REPAIRS = ['a3000000-0000-4000-8000-000000000001', 'b3000000-0000-4000-8000-000000000002', 'c3000000-0000-4000-8000-000000000003'];

/** Polls an as-of job until it has finished (done, failed or cancelled). */
async function finished(app: RunningApp, location: string, timeoutMs = 60_000): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await app.request('GET', location, { role: 'analyst' });
    if (job.status !== 200) throw new Error(`GET ${location}: ${job.status} ${JSON.stringify(job.body)}`);
    if (['done', 'failed', 'cancelled'].includes(job.body.status)) return job.body;
    if (Date.now() > deadline) throw new Error(`${location} still ${job.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The same read-model answers from a system that was fed only the events up to `position` (same ids, times and positions). */
async function answersOfSystemFedUpTo(source: RunningApp, position: number, paths: readonly string[]): Promise<unknown[]> {
  const from = new SqliteEventStore({ filename: join(source.dataDir, 'events.sqlite') });
  // With the same customers' data keys (a snapshot of keys.sqlite): the personal values in the copied events read as in the source.
  const freshDir = mkdtempSync(join(tmpdir(), 'complaint-desk-e2e-'));
  const keys = new Database(join(source.dataDir, 'keys.sqlite'), { readonly: true });
  keys.exec(`VACUUM INTO '${join(freshDir, 'keys.sqlite').replaceAll("'", "''")}'`);
  keys.close();
  const fresh = await startApp(freshDir, QUIET_MONITORS);
  const into = new SqliteEventStore({ filename: join(fresh.dataDir, 'events.sqlite') });
  try {
    for (const event of await from.readAll({ maxCount: 100_000 })) {
      if (event.position > position || event.stream.startsWith('access-control')) continue;
      const appended = await into.append(event.stream, [{ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }], { expectedRevision: event.revision === 0 ? 'no_stream' : event.revision - 1 });
      expect(appended.position).toBeLessThanOrEqual(position);
    }
    const head = await into.headPosition();
    return await Promise.all(paths.map(async (path) => (await fresh.request('GET', `${path}&minPosition=${head}`, { role: 'analyst' })).body));
  } finally {
    await into.close();
    await from.close();
    await fresh.stop();
    removeDataDir(fresh.dataDir);
  }
}

describe('as-of generations built through the API (analyst jobs on a worker thread)', () => {
  jest.setTimeout(120_000);
  const app = useApp(undefined, { projections: 'in-process', ...QUIET_MONITORS });

  it('builds one as of a position, serves it with asOf, equal to a system fed only the events up to then, lists it, and deletes it', async () => {
    // Repairs too: a free one handed over and a charged one at another station before the cut-off, one more after it.
    const charged = workOrder(REPAIRS[1]!, { customerId: 'cust-repair', minutes: 60 });
    await appendAfterSalesEvents(app(), [
      ...serviceNetworkHistory(), ...freeRepair(REPAIRS[0]!), charged.reported, charged.dispatched(70, 'dalian-station', 'eng-liu'), charged.arrived(600, 1, 'eng-liu'),
      ...charged.findings(630, 'product-defect', expiredProduct()), charged.quoted(640, cny(50_000)), charged.confirmed(650, cny(50_000)), charged.work(660, true), charged.fee(670, cny(50_000)),
    ]);
    const first = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, cause: 'price' } });
    const validated = await app().request('POST', `/complaints/${first.body.id}/validate`, { body: { reason: 'Checked.' } });
    const cutoff = validated.body.position;
    const second = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, cause: 'price', customerId: 'cust-later' } });
    await app().request('POST', `/complaints/${second.body.id}/reject`, { body: { reason: 'Not ours.' } });
    await appendAfterSalesEvents(app(), [...freeRepair(REPAIRS[2]!, { minutes: 24 * 60 }), charged.tested(680), charged.signedOff(690), charged.closed(700)]);

    const started = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: String(cutoff), name: 'before-second' } });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe('/analytics/as-of/before-second');
    expect(started.body).toMatchObject({ name: 'before-second', until: String(cutoff), requestedBy: 'analyst-e2e' });
    expect(['queued', 'running']).toContain(started.body.status);

    const job = await finished(app(), '/analytics/as-of/before-second');
    expect(job).toMatchObject({ status: 'done', etaSeconds: 0, error: null, progress: { fraction: 1, applied: expect.any(Number) } });
    expect(job.progress.events).toBeGreaterThanOrEqual(cutoff);
    // Each event up to the cut-off counted once, whatever the number of projections (positions here have no gaps).
    expect(job.progress.applied).toBe(cutoff);
    expect(typeof job.eventsPerSecond).toBe('number');
    // The position it holds is the cut-off's, not the head of the log; the build stops reading there, so its progress is told against the cut-off too.
    expect(job.generation).toMatchObject({ position: cutoff, applied: cutoff });
    expect(job.progress).toMatchObject({ events: cutoff, ofPosition: cutoff });

    const paths = [
      '/stats/complaints?by=cause&interval=month', '/sla/compliance?by=department', '/complaints?limit=50',
      '/work-orders?limit=50', '/stats/engineers?interval=month', '/stats/stations?interval=day', '/stats/repair-fees?interval=month',
    ];
    const past = await Promise.all(paths.map(async (path) => (await app().request('GET', `${path}&asOf=before-second`, { role: 'analyst' })).body));
    expect(past[0].rows.find((row: { value: string }) => row.value === 'price').received).toBe(1);
    expect(past[3].items.map((order: { id: string; status: string }) => [order.id, order.status])).toEqual([[REPAIRS[1], 'on-site'], [REPAIRS[0], 'closed']]);
    expect(past[6].totals).toMatchObject({ repaired: 1, warranty: 1, chargeable: 0, fees: [{ currency: 'CNY', minorUnits: 50_000 }] });
    // The auditor's decisions as of then: those up to the cut-off only (GET /audit/decisions once took asOf and answered the live ones).
    const decisions = async (query: string) => (await app().request('GET', `/audit/decisions?limit=200${query}`, { role: 'auditor' })).body.items as Array<{ position: number }>;
    const decisionsThen = await decisions('&asOf=before-second');
    expect(decisionsThen.length).toBeGreaterThan(0);
    expect(decisionsThen.every((decision) => decision.position <= cutoff)).toBe(true);
    expect((await decisions('')).some((decision) => decision.position > cutoff)).toBe(true);
    expect((await app().request('GET', '/audit/decisions?asOf=never-built', { role: 'auditor' })).status).toBe(404);
    expect((await app().request('GET', '/audit/decisions?asOf=2026-02-29', { role: 'auditor' })).status).toBe(400);
    const expected = await answersOfSystemFedUpTo(app(), cutoff, paths);
    const withoutAsOf = ({ asOf: _asOf, ...rest }: Record<string, unknown>) => rest;
    expect(past.map(withoutAsOf)).toEqual(expected.map((body) => withoutAsOf(body as Record<string, unknown>)));

    const list = await app().request('GET', '/analytics/as-of', { role: 'auditor' });
    expect(list.status).toBe(200);
    expect(list.body.generations).toEqual(expect.arrayContaining([expect.objectContaining({
      name: 'before-second', until: String(cutoff), status: 'done', builtAt: expect.any(String), documents: expect.any(Number), position: expect.any(Number),
    })]));
    expect(list.body.generations.find((entry: { name: string }) => entry.name === 'before-second').documents).toBeGreaterThan(0);
    expect(list.body.generations.find((entry: { name: string }) => entry.name === 'before-second').position).toBe(cutoff);
    expect((await app().request('GET', '/analytics/as-of', { role: 'supervisor' })).status).toBe(200);

    const again = await app().request('POST', '/analytics/as-of', { role: 'admin', body: { until: '2026-06-30', name: 'before-second' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('as-of-exists');
    const twin = await app().request('POST', '/analytics/as-of', { role: 'admin', body: { until: '2026-06-30', name: 'before_second' } });
    expect(twin.status).toBe(409);
    expect(twin.body.detail).toMatch(/share its collections/);
    // Letter case too: SQLite's tables and MongoDB's collections cannot differ only in case (the two builds counted events twice).
    const shouting = await app().request('POST', '/analytics/as-of', { role: 'admin', body: { until: '2026-06-30', name: 'BEFORE-second' } });
    expect(shouting.status).toBe(409);
    expect(shouting.body.detail).toMatch(/letter case/);

    expect((await app().request('DELETE', '/analytics/as-of/before-second', { role: 'agent' })).status).toBe(403);
    expect((await app().request('DELETE', '/analytics/as-of/before-second', { role: 'auditor' })).status).toBe(403);
    const deleted = await app().request('DELETE', '/analytics/as-of/before-second', { role: 'analyst' });
    expect(deleted.status).toBe(204);
    expect((await app().request('GET', '/stats/complaints?asOf=before-second', { role: 'analyst' })).status).toBe(404);
    expect((await app().request('GET', '/analytics/as-of/before-second', { role: 'analyst' })).status).toBe(404);
    expect((await app().request('DELETE', '/analytics/as-of/before-second', { role: 'analyst' })).status).toBe(404);
  });

  it('refuses a position past the end of the log, naming its last position, and builds nothing', async () => {
    const created = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const head = created.body.position as number;
    const refused = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: String(head + 1000), name: 'past-the-end' } });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation-failed');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'until', message: expect.stringContaining(`past the end of the log (its last position is ${head})`) })]);
    expect((await app().request('GET', '/analytics/as-of/past-the-end', { role: 'analyst' })).status).toBe(404);
    const byDefaultName = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '99999999' } });
    expect(byDefaultName.status).toBe(400);
    const jobs = (await app().request('GET', '/analytics/as-of', { role: 'analyst' })).body.jobs.map((job: { name: string }) => job.name);
    expect(jobs).not.toContain('past-the-end');
    expect(jobs).not.toContain('position-99999999');
  });

  it('refuses an Idempotency-Key (the route takes none: a repeat of a cut is 409 as-of-exists), naming the header, and starts nothing', async () => {
    const refused = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '1', name: 'with-a-key' }, headers: { 'idempotency-key': 'as-of-1' } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.stringMatching(/takes no Idempotency-Key.*409 as-of-exists/) }]);
    expect((await app().request('GET', '/analytics/as-of/with-a-key', { role: 'analyst' })).status).toBe(404);
  });

  // The key was refused in the handler, once the body had passed: a bad body and a key named the body alone.
  it('names an Idempotency-Key and a bad body in one 400, the header first, and starts nothing', async () => {
    const refused = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: 5, name: 'with-a-key-and-a-bad-body' }, headers: { 'idempotency-key': 'as-of-2' } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(['Idempotency-Key', 'until']);
    expect((await app().request('GET', '/analytics/as-of/with-a-key-and-a-bad-body', { role: 'analyst' })).status).toBe(404);
  });

  it('refuses a moment still to come (a year ahead, an hour ahead, today: a date is its end) 400 as-of-in-future, saying the server\'s time and the log\'s last position; builds nothing; a moment that has passed is built', async () => {
    const created = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const head = created.body.position as number;
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const until of ['2099-12-31', new Date(Date.now() + 3_600_000).toISOString(), new Date().toISOString().slice(0, 10)]) {
      const refused = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until, name: 'to-come' } });
      expect({ until, status: refused.status, code: refused.body.code }).toEqual({ until, status: 400, code: 'as-of-in-future' });
      expect(refused.body.errors).toEqual([{
        field: 'until', message: expect.stringMatching(new RegExp(`^until ${escaped(until)} is still to come \\(.*; the server's time is \\d{4}-.*Give a moment that has passed .*the log's last position \\("${head}"\\) for the read models as they stand now$`)),
      }]);
    }
    expect((await app().request('GET', '/analytics/as-of/to-come', { role: 'analyst' })).status).toBe(404);
    expect((await app().request('GET', '/analytics/as-of', { role: 'analyst' })).body.jobs.map((job: { name: string }) => job.name)).not.toContain('to-come');
    const passed = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: new Date(Date.now() - 60_000).toISOString(), name: 'just-passed' } });
    expect(passed.status).toBe(202);
    expect((await finished(app(), '/analytics/as-of/just-passed')).status).toBe('done');
    expect((await app().request('DELETE', '/analytics/as-of/just-passed', { role: 'analyst' })).status).toBe(204);
  });

  it('refuses POST until=2019-02-29 in the words a read with asOf=2019-02-29 gets: the day does not exist, why, and a day that does', async () => {
    const posted = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '2019-02-29' } });
    const read = await app().request('GET', '/stats/complaints?asOf=2019-02-29', { role: 'analyst' });
    const words = 'is a day that does not exist \\(February 2019 has 28 days\\), so no read model is or can be built as of it: give a date that exists \\(2019-02-28\\)';
    expect({ status: posted.status, code: posted.body.code, errors: posted.body.errors }).toEqual({
      status: 400, code: 'validation-failed', errors: [{ field: 'until', message: expect.stringMatching(new RegExp(`^until 2019-02-29 ${words}$`)) }],
    });
    expect({ status: read.status, errors: read.body.errors }).toEqual({ status: 400, errors: [{ field: 'asOf', message: expect.stringMatching(new RegExp(`^asOf 2019-02-29 ${words}, or the name`)) }] });
  });

  it('tells in X-Read-Model-Position the position of the generation an asOf read answers from, not how far the live read models are', async () => {
    const first = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const cutoff = first.body.position as number;
    const later = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-after-cut' } });
    await buildAsOf(app(), 'header-cut', cutoff);
    for (const path of ['/complaints?limit=5', '/complaints?limit=5&format=csv', '/stats/complaints?by=cause&interval=month', '/sla/compliance?by=department', '/work-orders?limit=5', '/audit/decisions?limit=5']) {
      const live = await app().request('GET', `${path}&minPosition=${later.body.position}`, { role: 'admin' });
      expect(Number(live.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(later.body.position);
      const past = await app().request('GET', `${path}&asOf=header-cut`, { role: 'admin' });
      expect({ path, status: past.status, position: past.headers.get('x-read-model-position') }).toEqual({ path, status: 200, position: String(cutoff) });
    }
    expect((await app().request('DELETE', '/analytics/as-of/header-cut', { role: 'analyst' })).status).toBe(204);
  });

  it('names a generation after its date by default, one job at a time, and cancels a queued or running one on DELETE (a second DELETE of the cancelled one is 204 too)', async () => {
    const byDate = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '2026-06-30' } });
    expect(byDate.status).toBe(202);
    expect(byDate.headers.get('location')).toBe('/analytics/as-of/2026-06-30');
    const queued = await app().request('POST', '/analytics/as-of', { role: 'admin', body: { until: '2026-06-30T08:00:00+08:00', name: 'queued-one' } });
    expect(queued.body.status).toBe('queued');
    // A read of it says it waits for its turn and where its progress is (it said "build it with POST", which the 409 below refuses).
    const early = await app().request('GET', '/stats/complaints?asOf=queued-one', { role: 'analyst' });
    expect([early.status, early.body.code]).toEqual([404, 'as-of-not-found']);
    expect(early.body.detail).toMatch(/^The read model as of "queued-one" is not built yet: its job is queued behind another build; GET \/analytics\/as-of\/queued-one shows its progress/);
    // A waiting job has no catalogue entry yet: a name sharing its collections is refused all the same.
    for (const twin of ['queued_one', 'Queued-One']) {
      const refused = await app().request('POST', '/analytics/as-of', { role: 'admin', body: { until: '2026-06-30', name: twin } });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/queued-one.*(queued|running)/);
    }
    const cancelQueued = await app().request('DELETE', '/analytics/as-of/queued-one', { role: 'admin' });
    expect(cancelQueued.status).toBe(204);
    expect((await app().request('GET', '/analytics/as-of/queued-one', { role: 'analyst' })).body.status).toBe('cancelled');
    // DELETE and GET agree: a cancelled job is still there to be looked at, and a second DELETE (a retry whose
    // answer was lost, a double click) finds what the first asked for done: 204 again, the job left as it was.
    const again = await app().request('DELETE', '/analytics/as-of/queued-one', { role: 'admin' });
    expect(again.status).toBe(204);
    const still = await app().request('GET', '/analytics/as-of/queued-one', { role: 'analyst' });
    expect(still.status).toBe(200);
    expect(still.body.status).toBe('cancelled');

    const first = await app().request('DELETE', '/analytics/as-of/2026-06-30', { role: 'analyst' });
    expect(first.status).toBe(204);
    const after = await app().request('GET', '/analytics/as-of/2026-06-30', { role: 'analyst' });
    // Cancelled while it ran, or (on a fast machine) done and then deleted: either way nothing of it is left.
    expect(after.status === 404 || after.body.status === 'cancelled').toBe(true);
    expect((await app().request('GET', '/stats/complaints?asOf=2026-06-30', { role: 'analyst' })).status).toBe(404);
    const list = await app().request('GET', '/analytics/as-of', { role: 'analyst' });
    expect(list.body.generations.map((entry: { name: string }) => entry.name)).not.toContain('2026-06-30');
  });

  it('names moments a day apart apart by default: an offset of -12:00 and one of +12:00 get two names (both were 2026-03-01T08-00-00-12-00, the second a 409)', async () => {
    const names: string[] = [];
    for (const until of ['2026-03-01T08:00:00-12:00', '2026-03-01T08:00:00+12:00']) {
      const started = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until } });
      expect({ status: started.status, problem: started.status >= 300 ? started.body : undefined }).toEqual({ status: 202, problem: undefined });
      names.push(started.body.name);
    }
    expect(names).toEqual(['2026-03-01T08-00-00-12-00', '2026-03-01T08-00-00plus12-00']);
    for (const name of names) expect((await app().request('DELETE', `/analytics/as-of/${name}`, { role: 'analyst' })).status).toBe(204);
  });

  it.each(['/complaints', '/stats/complaints', '/customers', '/work-orders'])('answers GET %s?asOf=2026-02-29 (a day that does not exist) 400 saying why, as its build is refused; a day that exists and was not built 404', async (path) => {
    const response = await app().request('GET', `${path}?asOf=2026-02-29`, { role: 'analyst' });
    expect({ status: response.status, code: response.body.code, errors: response.body.errors }).toEqual({
      status: 400, code: 'validation-failed', errors: [{ field: 'asOf', message: expect.stringMatching(/^asOf 2026-02-29 is a day that does not exist.*GET \/analytics\/as-of lists them/) }],
    });
    expect((await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '2026-02-29' } })).status).toBe(400);
    expect((await app().request('GET', `${path}?asOf=2026-02-28`, { role: 'analyst' })).status).toBe(404);
  });

  it.each([
    [{ until: '2026-02-30' }, 'until', /date that exists/],
    [{ until: 'yesterday' }, 'until', /ISO 8601/],
    [{ until: '2026-06-30T08:00:00.123456Z' }, 'until', /at most three \(write 2026-06-30T08:00:00\.123Z, the same moment to the millisecond\)/],
    [{ until: '2026-06-30T08:00:00.1234+08:00' }, 'until', /milliseconds.*write 2026-06-30T08:00:00\.123\+08:00/],
    [{ until: '2026-06-30T25:00:00.123456Z' }, 'until', /at most milliseconds \(2026-06-30T08:00:00\.123Z\)/],
    [{ until: 20260630 }, 'until', /must be text/],
    [{ until: '2026-06-30', name: 'no spaces' }, 'name', /letters, digits/],
    [{ until: '2026-06-30', name: 'x'.repeat(41) }, 'name', /at most 40/],
    [{}, 'until', /until/],
    [{ until: '2026-06-30', into: 'x' }, 'into', /not a field|should not exist|into/],
  ])('refuses %j with a 400 naming the field', async (body, field, message) => {
    const response = await app().request('POST', '/analytics/as-of', { role: 'analyst', body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const error = response.body.errors.find((entry: { field: string }) => entry.field === field);
    expect(error?.message).toMatch(message);
  });

  it('builds one generation of a position however its digits are written: "0", "00" and "007" are one cut, its default name and until in one spelling', async () => {
    const created = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const cut = created.body.position as number;
    const first = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: String(cut) } });
    expect({ status: first.status, name: first.body.name, until: first.body.until }).toEqual({ status: 202, name: `position-${cut}`, until: String(cut) });
    // The second spelling finds the first generation, as the same spelling again does (it built position-00…, a second generation of one cut).
    for (const until of [`0${cut}`, `000${cut}`]) {
      const again = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until } });
      expect({ until, status: again.status, code: again.body.code }).toEqual({ until, status: 409, code: 'as-of-exists' });
      expect(again.body.detail).toContain(`"position-${cut}"`);
    }
    // A sign or a space is no position (nor a date): refused, as before, so no third spelling.
    for (const until of [`+${cut}`, ` ${cut}`, `${cut} `]) {
      expect({ until, status: (await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until } })).status }).toEqual({ until, status: 400 });
    }
    // Under a name of its own, the cut is kept in its one spelling too (the job's until is what its catalogue entry records); not built here.
    const named = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: `00${cut}`, name: 'zeros' } });
    expect({ status: named.status, until: named.body.until }).toEqual({ status: 202, until: String(cut) });
    expect((await app().request('DELETE', '/analytics/as-of/zeros', { role: 'analyst' })).status).toBe(204);
    expect((await finished(app(), `/analytics/as-of/position-${cut}`)).generation).toMatchObject({ until: String(cut), position: cut });
    const generations = (await app().request('GET', '/analytics/as-of', { role: 'analyst' })).body.generations as Array<{ name: string; until: string }>;
    expect(generations.filter((entry) => entry.name.startsWith('position-')).map((entry) => entry.name)).toEqual([`position-${cut}`]);
    // Read by the name either spelling gave: one generation.
    expect((await app().request('GET', `/complaints?limit=5&asOf=position-${cut}`, { role: 'analyst' })).status).toBe(200);
    expect((await app().request('DELETE', `/analytics/as-of/position-${cut}`, { role: 'analyst' })).status).toBe(204);
  });

  it('builds one generation of a moment written with Z, +00:00, -00:00, without its seconds or with .000: one default name and until', async () => {
    const first = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '2026-03-10T08:00:00+00:00' } });
    expect({ status: first.status, name: first.body.name, until: first.body.until }).toEqual({ status: 202, name: '2026-03-10T08-00-00Z', until: '2026-03-10T08:00:00Z' });
    for (const until of ['2026-03-10T08:00:00Z', '2026-03-10T08:00Z', '2026-03-10T08:00:00.000-00:00', '2026-03-10T08:00:00.0Z']) {
      const again = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until } });
      expect({ until, status: again.status, code: again.body.code }).toEqual({ until, status: 409, code: 'as-of-exists' });
      expect(again.body.detail).toContain('"2026-03-10T08-00-00Z"');
    }
    // (Milliseconds, a day and another offset: as-of-until.spec.ts; each more here is one more build on a worker thread.)
    expect((await finished(app(), '/analytics/as-of/2026-03-10T08-00-00Z')).generation).toMatchObject({ until: '2026-03-10T08:00:00Z' });
    expect((await app().request('DELETE', '/analytics/as-of/2026-03-10T08-00-00Z', { role: 'analyst' })).status).toBe(204);
  });

  it('shows the moment a generation\'s events reach (eventsUntil: when the last event it holds happened), in its GET, the list and the CSV; null for an entry that does not record it', async () => {
    const created = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const cut = created.body.position as number;
    await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-after-cut' } });
    await buildAsOf(app(), 'events-until', cut, 100_000);
    // An entry of a version that did not record the moment (no lastOccurredAt), as a generation of no event has none either.
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    try {
      const at = new Date().toISOString();
      await (await AsOfCatalogue.open(readStore)).put({ id: 'events-until-none', name: 'events-until-none', until: '12', status: 'done', startedAt: at, heartbeatAt: at, builtAt: at, position: 12 });
    } finally {
      await readStore.close();
    }
    const store = new SqliteEventStore({ filename: join(app().dataDir, 'events.sqlite') });
    let latest: string;
    try {
      const held = (await store.readAll({ maxCount: 100_000 })).filter((event) => event.position <= cut);
      latest = new Date(Math.max(...held.map((event) => Date.parse(String(event.metadata['occurredAt'] ?? event.recordedAt))))).toISOString();
    } finally {
      await store.close();
    }
    const one = await app().request('GET', '/analytics/as-of/events-until', { role: 'analyst' });
    expect(one.body.generation).toMatchObject({ position: cut, eventsUntil: latest });
    const list = await app().request('GET', '/analytics/as-of', { role: 'auditor' });
    const listed = (name: string) => list.body.generations.find((entry: { name: string }) => entry.name === name);
    expect(listed('events-until')).toMatchObject({ position: cut, eventsUntil: latest });
    expect(listed('events-until-none')).toMatchObject({ eventsUntil: null });
    const csv = await app().request('GET', '/analytics/as-of?format=csv', { role: 'analyst' });
    const lines = String(csv.body).trim().split(/\r?\n/);
    const header = lines[0]!.replace(/^\uFEFF/, '').split(',');
    const row = lines.find((line) => line.startsWith('generation,events-until,'))!.split(',');
    expect(row[header.indexOf('eventsUntil')]).toBe(latest);
    expect((await app().request('GET', '/analytics/as-of/events-until-none', { role: 'analyst' })).body.generation).toMatchObject({ eventsUntil: null });
    for (const name of ['events-until', 'events-until-none']) expect((await app().request('DELETE', `/analytics/as-of/${name}`, { role: 'analyst' })).status).toBe(204);
  });

  it('refuses agents, lets supervisors and auditors only look, and refuses a departmental token', async () => {
    expect((await app().request('POST', '/analytics/as-of', { role: 'agent', body: { until: '2026-06-30' } })).status).toBe(403);
    expect((await app().request('POST', '/analytics/as-of', { role: 'supervisor', body: { until: '2026-06-30' } })).status).toBe(403);
    expect((await app().request('GET', '/analytics/as-of', { role: 'agent' })).status).toBe(403);
    expect((await app().request('GET', '/analytics/as-of', { role: 'auditor' })).status).toBe(200);
    expect((await app().request('GET', '/analytics/as-of/a..b', { role: 'auditor' })).status).toBe(400);
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'ops-sup', role: 'supervisor', departments: ['dandong-station'], reason: 'test' } });
    expect(issued.status).toBe(201);
    const departmental = await app().request('GET', '/analytics/as-of', { token: issued.body.token });
    expect(departmental.status).toBe(403);
    expect(departmental.body.detail).toMatch(/spans every department/);
  });

  it('keeps the half-built generation of a build in another pid namespace under this host name (another container): its pid means nothing here, its heartbeat tells', async () => {
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    try {
      const catalogue = await AsOfCatalogue.open(readStore);
      const now = new Date().toISOString();
      const otherSpace = processSpace() === '00000000' ? '00000001' : '00000000';
      await catalogue.put({ id: 'other-container', name: 'other-container', until: '2026-06-30', status: 'building', startedAt: now, heartbeatAt: now, builder: { host: hostname(), pid: 4_194_000, instance: 'there', space: otherSpace } });
      // The list sweeps what dead builders left (the next test): this one is not dropped.
      expect((await app().request('GET', '/analytics/as-of', { role: 'analyst' })).status).toBe(200);
      expect(await catalogue.get('other-container')).toMatchObject({ status: 'building' });
      await catalogue.remove('other-container');
    } finally {
      await readStore.close();
    }
  });

  it.each([
    ['no builder at all (null)', null],
    ['a builder that is no record (text)', 'vm:12:ab'],
    ['a builder whose pid is text', { host: hostname(), pid: '12', instance: 'edited' }],
  ])('lists and takes jobs when a building entry in the catalogue was edited by hand to hold %s: never a 500, its heartbeat tells', async (_, builder) => {
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    try {
      const catalogue = await AsOfCatalogue.open(readStore);
      const now = new Date().toISOString();
      await catalogue.put({ id: 'hand-edited', name: 'hand-edited', until: '2026-06-30', status: 'building', startedAt: now, heartbeatAt: now, builder } as unknown as Parameters<typeof catalogue.put>[0]);
      const listed = await app().request('GET', '/analytics/as-of', { role: 'analyst' });
      expect({ status: listed.status, problem: listed.status >= 300 ? listed.body : undefined }).toEqual({ status: 200, problem: undefined });
      // A heartbeat of now: the entry is kept until it goes silent, as one of another machine is.
      expect(await catalogue.get('hand-edited')).toMatchObject({ status: 'building' });
      await catalogue.remove('hand-edited');
    } finally {
      await readStore.close();
    }
  });

  it('drops the half-built generation of a process that is gone (a restart mid-build), instead of listing it', async () => {
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    try {
      const catalogue = await AsOfCatalogue.open(readStore);
      const now = new Date().toISOString();
      // A pid that no process has: the build's process is gone.
      await catalogue.put({ id: 'half-built', name: 'half-built', until: '2026-06-30', status: 'building', startedAt: now, heartbeatAt: now, builder: { host: hostname(), pid: 4_194_000, instance: 'gone' } });
      const projection = ALL_PROJECTIONS[0]!;
      await readStore.ensureCollections(projection.collections.map((spec) => ({ name: generationCollection(generationFor(projection, asOfPrefix('half-built')), spec.name) })));
      // Its tables are there, but its build is not done: not served (it was a 200 with part of the figures, a quick attacker's HIGH).
      const early = await app().request('GET', '/complaints?asOf=half-built', { role: 'analyst' });
      expect([early.status, early.body.code]).toEqual([404, 'as-of-not-found']);
      expect(early.body.detail).toMatch(/^The read model as of "half-built" is not built yet: .*GET \/analytics\/as-of\/half-built shows its progress/);

      const list = await app().request('GET', '/analytics/as-of', { role: 'analyst' });
      expect(list.body.generations.map((entry: { name: string }) => entry.name)).not.toContain('half-built');
      expect((await app().request('GET', '/complaints?asOf=half-built', { role: 'analyst' })).status).toBe(404);
      expect(await catalogue.get('half-built')).toBeUndefined();
    } finally {
      await readStore.close();
    }
  });
});

describe('what a killed builder leaves, on an instance nobody asks for the list', () => {
  jest.setTimeout(120_000);
  // A sweep every 200 ms here (every 10 s by default): the test waits for it, bounded.
  const app = useApp(undefined, { projections: 'in-process', ...QUIET_MONITORS, asOfSweepIntervalMs: 200 });

  /** A building entry, with a table, of a builder on this host whose process is gone (kill -9 of an instance or of `cli replay --into`). */
  async function leftByDeadBuilder(readStore: SqliteReadStore, name: string): Promise<void> {
    const now = new Date().toISOString();
    await (await AsOfCatalogue.open(readStore)).put({ id: name, name, until: '2026-06-30', status: 'building', startedAt: now, heartbeatAt: now, builder: { host: hostname(), pid: 4_194_000, instance: 'killed', space: processSpace() } });
    const projection = ALL_PROJECTIONS[0]!;
    await readStore.ensureCollections(projection.collections.map((spec) => ({ name: generationCollection(generationFor(projection, asOfPrefix(name)), spec.name) })));
  }

  // Only the list, a POST and the start swept: GET NAME said "running, being built by another process" for ever (an attacker's MEDIUM).
  it('drops it on the instance\'s own timer, without a list or a POST', async () => {
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    try {
      await leftByDeadBuilder(readStore, 'killed-builder');
      const catalogue = await AsOfCatalogue.open(readStore);
      const deadline = Date.now() + 10_000;
      while ((await catalogue.get('killed-builder')) !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await catalogue.get('killed-builder')).toBeUndefined();
      const projection = ALL_PROJECTIONS[0]!;
      const table = generationCollection(generationFor(projection, asOfPrefix('killed-builder')), projection.collections[0]!.name);
      expect(await readStore.missingCollections([table])).toEqual([table]);
    } finally {
      await readStore.close();
    }
  });

  // A 409 for a name being built said "DELETE … first", and that DELETE was a 409 as-of-built-elsewhere (an attacker's LOW).
  it('answers a POST of a name another live process builds 409 saying to wait for it, or to stop it where it runs, not to DELETE it here', async () => {
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    try {
      const now = new Date().toISOString();
      const catalogue = await AsOfCatalogue.open(readStore);
      await catalogue.put({ id: 'built-there', name: 'built-there', until: '2026-06-30', status: 'building', startedAt: now, heartbeatAt: now, builder: { host: 'desk-2', pid: 77, instance: 'there' } });
      const refused = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: '2026-06-30', name: 'built-there' } });
      expect([refused.status, refused.body.code]).toEqual([409, 'as-of-exists']);
      expect(refused.body.detail).toMatch(/"built-there" is being built by another process \(desk-2, pid 77\).*wait.*GET \/analytics\/as-of\/built-there.*DELETE \/analytics\/as-of\/built-there on the instance that builds it/);
      expect(refused.body.detail).not.toMatch(/DELETE \/analytics\/as-of\/built-there first/);
      // What it says of a DELETE here is true: refused here.
      expect((await app().request('DELETE', '/analytics/as-of/built-there', { role: 'analyst' })).body.code).toBe('as-of-built-elsewhere');
      await catalogue.remove('built-there');
    } finally {
      await readStore.close();
    }
  });
});

describe('GET /analytics/as-of/NAME of what a killed builder left, before any sweep', () => {
  jest.setTimeout(120_000);
  // A timer of an hour: only the GET itself can see that the builder is dead.
  const app = useApp(undefined, { projections: 'in-process', ...QUIET_MONITORS, asOfSweepIntervalMs: 3_600_000 });

  it('is a 404 at once: the builder is judged before the answer (it said "running, being built by another process" for ever)', async () => {
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    try {
      const now = new Date().toISOString();
      await (await AsOfCatalogue.open(readStore)).put({ id: 'killed-again', name: 'killed-again', until: '2026-06-30', status: 'building', startedAt: now, heartbeatAt: now, builder: { host: hostname(), pid: 4_194_000, instance: 'killed', space: processSpace() } });
      const shown = await app().request('GET', '/analytics/as-of/killed-again', { role: 'analyst' });
      expect([shown.status, shown.body.code, shown.body.note]).toEqual([404, 'as-of-not-found', undefined]);
      expect(await (await AsOfCatalogue.open(readStore)).get('killed-again')).toBeUndefined();
    } finally {
      await readStore.close();
    }
  });
});

describe('the progress of an as-of job that read several batches', () => {
  jest.setTimeout(120_000);
  const app = useApp(undefined, { projections: 'in-process', ...QUIET_MONITORS });

  it('shows every event it read once it has finished, not its last full batch (the thread reports at most every 100 ms)', async () => {
    // Events no read model keeps, in one append per stream: batches of 2,000 that the build passes quickly, and a last one of a single event.
    const store = app().get(EventStore);
    for (let chunk = 0; chunk < 9; chunk++) {
      const count = chunk === 8 ? 1 : 500;
      await store.append(`as-of-noise-${chunk}`, Array.from({ length: count }, (_, index) => ({
        eventId: randomUUID(), type: 'AsOfNoiseRecorded', data: { index }, metadata: { occurredAt: '2026-03-01T00:00:00.000Z' },
      })), { expectedRevision: 'no_stream' });
    }
    const head = await store.headPosition();
    expect((await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: String(head), name: 'all-batches' } })).status).toBe(202);
    const job = await finished(app(), '/analytics/as-of/all-batches');
    expect(job.status).toBe('done');
    expect(job.generation.events).toBeGreaterThanOrEqual(4_001);
    expect(job.progress).toMatchObject({ events: job.generation.events, applied: job.generation.applied, fraction: 1 });
    expect(job.progress.position).toBeGreaterThanOrEqual(head);
  });
});

describe('one as-of name asked of two instances on one data dir at once', () => {
  jest.setTimeout(120_000);
  const app = useApp(undefined, { projections: 'in-process', ...QUIET_MONITORS });

  it('builds it once: the other job fails naming the process that builds it, and the generation holds every event once (an attacker\'s finding: both were built, into the same collections, and overlapping the second recorded 0 events as done)', async () => {
    for (let index = 0; index < 3; index++) expect((await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).status).toBe(201);
    const other = await startApp(app().dataDir, { projections: 'external', ...QUIET_MONITORS });
    try {
      // Every event so far: now (a moment still to come is refused; this was 2099-12-31).
      const until = new Date().toISOString();
      const [one, two] = await Promise.all([app(), other].map((instance) => instance.request('POST', '/analytics/as-of', { role: 'analyst', body: { until, name: 'asked-twice' } })));
      const jobs = [];
      for (const [instance, started] of [[app(), one!], [other, two!]] as const) {
        // Refused at once (the name is taken) or taken and then failed: never two builds.
        if (started.status === 409) continue;
        expect(started.status).toBe(202);
        jobs.push(await finished(instance, '/analytics/as-of/asked-twice'));
      }
      expect(jobs.map((job) => job.status).sort()).toEqual(jobs.length === 1 ? ['done'] : ['done', 'failed']);
      const failed = jobs.find((job) => job.status === 'failed');
      if (failed) expect(failed.error).toMatch(/asked-twice.*another process/);
      for (const instance of [app(), other]) {
        const stats = await instance.request('GET', '/stats/complaints?by=cause&interval=year&asOf=asked-twice', { role: 'analyst' });
        expect(stats.status).toBe(200);
        expect(stats.body.totals.received).toBe(3);
      }
      const list = await app().request('GET', '/analytics/as-of', { role: 'analyst' });
      expect(list.body.generations.filter((entry: { name: string }) => entry.name === 'asked-twice')).toMatchObject([{ status: 'done' }]);

      // Deleted through one instance, it is gone on both: the other's finished job said "done" still, and asOf answered 404.
      expect((await other.request('DELETE', '/analytics/as-of/asked-twice', { role: 'analyst' })).status).toBe(204);
      for (const instance of [app(), other]) {
        const job = await instance.request('GET', '/analytics/as-of/asked-twice', { role: 'analyst' });
        expect([job.status, job.body.status]).not.toEqual([200, 'done']);
        expect((await instance.request('GET', '/stats/complaints?by=cause&interval=year&asOf=asked-twice', { role: 'analyst' })).status).toBe(404);
      }
    } finally {
      await other.stop();
    }
  });

  // Deleted and built again through the other instance, this one still showed its own old job as done, by name and in the
  // list, beside the other build's entry (a reviewer's LOW): a done job is shown only while the entry is its build's.
  it('shows the build that holds the name: a done job of this instance is forgotten once the name was built again elsewhere', async () => {
    expect((await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).status).toBe(201);
    const other = await startApp(app().dataDir, { projections: 'external', ...QUIET_MONITORS });
    try {
      // Now, not 2099-12-31: a moment still to come is refused.
      const until = new Date().toISOString();
      expect((await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until, name: 'built-again' } })).status).toBe(202);
      const first = await finished(app(), '/analytics/as-of/built-again');
      expect(first.status).toBe('done');
      expect((await other.request('DELETE', '/analytics/as-of/built-again', { role: 'analyst' })).status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await other.request('POST', '/analytics/as-of', { role: 'analyst', body: { until, name: 'built-again' } })).status).toBe(202);
      const second = await finished(other, '/analytics/as-of/built-again');
      expect(second.status).toBe('done');
      expect(second.startedAt).not.toBe(first.startedAt);
      const shown = await app().request('GET', '/analytics/as-of/built-again', { role: 'analyst' });
      expect([shown.status, shown.body.status]).toEqual([200, 'done']);
      expect(shown.body.startedAt).not.toBe(first.startedAt);
      expect(Date.parse(shown.body.startedAt)).toBeGreaterThanOrEqual(Date.parse(second.startedAt));
      const list = await app().request('GET', '/analytics/as-of', { role: 'analyst' });
      expect(list.body.jobs.filter((job: { name: string; status: string }) => job.name === 'built-again' && job.status === 'done')
        .map((job: { startedAt: string }) => job.startedAt)).not.toContain(first.startedAt);
      // The instance whose build holds the name still lists its done job.
      const own = await other.request('GET', '/analytics/as-of', { role: 'analyst' });
      expect(own.body.jobs.filter((job: { name: string; status: string }) => job.name === 'built-again' && job.status === 'done')
        .map((job: { startedAt: string }) => job.startedAt)).toEqual([second.startedAt]);
    } finally {
      await other.stop();
    }
  });
});
