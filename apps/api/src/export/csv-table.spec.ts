import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import type { Page } from '@app/read-store';
import { cellAt, cellsOf, csvStream, everyRow, EXPORT_PAGE_SIZE, pathColumns, type CsvColumn } from './csv-table';

const collect = async <T>(rows: AsyncIterable<T>) => {
  const seen: T[] = [];
  for await (const row of rows) seen.push(row);
  return seen;
};

describe('cells', () => {
  const row = { id: 'c-1', count: 3, done: false, none: null, tags: ['a', 'b'], nested: { hours: { p50: 1.5 } }, labels: { 'zh-CN': '忠诚客户' } };

  it('reads a dotted path; arrays are joined with ;, missing and null values are empty', () => {
    expect(cellsOf(row, pathColumns('id', 'count', 'done', 'none', 'tags', 'nested.hours.p50', 'labels.zh-CN', 'absent', 'nested.absent.deeper')))
      .toEqual(['c-1', 3, false, null, 'a;b', 1.5, '忠诚客户', null, null]);
  });

  it('never reads inherited keys', () => {
    expect(cellAt(row, 'constructor')).toBeNull();
    expect(cellAt(row, 'id.length')).toBeNull();
    expect(cellAt(row, 'nested.toString')).toBeNull();
    expect(cellAt(row, '__proto__')).toBeNull();
  });

  it('takes a column\'s own cell function when it has one', () => {
    const columns: Array<CsvColumn<typeof row>> = [{ header: 'id' }, { header: 'twice', cell: (r) => r.count * 2 }];
    expect(cellsOf(row, columns)).toEqual(['c-1', 6]);
  });
});

describe('everyRow', () => {
  /** A paged source of n rows, counting the pages it was asked for. */
  function source(n: number) {
    const calls: Array<{ limit: number; cursor?: string }> = [];
    const fetchPage = async (page: { limit: number; cursor?: string }): Promise<Page<number>> => {
      calls.push(page);
      const start = page.cursor === undefined ? 0 : Number(page.cursor);
      const items = Array.from({ length: Math.max(0, Math.min(page.limit, n - start)) }, (_, index) => start + index);
      return { items, nextCursor: start + items.length < n ? String(start + items.length) : null };
    };
    return { fetchPage, calls };
  }

  it('walks every page through the cursor', async () => {
    const { fetchPage, calls } = source(EXPORT_PAGE_SIZE * 2 + 3);
    const rows = await collect(await everyRow(fetchPage, {}));
    expect(rows).toEqual(Array.from({ length: EXPORT_PAGE_SIZE * 2 + 3 }, (_, index) => index));
    expect(calls).toHaveLength(3);
  });

  it('reads the first page at once and the next ones only as rows are taken', async () => {
    const { fetchPage, calls } = source(EXPORT_PAGE_SIZE + 1);
    const rows = (await everyRow(fetchPage, {}))[Symbol.asyncIterator]();
    expect(calls).toHaveLength(1);
    for (let index = 0; index < EXPORT_PAGE_SIZE; index += 1) await rows.next();
    expect(calls).toHaveLength(1);
    expect(await rows.next()).toEqual({ done: false, value: EXPORT_PAGE_SIZE });
    expect(calls).toHaveLength(2);
  });

  it('stops at the limit, asking for no more rows than it needs', async () => {
    const { fetchPage, calls } = source(2000);
    expect(await collect(await everyRow(fetchPage, { limit: 7 }))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(calls).toEqual([{ limit: 7 }]);
    const long = source(2000);
    expect(await collect(await everyRow(long.fetchPage, { limit: EXPORT_PAGE_SIZE + 2 }))).toHaveLength(EXPORT_PAGE_SIZE + 2);
    expect(long.calls.map((call) => call.limit)).toEqual([EXPORT_PAGE_SIZE, 2]);
  });

  it('starts from the cursor given', async () => {
    const { fetchPage } = source(10);
    expect(await collect(await everyRow(fetchPage, { cursor: '8' }))).toEqual([8, 9]);
  });

  it('lets the first page\'s error out before any row is written', async () => {
    await expect(everyRow(async () => {
      throw new Error('no such generation');
    }, {})).rejects.toThrow('no such generation');
  });
});

describe('csvStream', () => {
  const columns = pathColumns<Record<string, unknown>>('name', 'note', 'ok', 'n');

  it('writes RFC 4180: a header row, CRLF, quotes where a field needs them', async () => {
    const csv = await text(csvStream(columns, [{ name: '王先生', note: 'says "40 L", got 35', ok: true, n: 1.5 }, { name: 'a\r\nb', note: null, ok: false, n: 0 }], { bom: false }));
    expect(csv).toBe('name,note,ok,n\r\n王先生,"says ""40 L"", got 35",true,1.5\r\n"a\r\nb",,false,0\r\n');
    expect(parse(csv)).toEqual([['name', 'note', 'ok', 'n'], ['王先生', 'says "40 L", got 35', 'true', '1.5'], ['a\r\nb', '', 'false', '0']]);
  });

  it('starts with a UTF-8 byte-order mark only when asked', async () => {
    // stream/consumers' text() would drop the mark: look at the bytes.
    const bytes = (bom: boolean) => buffer(csvStream(columns, [{ name: '王' }], { bom }));
    expect([...(await bytes(true)).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((await bytes(false)).subarray(0, 4).toString()).toBe('name');
  });

  it('writes only the header row for no rows', async () => {
    expect(await text(csvStream(columns, [], { bom: false }))).toBe('name,note,ok,n\r\n');
  });

  it('keeps a text cell from running as a spreadsheet formula, and leaves numbers alone', async () => {
    const csv = await text(csvStream(columns, [{ name: '=HYPERLINK("http://x")', note: '+1', ok: '@SUM(A1)', n: -3 }], { bom: false }));
    expect(parse(csv)[1]).toEqual(['\'=HYPERLINK("http://x")', '\'+1', '\'@SUM(A1)', '-3']);
  });

  it('also escapes a formula behind leading blanks or a line break, which some spreadsheets trim before they evaluate', async () => {
    const csv = await text(csvStream(columns, [{ name: ' =1+1', note: '\n=2', ok: '\u3000@SUM(A1)', n: 7 }, { name: 'plain text', note: ' spaced', ok: 'a=b' }], { bom: false }));
    expect(parse(csv)[1]).toEqual(["' =1+1", "'\n=2", "'\u3000@SUM(A1)", '7']);
    expect(parse(csv)[2]).toEqual(['plain text', ' spaced', 'a=b', '']);
    // A lone line break is quoted: unquoted, it would end the row and start the next with the formula.
    expect(csv.split('\r\n')[1]).toBe(`' =1+1,"'\n=2",'\u3000@SUM(A1),7`);
    expect(csv.split('\r\n')).toHaveLength(4);
  });

  it('fails instead of ending as if complete when a later page cannot be read', async () => {
    const rows = (async function* failing() {
      yield { name: 'first' };
      throw new Error('store went away');
    })();
    await expect(text(csvStream(columns, rows, { bom: false }))).rejects.toThrow('store went away');
  });

  it('stops reading rows when the reader goes away', async () => {
    let taken = 0;
    let finished = false;
    const rows = (async function* endless() {
      try {
        for (;;) {
          taken += 1;
          yield { name: `row ${taken}` };
        }
      } finally {
        finished = true;
      }
    })();
    const stream = csvStream(columns, rows, { bom: false });
    await new Promise((resolve) => stream.once('data', resolve));
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = taken;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished).toBe(true);
    expect(taken).toBe(after);
    expect(stream).toBeInstanceOf(Readable);
  });
});
