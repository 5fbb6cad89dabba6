import { createHash } from 'node:crypto';
import { KeyedTurns, chainHash, chainStart, sealedKeyIds, storedDataOf } from '@app/event-sourcing';
import { EventStore, WrongExpectedRevisionError, type AppendResult, type EventToAppend, type RecordedEvent } from '@app/event-store';
import { CommandIdReusedError, ConcurrentModificationError, PreconditionFailedError, revisionMatches, type CommandContext, type CommandOutcome, type ExpectedRevisions } from './command-context';
import { chainedEvents, reasonOf } from './complaint-metadata';
import { personalDataPaths } from '@app/domain';
import type { Clock, PersonalDataSealer } from './ports';

/** An aggregate's stream as read and folded: -1 when the stream does not exist. */
export interface LoadedStream<S> {
  readonly state: S;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** What the executor needs to know of one kind of aggregate (a complaint, a work order, a customer file). */
export interface StreamAggregate<C, E extends { readonly type: string; readonly data: object }, S> {
  /** In messages: "complaint", "work order". */
  readonly kind: string;
  streamName(id: string): string;
  load(id: string): Promise<LoadedStream<S>>;
  /**
   * Throws when the actor may not see this aggregate (as "not found", so that its existence does not
   * leak), or may not act now at all. Asked on every attempt, before the decision.
   */
  checkAccess?(loaded: LoadedStream<S>, id: string, context: CommandContext): void | Promise<void>;
  decide(command: C, state: S): readonly E[];
  /**
   * A refusal of decide told more fully from what other streams hold (a merged customer file: the
   * end of its chain of merges, which its own stream does not know): the error to throw instead.
   */
  explainRefusal?(error: unknown): Promise<unknown>;
  /**
   * The fold of one event the aggregate decided (its current schema, as decided): with it, the state
   * after this executor's own append is kept and the next command on the aggregate is decided on it
   * without reading the stream (StreamCommandExecutor, docs/adr/0003 "Decisions from kept states").
   * Then checkAccess and decide must need nothing of `LoadedStream.events` (empty for a kept state).
   */
  evolve?(state: S, event: E): S;
  /** Version of each event type's data schema. */
  schemaVersionOf(type: string): number;
  /** The customer whose data key encrypts the event's personal values (docs/adr/0019); null or absent: none. */
  customerOf?(id: string, state: S, event: E): string | null;
}

/** What a kept state knows of its stream besides the state: enough to decide and chain without reading it. */
interface KeptBase {
  /** Every command id recorded on the stream: a command seen before is answered from a fresh read. */
  readonly commandIds: ReadonlySet<string>;
  /** The keys of the sealed values folded into the state (PersonalDataSealer.readable before each use). */
  readonly keyIds: ReadonlySet<string>;
  /** What it counts towards MAX_KEPT_BYTES: its events' data JSON and KEPT_STATE_OVERHEAD each. */
  readonly bytes: number;
}

interface KeptState<S> extends KeptBase {
  readonly state: S;
  readonly revision: number;
  /** The stream's last event's hash: where the next event's link starts. */
  readonly headHash: string;
  /** When it is dropped, whatever happens (performance.now()). */
  readonly until: number;
}

interface AppendedDecision<S, E> {
  readonly state: S;
  readonly decided: readonly E[];
  readonly sealed: readonly E[];
  readonly toAppend: readonly EventToAppend[];
  readonly commandId: string;
  readonly result: AppendResult;
}

/** A stream read whole, as a kept state's base (its state is the fold the load made). */
function keptFrom(history: readonly RecordedEvent[]): KeptBase {
  const commandIds = new Set<string>();
  const keyIds = new Set<string>();
  let bytes = 0;
  for (const event of history) {
    const stored = storedDataOf(event);
    if (typeof event.metadata['commandId'] === 'string') commandIds.add(event.metadata['commandId']);
    sealedKeyIds(stored, keyIds);
    bytes += JSON.stringify(stored).length + KEPT_STATE_OVERHEAD;
  }
  return { commandIds, keyIds, bytes };
}

/**
 * Kept states per executor at most, by count and by bytes (counted as the kept streams of the embedded
 * store count theirs); a stream this long or longer is read each time. docs/adr/0003.
 */
const MAX_KEPT_STATES = 4096;
const MAX_KEPT_BYTES = 32 * 1024 * 1024;
const MAX_KEPT_REVISION = 256;
const KEPT_STATE_OVERHEAD = 512;
/**
 * How long a kept state lives after its append. Its personal values are decrypted: an erasure in another
 * process is seen at its next use (the keys are asked), and this bounds how long such values stay in memory
 * unused (about the read models' lag; the commands of one front-end task come seconds apart).
 */
const KEPT_STATE_MS = 5_000;

/** Another process got in first this many times in a row: give up with 409 rather than spin. */
const MAX_ATTEMPTS = 20;

/** A command without what the executor adds: the time of the decision and who took it. */
export type WithoutContext<C> = C extends unknown ? Omit<C, 'at' | 'actor'> : never;

/** One command of several decided together (executeTogether): the aggregate it is for, and its context. */
export interface CommandFor<C> {
  readonly id: string;
  readonly command: WithoutContext<C>;
  readonly context: CommandContext;
}

/**
 * A command decided and ready to append, or answered without an append (seen before, or nothing to
 * record; null: a part left out, see AppendPart). `replayed`: answered from the command's record in
 * its stream (seen before), `current` when nothing was recorded on that stream since, `sameCommand`
 * when that record is of this command's type (not another command that had the key before),
 * `records` the events the command id recorded there, `sameRequest` unless the record's request
 * digest shows another request (CommandContext.request).
 */
export type Prepared =
  | { readonly id: string; readonly answered: CommandOutcome | null; readonly replayed?: { readonly current: boolean; readonly sameCommand: boolean; readonly sameRequest: boolean; readonly records: readonly RecordedEvent[] } }
  | { readonly id: string; readonly stream: string; readonly events: EventToAppend[]; readonly expectedRevision: number | 'no_stream'; readonly pinnedAt: ExpectedRevisions | undefined; readonly appended?: (result: AppendResult) => void };

/**
 * One command's part in an atomic append with commands on other kinds of aggregates (executeParts):
 * a complaint's receipt and the opening of its customer's file. Each kind's executor makes its own
 * parts (StreamCommandExecutor.part); a caller may wrap prepare, e.g. to leave a part out.
 */
export interface AppendPart {
  /** The aggregate's kind and id: parts take their aggregates' turns in this order. */
  readonly key: string;
  readonly id: string;
  readonly kind: string;
  /** Runs work in the aggregate's turn in this process. */
  inTurn<T>(work: () => Promise<T>): Promise<T>;
  /** Read + fold, decide, seal, chain: everything but the append. Called again after a conflict. */
  prepare(): Promise<Prepared>;
}

/** A part whose decision fails is left out (answered null) and the others are still appended; onError hears why. */
export function leftOutOnError(part: AppendPart, onError: (error: unknown) => void): AppendPart {
  return {
    ...part,
    prepare: () => part.prepare().catch((error: unknown) => {
      onError(error);
      return { id: part.id, answered: null };
    }),
  };
}

/**
 * Commands on several aggregates, of one kind or several, that stand or fall together: each is
 * decided on its own stream, in the order given (the first refusal is the answer), and what they
 * decide is appended in one atomic append to all their streams (EventStore.appendToStreams) — every
 * stream written or none, also across a crash. A command seen before (its command id in its stream)
 * is answered as the first time; the others are still decided, so a request that a crash left half
 * done in an older log is completed. A conflict on any stream decides them all again. They take
 * their aggregates' turns in one order (by key), so two such requests never wait on each other.
 * One outcome per part, in the order given (null for a part left out).
 */
export function executeParts(eventStore: EventStore, parts: readonly AppendPart[], options: PartsOptions = {}): Promise<Array<CommandOutcome | null>> {
  // One aggregate named twice is left to the decisions to refuse (a link of a complaint to itself); the store refuses a stream twice in one append.
  const turns = [...new Map(parts.map((part) => [part.key, part])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const inTurns = turns.reduceRight<() => Promise<Array<CommandOutcome | null>>>((work, part) => () => part.inTurn(work), () => decideAndAppend(eventStore, parts, options));
  return inTurns();
}

export interface PartsOptions {
  /**
   * The parts are the sides of one fact under one key (a link written on both complaints, the other
   * side's command id derived from the request's): each side is answered from its record, or none
   * is (refuseOneSidedReplay).
   */
  readonly sidesOfOneFact?: boolean;
  /**
   * When the first part is answered from what its command id recorded (an Idempotency-Key used
   * before), throws if that record is another request's (a receipt for another customer). Asked on
   * the records of every attempt, inside the turns: another process's request under the same key
   * that lands between this one's reads and its append is seen on the attempt after the conflict.
   */
  readonly refuseRecordOfAnotherRequest?: (records: readonly RecordedEvent[]) => void;
}

async function decideAndAppend(eventStore: EventStore, parts: readonly AppendPart[], options: PartsOptions): Promise<Array<CommandOutcome | null>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const prepared: Prepared[] = [];
    for (const part of parts) {
      const each = await part.prepare();
      // The request's own record first, so that a key of another request is the answer rather than the other parts' decisions.
      if (prepared.length === 0 && 'answered' in each && each.replayed) {
        options.refuseRecordOfAnotherRequest?.(each.replayed.records);
        refuseAnotherRequest([part], [each]);
      }
      prepared.push(each);
    }
    // Decided on the states read in this attempt, inside the turns: a conflict at the append decides it again.
    if (options.sidesOfOneFact) refuseOneSidedReplay(parts, prepared);
    refuseAnotherRequest(parts, prepared);
    const appends = prepared.flatMap((each, index) => ('answered' in each ? [] : [{ ...each, kind: parts[index]!.kind }]));
    try {
      const results = appends.length === 0 ? []
        : appends.length === 1 ? [await eventStore.append(appends[0]!.stream, appends[0]!.events, { expectedRevision: appends[0]!.expectedRevision })]
        : await eventStore.appendToStreams(appends.map(({ stream, events, expectedRevision }) => ({ stream, events, expectedRevision })));
      const written = new Map<string, AppendResult>(appends.map((each, index) => [each.stream, results[index]!]));
      for (const each of appends) each.appended?.(written.get(each.stream)!);
      return prepared.map((each) => {
        if ('answered' in each) return each.answered;
        const result = written.get(each.stream)!;
        return { id: each.id, revision: result.nextRevision, position: result.position };
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // The caller pinned that stream's revision (If-Match): it moved on, so the caller decides again.
      const pinned = appends.find((each) => each.stream === error.stream && each.pinnedAt !== undefined);
      if (pinned) throw new PreconditionFailedError(pinned.id, pinned.pinnedAt!, typeof error.actual === 'number' ? error.actual : null, pinned.kind);
      // A little jittered wait, so two processes that keep colliding drift apart.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
    }
  }
  throw new ConcurrentModificationError(parts[0]!.id, parts[0]!.kind);
}

/**
 * A command id whose record in its stream is of another request (the key reused once its stored
 * answer expired): answering with that record would report this request as done. Refused as
 * reused (422), nothing written; the same request is answered as before.
 */
function refuseAnotherRequest(parts: readonly AppendPart[], prepared: readonly Prepared[]): void {
  const index = prepared.findIndex((each) => 'answered' in each && each.replayed?.sameRequest === false);
  if (index < 0) return;
  const { kind, id } = parts[index]!;
  throw new CommandIdReusedError(`This Idempotency-Key already recorded another request on ${kind} ${id} (an earlier request whose stored answer has expired), so this one cannot be answered with it. Nothing was recorded; send this request with a new Idempotency-Key.`);
}

/**
 * A side answered from its record while another side would be written would leave the fact on one
 * side only: the key was used for another request whose stored answer expired (another duplicate of
 * the same original), or the request is retried after its complaint has changed (a newer marking of
 * the pair). Refused as a reused key (422), nothing written. Allowed: the request's own side (the
 * first) answered by a record of the same command, unchanged since, the others written — a request
 * that an older version, which made one append per side, left half done at a crash, completed. A
 * record of another command under the key (a marking, then an unrelate) is no such half.
 */
function refuseOneSidedReplay(parts: readonly AppendPart[], prepared: readonly Prepared[]): void {
  const written = prepared.findIndex((each) => !('answered' in each));
  if (written < 0) return;
  prepared.forEach((each, index) => {
    if (!('answered' in each) || each.replayed === undefined || (index === 0 && each.replayed.current && each.replayed.sameCommand)) return;
    const [answered, changed] = [parts[index]!, parts[written]!];
    throw new CommandIdReusedError(`This Idempotency-Key already has an answer on ${answered.kind} ${answered.id}${each.replayed.current ? '' : ', which has changed since'}, and none on ${changed.kind} ${changed.id}, which this request would now change: it was used for another request, or this one is retried after the ${answered.kind}s changed. Nothing was recorded; send the request with a new Idempotency-Key to decide it anew.`);
  });
}

/**
 * Handles commands on aggregates: read + fold, decide, append with the stream's revision as the
 * expected revision. When another writer got in between (and the caller did not pin a revision
 * with If-Match) the decision is taken again on the fresh state, never blindly re-appended. Commands
 * on one aggregate run one after the other in this process, so they never race each other into a
 * conflict; the expected-revision check (and its retries) still guards against other processes.
 * An aggregate that gives `evolve` has its state kept after each append of this executor, and its next
 * command is decided on it without a read: only an append is made from a kept state (a conflict decides
 * again on a fresh read), and a kept state is dropped when a key of its personal values was closed by an
 * erasure (docs/adr/0003, "Decisions from kept states").
 */
export class StreamCommandExecutor<C extends { readonly type: string; readonly data: object }, E extends { readonly type: string; readonly data: object }, S> {
  /** The commands of one aggregate take turns in this process. */
  private readonly queues = new KeyedTurns();
  /** States after this executor's appends, by aggregate id, least recently appended to first (aggregates with evolve). */
  private readonly kept = new Map<string, KeptState<S>>();
  private keptBytes = 0;
  /** Drops the kept states whose time is up (KEPT_STATE_MS), while there are any. */
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly clock: Clock,
    private readonly aggregate: StreamAggregate<C, E, S>,
    private readonly sealer?: PersonalDataSealer,
  ) {}

  async execute(id: string, command: WithoutContext<C>, context: CommandContext): Promise<CommandOutcome> {
    const [outcome] = await this.executeTogether([{ id, command, context }]);
    return outcome!;
  }

  /**
   * Commands on several aggregates of this kind, appended atomically: all or none (executeParts).
   * `options.sidesOfOneFact`: each answered from its record or none (refuseOneSidedReplay).
   */
  async executeTogether(commands: readonly CommandFor<C>[], options: PartsOptions = {}): Promise<CommandOutcome[]> {
    // Only a part wrapped by its caller is left out (answered null); these are not wrapped.
    return (await executeParts(this.eventStore, commands.map((each) => this.part(each)), options)) as CommandOutcome[];
  }

  /** A command and the parts of other aggregates (of other kinds), appended atomically: its outcome, then theirs. */
  async executeWith(command: CommandFor<C>, others: readonly AppendPart[], options: PartsOptions = {}): Promise<[CommandOutcome, ...Array<CommandOutcome | null>]> {
    const [outcome, ...rest] = await executeParts(this.eventStore, [this.part(command), ...others], options);
    return [outcome!, ...rest];
  }

  /** The command as a part of an atomic append (executeParts). */
  part(command: CommandFor<C>): AppendPart {
    return {
      key: `${this.aggregate.kind}:${command.id}`, id: command.id, kind: this.aggregate.kind,
      inTurn: (work) => this.queues.inTurn(command.id, work),
      prepare: () => this.prepare(command),
    };
  }

  /**
   * Read + fold (or the state this executor kept after its last append to the aggregate), access,
   * idempotency, If-Match, decide, seal, chain: everything but the append.
   */
  private async prepare(command: CommandFor<C>): Promise<Prepared> {
    const kept = await this.takeKept(command.id);
    if (kept) {
      // Only an append is made from a kept state (another process's append since makes it conflict, and
      // the next attempt reads); any other outcome, a refusal included, is told from a fresh read.
      const prepared = await this.decideOn(command, { state: kept.state, revision: kept.revision, events: [] }, kept).catch(() => undefined);
      if (prepared) return prepared;
    }
    return (await this.decideOn(command, await this.aggregate.load(command.id), undefined))!;
  }

  /** The decision on a loaded or kept stream; undefined when a kept one would answer anything but an append. */
  private async decideOn({ id, command, context }: CommandFor<C>, loaded: LoadedStream<S>, kept: KeptState<S> | undefined): Promise<Prepared | undefined> {
    const { kind } = this.aggregate;
    const stream = this.aggregate.streamName(id);
    const { state, revision, events: history } = loaded;
    await this.aggregate.checkAccess?.(loaded, id, context);
    if (kept?.commandIds.has(context.commandId)) return undefined;
    // The same command seen again (a retry after a lost response): answer as the first time.
    const earlier = history.filter((recorded) => recorded.metadata['commandId'] === context.commandId);
    if (earlier.length > 0) {
      const last = earlier[earlier.length - 1]!;
      // Logs older than the commandType metadata are taken to be this command.
      const sameCommand = last.metadata['commandType'] === undefined || last.metadata['commandType'] === command.type;
      const sameRequest = await this.isSameRequest(last, context);
      return { id, answered: { id, revision: last.revision, position: last.position }, replayed: { current: last === history[history.length - 1], sameCommand, sameRequest, records: earlier } };
    }
    if (context.expectedRevision !== undefined && !revisionMatches(context.expectedRevision, revision < 0 ? null : revision)) {
      if (kept) return undefined;
      throw new PreconditionFailedError(id, context.expectedRevision, revision < 0 ? null : revision, kind);
    }
    const at = this.clock.now().toISOString();
    let decided: readonly E[];
    try {
      decided = this.aggregate.decide({ ...command, at, actor: context.actor } as unknown as C, state);
    } catch (error) {
      throw this.aggregate.explainRefusal ? await this.aggregate.explainRefusal(error) : error;
    }
    // Nothing to record (a file that already exists, opened again at intake): nothing is appended.
    if (decided.length === 0) return kept ? undefined : { id, answered: { id, revision, position: history[history.length - 1]?.position ?? 0 } };
    // Personal values are encrypted before the chain is computed, so the chain covers the ciphertext.
    const events = await this.sealed(id, stream, state, decided);
    const reason = reasonOf(command.data);
    const requestDigest = await this.requestDigest(id, state, decided[0]!, context);
    const { events: toAppend } = chainedEvents(events, {
      commandId: context.commandId, commandType: command.type, correlationId: context.correlationId, causationId: context.causationId,
      actor: context.actor, ...(reason === undefined ? {} : { reason }), occurredAt: at, ...(requestDigest === undefined ? {} : { requestDigest }),
    }, kept ? kept.headHash : headHash(stream, history), (type) => this.aggregate.schemaVersionOf(type));
    const appended = this.aggregate.evolve === undefined ? undefined : (result: AppendResult) => this.keep(id, kept ?? keptFrom(history), { state, decided, sealed: events, toAppend, commandId: context.commandId, result });
    return { id, stream, events: toAppend, expectedRevision: revision < 0 ? 'no_stream' : revision, pinnedAt: context.expectedRevision, ...(appended ? { appended } : {}) };
  }

  /**
   * The state kept for the aggregate, taken out (it is kept again after the next append): none, or
   * one whose personal values were decrypted with a key an erasure has closed since, in any process.
   */
  private async takeKept(id: string): Promise<KeptState<S> | undefined> {
    const kept = this.kept.get(id);
    if (!kept) return undefined;
    this.kept.delete(id);
    this.keptBytes -= kept.bytes;
    if (kept.until <= performance.now()) return undefined;
    return kept.keyIds.size === 0 || await this.sealer!.readable([...kept.keyIds]) ? kept : undefined;
  }

  /**
   * Keeps the state after this executor's append, least recently appended to dropped first (MAX_KEPT_STATES,
   * MAX_KEPT_BYTES); only when the append wrote the events it was given (AppendResult.alreadyStored).
   */
  private keep(id: string, before: KeptBase, { state, decided, sealed, toAppend, commandId, result }: AppendedDecision<S, E>): void {
    // Found stored: the events are another process's decision of the same request (it appended first), whose
    // times and hash differ from this one's, so this state is not the stream's. A store that cannot tell is not trusted.
    if (result.alreadyStored || !this.eventStore.tellsStoredAppends) return;
    const keyIds = new Set(before.keyIds);
    for (const event of sealed) sealedKeyIds(event.data, keyIds);
    // Without a sealer this executor cannot tell an erasure: a state with sealed values is not kept.
    if (result.nextRevision >= MAX_KEPT_REVISION || (keyIds.size > 0 && !this.sealer)) return;
    const bytes = decided.reduce((sum, event) => sum + JSON.stringify(event.data).length + KEPT_STATE_OVERHEAD, before.bytes);
    if (bytes > MAX_KEPT_BYTES / 4) return;
    const commandIds = new Set(before.commandIds).add(commandId);
    const evolve = this.aggregate.evolve!;
    this.kept.set(id, { state: decided.reduce(evolve, state), revision: result.nextRevision, headHash: toAppend[toAppend.length - 1]!.metadata['hash'] as string, commandIds, keyIds, bytes, until: performance.now() + KEPT_STATE_MS });
    this.keptBytes += bytes;
    this.dropKept(() => this.kept.size > MAX_KEPT_STATES || this.keptBytes > MAX_KEPT_BYTES);
    this.expiry ??= setTimeout(() => this.expire(), KEPT_STATE_MS).unref();
  }

  /** Drops the oldest kept states (the first kept: a state is taken out and kept again at each append) while `more` says so. */
  private dropKept(more: (oldest: KeptState<S>) => boolean): void {
    for (const [id, oldest] of this.kept) {
      if (!more(oldest)) return;
      this.kept.delete(id);
      this.keptBytes -= oldest.bytes;
    }
  }

  private expire(): void {
    this.expiry = undefined;
    const now = performance.now();
    this.dropKept((oldest) => oldest.until <= now);
    const next = this.kept.values().next();
    if (!next.done) this.expiry = setTimeout(() => this.expire(), Math.max(1, next.value.until - now)).unref();
  }

  /**
   * Whether the command's record is of this request. A record without a digest (an older log, a
   * command no request asked), or whose key was destroyed since (its customer erased), cannot tell:
   * it is answered by its command id alone, as before.
   */
  private async isSameRequest(recorded: RecordedEvent, context: CommandContext): Promise<boolean> {
    const digest = recorded.metadata['requestDigest'];
    if (typeof digest !== 'string' || context.request === undefined) return true;
    const text = requestText(context);
    if (digest.startsWith(KEYED)) return (await this.sealer?.digestMatches(digest.slice(KEYED.length), text)) ?? true;
    return digest === plainDigest(text);
  }

  /**
   * What the events record of the request (CommandContext.request), bound to the command id: keyed
   * by the customer's live data key where personal values are sealed (PersonalDataSealer.digest),
   * else a plain SHA-256 (the customer has no key: nothing personal of it is sealed).
   */
  private async requestDigest(id: string, state: S, event: E, context: CommandContext): Promise<string | undefined> {
    if (context.request === undefined) return undefined;
    const text = requestText(context);
    const customerId = this.sealer && this.aggregate.customerOf ? this.aggregate.customerOf(id, state, event) : null;
    const keyed = customerId === null ? null : await this.sealer!.digest(customerId, text);
    return keyed === null ? plainDigest(text) : `${KEYED}${keyed}`;
  }

  private async sealed(id: string, stream: string, state: S, events: readonly E[]): Promise<readonly E[]> {
    const { sealer, aggregate } = this;
    if (!sealer || !aggregate.customerOf) return events;
    // The events of one decision are about one customer: one that names it (a receipt) names it for those after it.
    let customerId: string | null = null;
    const sealed: E[] = [];
    for (const event of events) {
      customerId = aggregate.customerOf(id, state, event) ?? customerId;
      const data = customerId === null ? event.data : await sealer.seal(customerId, stream, event.data as Record<string, unknown>, personalDataPaths(event.type));
      sealed.push(data === event.data ? event : ({ ...event, data } as E));
    }
    return sealed;
  }
}

/**
 * The executor of one kind of aggregate, as handlers inject it: the command names its aggregate
 * (idOf) and the StreamCommandExecutor does the rest. A subclass gives the aggregate and the id.
 */
export abstract class AggregateCommandExecutor<C extends { readonly type: string; readonly data: object }, E extends { readonly type: string; readonly data: object }, S> {
  private readonly executor: StreamCommandExecutor<C, E, S>;

  protected constructor(
    eventStore: EventStore,
    clock: Clock,
    aggregate: StreamAggregate<C, E, S>,
    private readonly idOf: (command: WithoutContext<C>) => string,
    sealer?: PersonalDataSealer,
  ) {
    this.executor = new StreamCommandExecutor(eventStore, clock, aggregate, sealer);
  }

  execute(command: WithoutContext<C>, context: CommandContext): Promise<CommandOutcome> {
    return this.executor.execute(this.idOf(command), command, context);
  }

  /** Commands on several aggregates, appended atomically: all or none (StreamCommandExecutor.executeTogether). */
  executeTogether(commands: ReadonlyArray<{ readonly command: WithoutContext<C>; readonly context: CommandContext }>, options: PartsOptions = {}): Promise<CommandOutcome[]> {
    return this.executor.executeTogether(commands.map(({ command, context }) => ({ id: this.idOf(command), command, context })), options);
  }

  /** A command and the parts of other kinds of aggregates, appended atomically (StreamCommandExecutor.executeWith). */
  executeWith(command: WithoutContext<C>, context: CommandContext, others: readonly AppendPart[], options: PartsOptions = {}): Promise<[CommandOutcome, ...Array<CommandOutcome | null>]> {
    return this.executor.executeWith({ id: this.idOf(command), command, context }, others, options);
  }

  /** The command as a part of an atomic append with another kind of aggregate (executeParts). */
  part(command: WithoutContext<C>, context: CommandContext): AppendPart {
    return this.executor.part({ id: this.idOf(command), command, context });
  }
}

/** Request digests: `key:` + the sealer's keyed digest, or `sha256:` + a plain one. */
const KEYED = 'key:';
const requestText = (context: CommandContext): string => `${context.commandId}\n${context.request}`;
const plainDigest = (text: string): string => `sha256:${createHash('sha256').update(text, 'utf8').digest('base64url')}`;

/** Hash of the stream's last event: where the next event's link starts. */
function headHash(stream: string, history: readonly RecordedEvent[]): string {
  const last = history[history.length - 1];
  if (!last) return chainStart(stream);
  const stored = last.metadata['hash'];
  if (typeof stored === 'string') return stored;
  // History written before the chain existed: chain it as it stands.
  return history.reduce((previous, event) => chainHash(previous, event), chainStart(stream));
}
