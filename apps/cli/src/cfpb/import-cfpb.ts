import { createReadStream, existsSync, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type Options, type Parser } from 'csv-parse';
import { executeParts, type AppendPart, type Prepared } from '@app/complaints';
import type { Channel } from '@app/domain';
import { readStreamOrEmpty, type EventStore, type EventToAppend } from '@app/event-store';
import { customerFileOfCfpb, historyOfCfpbRow, type CfpbHistoryOptions } from './cfpb-history';
import { rowOf, schemaOf, type CfpbSchema } from './cfpb-row';

export class CfpbImportError extends Error {}

export interface BadRow {
  /** Line of the file where the row starts (the header is line 1). */
  readonly line: number;
  readonly problem: string;
}

export interface CfpbImportReport {
  readonly file: string;
  readonly rows: number;
  /** Complaints written by this import. */
  readonly imported: number;
  /** Complaints whose events were already stored, identical (an earlier import of the same rows). */
  readonly alreadyPresent: number;
  /** Complaints already stored with other facts (a newer extract of the same complaint): left as they were. */
  readonly conflicting: ReadonlyArray<{ readonly complaintId: string; readonly line: number }>;
  readonly events: number;
  /**
   * Customer files (客户档案): one per customer of the import (--customer-key), opened with its first
   * complaint as intake over HTTP opens one; files found stored (an earlier import) and files that
   * existed with other facts (opened over HTTP first) are left as they are.
   */
  readonly customerFiles: { readonly opened: number; readonly alreadyPresent: number; readonly existing: number };
  readonly badRows: readonly BadRow[];
  readonly byChannel: Partial<Record<Channel, number>>;
  readonly outcomes: { resolved: number; open: number; untimely: number };
  readonly timely: { yes: number; no: number; notStated: number };
  readonly disputes: { recorded: number; withoutResolution: number };
  /** Values no mapping rule covers, by column, with how many rows had them (they map to "other"). */
  readonly unmapped: { readonly channel: Record<string, number>; readonly issue: Record<string, number>; readonly product: Record<string, number>; readonly response: Record<string, number> };
  readonly seconds: number;
}

export interface CfpbImportOptions extends CfpbHistoryOptions {
  /** Called with the bytes of the file read so far. */
  readonly onProgress?: (bytesRead: number, rows: number) => void;
  /** Appends in flight at once: the store commits them together. */
  readonly concurrency?: number;
  /** Stop after this many rows (a first look at a large file). */
  readonly limit?: number;
}

const count = (table: Record<string, number>, key: string) => {
  table[key] = (table[key] ?? 0) + 1;
};

/**
 * Streams a CFPB extract (CSV, gzip or not) and appends each complaint's history through the
 * event store port, one append per complaint with expected revision "no stream" — with its new
 * customer's file, when the row opens one, in the same atomic append (executeParts, as intake
 * does): all of a complaint and its file or nothing, and a second import of the same rows finds
 * every event stored already.
 */
export async function importCfpb(store: EventStore, file: string, options: CfpbImportOptions): Promise<CfpbImportReport> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new CfpbImportError(`no such file: ${file}`);
  const started = Date.now();
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytesRead += chunk.length;
      callback(null, chunk);
    },
  });
  const badRows: BadRow[] = [];
  const parser = await csvOf(file, {
    columns: true, info: true, raw: true, skip_records_with_error: true,
    on_skip: (error) => {
      if (error) badRows.push({ line: Number((error as { lines?: unknown }).lines ?? 0), problem: `not a CSV record: ${error.message}` });
    },
  }, counter);

  const report = {
    file, rows: 0, imported: 0, alreadyPresent: 0, conflicting: [] as Array<{ complaintId: string; line: number }>, events: 0,
    customerFiles: { opened: 0, alreadyPresent: 0, existing: 0 }, badRows,
    byChannel: {} as Partial<Record<Channel, number>>, outcomes: { resolved: 0, open: 0, untimely: 0 }, timely: { yes: 0, no: 0, notStated: 0 },
    disputes: { recorded: 0, withoutResolution: 0 },
    unmapped: { channel: {} as Record<string, number>, issue: {} as Record<string, number>, product: {} as Record<string, number>, response: {} as Record<string, number> },
    seconds: 0,
  };
  let schema: CfpbSchema | undefined;
  const inFlight = new Set<Promise<void>>();
  const limit = options.concurrency ?? 64;
  let failure: unknown;
  // Events found already stored have positions at or below the head the import started from.
  const startHead = await store.headPosition();
  const seen = new Map<string, number>();
  const customers = new Set<string>();

  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{ record: Record<string, string>; raw: string; info: { lines: number; columns: Array<{ name: string }> | boolean } }>) {
      if (failure !== undefined || report.rows === options.limit) break;
      if (schema === undefined) {
        const header = Array.isArray(info.columns) ? info.columns.map((column) => column.name) : Object.keys(record);
        const found = schemaOf(header);
        if (typeof found === 'string') throw new CfpbImportError(`${file}: ${found}`);
        schema = found;
      }
      report.rows += 1;
      const line = info.lines - newlinesIn(raw.replace(/\r?\n$/, ''));
      const row = rowOf(record, schema);
      if ('problem' in row) {
        report.badRows.push({ line, problem: row.problem });
        continue;
      }
      const first = seen.get(row.complaintId);
      if (first !== undefined) {
        report.badRows.push({ line, problem: `Complaint ID ${row.complaintId} again (first on line ${first})` });
        continue;
      }
      seen.set(row.complaintId, line);
      let history;
      try {
        history = historyOfCfpbRow(row, options);
      } catch (error) {
        report.badRows.push({ line, problem: error instanceof Error ? error.message : String(error) });
        continue;
      }
      const { notes } = history;
      count(report.byChannel as Record<string, number>, notes.channel);
      report.outcomes[notes.outcome] += 1;
      if (row.timely === 'Yes') report.timely.yes += 1;
      else if (row.timely === 'No') report.timely.no += 1;
      else report.timely.notStated += 1;
      if (notes.disputeRecorded) report.disputes.recorded += 1;
      if (notes.disputeWithoutResolution) report.disputes.withoutResolution += 1;
      if (notes.unmappedChannel !== null) count(report.unmapped.channel, notes.unmappedChannel);
      if (notes.unmappedIssue !== null) count(report.unmapped.issue, notes.unmappedIssue);
      if (notes.unmappedProduct !== null) count(report.unmapped.product, notes.unmappedProduct);
      if (notes.unknownResponse !== null) count(report.unmapped.response, notes.unknownResponse);

      const parts = [importedPart(store, 'complaint', history.stream, history.events)];
      // A customer's file is opened with its first complaint of the import.
      const customerFile = customers.has(history.customerId) ? undefined : customerFileOfCfpb(history);
      customers.add(history.customerId);
      if (customerFile) parts.push(importedPart(store, 'customer file', customerFile.stream, customerFile.events));
      const append = executeParts(store, parts).then(
        ([complaint = null, opened = null]) => {
          // An append that found its events stored returns their old position, at or below the head it started from; null: stored with other facts.
          if (complaint === null) report.conflicting.push({ complaintId: row.complaintId, line });
          else if (complaint.position > startHead) {
            report.imported += 1;
            report.events += history.events.length;
          } else report.alreadyPresent += 1;
          if (!customerFile) return;
          if (opened === null) report.customerFiles.existing += 1;
          else if (opened.position > startHead) report.customerFiles.opened += 1;
          else report.customerFiles.alreadyPresent += 1;
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      const tracked = append.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= limit) await Promise.race(inFlight);
      options.onProgress?.(bytesRead, report.rows);
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure !== undefined) throw failure;
  if (schema === undefined && badRows.length > 0) {
    // Rows there were, none of them readable (an unclosed quote takes the rest of the file into one field): not "no rows".
    const [first] = badRows;
    throw new CfpbImportError(`${file}: no row could be read as CSV: ${badRows.length} broken record${badRows.length === 1 ? '' : 's'} (the first at line ${first!.line}: ${first!.problem}); check the quoting of the file`);
  }
  if (schema === undefined) throw new CfpbImportError(`${file}: no rows (an empty file, or only a header)`);
  options.onProgress?.(bytesRead, report.rows);
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/**
 * A row's events on one stream as a part of its atomic append: appended as they are, with expected
 * revision "no stream". Only after a conflict (some stream of the append exists) is the stream
 * read: absent, it is appended again; holding these events (an earlier import of the row) it
 * answers their position; holding others (a newer extract of the complaint, a file opened over
 * HTTP) it is left out (null), as it is, and the other parts are still appended.
 */
function importedPart(store: EventStore, kind: string, stream: string, events: EventToAppend[]): AppendPart {
  const append: Prepared = { id: stream, stream, events, expectedRevision: 'no_stream', pinnedAt: undefined };
  let attempts = 0;
  return {
    key: `${kind}:${stream}`, id: stream, kind,
    // The import writes each stream once, from one row: nothing in this process to take turns with.
    inTurn: (work) => work(),
    prepare: async () => {
      attempts += 1;
      if (attempts === 1) return append;
      const stored = await readStreamOrEmpty(store, stream);
      const last = stored[stored.length - 1];
      if (!last) return append;
      return { id: stream, answered: stored[0]!.eventId === events[0]!.eventId ? { id: stream, revision: last.revision, position: last.position } : null };
    },
  };
}

/** How both the header's check and the import read a file: a BOM dropped, blank lines skipped, rows of any width. */
const CFPB_CSV: Options = { bom: true, relax_column_count: true, skip_empty_lines: true };

/** A parser of the file (gzip or not) with CFPB_CSV and `options`; a failure to read the file ends it with a CfpbImportError. */
async function csvOf(file: string, options: Options, counter?: Transform): Promise<Parser> {
  const parser = parse({ ...CFPB_CSV, ...options });
  const fail = (error: Error) => parser.destroy(new CfpbImportError(`${file}: ${error.message}`));
  const gzipped = await startsWithGzipMagic(file);
  const source = createReadStream(file).on('error', fail);
  const read: Readable = counter === undefined ? source : source.pipe(counter);
  (gzipped ? read.pipe(createGunzip()).on('error', fail) : read).pipe(parser);
  return parser;
}

/**
 * Refuses a file that is no CFPB extract (no record but its header, or a header without the columns the import needs)
 * from its first two records, before the data directory, the store and the seal key are made: the import's own checks
 * answer the same words later, once the store is open, and a file refused here leaves nothing behind.
 */
export async function checkCfpbHeader(file: string): Promise<void> {
  const parser = await csvOf(file, { to: 2 });
  const records: string[][] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) records.push(record);
  } catch (error) {
    if (error instanceof CfpbImportError) throw error;
    return; // records that are no CSV: the import tells which, as it reads them
  }
  const [header] = records;
  if (header !== undefined) {
    const found = schemaOf(header);
    if (typeof found === 'string') throw new CfpbImportError(`${file}: ${found}`);
  }
  if (records.length < 2) throw new CfpbImportError(`${file}: no rows (an empty file, or only a header)`);
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const stream = createReadStream(file, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const head = Buffer.concat(chunks);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Newlines inside a record: it started that many lines before the line it ended on. */
function newlinesIn(text: string): number {
  let lines = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lines += 1;
  return lines;
}

/** The report in a few lines, for people. */
export function cfpbSummary(report: CfpbImportReport): string {
  const unmapped = (table: Record<string, number>) => Object.values(table).reduce((sum, n) => sum + n, 0);
  const lines = [
    `${report.rows.toLocaleString('en-US')} rows: ${report.imported.toLocaleString('en-US')} complaints imported (${report.events.toLocaleString('en-US')} events), `
      + `${report.alreadyPresent.toLocaleString('en-US')} already present, ${report.conflicting.length} stored with other facts, ${report.badRows.length} bad rows skipped `
      + `in ${report.seconds.toFixed(1)} s (${Math.round(report.rows / Math.max(report.seconds, 0.001)).toLocaleString('en-US')} rows/s)`,
    `customer files: ${report.customerFiles.opened.toLocaleString('en-US')} opened, ${report.customerFiles.alreadyPresent.toLocaleString('en-US')} already present, `
      + `${report.customerFiles.existing.toLocaleString('en-US')} existing files left as they were`,
    `mapped to "other": channel ${unmapped(report.unmapped.channel)}, cause ${unmapped(report.unmapped.issue)}, department ${unmapped(report.unmapped.product)}; unknown responses ${unmapped(report.unmapped.response)}`,
  ];
  for (const bad of report.badRows.slice(0, 10)) lines.push(`  line ${bad.line}: ${bad.problem}`);
  if (report.badRows.length > 10) lines.push(`  … ${report.badRows.length - 10} more bad rows in the JSON report`);
  return lines.join('\n');
}
