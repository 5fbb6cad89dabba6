import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { validateSync } from 'class-validator';
import { eventsAfter, verifyLog, type LogReport } from '@app/complaints';
import { InvalidAccessCommandError, NO_ACCESS, decideIssue, type Actor } from '@app/domain';
import { chainStart, counted, linkProblem, storedDataOf, verifyChain } from '@app/event-sourcing';
import { MAX_EVENT_BYTES, type EventStore, type RecordedEvent } from '@app/event-store';
import { ProjectionRunner, generationFor, processSpace, UNRECOGNISED_HOLDER, type Projection, type ProjectionRunnerOptions } from '@app/projections';
import { ALL_PROJECTIONS, AS_OF_STALE_AFTER_MS, AsOfBuildRefusedError, AsOfCatalogue, asOfBuilderIsAlive, asOfLeaseName, shownAsOfBuilder, buildAsOfGeneration, erasesPersonalData, untilStillToCome, type AsOfUntil } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
import { Progress } from './progress';
import type { TamperEvidence } from '../../api/src/audit/tamper-evidence';
import { eventLogFile, redactUrl } from '../../api/src/config/api-config';
import { RevokeTokenDto } from '../../api/src/access/access.dto';

/** Every event in global order, page by page (positions are opaque: each page starts at the last one read). */
const allEvents = (store: EventStore): AsyncGenerator<RecordedEvent> => eventsAfter(store, 0);

export interface BrokenLink {
  readonly stream: string;
  readonly revision: number;
  readonly expected: string;
  readonly found: string | null;
}

/**
 * Checks the whole store in one pass over the log (docs/adr/0010): every stream's hash chain,
 * every whole-log link and, with `evidence`, every seal and the access-control history against
 * them. With `writeHeads` it also saves each stream's head (revision and hash) to keep elsewhere;
 * with `heads` it checks that every saved head is still in its stream's chain.
 */
export async function verifyAll(store: EventStore, options: { heads?: string; writeHeads?: string; evidence?: TamperEvidence }): Promise<{ ok: boolean; streams: number; events: number; broken: BrokenLink[]; report: LogReport }> {
  const saved = options.heads ? (JSON.parse(readFileSync(options.heads, 'utf8')) as Record<string, { revision: number; hash: string }>) : undefined;
  const progress = Progress.throughLog('verify', await store.headPosition());
  const verifyOptions = { keepHashesOf: new Set(Object.keys(saved ?? {})), onEvent: (event: RecordedEvent) => progress.passed(event.position) };
  const { report, chains } = options.evidence ? await options.evidence.verify(verifyOptions) : await verifyLog(store, verifyOptions);
  progress.finish();
  const broken: BrokenLink[] = report.findings
    .filter((finding) => finding.kind === 'stream-chain' && finding.acknowledged === null)
    .map((finding) => ({ stream: finding.stream!, revision: finding.revision!, expected: 'an intact chain', found: finding.description }));
  for (const [stream, head] of Object.entries(saved ?? {})) {
    const chain = chains.get(stream);
    if (chain?.failed) continue;
    if (chain?.hashes?.get(head.revision) !== head.hash) {
      broken.push({ stream, revision: head.revision, expected: head.hash, found: chain?.hashes?.get(head.revision) ?? null });
    }
  }
  if (options.writeHeads) {
    const heads = Object.fromEntries([...chains.entries()].filter(([, chain]) => !chain.failed).map(([stream, chain]) => [stream, { revision: chain.next - 1, hash: chain.hash }]));
    writeFileSync(options.writeHeads, `${JSON.stringify(heads, null, 1)}\n`);
  }
  return { ok: report.ok && broken.length === 0, streams: report.streams, events: report.events, broken, report };
}

/** The options an export was given; an export records those given in its trailer. */
/** An export's filter as the options that gave it, in a fixed order ('' when it had none). */
function shownFilter(filter: ExportFilter): string {
  return (['from', 'to', 'stream', 'type'] as const).filter((key) => filter[key] !== undefined).map((key) => `--${key} ${filter[key]!}`).join(', ');
}

export interface ExportFilter {
  readonly from?: string;
  readonly to?: string;
  readonly stream?: string;
  readonly type?: string;
}

const EXPORT_FORMAT = 'complaint-desk-export';
/** 2: the digest covers the trailer's own fields too (1 covered the lines only, so an edited filter went unseen). */
const EXPORT_VERSION = 2;

/**
 * The last line of an export, `{"trailer":{…}}`, which no event line can be taken for: what the lines
 * before it hold. A file cut anywhere, even at a line's end, has none; lines left out, added or changed
 * no longer match its counts or its digest (docs/adr/0006, "An export says where it ends"). A checksum,
 * not a signature: whoever edits the file can write a new one, and the chains and seals are the proof.
 */
export interface ExportTrailer {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_VERSION;
  /** The event lines before it. */
  readonly events: number;
  /** The streams those events are of. */
  readonly streams: number;
  /** The position of the last event exported, null when none was. */
  readonly lastPosition: number | null;
  readonly filter: ExportFilter;
  /** sha256, in hex, of the exact bytes of every line before the trailer, newlines included, then of `trailerDigestText`. */
  readonly sha256: string;
}

/**
 * The trailer's own fields but its digest, as the digest covers them after the lines: JSON of a fixed
 * order (the filter's too), so that an edit of a count, the last position or the filter no longer hashes.
 */
function trailerDigestText(trailer: Omit<ExportTrailer, 'sha256'>): string {
  const filter = Object.fromEntries((['from', 'to', 'stream', 'type'] as const).filter((key) => trailer.filter[key] !== undefined).map((key) => [key, trailer.filter[key]]));
  const { format, version, events, streams, lastPosition } = trailer;
  return JSON.stringify({ format, version, events, streams, lastPosition, filter });
}

/** NDJSON of the events that match, in global order, then the export's trailer; returns how many events it wrote. */
export async function exportEvents(store: EventStore, write: (line: string) => Promise<void>, filter: ExportFilter): Promise<number> {
  const progress = Progress.throughLog('export', await store.headPosition());
  // With a filter, the events written are not those scanned: the progress says both.
  if (Object.values(filter).some((value) => value !== undefined)) progress.countingWritten();
  const digest = createHash('sha256');
  const streams = new Set<string>();
  let lastPosition: number | null = null;
  let exported = 0;
  for await (const event of allEvents(store)) {
    progress.passed(event.position);
    if (filter.stream !== undefined && event.stream !== filter.stream) continue;
    if (filter.type !== undefined && event.type !== filter.type) continue;
    const occurredAt = typeof event.metadata['occurredAt'] === 'string' ? (event.metadata['occurredAt'] as string) : event.recordedAt;
    if (filter.from !== undefined && occurredAt < filter.from) continue;
    if (filter.to !== undefined && occurredAt >= filter.to) continue;
    const { stream, revision, position, eventId, type, metadata, recordedAt } = event;
    // As stored: personal values stay encrypted (the chains cover them so; an import verifies), and an erased customer's stay unreadable.
    const data = storedDataOf(event);
    // JSON.stringify escapes lone surrogates, so the line's UTF-8 bytes, which the digest covers, are the ones written.
    const line = `${JSON.stringify({ stream, revision, position, eventId, type, data, metadata, recordedAt })}\n`;
    digest.update(line);
    streams.add(stream);
    lastPosition = position;
    await write(line);
    progress.wrote();
    exported += 1;
  }
  const given = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as ExportFilter;
  const fields = { format: EXPORT_FORMAT, version: EXPORT_VERSION, events: exported, streams: streams.size, lastPosition, filter: given } as const;
  const trailer: ExportTrailer = { ...fields, sha256: digest.update(trailerDigestText(fields)).digest('hex') };
  // Written last, once every event is: an export that stops early (an error, a reader gone) has none.
  await write(`${JSON.stringify({ trailer })}\n`);
  progress.finish();
  return exported;
}

export class ImportError extends Error {}

/** What `export` says on stderr when it is done. */
export const exportSummary = (written: number): string => `exported ${counted(written, 'event')}`;

/** What `import` says on stderr when it is done. */
export function importSummary(result: ImportResult): string {
  const trailer = result.trailer === 'matched' ? `the trailer matched (${counted(result.events, 'event')}, ${counted(result.streams, 'stream')})` : "no trailer (--without-trailer: a file cut at a line's end goes unseen)";
  const part = result.filtered === undefined ? '' : `; part of a history (--filtered: ${result.filtered})`;
  return `imported ${counted(result.events, 'event')} into ${counted(result.streams, 'stream')}; every chain verifies; positions ${result.positionsKept ? 'kept' : 'renumbered (the export was not the whole log)'}; ${trailer}${part}`;
}

/** The lines of a file as linesOf reads them: one per newline, and one more when the last byte is not a newline (a file cut, or an editor's). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last: number | undefined;
  for await (const chunk of createReadStream(file)) {
    const buffer = chunk as Buffer;
    for (const byte of buffer) if (byte === 10) lines += 1;
    if (buffer.length > 0) last = buffer[buffer.length - 1];
  }
  return last === undefined || last === 10 ? lines : lines + 1;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** One event of an export, as a line of it reads; when the line is no such event, what is wrong with it, in words. */
function exportedEventOf(value: unknown): { event: RecordedEvent } | { wrong: string } {
  if (!isRecord(value)) return { wrong: 'an exported event is a JSON object' };
  const event = value as Partial<RecordedEvent>;
  if (typeof event.stream !== 'string' || event.stream === '') return { wrong: 'stream must be a string, not empty' };
  if (!Number.isSafeInteger(event.revision) || event.revision! < 0) return { wrong: 'revision must be a whole number from 0' };
  if (typeof event.eventId !== 'string') return { wrong: 'eventId must be a string' };
  if (typeof event.type !== 'string') return { wrong: 'type must be a string' };
  if (!isRecord(event.data)) return { wrong: 'data must be an object' };
  if (!isRecord(event.metadata)) return { wrong: 'metadata must be an object' };
  return { event: event as RecordedEvent };
}

/** What a refusal of an export file says to do (`-s`: without it npm writes its banner into the file). */
const EXPORT_AGAIN = 'export again (npm run -s cli -- export > events.ndjson; without -s, npm writes its banner into the file)';

const TRAILER_FIELDS: ReadonlySet<string> = new Set(['format', 'version', 'events', 'streams', 'lastPosition', 'filter', 'sha256']);
const FILTER_FIELDS: ReadonlySet<string> = new Set(['from', 'to', 'stream', 'type']);

/** The trailer a line holds, checked field by field; an ImportError says which field is wrong. */
function trailerOf(line: Record<string, unknown>, lineNumber: number): ExportTrailer {
  const malformed = (what: string) => new ImportError(`line ${lineNumber}: the export's trailer is malformed (${what}); ${EXPORT_AGAIN}`);
  const unknownOf = (record: Record<string, unknown>, known: ReadonlySet<string>) => Object.keys(record).find((key) => !known.has(key));
  const outer = unknownOf(line, new Set(['trailer']));
  if (outer !== undefined) throw malformed(`unknown field ${outer}`);
  const trailer = line['trailer'];
  if (!isRecord(trailer)) throw malformed('trailer must be an object');
  const unknown = unknownOf(trailer, TRAILER_FIELDS);
  if (unknown !== undefined) throw malformed(`unknown field ${unknown}`);
  if (trailer['format'] !== EXPORT_FORMAT) throw malformed(`format must be "${EXPORT_FORMAT}"`);
  if (trailer['version'] !== EXPORT_VERSION) {
    if (!Number.isSafeInteger(trailer['version'])) throw malformed(`version must be ${EXPORT_VERSION}`);
    // Written by the first release with trailers (never tagged): nothing in such a file tells a filter edited away.
    if (trailer['version'] === 1) {
      throw new ImportError(`line ${lineNumber}: the export's trailer is of version 1, whose digest does not cover its filter, so a filtered export could pass for a whole one; this release writes version ${EXPORT_VERSION}: ${EXPORT_AGAIN}`);
    }
    throw new ImportError(`line ${lineNumber}: the export's trailer is of version ${String(trailer['version'])}; this import reads version ${EXPORT_VERSION}: import it with the release that exported it, or ${EXPORT_AGAIN}`);
  }
  const whole = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
  for (const field of ['events', 'streams']) if (!whole(trailer[field])) throw malformed(`${field} must be a whole number`);
  if (trailer['lastPosition'] !== null && !whole(trailer['lastPosition'])) throw malformed('lastPosition must be a whole number or null');
  const filter = trailer['filter'];
  if (!isRecord(filter) || unknownOf(filter, FILTER_FIELDS) !== undefined || Object.values(filter).some((value) => typeof value !== 'string')) {
    throw malformed('filter must be an object of from, to, stream and type, each a string');
  }
  if (typeof trailer['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(trailer['sha256'])) throw malformed('sha256 must be 64 hex digits');
  return trailer as unknown as ExportTrailer;
}

/**
 * The longest line an import reads: an exported event's line holds its data and metadata (at most
 * MAX_EVENT_BYTES together, as the store takes them) and a few fields more, so four times that is
 * room to spare. A longer line is refused before its bytes are joined into a string (V8's strings end
 * near 512 MiB, and the error would be "Cannot create a string longer than …", exit 1).
 */
const MAX_LINE_BYTES = 4 * MAX_EVENT_BYTES;

/** The lines of a file as its bytes, each with its newline (the last without one when the file does not end with one). */
async function* linesOf(file: string): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let pending = 0;
  let lineNumber = 1;
  // A file whose lines end in CR alone is one long line to an LF reader: its line ends are named (with the command that converts them), not its length.
  // A CR LF line too long for an export is still too long (only its end is converted): that one is named by its length.
  const tooLong = async (line: readonly Buffer[]) => bareCarriageReturn(Buffer.concat(line))
    ? lineEndRefusal(file, lineNumber)
    : new ImportError(`line ${lineNumber} is longer than ${MAX_LINE_BYTES} bytes (${MAX_LINE_BYTES / 1024 / 1024} MiB), more than any exported event takes (an event is at most ${MAX_EVENT_BYTES} bytes): not an export, or a damaged one; ${EXPORT_AGAIN}`);
  for await (const chunk of createReadStream(file)) {
    const buffer = chunk as Buffer;
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      const piece = buffer.subarray(start, end + 1);
      if (pending + piece.length > MAX_LINE_BYTES) throw await tooLong([...parts, piece]);
      yield parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
      parts = [];
      pending = 0;
      lineNumber += 1;
      start = end + 1;
    }
    if (start < buffer.length) {
      parts.push(buffer.subarray(start));
      pending += buffer.length - start;
      if (pending > MAX_LINE_BYTES) throw await tooLong(parts);
    }
  }
  if (parts.length > 0) yield Buffer.concat(parts);
}

/**
 * A line of an export file: an event, its trailer, a blank line, or one of spaces that are not ASCII alone (`spaces`: the
 * characters it holds that are not); with its number and its exact bytes (which the trailer's digest covers).
 */
type ExportLine = { readonly lineNumber: number; readonly bytes: Buffer } & (
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  | { readonly kind: 'trailer'; readonly trailer: ExportTrailer }
  | { readonly kind: 'blank' }
  | { readonly kind: 'odd-space'; readonly spaces: readonly string[] });

/** A path as one word of a POSIX shell, in single quotes (a quote in it closed, escaped and reopened). */
const shellWord = (path: string): string => `'${path.replace(/'/g, "'\\''")}'`;

/**
 * A byte-order mark, which the export never writes (JSON.parse would call the line "not JSON"), named with
 * how to remove it: POSIX tail and iconv (not GNU sed's \x escapes), into a new file beside it.
 */
function refuseByteOrderMark(file: string, first: Buffer): void {
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) {
    throw new ImportError(`line 1 begins with a UTF-8 byte-order mark (EF BB BF, which an editor or a Windows tool adds); the export never writes one: remove it (tail -c +4 ${shellWord(file)} > ${shellWord(`${file}.nobom`)}) and import that`);
  }
  for (const [mark, shown] of [[[0xff, 0xfe], 'FF FE'], [[0xfe, 0xff], 'FE FF']] as const) {
    if (first[0] === mark[0] && first[1] === mark[1]) {
      // iconv takes the mark as the byte order and writes none in UTF-8.
      throw new ImportError(`${file} is UTF-16 (it begins with the byte-order mark ${shown}); the export writes UTF-8: convert it (iconv -f UTF-16 -t UTF-8 ${shellWord(file)} > ${shellWord(`${file}.utf8`)}) and import that`);
    }
  }
}

/** Whether a line holds a CR that is not the CR of a CR LF at its end (the file's end, with no LF, is none). */
function bareCarriageReturn(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(13); at !== -1; at = bytes.indexOf(13, at + 1)) {
    if (bytes[at + 1] !== 10) return true;
  }
  return false;
}

/**
 * Which CR bytes a file holds: those of CR LF line ends, and bare ones (a CR not before an LF, the file's last byte
 * included). JSON escapes a CR in a value, so every CR byte is a line end a conversion wrote. Read only to word a refusal.
 */
async function carriageReturnsOf(file: string): Promise<{ crlf: boolean; bare: boolean }> {
  const found = { crlf: false, bare: false };
  let crBefore = false;
  for await (const chunk of createReadStream(file)) {
    const buffer = chunk as Buffer;
    // A CR at the end of the last chunk read ends a line of its own unless this chunk begins with its LF.
    if (crBefore && buffer.length > 0) found[buffer[0] === 10 ? 'crlf' : 'bare'] = true;
    for (let at = buffer.indexOf(13); at !== -1 && at < buffer.length - 1; at = buffer.indexOf(13, at + 1)) {
      found[buffer[at + 1] === 10 ? 'crlf' : 'bare'] = true;
    }
    crBefore = buffer.length > 0 && buffer[buffer.length - 1] === 13;
    if (found.crlf && found.bare) return found;
  }
  if (crBefore) found.bare = true;
  return found;
}

/**
 * The refusal of a file whose lines end other than in LF, from line `lineNumber` (as LF counts them), with the command that
 * converts the line ends it holds: CR LF (tr -d), CR alone (tr, which tr -d would join into one line) or a mix of both (perl,
 * CR LF first: either tr alone would join or split lines). The whole file is read for which ends it holds.
 */
async function lineEndRefusal(file: string, lineNumber: number): Promise<ImportError> {
  const found = await carriageReturnsOf(file);
  const into = `< ${shellWord(file)} > ${shellWord(`${file}.lf`)}`;
  if (found.crlf && found.bare) {
    return new ImportError(`${file}: its lines end in a mix of CR LF and CR alone from line ${lineNumber} (Windows and old Mac OS line ends: copies or editors that converted it in turn), `
      + `and the export writes LF only: convert both, CR LF first, as tr alone would join or split lines (perl -pe 's/\\r\\n?/\\n/g' ${into}) and import that`);
  }
  if (found.bare) {
    return new ImportError(`${file}: its lines end in CR alone from line ${lineNumber} (old Mac OS line ends: a classic Mac tool, or a conversion such as unix2mac, wrote them), `
      + `and the export writes LF only: convert them (tr '\\r' '\\n' ${into}) and import that`);
  }
  return new ImportError(`${file}: its lines end in CR LF from line ${lineNumber} (a Windows copy, git's autocrlf or an editor converted them), and the export writes LF only: convert them back (dos2unix ${shellWord(file)}, or tr -d '\\r' ${into} and import that)`);
}

/** The lines of an export file; an ImportError names the first line that is neither an event, a trailer nor blank. */
async function* exportLines(file: string): AsyncGenerator<ExportLine> {
  let lineNumber = 0;
  let trailerLine: number | undefined;
  // After the trailer, a line that is neither an event nor blank was added there (a note, a pasted prompt): said so, not "a file cut inside a line".
  const notExported = (what: string) => new ImportError(trailerLine === undefined
    ? `line ${lineNumber}: ${what}; ${EXPORT_AGAIN}`
    : `line ${trailerLine} is the export's trailer, but the file goes on after it (line ${lineNumber}): two exports joined, or lines added after it; ${EXPORT_AGAIN}`);
  for await (const bytes of linesOf(file)) {
    lineNumber += 1;
    if (lineNumber === 1) refuseByteOrderMark(file, bytes);
    // JSON escapes a CR in a value, so a CR byte the export wrote is never there: one not before the line's LF is a line end of
    // its own (old Mac OS), up to and on the trailer (after it, a blank line's CR is a blank line's). tr -d would join the lines.
    if (trailerLine === undefined && bareCarriageReturn(bytes)) throw await lineEndRefusal(file, lineNumber);
    const line = bytes.toString('utf8');
    // Blank: ASCII blanks alone, what `[[:space:]]` matches in every locale, so the grep the refusal gives removes every such line.
    if (/^[ \t\v\f\r\n]*$/.test(line)) {
      yield { kind: 'blank', lineNumber, bytes };
      continue;
    }
    // Spaces grep's [[:space:]] may not match (no-break, full-width, a byte order mark): told apart, for the refusal to name
    // every such line with a command that removes them in any locale (after a trailer, the file goes on after it).
    // After a trailer too: named with the blank lines there, with the head that removes them, once the file is read.
    if (line.trim() === '') {
      yield { kind: 'odd-space', lineNumber, bytes, spaces: [...line].filter((character) => character.charCodeAt(0) > 0x7f) };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw notExported('not JSON (a file cut inside a line, or not an export)');
    }
    if (isRecord(parsed) && 'trailer' in parsed) {
      yield { kind: 'trailer', trailer: trailerOf(parsed, lineNumber), lineNumber, bytes };
      trailerLine ??= lineNumber;
      continue;
    }
    const read = exportedEventOf(parsed);
    if ('wrong' in read) throw notExported(`not an exported event (${read.wrong}): not an export, or an edited one`);
    yield { kind: 'event', event: read.event, lineNumber, bytes };
  }
}

/**
 * Blank lines after where an export ends (its trailer, or its last event without one), and lines of spaces that are not ASCII
 * after a trailer, named with the command that removes them.
 */
function blankAtEnd(file: string, blank: { first: number; last: number; oddSpaces?: boolean; blank?: boolean }, end: { after: string; endsAt: string; lineNumber: number }): ImportError {
  const one = blank.first === blank.last;
  // Lines of spaces that are not ASCII among them (after a trailer) are named as such: head removes them as it removes blank lines.
  const odd = 'only spaces that are not ASCII (a no-break or full-width space, or a byte order mark)';
  const what = blank.oddSpaces !== true ? (one ? 'is blank' : 'are blank') : one ? `holds ${odd}` : blank.blank === true ? `are blank or hold ${odd}` : `hold ${odd}`;
  const which = one ? `line ${blank.first}, after ${end.after} (line ${end.lineNumber}), ${what}` : `lines ${blank.first} to ${blank.last}, after ${end.after} (line ${end.lineNumber}), ${what}`;
  // POSIX head, into a new file beside it (sed -i differs between GNU and BSD): the export ends at that line.
  return new ImportError(`${which} (an editor or a copy added ${one ? 'it' : 'them'}; the export ends at ${end.endsAt}, and everything up to it checked): remove ${one ? 'it' : 'them'} (head -n ${end.lineNumber} ${shellWord(file)} > ${shellWord(`${file}.trimmed`)}) and import that`);
}

/** How many runs of blank lines a refusal names before it says how many more there are. */
const BLANK_RUNS_NAMED = 10;

/**
 * Blank lines among the events of a file without a trailer (before its first event, between two, and any after its
 * last), every one named, with the command that removes them all: POSIX grep of lines of blanks alone (an event's line
 * never is one), into a new file beside it.
 */
function blankAmongEvents(file: string, blanks: readonly { first: number; last: number }[]): ImportError {
  const one = blanks.length === 1 && blanks[0]!.first === blanks[0]!.last;
  const which = `${namedRuns(blanks).words} ${one ? 'is' : 'are'} blank`;
  return new ImportError(`${which} (an editor or a copy added ${one ? 'it' : 'them'}; the export writes no blank line): `
    + `remove ${one ? 'it' : 'them'} (grep -v '^[[:space:]]*$' ${shellWord(file)} > ${shellWord(`${file}.clean`)}) and import that`);
}

/** Lines as runs (`2 to 3, 5`), the first BLANK_RUNS_NAMED of them, then how many more runs there are. */
function namedRuns(runs: readonly { first: number; last: number }[]): { words: string; one: boolean } {
  const named = runs.slice(0, BLANK_RUNS_NAMED).map((run) => (run.first === run.last ? `${run.first}` : `${run.first} to ${run.last}`)).join(', ');
  const more = runs.length > BLANK_RUNS_NAMED ? ` and ${runs.length - BLANK_RUNS_NAMED} more runs of lines` : '';
  const one = runs.length === 1 && runs[0]!.first === runs[0]!.last;
  return { words: `${one ? 'line' : 'lines'} ${named}${more}`, one };
}

/** A line number added to runs of consecutive lines. */
function addToRuns(runs: { first: number; last: number }[], lineNumber: number): void {
  const run = runs[runs.length - 1];
  if (run !== undefined && run.last === lineNumber - 1) run.last = lineNumber;
  else runs.push({ first: lineNumber, last: lineNumber });
}

/**
 * Lines of spaces that are not ASCII alone (a no-break or full-width space, a byte order mark), which no export writes:
 * every one named, with a command that removes them and any blank line. grep's [[:space:]] matches ASCII blanks only in
 * the C locale, so the pattern names each such space by its UTF-8 bytes (POSIX printf octal escapes): a byte sequence
 * in the C locale, the character in a UTF-8 one. An event's line never matches it (it holds a JSON object).
 */
function oddSpacesAmongEvents(file: string, runs: readonly { first: number; last: number }[], spaces: ReadonlySet<string>): ImportError {
  const { words, one } = namedRuns(runs);
  const octal = [...spaces].map((space) => [...Buffer.from(space, 'utf8')].map((byte) => `\\${byte.toString(8)}`).join(''));
  const pattern = `([[:space:]]|${octal.join('|')})*`;
  return new ImportError(`${words} ${one ? 'holds' : 'hold'} only spaces that are not ASCII (a no-break or full-width space, or a byte order mark; the export writes none): `
    + `remove ${one ? 'it' : 'them'} (grep -v -x -E "$(printf '${pattern}')" ${shellWord(file)} > ${shellWord(`${file}.clean`)}) and import that`);
}

/** Compares what an export's trailer says with what the lines before it hold. */
function checkTrailer(file: string, found: { trailer: ExportTrailer; lineNumber: number; ended: boolean }, held: { events: number; streams: number; lastPosition: number | null; digest: Hash; firstBlank: number | undefined }): void {
  const { trailer } = found;
  if (!found.ended) {
    // The trailer read as whole JSON, so only its newline is missing: put back, the file is checked as any other (its counts and digest tell the rest).
    throw new ImportError(`${file} ends inside its trailer line (no newline after it): it was cut short at its last byte, or an editor left out the final newline; ${EXPORT_AGAIN}, or add the newline ((cat ${shellWord(file)}; echo) > ${shellWord(`${file}.ended`)}) and import that`);
  }
  if (trailer.events !== held.events || trailer.streams !== held.streams) {
    throw new ImportError(`the trailer counts ${counted(trailer.events, 'event')} in ${counted(trailer.streams, 'stream')}, the file holds ${counted(held.events, 'event')} in ${counted(held.streams, 'stream')}: lines were left out or added after the export wrote it (a stream left out, or one cut at its end, still verifies); ${EXPORT_AGAIN}`);
  }
  if (trailer.sha256 !== held.digest.update(trailerDigestText(trailer)).digest('hex')) {
    const blank = held.firstBlank === undefined ? '' : `; line ${held.firstBlank} is blank, which the export never writes`;
    throw new ImportError(`the file's lines and its trailer's fields do not hash to the sha256 in its trailer: a line or the trailer (its counts, last position or filter) was changed, left out or added after the export wrote it${blank}; ${EXPORT_AGAIN}`);
  }
  if (trailer.lastPosition !== held.lastPosition) {
    throw new ImportError(`the trailer ends at position ${trailer.lastPosition ?? 'none'}, the file's last event is at position ${held.lastPosition ?? 'none'}: the trailer was edited; ${EXPORT_AGAIN}`);
  }
}

/**
 * How much of an export the write pass loads at once, after comparing its digest with the check's: a
 * file changed between the passes is refused before any byte the check did not read is written. Of a
 * file up to this size nothing is written then; of a larger one, the parts before the change (as checked).
 */
const IMPORT_PART_BYTES = 16 * 1024 * 1024;

const FILTERED_WAY_OUT = 'to restore, export again without --from, --to, --stream or --type; to load part of a history on purpose, add --filtered';

/**
 * The positions of a file's events, for a file without a trailer: the embedded store numbers its log
 * 1, 2, 3 … with no gap, so a file numbered so that skips a number, or starts past 1, left events out
 * (one event alone past 1 and a file of positions never one apart too: an attacker imported a type's
 * events, 3, 11, 17, as whole). A file cut at a line's end shows nothing here. KurrentDB's positions are
 * byte offsets (never 1): an old export of a whole KurrentDB log cannot be told from a filtered one, and
 * is taken with --filtered, as the refusal says.
 */
class LogNumbering {
  private first: number | undefined;
  private previous: number | undefined;
  private gap: string | undefined;

  add(position: unknown, lineNumber: number): void {
    if (!Number.isSafeInteger(position)) return;
    const at = position as number;
    if (this.previous === undefined) this.first = at;
    else if (at !== this.previous + 1) this.gap ??= `line ${lineNumber}: position ${at} follows ${this.previous}`;
    this.previous = at;
  }

  /** Where the numbering shows events left out, in words; undefined when it does not (or cannot) tell. */
  leftOut(): string | undefined {
    if (this.first === undefined) return undefined;
    if (this.first !== 1) return `its first event is at position ${this.first}, not 1`;
    return this.gap;
  }
}

/** The event store an import writes to, in words: its name, and where to import instead when it holds events. */
export interface ImportTarget {
  readonly name: string;
  readonly fresh: string;
}

/** The event store the configuration names, as an import's refusal says it (a server's URL without its password). */
export function importTarget(store: { kind: 'sqlite'; dataDir: string } | { kind: 'kurrentdb'; dataDir: string; url: string }): ImportTarget {
  if (store.kind === 'sqlite') {
    return { name: `DATA_DIR's event store (${eventLogFile(store.dataDir)})`, fresh: 'import into a directory that holds no event store yet (DATA_DIR=./data/restored npm run -s cli -- import FILE, with a name of your own)' };
  }
  return { name: `the KurrentDB server at ${redactUrl(store.url)} (EVENTSTORE_URL)`, fresh: 'import into an empty KurrentDB server (EVENTSTORE_URL)' };
}

/** What an import reads, said when the path given is a directory (`-s`: without it npm writes its banner into the file). */
const INPUT_HINTS = {
  export: 'give the file an export wrote (npm run -s cli -- export > events.ndjson)',
  cfpb: 'give a CFPB extract (.csv or .csv.gz)',
} as const;

/** Refuses a path that is no file to import (missing, or a directory), saying what to give instead; the CLI checks it before it makes anything. */
export function requireInputFile(file: string, kind: keyof typeof INPUT_HINTS): void {
  if (!existsSync(file)) throw new ImportError(`no such file: ${file}`);
  if (statSync(file).isDirectory()) throw new ImportError(`${file} is a directory: ${INPUT_HINTS[kind]}`);
}

/**
 * A reason as the API takes it (the reason of POST /access/tokens and of a revocation: Text(500)), checked by the same
 * rule and refused in its words: 1–500 characters, something a reader can see, no control or bidi characters. The CLI
 * checks it before anything is made or written (`--reason ''`, spaces alone or 600 characters were written).
 */
export function checkReason(reason: string): void {
  const problems = validateSync(Object.assign(new RevokeTokenDto(), { reason })).flatMap((error) => Object.values(error.constraints ?? {}));
  if (problems.length > 0) throw new InvalidAccessCommandError('reason', problems.join('; '));
}

/**
 * The checks of `token issue` that need no data (the principal id, the role a scope is for, the departments' form, the
 * reserved word), made before DATA_DIR and its store are: a token refused by its own words makes nothing (it made a new
 * store and said so). The decider's own checks, on no grants: what it refuses there it refuses on any log (only "that
 * token id exists" reads the log, and the id is new). The directory's check of a scope reads it, and comes later.
 */
export function checkTokenIssue(request: { readonly principal: string; readonly role: string; readonly departments?: readonly string[]; readonly reason: string }, actor: Actor, now: Date): void {
  checkReason(request.reason);
  decideIssue({
    tokenId: randomUUID(), principalId: request.principal, role: request.role, departments: request.departments ?? null,
    tokenHash: '0'.repeat(64), at: now.toISOString(), actor,
  }, NO_ACCESS);
}

/** What the check of an export found, which the write pass loads (`loadExport`): nothing in it touches a store. */
export interface CheckedExport {
  readonly file: string;
  readonly partBytes: number;
  /** The sha256 of each part of the file, in order, as the check read it. */
  readonly parts: readonly string[];
  /** The events the file holds, and their streams. */
  readonly events: number;
  readonly streams: readonly string[];
  readonly trailer: 'matched' | 'none';
  /** The filter its trailer records, in words ('' when none). */
  readonly filter: string;
}

/** The options of an import that concern its file. */
export interface ImportFileOptions {
  readonly withoutTrailer?: boolean;
  readonly filtered?: boolean;
  readonly warn?: (text: string) => void;
  /** Not a flag: a test gives a few bytes to put a change in part 2, or after the last part. */
  readonly partBytes?: number;
}

/**
 * Loads an export into an empty store: each event at its revision (exact expected revision), with
 * its id and metadata. The whole file is checked first (`checkExport`), so that a file cut short,
 * edited or out of order writes nothing and the same empty store takes the right file next (a
 * half-written store refuses every import after it); the CLI checks it before it makes the data
 * directory, the store or a seal key, so that a refusal leaves nothing behind. Then `loadExport`.
 */
export async function importEvents(store: EventStore, file: string, options: ImportFileOptions & { target?: ImportTarget } = {}): Promise<ImportResult> {
  requireInputFile(file, 'export');
  await requireEmptyStore(store, options.target);
  return await loadExport(store, await checkExport(file, options), options);
}

/** What an import did. */
export interface ImportResult {
  readonly events: number;
  readonly streams: number;
  readonly positionsKept: boolean;
  readonly trailer: 'matched' | 'none';
  readonly filtered?: string;
}

async function requireEmptyStore(store: EventStore, target: ImportTarget | undefined): Promise<void> {
  const head = await store.headPosition();
  if (head !== 0) {
    const { name, fresh } = target ?? { name: 'the event store', fresh: 'import into a fresh DATA_DIR' };
    throw new ImportError(`import needs an empty event store, and ${name} holds events (its last position is ${head}): ${fresh}`);
  }
}

/**
 * Checks an export file, reading it only: every line an event, each stream's events in order from
 * revision 0, every chain link, and the trailer last: its counts and its digest of the lines, so that
 * a file cut at a line's end or with lines or streams left out is told too. A file without a trailer
 * (an export older than it) is taken only with `withoutTrailer`; a trailer that is there is checked all
 * the same. Every refusal is an ImportError that names the line and says what to do.
 */
export async function checkExport(file: string, options: ImportFileOptions = {}): Promise<CheckedExport> {
  requireInputFile(file, 'export');
  const partBytes = options.partBytes ?? IMPORT_PART_BYTES;
  const check = new Progress('import: checking', await countLines(file), process.stderr, 'lines');
  // Per stream, the revision its next event must have and the hash it must link to: a few bytes per stream, however long the file.
  const heads = new Map<string, { next: number; hash: string }>();
  const digest = createHash('sha256');
  let found: { trailer: ExportTrailer; lineNumber: number; ended: boolean } | undefined;
  // Blank lines: the export writes none, so the first one before the trailer is named when the digest does not match; those after it are named as such.
  let firstBlank: number | undefined;
  let blankAfter: { first: number; last: number; oddSpaces: boolean; blank: boolean } | undefined;
  // Without a trailer (--without-trailer) the export ends at its last event: the blank lines after it, refused as those after a trailer are.
  let lastEventLine: number | undefined;
  let blankTail: { first: number; last: number } | undefined;
  // ...and those among the events, which no digest tells then: every blank line before a trailer, as runs of lines.
  const blanks: { first: number; last: number }[] = [];
  // Lines of spaces that are not ASCII alone before the trailer (after it, the file goes on after it), and which spaces they hold.
  const oddSpaces: { first: number; last: number }[] = [];
  const spacesFound = new Set<string>();
  let lastPosition: number | null = null;
  let total = 0;
  const numbering = new LogNumbering();
  // The digest of each part of the file the write pass loads at once, so that it loads only bytes this pass checked.
  const parts: string[] = [];
  let part = { digest: createHash('sha256'), bytes: 0 };
  for await (const line of exportLines(file)) {
    check.advance();
    part.digest.update(line.bytes);
    part.bytes += line.bytes.length;
    if (part.bytes >= partBytes) {
      parts.push(part.digest.digest('hex'));
      part = { digest: createHash('sha256'), bytes: 0 };
    }
    if (found) {
      // An editor's or a copy's blank line after the trailer is no second export: said as what it is once the file is read.
      // So is a line of spaces that are not ASCII (a no-break space an editor kept): it was called two exports joined.
      if (line.kind === 'blank' || line.kind === 'odd-space') {
        blankAfter = {
          first: blankAfter?.first ?? line.lineNumber, last: line.lineNumber,
          oddSpaces: (blankAfter?.oddSpaces ?? false) || line.kind === 'odd-space', blank: (blankAfter?.blank ?? false) || line.kind === 'blank',
        };
        continue;
      }
      throw new ImportError(`line ${found.lineNumber} is the export's trailer, but the file goes on after it (line ${line.lineNumber}): two exports joined, or lines added after it; ${EXPORT_AGAIN}`);
    }
    // The export writes LF only (JSON escapes a CR inside a value, so tr may drop every CR): a CR before the LF is a conversion, which the digest would call an edit.
    if (line.bytes.length >= 2 && line.bytes[line.bytes.length - 2] === 13 && line.bytes[line.bytes.length - 1] === 10) {
      throw await lineEndRefusal(file, line.lineNumber);
    }
    if (line.kind === 'trailer') {
      found = { trailer: line.trailer, lineNumber: line.lineNumber, ended: line.bytes[line.bytes.length - 1] === 10 };
      continue;
    }
    digest.update(line.bytes);
    if (line.kind === 'odd-space') {
      addToRuns(oddSpaces, line.lineNumber);
      for (const space of line.spaces) spacesFound.add(space);
      continue;
    }
    if (line.kind === 'blank') {
      firstBlank ??= line.lineNumber;
      blankTail = { first: blankTail?.first ?? line.lineNumber, last: line.lineNumber };
      addToRuns(blanks, line.lineNumber);
      continue;
    }
    const { event, lineNumber } = line;
    lastEventLine = lineNumber;
    blankTail = undefined;
    const head = heads.get(event.stream) ?? { next: 0, hash: chainStart(event.stream) };
    if (event.revision !== head.next) {
      throw new ImportError(`imported stream ${event.stream} does not verify at revision ${head.next}: an event is missing or out of order (line ${lineNumber} holds revision ${event.revision})`);
    }
    const problem = linkProblem(head.hash, event);
    if (problem) throw new ImportError(`imported stream ${event.stream} does not verify at revision ${event.revision}: ${problem.reason} (line ${lineNumber})`);
    heads.set(event.stream, { next: head.next + 1, hash: event.metadata['hash'] as string });
    lastPosition = event.position;
    numbering.add(event.position, lineNumber);
    total += 1;
  }
  check.finish();
  if (part.bytes > 0) parts.push(part.digest.digest('hex'));
  // Named before the trailer is compared: removed, the file is the export as it was (its digest matches again).
  if (oddSpaces.length > 0) throw oddSpacesAmongEvents(file, oddSpaces, spacesFound);
  if (found) checkTrailer(file, found, { events: total, streams: heads.size, lastPosition, digest, firstBlank });
  else if (total === 0) throw new ImportError(`${file} is empty: no events and no trailer (a file cut before its first event, or not an export); ${EXPORT_AGAIN}`);
  else if (options.withoutTrailer !== true) {
    throw new ImportError(`${file} has no trailer at its end: it was cut short (a copy interrupted, even at a line's end), or an export older than the trailer wrote it; ${EXPORT_AGAIN}; a file of an older export is taken with --without-trailer, which cannot tell a file cut at a line's end`);
  }
  if (found && blankAfter) throw blankAtEnd(file, blankAfter, { after: "the export's trailer", endsAt: 'its trailer', lineNumber: found.lineNumber });
  // A blank line is no event, and no export (nor one before the trailer) writes one: refused as after a trailer, not taken silently.
  // Blank lines among the events (or before the first) too: the file has no digest to tell them, and head cannot remove them.
  if (!found && blanks.length > 0 && (blankTail === undefined || blanks.length > 1)) throw blankAmongEvents(file, blanks);
  if (!found && blankTail && lastEventLine !== undefined) throw blankAtEnd(file, blankTail, { after: 'the last event', endsAt: 'its last event', lineNumber: lastEventLine });
  const leftOut = found ? undefined : numbering.leftOut();
  if (leftOut !== undefined && options.filtered !== true) {
    throw new ImportError(`${file} has no trailer, and its positions show events left out (${leftOut}; an export of the whole embedded log numbers its events 1, 2, 3 …): a filtered export whose trailer was cut off, or a whole log some of whose events were removed and the removal acknowledged (cli seal acknowledge); to restore, export again without --from, --to, --stream or --type; to load it as it is, add --filtered (so too for an export of a KurrentDB server, whose positions are byte offsets)`);
  }
  const filter = found ? shownFilter(found.trailer.filter) : '';
  if (filter !== '' && options.filtered !== true) {
    throw new ImportError(`${file} is a filtered export (${filter}): it holds only the events that matched, so a store made from it is not the history it came from; ${FILTERED_WAY_OUT}`);
  }
  // --filtered allows; where there is nothing to allow, or nothing to check it against, it says so (the exit code is the same).
  const warn = options.warn ?? ((text: string) => process.stderr.write(`${text}\n`));
  if (options.filtered === true && found && filter === '') warn('--filtered: the trailer records no filter, so this export is whole and there was nothing to allow');
  if (options.filtered === true && !found) {
    warn(leftOut === undefined
      ? '--filtered: the file has no trailer to record a filter, so whether it is part of a history cannot be checked (its positions show no events left out)'
      : `--filtered: the file has no trailer, and its positions show events left out (${leftOut}): taken as part of a history`);
  }
  return { file, partBytes, parts, events: total, streams: [...heads.keys()], trailer: found ? 'matched' : 'none', filter };
}

/**
 * Writes a checked export into an empty store (refused by name, `target`, when it holds events). The
 * write pass reads the file again and loads it part by part (`partBytes`), each part only once its
 * digest equals the one the check took: the port has no transaction over a whole import, so a file
 * changed in between is refused before anything the check did not read is written. The imported
 * chains are verified again as the store holds them, and the positions are compared with the
 * exported ones (equal when the export was the whole log).
 */
export async function loadExport(store: EventStore, checked: CheckedExport, options: { target?: ImportTarget } = {}): Promise<ImportResult> {
  await requireEmptyStore(store, options.target);
  const { file, partBytes, parts, filter } = checked;
  const progress = new Progress('import', checked.events);
  let events = 0;
  let positionsKept = true;
  // The file is read again to write it: each part is hashed and compared with the check's before any of it is written.
  let pending: RecordedEvent[] = [];
  let loading = { digest: createHash('sha256'), bytes: 0, firstLine: 1, index: 0 };
  const changed = () => new ImportError(`${file} changed while it was imported: its lines from line ${loading.firstLine} on are not the ones the check read; nothing of them was written${
    events === 0 ? ': import again' : `, but the ${counted(events, 'event')} before them were (as checked), so the store holds part of the file: import again into a fresh DATA_DIR`} once nothing writes to the file`);
  const load = async () => {
    if (loading.digest.digest('hex') !== parts[loading.index]) throw changed();
    for (const event of pending) {
      const result = await store.append(event.stream, [{ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }], {
        expectedRevision: event.revision === 0 ? 'no_stream' : event.revision - 1,
      });
      if (result.position !== event.position) positionsKept = false;
      events += 1;
      progress.advance();
    }
    pending = [];
  };
  const lines = exportLines(file);
  for (;;) {
    let next: IteratorResult<ExportLine>;
    try {
      next = await lines.next();
    } catch (error) {
      // A line the check read as an event or the trailer is none now.
      if (error instanceof ImportError) throw changed();
      throw error;
    }
    if (next.done === true) break;
    const line = next.value;
    loading.digest.update(line.bytes);
    loading.bytes += line.bytes.length;
    if (line.kind === 'event') pending.push(line.event);
    if (loading.bytes >= partBytes) {
      await load();
      loading = { digest: createHash('sha256'), bytes: 0, firstLine: line.lineNumber + 1, index: loading.index + 1 };
    }
  }
  if (loading.bytes > 0) {
    await load();
    loading = { ...loading, index: loading.index + 1 };
  }
  // Shortened since the check: a part it read is not there.
  if (loading.index !== parts.length) throw changed();
  progress.finish();
  for (const stream of checked.streams) {
    const verdict = verifyChain(stream, await store.readStream(stream));
    if (!verdict.ok) throw new ImportError(`imported stream ${stream} does not verify at revision ${verdict.revision}: ${verdict.reason}`);
  }
  return { events, streams: checked.streams.length, positionsKept, trailer: checked.trailer, ...(filter === '' ? {} : { filtered: filter }) };
}

/**
 * Builds every read model as it stood at a moment into generations named after `into`, beside the
 * live ones (which keep serving); the query API reads them with asOf=<into>. A name that exists is
 * refused (AsOfRefusedError) unless `replace`, and so is a position past the end of the log, and a moment still to come.
 * The same build as the API's analyst jobs (POST /analytics/as-of), from libs/read-models.
 */
export async function replayUntil(events: EventStore, readStore: ReadStore, until: AsOfUntil, into: string, untilText = until.position !== undefined ? String(until.position) : until.time!, options: { replace?: boolean; now?: Date } = {}): Promise<{ applied: number; position: number }> {
  const builder = { host: hostname(), pid: process.pid, instance: randomUUID(), space: processSpace() };
  const catalogue = await AsOfCatalogue.open(readStore);
  // A replay or an API instance killed mid-build (kill -9) left its entry building: dropped first, by the API's rule, so that the same command again is no refusal.
  await catalogue.sweep(builder);
  const existing = options.replace ? undefined : await catalogue.clashing(into);
  if (existing?.status === 'building') {
    throw new AsOfRefusedError(`"${existing.name}" is being built by another process (${shownAsOfBuilder(existing.builder)}); wait for it to finish and use it (asOf=${existing.name}), or pick another --into name; to stop it, stop that process (Ctrl-C of its replay, or DELETE /analytics/as-of/${existing.name} on the API instance that builds it)`);
  }
  if (existing) throw new AsOfRefusedError(`an as-of generation "${existing.name}" exists (until ${existing.until}, ${existing.status}); pick another --into name, add --replace to build it again, or delete it (DELETE /analytics/as-of/${existing.name})`);
  const head = await events.headPosition();
  // As the feed answers: a position past the end was never given out (another store's, or a typo), and would build "now" under a wrong name.
  if (until.position !== undefined && until.position > head) {
    throw new AsOfRefusedError(`--until ${until.position} is past the end of the log (its last position is ${head}): give a position the log has, or a date or time`);
  }
  // A moment still to come: refused by the API's rule (libs/read-models), as a generation never grows to hold it.
  const toCome = untilStillToCome('--until', until, untilText, options.now ?? new Date(), head, 'this machine\'s time');
  if (toCome !== undefined) throw new AsOfRefusedError(toCome);
  const progress = Progress.throughLog(`replay into ${into}`, head);
  let passed = 0;
  let built;
  try {
    built = await buildAsOfGeneration(events, readStore, until, untilText, into, {
      builder,
      onlyIfNew: options.replace !== true,
      onProgress: ({ events: count, position }) => {
        progress.passed(position, count - passed);
        passed = count;
      },
    });
  } catch (error) {
    progress.finish();
    if (error instanceof AsOfBuildRefusedError) throw new AsOfRefusedError(replayRefusal(error, into, options.replace === true));
    throw error;
  }
  progress.finish();
  return { applied: built.applied ?? 0, position: built.position ?? 0 };
}

/**
 * Rebuilds read models from the whole history into a new generation beside the live one, which
 * keeps serving. When the rebuild has caught up it is activated atomically and this process stops;
 * the running projector (in the API, or apps/projector) adopts it from its checkpoint, so events
 * that arrive meanwhile are applied once, and drops the replaced generation.
 */
export async function replayLive(events: EventStore, readStore: ReadStore, names: readonly string[] | undefined): Promise<{ generations: string[] }> {
  const projections = names === undefined ? ALL_PROJECTIONS : ALL_PROJECTIONS.filter((projection) => names.includes(projection.name));
  const unknown = (names ?? []).filter((name) => !ALL_PROJECTIONS.some((projection) => projection.name === name));
  if (unknown.length > 0) throw new ImportError(`unknown projection ${unknown.join(', ')}; known: ${ALL_PROJECTIONS.map((projection) => projection.name).join(', ')}`);
  const prefix = `r${Date.now().toString(36)}`;
  await runToCaughtUp(events, readStore, projections, { generationPrefix: prefix, stopWhenCaughtUp: true }, 'replay');
  return { generations: projections.map((projection) => generationFor(projection, prefix)) };
}

/** Runs projections until they have caught up with the log, showing progress; returns the position reached. */
async function runToCaughtUp(events: EventStore, readStore: ReadStore, projections: readonly Projection[], options: ProjectionRunnerOptions, label: string): Promise<number> {
  const progress = Progress.throughLog(label, await events.headPosition());
  const runner = new ProjectionRunner(events, readStore, projections, {
    forgetDeletedAfter: erasesPersonalData,
    ...options,
    batchSize: 2000,
    // A commit tells how many events it applied: a difference of positions is no count (bytes on KurrentDB).
    onCommit: (name, position, applied) => {
      if (name === projections[0]?.name) progress.passed(position, applied);
    },
  });
  await runner.start();
  await runner.caughtUp(24 * 3600_000);
  await runner.stop();
  progress.finish();
  return runner.position();
}

/** The CLI's words for a refusal of the as-of build: what to do here (wait, --into, --replace), not the API's routes only. */
function replayRefusal(error: AsOfBuildRefusedError, into: string, replace: boolean): string {
  const again = replace ? 'run this again once it has finished (--replace builds it anew)' : 'once it has finished, use it (asOf=' + into + '), pick another --into name, or run again with --replace to build it anew';
  // A lease row no process wrote: the build's own words name the row and the delete that frees it.
  if (error.reason === 'held' && error.holder === UNRECOGNISED_HOLDER) return error.message;
  // Nobody holds it: rm_leases was made again and holds leases back one expiry; the build's own words say until when.
  if (error.reason === 'held-back') return error.message;
  if (error.reason === 'held') {
    return `"${into}" is being built by another process: ${error.holder ?? 'another holder'} holds its lease ${asOfLeaseName(into)}, which runs out ${AS_OF_STALE_AFTER_MS / 1000} s after that process last renewed it (a holder on this host whose process is gone is replaced at once); ${again}`;
  }
  if (error.reason === 'lost') return `${error.message}; ${again}`;
  return `an as-of generation of "${into}" was built by another process as this replay started; use it (asOf=${into}), pick another --into name, or add --replace to build it again`;
}

/** A replay --until the CLI refuses (a name that exists or another process builds, a position past the end of the log): exit code 2, nothing built. */
export class AsOfRefusedError extends Error {}
