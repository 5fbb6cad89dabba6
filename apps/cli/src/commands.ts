import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { eventsAfter, verifyLog, type LogReport } from '@app/complaints';
import { chainStart, linkProblem, storedDataOf, verifyChain } from '@app/event-sourcing';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { ProjectionRunner, generationFor, processSpace, UNRECOGNISED_HOLDER, type Projection, type ProjectionRunnerOptions } from '@app/projections';
import { ALL_PROJECTIONS, AS_OF_STALE_AFTER_MS, AsOfBuildRefusedError, AsOfCatalogue, asOfBuilderIsAlive, asOfLeaseName, shownAsOfBuilder, buildAsOfGeneration, erasesPersonalData, type AsOfUntil } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
import { Progress } from './progress';
import type { TamperEvidence } from '../../api/src/audit/tamper-evidence';

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

/** NDJSON of the events that match, in global order. */
export async function exportEvents(store: EventStore, write: (line: string) => Promise<void>, filter: { from?: string; to?: string; stream?: string; type?: string }): Promise<number> {
  const progress = Progress.throughLog('export', await store.headPosition());
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
    await write(`${JSON.stringify({ stream, revision, position, eventId, type, data, metadata, recordedAt })}\n`);
    exported += 1;
  }
  progress.finish();
  return exported;
}

export class ImportError extends Error {}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) for (const byte of chunk as Buffer) if (byte === 10) lines += 1;
  return lines;
}

/** One event of an export, as a line of it reads; undefined when the line is no such event. */
function exportedEventOf(value: unknown): RecordedEvent | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const event = value as Partial<RecordedEvent>;
  const isRecord = (field: unknown) => field !== null && typeof field === 'object' && !Array.isArray(field);
  if (typeof event.stream !== 'string' || event.stream === '' || typeof event.type !== 'string' || typeof event.eventId !== 'string') return undefined;
  if (!Number.isSafeInteger(event.revision) || event.revision! < 0 || !isRecord(event.data) || !isRecord(event.metadata)) return undefined;
  return event as RecordedEvent;
}

/** The events of an export file, one per line that is not blank, with its line number; an ImportError names the first line that is none. */
async function* exportedEvents(file: string): AsyncGenerator<{ event: RecordedEvent; lineNumber: number }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new ImportError(`line ${lineNumber}: not JSON`);
    }
    const event = exportedEventOf(parsed);
    if (!event) throw new ImportError(`line ${lineNumber}: not an exported event`);
    yield { event, lineNumber };
  }
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
 * Loads an export into an empty store: each event at its revision (exact expected revision), with
 * its id and metadata. The whole file is checked first — every line an event, each stream's events
 * in order from revision 0, every chain link — so that a file cut short, edited or out of order
 * writes nothing and the same empty store takes the right file next (a half-written store refuses
 * every import after it). The imported chains are verified again as the store holds them, and the
 * positions are compared with the exported ones (equal when the export was the whole log).
 */
export async function importEvents(store: EventStore, file: string): Promise<{ events: number; streams: number; positionsKept: boolean }> {
  requireInputFile(file, 'export');
  if ((await store.headPosition()) !== 0) throw new ImportError('import needs an empty event store (a fresh DATA_DIR)');
  // Count first: a readline interface starts reading at once and loses lines nobody listens to yet.
  const check = new Progress('import: checking', await countLines(file));
  // Per stream, the revision its next event must have and the hash it must link to: a few bytes per stream, however long the file.
  const heads = new Map<string, { next: number; hash: string }>();
  let total = 0;
  for await (const { event, lineNumber } of exportedEvents(file)) {
    const head = heads.get(event.stream) ?? { next: 0, hash: chainStart(event.stream) };
    if (event.revision !== head.next) {
      throw new ImportError(`imported stream ${event.stream} does not verify at revision ${head.next}: an event is missing or out of order (line ${lineNumber} holds revision ${event.revision})`);
    }
    const problem = linkProblem(head.hash, event);
    if (problem) throw new ImportError(`imported stream ${event.stream} does not verify at revision ${event.revision}: ${problem.reason} (line ${lineNumber})`);
    heads.set(event.stream, { next: head.next + 1, hash: event.metadata['hash'] as string });
    total += 1;
    check.advance();
  }
  check.finish();
  const progress = new Progress('import', total);
  let events = 0;
  let positionsKept = true;
  for await (const { event } of exportedEvents(file)) {
    const result = await store.append(event.stream, [{ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }], {
      expectedRevision: event.revision === 0 ? 'no_stream' : event.revision - 1,
    });
    if (result.position !== event.position) positionsKept = false;
    events += 1;
    progress.advance();
  }
  progress.finish();
  for (const stream of heads.keys()) {
    const verdict = verifyChain(stream, await store.readStream(stream));
    if (!verdict.ok) throw new ImportError(`imported stream ${stream} does not verify at revision ${verdict.revision}: ${verdict.reason}`);
  }
  return { events, streams: heads.size, positionsKept };
}

/**
 * Builds every read model as it stood at a moment into generations named after `into`, beside the
 * live ones (which keep serving); the query API reads them with asOf=<into>. A name that exists is
 * refused (AsOfRefusedError) unless `replace`, and so is a position past the end of the log.
 * The same build as the API's analyst jobs (POST /analytics/as-of), from libs/read-models.
 */
export async function replayUntil(events: EventStore, readStore: ReadStore, until: AsOfUntil, into: string, untilText = until.position !== undefined ? String(until.position) : until.time!, options: { replace?: boolean } = {}): Promise<{ applied: number; position: number }> {
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
