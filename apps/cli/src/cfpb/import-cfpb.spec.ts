import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { ALL_PROJECTIONS, ReadModelReader, SlaQuery } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { verifyAll } from '../commands';
import { customerFileOfCfpb } from './cfpb-history';
import { importCfpb } from './import-cfpb';

const SAMPLE = resolve(__dirname, '../../../../datasets/cfpb/cfpb-fullschema-sample-2019.csv.gz');
const DAY_MS = 86_400_000;

describe('import-cfpb on the full-schema sample (6,623 real complaints)', () => {
  let store: SqliteEventStore;
  let report: Awaited<ReturnType<typeof importCfpb>>;

  beforeAll(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    report = await importCfpb(store, SAMPLE, { customerKey: 'complaint' });
  }, 60_000);
  afterAll(() => store.close());

  it('imports every row, with the file\'s own counts by channel', () => {
    expect(report).toMatchObject({ rows: 6623, imported: 6623, alreadyPresent: 0, badRows: [], conflicting: [] });
    expect(report.byChannel).toEqual({ web: 5143, referral: 627, phone: 482, 'postal-mail': 267, fax: 102, email: 2 });
    expect(report.timely).toEqual({ yes: 6529, no: 94, notStated: 0 });
    expect(report.unmapped.issue).toEqual({ Other: 1 });
  });

  it('opens a customer file for each customer, with its first complaint, as intake over HTTP does', async () => {
    // --customer-key complaint: every complaint is its own customer.
    expect(report.customerFiles).toEqual({ opened: 6623, alreadyPresent: 0, existing: 0 });
    const files = (await store.readAll()).filter((event) => event.stream.startsWith('customer-'));
    expect(files).toHaveLength(6623);
    expect(new Set(files.map((event) => event.type))).toEqual(new Set(['CustomerFileOpened']));
    const first = files[0]!;
    expect(first.metadata).toMatchObject({ actor: { id: 'system:cfpb-import', role: 'system' }, commandType: 'OpenCustomerFileAtIntake' });
    expect(first.data).toMatchObject({ category: 'floating' });
  });

  it('writes hash chains that verify', async () => {
    const verdict = await verifyAll(store, {});
    // Each complaint's stream and each customer's file.
    expect(verdict).toMatchObject({ ok: true, streams: 6623 + report.customerFiles.opened, events: report.events + report.customerFiles.opened });
  }, 60_000);

  it('writes nothing when the same file is imported again', async () => {
    const head = await store.headPosition();
    const again = await importCfpb(store, SAMPLE, { customerKey: 'complaint' });
    expect(again).toMatchObject({ rows: 6623, imported: 0, alreadyPresent: 6623, events: 0, customerFiles: { opened: 0, alreadyPresent: 6623, existing: 0 } });
    expect(await store.headPosition()).toBe(head);
  }, 60_000);

  it('agrees with "Timely response?" on the company-response (answer) clock, and the difference is exactly the rows the file explains', async () => {
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    const runner = new ProjectionRunner(store, readStore, ALL_PROJECTIONS);
    await runner.start();
    await runner.caughtUp();
    await runner.stop();
    const compliance = await new SlaQuery(new ReadModelReader(readStore, ALL_PROJECTIONS)).compliance('clock');
    const answer = compliance.find((row) => row.value === 'answer')!;

    // The same facts, read straight from the file.
    const rows = parse(gunzipSync(readFileSync(SAMPLE)), { columns: true }) as Array<Record<string, string>>;
    const lagDays = (row: Record<string, string>) => (Date.parse(row['Date sent to company']!) - Date.parse(row['Date received']!)) / DAY_MS;
    const closed = rows.filter((row) => row['Company response to consumer']!.startsWith('Closed'));
    const timelyYes = rows.filter((row) => row['Timely response?'] === 'Yes');
    const inProgress = rows.filter((row) => row['Company response to consumer'] === 'In progress');
    const untimely = rows.filter((row) => row['Company response to consumer'] === 'Untimely response');
    // CFPB's 15 days start when the company gets the complaint; ours when the complaint is received.
    const sentLate = closed.filter((row) => row['Timely response?'] === 'Yes' && lagDays(row) > 15);
    const closedLate = closed.filter((row) => row['Timely response?'] === 'No');

    expect(timelyYes).toHaveLength(6529);
    expect(answer.met).toBe(timelyYes.length - sentLate.length - inProgress.filter((row) => row['Timely response?'] === 'Yes').length);
    expect(answer.breached).toBe(closedLate.length + sentLate.length + untimely.length);
    // Still running: "In progress" rows; the SLA monitor records them once a server runs.
    expect(answer.met + answer.breached + inProgress.length).toBe(6623);
    expect(sentLate.length).toBeGreaterThan(0);
    await readStore.close();
  }, 120_000);
});

describe('import-cfpb on a file with broken rows', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cfpb-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('imports the good rows, reports each bad one by its line, and writes nothing of them', async () => {
    const header = 'Date received,Product,Issue,Consumer complaint narrative,Company,State,ZIP code,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID';
    const file = join(directory, 'broken.csv');
    writeFileSync(file, [
      header,
      '2019-05-01,Mortgage,Struggling to pay mortgage,"A narrative over\ntwo lines, with ""quotes""",BANK,CA,940XX,Web,2019-05-02,Closed with explanation,Yes,N/A,1001',
      '2019-13-01,Mortgage,Struggling to pay mortgage,,BANK,CA,940XX,Web,2019-05-02,Closed with explanation,Yes,N/A,1002',
      '2019-05-01,Mortgage,Struggling to pay mortgage,,BANK,CA,940XX,Web,2019-05-02,Closed with explanation,Yes,N/A,',
      '2019-05-03,Debt collection,Written notification about debt,,BANK,TX,750XX,Phone,2019-05-03,In progress,Yes,N/A,1004',
      '2019-05-03,Debt collection,Written notification about debt,,BANK,TX,750XX,Phone,2019-05-03,In progress,Yes,N/A,1004',
      '',
    ].join('\n'));
    const store = new SqliteEventStore({ filename: ':memory:' });
    const report = await importCfpb(store, file, { customerKey: 'complaint' });
    expect(report).toMatchObject({ rows: 5, imported: 2 });
    expect(report.badRows).toEqual([
      { line: 4, problem: 'Date received is not a date: "2019-13-01"' },
      { line: 5, problem: 'no Complaint ID' },
      { line: 7, problem: 'Complaint ID 1004 again (first on line 6)' },
    ]);
    const streams = new Set((await store.readAll()).map((event) => event.stream));
    expect([...streams].filter((stream) => stream.startsWith('complaint-'))).toHaveLength(2);
    expect([...streams].filter((stream) => stream.startsWith('customer-')).sort()).toEqual(['customer-cfpb-1001', 'customer-cfpb-1004']);
    expect(streams.size).toBe(4);
    await store.close();
  });

  it('opens one file per customer under --customer-key, and leaves a file opened before (over HTTP) as it was', async () => {
    const header = 'Date received,Product,Issue,Consumer complaint narrative,Company,State,ZIP code,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID';
    const file = join(directory, 'states.csv');
    writeFileSync(file, [
      header,
      '2019-05-01,Mortgage,Struggling to pay mortgage,,BANK,CA,940XX,Web,2019-05-02,Closed with explanation,Yes,N/A,2001',
      '2019-05-03,Mortgage,Struggling to pay mortgage,,BANK,CA,941XX,Web,2019-05-04,Closed with explanation,Yes,N/A,2002',
      '2019-05-03,Debt collection,Written notification about debt,,BANK,TX,750XX,Phone,2019-05-03,In progress,Yes,N/A,2003',
      '',
    ].join('\n'));
    const store = new SqliteEventStore({ filename: ':memory:' });
    // Texas has a file already, opened some other way (here: by an import keyed differently, with other ids).
    const other = customerFileOfCfpb({ customerId: 'state-TX', complaintId: 'not-from-this-file', receivedAt: '2019-01-01T00:00:00.000Z' });
    await store.append(other.stream, other.events, { expectedRevision: 'no_stream' });

    const report = await importCfpb(store, file, { customerKey: 'state' });
    expect(report).toMatchObject({ rows: 3, imported: 3, customerFiles: { opened: 1, alreadyPresent: 0, existing: 1 } });
    const california = await store.readStream('customer-state-CA');
    expect(california.map((event) => event.type)).toEqual(['CustomerFileOpened']);
    // Opened with the first complaint of the import, at its receipt.
    expect(california[0]!.metadata).toMatchObject({ occurredAt: '2019-05-01T00:00:00.000Z' });
    expect(await store.readStream('customer-state-TX')).toHaveLength(1);
    await store.close();
  });

  it('writes a complaint and the file it opens in one atomic append: a store that fails on the file writes neither', async () => {
    const header = 'Date received,Product,Issue,Consumer complaint narrative,Company,State,ZIP code,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID';
    const file = join(directory, 'one.csv');
    writeFileSync(file, [header, '2019-05-01,Mortgage,Struggling to pay mortgage,,BANK,CA,940XX,Web,2019-05-02,Closed with explanation,Yes,N/A,3001', ''].join('\n'));
    const store = new SqliteEventStore({ filename: ':memory:' });
    // As a crash or a full disk at the file's write: any append that touches the customer's file fails.
    const diskFull = new Error('disk full');
    const touchesFile = (streams: readonly string[]) => streams.some((stream) => stream.startsWith('customer-'));
    const [append, appendToStreams] = [store.append.bind(store), store.appendToStreams.bind(store)];
    jest.spyOn(store, 'append').mockImplementation((stream, ...rest) => (touchesFile([stream]) ? Promise.reject(diskFull) : append(stream, ...rest)));
    jest.spyOn(store, 'appendToStreams').mockImplementation((appends) => (touchesFile(appends.map((each) => each.stream)) ? Promise.reject(diskFull) : appendToStreams(appends)));
    await expect(importCfpb(store, file, { customerKey: 'complaint' })).rejects.toThrow('disk full');
    expect(await store.headPosition()).toBe(0);
    jest.restoreAllMocks();
    // Imported again, both are written, together.
    const together = jest.spyOn(store, 'appendToStreams');
    await expect(importCfpb(store, file, { customerKey: 'complaint' })).resolves.toMatchObject({ imported: 1, customerFiles: { opened: 1 } });
    expect(together.mock.calls.map(([appends]) => appends.map((each) => each.stream))).toEqual([[expect.stringMatching(/^complaint-/), 'customer-cfpb-3001']]);
    await store.close();
  });

  it('refuses a file that is no CFPB extract, writing nothing', async () => {
    const file = join(directory, 'other.csv');
    writeFileSync(file, 'id,name\n1,x\n');
    const store = new SqliteEventStore({ filename: ':memory:' });
    await expect(importCfpb(store, file, { customerKey: 'complaint' })).rejects.toThrow(/Complaint ID/);
    await expect(importCfpb(store, join(directory, 'missing.csv'), { customerKey: 'complaint' })).rejects.toThrow(/no such file/);
    expect(await store.headPosition()).toBe(0);
    await store.close();
  });

  it('says that its rows could not be read as CSV, rather than that it has none, when every row is broken', async () => {
    const file = join(directory, 'broken.csv');
    writeFileSync(file, 'Date received,Product,Issue,Company,State,ZIP code,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID\n"2019-05-01,Mortgage,unterminated quote\n');
    const store = new SqliteEventStore({ filename: ':memory:' });
    await expect(importCfpb(store, file, { customerKey: 'complaint' })).rejects.toThrow(/no row could be read as CSV: 1 broken record \(the first at line 2: /);
    expect(await store.headPosition()).toBe(0);
    await store.close();
  });
});
