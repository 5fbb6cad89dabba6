import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Page } from '@app/read-store';

/** What a CSV cell is made of; null and undefined are an empty cell. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * One column of an export: its header, and the cell of a row. Without `cell`, the header is the
 * dotted path of the value in the JSON row (`timeToFirstReplyHours.p50`), so the CSV and the JSON
 * name a figure the same way.
 */
export interface CsvColumn<Row> {
  readonly header: string;
  readonly cell?: (row: Row) => CsvCell;
}

/** A JSON value as one cell: arrays joined with `;`, missing and null values empty. */
export function cellOf(value: unknown): CsvCell {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => (item === null || item === undefined ? '' : typeof item === 'object' ? JSON.stringify(item) : String(item))).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return value as CsvCell;
}

/** The value at a dotted path of a row (own keys only), as one cell. */
export function cellAt(row: unknown, path: string): CsvCell {
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return cellOf(value);
}

/** A row as the cells of its columns, in their order. */
export function cellsOf<Row>(row: Row, columns: ReadonlyArray<CsvColumn<Row>>): CsvCell[] {
  return columns.map((column) => (column.cell ? column.cell(row) : cellAt(row, column.header)));
}

/** Columns named by dotted paths, in this order. */
export const pathColumns = <Row>(...paths: string[]): Array<CsvColumn<Row>> => paths.map((header) => ({ header }));

/** Rows of a paged query fetched per CSV export: as large as a store page reasonably gets. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * Every row of a paged query, page after page through its cursor, from `cursor` on and at most
 * `limit` rows in all. The first page is read before this returns, so that a bad cursor or an
 * unknown `asOf` is still an error answer; the others are read as the CSV is written (a slow
 * client slows the reads, and memory holds one page).
 */
export async function everyRow<Row>(
  fetchPage: (page: { limit: number; cursor?: string }) => Promise<Page<Row>>,
  options: { limit?: number; cursor?: string },
): Promise<AsyncIterable<Row>> {
  const wanted = options.limit ?? Number.POSITIVE_INFINITY;
  const size = (remaining: number) => Math.min(EXPORT_PAGE_SIZE, remaining);
  const first = await fetchPage({ limit: size(wanted), ...(options.cursor === undefined ? {} : { cursor: options.cursor }) });
  return (async function* rows() {
    let page = first;
    let remaining = wanted;
    for (;;) {
      for (const item of page.items.slice(0, remaining)) yield item;
      remaining -= Math.min(page.items.length, remaining);
      if (remaining <= 0 || !page.nextCursor) return;
      page = await fetchPage({ limit: size(remaining), cursor: page.nextCursor });
    }
  })();
}

/**
 * An RFC 4180 CSV of the rows: a header row, CRLF line ends, fields quoted where they must be,
 * `true`/`false` for booleans, and (with `bom`) a UTF-8 byte-order mark, which Excel needs to read
 * Chinese text as UTF-8. A text cell that starts with = + - @ or a tab, also behind blanks or a line
 * break, gets a leading `'`, so that a spreadsheet shows it instead of running it as a formula (CSV injection: a customer's name is
 * the customer's input). The stream pulls rows only as fast as it is read; if reading the rows
 * fails midway, it fails too, and the HTTP answer is cut off instead of ending as if complete.
 */
/** Blanks (ASCII, no-break and ideographic spaces, tabs, line breaks) and then a character that starts a formula, half- or full-width. */
const FORMULA_BEHIND_BLANKS = /^[\s\u00a0\u3000]+[=+\-@\uff1d\uff0b\uff0d\uff20]/;

export function csvStream<Row>(columns: ReadonlyArray<CsvColumn<Row>>, rows: AsyncIterable<Row> | Iterable<Row>, options: { bom: boolean }): Readable {
  const stringifier = stringify({
    header: true,
    columns: columns.map((column) => column.header),
    bom: options.bom,
    record_delimiter: 'windows',
    // With CRLF records the library quotes only a cell holding the whole CRLF; a lone CR or LF would end the row.
    quoted_match: /[\r\n]/,
    escape_formulas: true,
    // The library escapes a cell that starts with a formula character; a formula behind blanks or a line break is
    // escaped here too, since some spreadsheets trim a cell before they evaluate it.
    cast: { boolean: (value) => (value ? 'true' : 'false'), string: (value) => (FORMULA_BEHIND_BLANKS.test(value) ? `'${value}` : value) },
  });
  const records = Readable.from((async function* records() {
    for await (const row of rows) yield cellsOf(row, columns);
  })());
  // pipeline: an error on either side destroys both, and a client hanging up stops the reads.
  return pipeline(records, stringifier, () => undefined);
}
