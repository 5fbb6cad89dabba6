import { ACCESS_CONTROL_STREAM } from '@app/domain';
import { LOG_CHAIN_START, chainStart, counted, linkProblem, logLink } from '@app/event-sourcing';
import { StreamNotFoundError, type EventFilter, type EventStore, type RecordedEvent } from '@app/event-store';
import type { Seal, SealBody, SealEntry, SealLog } from './log-seals';

const PAGE = 2000;

/**
 * Every event after `position` (exclusive; 0 = from the start) in global order. Positions are
 * opaque (KurrentDB's are byte offsets), so each page starts at the last position read and skips it.
 * With a filter, only the events it passes (the store filters: by type or stream prefix).
 */
export async function* eventsAfter(store: EventStore, position: number, filter?: EventFilter): AsyncGenerator<RecordedEvent> {
  let last = position;
  for (;;) {
    const page = await store.readAll({ ...(last === 0 ? { maxCount: PAGE } : { fromPosition: last, maxCount: PAGE + 1 }), ...(filter ? { filter } : {}) });
    const fresh = page.filter((event) => event.position > last);
    if (fresh.length === 0) return;
    yield* fresh;
    last = fresh[fresh.length - 1]!.position;
    // Let the event loop breathe between pages: a verify of a long log must not hold up requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The running state a seal records: the whole-log chain and the access-control stream, folded event by event. */
export class LogFold {
  position = 0;
  events = 0;
  logHash = LOG_CHAIN_START;
  headEventId: string | null = null;
  accessRevision = -1;
  accessHash: string | null = null;
  readonly revoked = new Set<string>();

  static from(seal: SealBody): LogFold {
    const fold = new LogFold();
    fold.position = seal.position;
    fold.events = seal.events;
    fold.logHash = seal.logHash;
    fold.headEventId = seal.headEventId;
    fold.accessRevision = seal.accessControl.revision;
    fold.accessHash = seal.accessControl.hash;
    for (const tokenId of seal.accessControl.revokedTokenIds) fold.revoked.add(tokenId);
    return fold;
  }

  add(event: RecordedEvent): void {
    this.logHash = logLink(this.logHash, event);
    this.events += 1;
    this.position = event.position;
    this.headEventId = event.eventId;
    if (event.stream === ACCESS_CONTROL_STREAM) {
      this.accessRevision = event.revision;
      this.accessHash = typeof event.metadata['hash'] === 'string' ? event.metadata['hash'] : null;
      if (event.type === 'AccessTokenRevoked' && typeof event.data['tokenId'] === 'string') this.revoked.add(event.data['tokenId']);
    }
  }

  body(log: string, by: string, sealedAt: string, acknowledgement?: { readonly findings: readonly string[]; readonly reason: string }): SealBody {
    return {
      version: 1, log, sealedAt, by, position: this.position, events: this.events, logHash: this.logHash, headEventId: this.headEventId,
      accessControl: { revision: this.accessRevision, hash: this.accessHash, revokedTokenIds: [...this.revoked].sort() },
      ...(acknowledgement === undefined ? {} : { acknowledges: acknowledgement.findings, reason: acknowledgement.reason }),
    };
  }
}

export type FindingKind = 'event-changed' | 'events-missing' | 'stream-chain' | 'seal-mismatch' | 'log-truncated' | 'seal-damaged' | 'access-control';

export interface LogFinding {
  /** Stable across runs, so that an acknowledgement can name it. */
  readonly id: string;
  readonly kind: FindingKind;
  readonly description: string;
  readonly position?: number;
  readonly stream?: string;
  readonly revision?: number;
  /** For findings about seals: how many, and the first and last of them. */
  readonly seals?: { readonly count: number; readonly first: SealRef; readonly last: SealRef; readonly ids: readonly string[] };
  /** The acknowledging seal (who, when, why), or null. */
  readonly acknowledged: { readonly by: string; readonly sealedAt: string; readonly reason: string | null } | null;
}

export interface SealRef {
  readonly line: number;
  readonly sealedAt: string;
  readonly position: number;
  readonly events: number;
}

export interface LogReport {
  /** No unacknowledged finding. */
  readonly ok: boolean;
  readonly events: number;
  readonly streams: number;
  readonly head: { readonly position: number; readonly logHash: string };
  readonly seals: {
    readonly sealing: boolean;
    readonly count: number;
    readonly latest: (SealRef & { readonly by: string }) | null;
    /** Seals of another log in the same file: not compared. */
    readonly otherLogs: number;
    /**
     * Events after the furthest seal: written since (normal while the API runs; after a clean
     * shutdown, which seals, they were added by something else), or never sealed (a crash).
     */
    readonly eventsAfterLastSeal: number;
    readonly note?: string;
  };
  readonly findings: readonly LogFinding[];
}

/** What the verification learnt of each stream's chain (the CLI's head files use it). */
export interface StreamChain {
  next: number;
  hash: string;
  failed: boolean;
  /** The hash at each revision, kept only for the streams asked for. */
  hashes?: Map<number, string>;
}

export interface VerifyLogOptions {
  /** The seals, or undefined when sealing is off (then a cut tail cannot be told). */
  readonly seals?: { readonly log: SealLog; readonly logId: string };
  /** Streams whose hash at every revision is kept in `chains` (for `verify --heads`). */
  readonly keepHashesOf?: ReadonlySet<string>;
  readonly onEvent?: (event: RecordedEvent) => void;
}

/** A seal's name in findings and acknowledgements: its line in the seal log. */
const sealId = (line: number): string => `seal@line-${line}`;

const acknowledgedBy = (seal: Seal) => ({ by: seal.by, sealedAt: seal.sealedAt, reason: seal.reason ?? null });

const ref = (entry: { line: number; seal: Seal }): SealRef => ({ line: entry.line, sealedAt: entry.seal.sealedAt, position: entry.seal.position, events: entry.seal.events });

/**
 * Checks the whole history in one pass (docs/adr/0010): every stream's hash chain; every event's
 * whole-log link where the store keeps one (a change shows at that event, a removal at the event
 * after the gap); and the whole-log chain against every seal (a change or removal before a seal,
 * and a cut tail, show there). Findings that an operator acknowledged stay in the report, marked.
 */
export async function verifyLog(store: EventStore, options: VerifyLogOptions = {}): Promise<{ report: LogReport; fold: LogFold; chains: Map<string, StreamChain> }> {
  const entries = options.seals ? await options.seals.log.read() : [];
  const logId = options.seals?.logId;
  const ours = entries.filter((entry): entry is { line: number; seal: Seal; authentic: true } => entry.seal !== undefined && entry.authentic && entry.seal.log === logId);
  const otherLogs = entries.filter((entry) => entry.seal !== undefined && entry.authentic && entry.seal.log !== logId).length;
  // A finding is acknowledged only by a seal that names it: an acknowledgement covers what was found
  // then, never what is done to the history after it.
  const acknowledging = ours.filter((entry) => entry.seal.acknowledges !== undefined);
  const ackOfId = (id: string) => acknowledging.find((entry) => entry.seal.acknowledges!.includes(id));
  const ackOfSeal = (line: number) => ackOfId(sealId(line));
  const acknowledgement = (entry: { seal: Seal } | undefined) => (entry ? acknowledgedBy(entry.seal) : null);

  const findings: LogFinding[] = [];
  const eventFinding = (finding: Omit<LogFinding, 'acknowledged'>) => findings.push({ ...finding, acknowledged: acknowledgement(ackOfId(finding.id)) });
  for (const entry of entries) {
    if (entry.seal === undefined || !entry.authentic) {
      findings.push({
        id: sealId(entry.line), kind: 'seal-damaged', description: `line ${entry.line} of the seal log is ${entry.seal === undefined ? entry.damaged : 'not signed with this seal key'}: a seal was damaged or forged, or the key changed`,
        acknowledged: acknowledgement(ackOfSeal(entry.line)),
      });
    }
  }

  // Seals in the order of the log, each compared when the fold passes its position.
  const pending = [...ours].sort((a, b) => a.seal.position - b.seal.position || a.line - b.line);
  const disagreeing: Array<{ line: number; seal: Seal; why: 'mismatch' | 'beyond-head' }> = [];
  const fold = new LogFold();
  const compareSealsUpTo = (position: number, inclusive: boolean) => {
    while (pending.length > 0 && (inclusive ? pending[0]!.seal.position <= position : pending[0]!.seal.position < position)) {
      const entry = pending.shift()!;
      if (entry.seal.position !== fold.position || entry.seal.logHash !== fold.logHash || entry.seal.events !== fold.events) disagreeing.push({ ...entry, why: 'mismatch' });
    }
  };

  const chains = new Map<string, StreamChain>();
  const furthestSealed = Math.max(0, ...ours.map((entry) => entry.seal.position));
  let eventsAfterLastSeal = 0;
  let previous: RecordedEvent | undefined;
  for await (const event of eventsAfter(store, 0)) {
    options.onEvent?.(event);
    if (event.position > furthestSealed) eventsAfterLastSeal += 1;
    compareSealsUpTo(event.position, false);
    if (event.logHash !== undefined) {
      const before = previous?.logHash ?? (previous === undefined ? LOG_CHAIN_START : undefined);
      if (before !== undefined && logLink(before, event) !== event.logHash) {
        const gap = previous !== undefined && event.position > previous.position + 1 ? { from: previous.position + 1, to: event.position - 1 } : previous === undefined && event.position > 1 ? { from: 1, to: event.position - 1 } : undefined;
        if (gap) {
          eventFinding({
            id: `events-missing@${gap.from}-${gap.to}`, kind: 'events-missing', position: gap.from,
            description: `positions ${gap.from}–${gap.to} are not in the log: ${counted(gap.to - gap.from + 1, 'event')} ${gap.to > gap.from ? 'were' : 'was'} removed before the event at position ${event.position} (${event.stream} revision ${event.revision}), or moved`,
          });
        } else {
          eventFinding({
            id: `event-changed@${event.position}`, kind: 'event-changed', position: event.position, stream: event.stream, revision: event.revision,
            description: `the event at position ${event.position} (${event.stream} revision ${event.revision}) was changed after it was written (its content, id, recorded time or place no longer match its whole-log link)`,
          });
        }
      }
    }
    fold.add(event);
    compareSealsUpTo(event.position, true);
    checkStreamLink(event, chains, options.keepHashesOf, eventFinding);
    previous = event;
  }
  // Seals at the head itself (a seal of the empty log, at position 0, that no event passes) are compared too.
  compareSealsUpTo(fold.position, true);
  for (const entry of pending) disagreeing.push({ ...entry, why: entry.seal.position > fold.position ? 'beyond-head' : 'mismatch' });

  // Disagreeing seals are reported in runs: one cause (an event removed) makes every later seal disagree.
  const runs: Array<typeof disagreeing> = [];
  for (const entry of disagreeing.sort((a, b) => a.seal.position - b.seal.position || a.line - b.line)) {
    const run = runs[runs.length - 1];
    const acknowledged = ackOfSeal(entry.line) !== undefined;
    if (run && run[0]!.why === entry.why && (ackOfSeal(run[0]!.line) !== undefined) === acknowledged) run.push(entry);
    else runs.push([entry]);
  }
  for (const run of runs) {
    const first = run[0]!;
    const last = run[run.length - 1]!;
    const seals = { count: run.length, first: ref(first), last: ref(last), ids: run.map((entry) => sealId(entry.line)) };
    const acknowledged = acknowledgement(ackOfSeal(last.line));
    if (first.why === 'beyond-head') {
      findings.push({
        id: `log-truncated@line-${first.line}`, kind: 'log-truncated', position: fold.position, seals, acknowledged,
        description: `the log ends at position ${fold.position} with ${counted(fold.events, 'event')}, but ${counted(run.length, 'seal')} (the last made ${last.seal.sealedAt} by ${last.seal.by}) cover${run.length === 1 ? 's' : ''} up to position ${last.seal.position} with ${counted(last.seal.events, 'event')}: at least ${counted(Math.max(1, last.seal.events - fold.events), 'event')} at the end of the log ${last.seal.events - fold.events > 1 ? 'were' : 'was'} removed`,
      });
    } else {
      findings.push({
        id: `seal-mismatch@line-${first.line}`, kind: 'seal-mismatch', position: first.seal.position, seals, acknowledged,
        description: `${counted(run.length, 'seal')} from position ${first.seal.position} (made ${first.seal.sealedAt}) on ${run.length === 1 ? 'does' : 'do'} not match the log: an event at or before position ${first.seal.position} was changed or removed after ${run.length === 1 ? 'it was' : 'they were'} made (the first of them counted ${counted(first.seal.events, 'event')} up to there)`,
      });
    }
  }

  const latest = [...ours].sort((a, b) => b.line - a.line)[0];
  const report: LogReport = {
    ok: findings.every((finding) => finding.acknowledged !== null),
    events: fold.events,
    streams: chains.size,
    head: { position: fold.position, logHash: fold.logHash },
    seals: {
      sealing: options.seals !== undefined,
      count: ours.length,
      latest: latest ? { ...ref(latest), by: latest.seal.by } : null,
      otherLogs,
      eventsAfterLastSeal,
      ...(options.seals === undefined
        ? { note: 'sealing is off: a cut tail (the last events removed) cannot be told from a log that ended there' }
        : ours.length === 0 ? { note: 'no seal of this log yet: a cut tail cannot be told until the first seal is written' } : {}),
    },
    findings,
  };
  return { report, fold, chains };
}

function checkStreamLink(event: RecordedEvent, chains: Map<string, StreamChain>, keepHashesOf: ReadonlySet<string> | undefined, report: (finding: Omit<LogFinding, 'acknowledged'>) => void): void {
  let chain = chains.get(event.stream);
  if (!chain) {
    chain = { next: 0, hash: chainStart(event.stream), failed: false, ...(keepHashesOf?.has(event.stream) ? { hashes: new Map<number, string>() } : {}) };
    chains.set(event.stream, chain);
  }
  if (chain.failed) return;
  const problem = event.revision !== chain.next
    ? { expected: `revision ${chain.next}`, found: `revision ${event.revision}`, reason: 'an event is missing or out of order' }
    : linkProblem(chain.hash, event);
  if (problem) {
    chain.failed = true;
    report({
      id: `stream-chain@${event.stream}@${event.revision}`, kind: 'stream-chain', position: event.position, stream: event.stream, revision: event.revision,
      description: `the hash chain of ${event.stream} breaks at revision ${event.revision}: ${problem.reason} (expected ${problem.expected}, found ${problem.found ?? 'nothing'})`,
    });
    return;
  }
  chain.hash = event.metadata['hash'] as string;
  chain.hashes?.set(event.revision, chain.hash);
  chain.next += 1;
}

/**
 * The start-up check (docs/adr/0010): the access-control stream must still hold, at each revision
 * a seal recorded, the hash the seal recorded, and its own chain must hold. Cheap: one read of a
 * short stream. Returns every finding, acknowledged or not; start only when none is unacknowledged.
 */
export async function checkAccessControl(store: EventStore, seals: SealLog, logId: string): Promise<LogFinding[]> {
  const entries = (await seals.read()).filter((entry): entry is { line: number; seal: Seal; authentic: true } => entry.seal !== undefined && entry.authentic && entry.seal.log === logId);
  let events: RecordedEvent[] = [];
  try {
    // From storage: a running store keeps streams it read twice, and a row deleted in the file behind it must be seen.
    events = await store.readStream(ACCESS_CONTROL_STREAM, { fromStorage: true });
  } catch (error) {
    // Only a stream never written is empty; a damaged one says so.
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  const findings: LogFinding[] = [];
  const chains = new Map<string, StreamChain>();
  for (const event of events) checkStreamLink(event, chains, undefined, (finding) => findings.push({ ...finding, acknowledged: null }));
  const acknowledging = entries.filter((entry) => entry.seal.acknowledges !== undefined);
  for (const finding of findings) {
    const ack = acknowledging.find((entry) => entry.seal.acknowledges!.includes(finding.id));
    if (ack) Object.assign(finding, { acknowledged: acknowledgedBy(ack.seal) });
  }
  const seen = new Set<string>();
  // By revision, not by place: after a removal in the middle, the two differ.
  const byRevision = new Map(events.map((event) => [event.revision, event]));
  const lastRevision = events.length === 0 ? -1 : events[events.length - 1]!.revision;
  for (const entry of entries) {
    const { revision, hash } = entry.seal.accessControl;
    if (revision < 0 || seen.has(`${revision}:${hash}`)) continue;
    seen.add(`${revision}:${hash}`);
    const found = byRevision.get(revision);
    if (found?.metadata['hash'] === hash) continue;
    const id = `access-control@${revision}@line-${entry.line}`;
    const ack = acknowledging.find((other) => other.seal.acknowledges!.includes(id));
    findings.push({
      id, kind: 'access-control', stream: ACCESS_CONTROL_STREAM, revision,
      description: found === undefined
        ? `the access-control history ${revision > lastRevision ? `ends at revision ${lastRevision}` : `has no revision ${revision}`}, but the seal made ${entry.seal.sealedAt} by ${entry.seal.by} recorded revision ${revision}: a grant or revocation was removed (${counted(entry.seal.accessControl.revokedTokenIds.length, 'token')} ${entry.seal.accessControl.revokedTokenIds.length === 1 ? 'was' : 'were'} revoked by then)`
        : `the access-control history differs at revision ${revision} from the seal made ${entry.seal.sealedAt} by ${entry.seal.by}: a grant or revocation was changed`,
      acknowledged: ack ? acknowledgedBy(ack.seal) : null,
    });
  }
  return findings;
}

/** Every token id some authentic seal of this log recorded as revoked: what an acknowledgement re-applies. */
export function revokedInSeals(entries: readonly SealEntry[], logId: string): Set<string> {
  const revoked = new Set<string>();
  for (const entry of entries) {
    if (entry.seal !== undefined && entry.authentic && entry.seal.log === logId) for (const tokenId of entry.seal.accessControl.revokedTokenIds) revoked.add(tokenId);
  }
  return revoked;
}
