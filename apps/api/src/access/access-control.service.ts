import { hash, randomBytes, randomUUID } from 'node:crypto';
import {
  ACCESS_CONTROL_STREAM, ACCESS_EVENT_TYPES, NO_ACCESS, decideIssue, decideRevoke, evolveAccess, grantIsActive,
  type AccessEvent, type AccessGrant, type AccessState, type Actor, type DepartmentScope, type Role,
} from '@app/domain';
import { chainedEvents } from '@app/complaints';
import { FailureStreak, chainHash, chainStart, describeLoopFailure, verifyChain, type ChainVerdict } from '@app/event-sourcing';
import { EventStore, readStreamOrEmpty, WrongExpectedRevisionError, type AllSubscription, type RecordedEvent } from '@app/event-store';
import { TooManyInFlightError } from '../http/heavy-reads';

/** The authenticated caller: who, with which role and department scope, through which token. */
export interface Principal {
  readonly actor: Actor;
  readonly scope: DepartmentScope;
  /** Stable per token and free of the secret: the rate limiter's key, the log's reference. */
  readonly tokenKey: string;
}

/** A token from the configuration (API_TOKENS or DATA_DIR/tokens.json): every department, not revocable here. */
export interface BootstrapToken {
  readonly token: string;
  readonly principalId: string;
  readonly role: Role;
}

export interface IssueRequest {
  readonly principalId: string;
  readonly role: string;
  readonly departments?: readonly string[];
  readonly reason: string;
  readonly expiresInDays?: number;
}

export interface DecisionMetadata {
  readonly actor: Actor;
  readonly reason: string;
  readonly commandId?: string;
  readonly correlationId?: string;
  /**
   * The token the decision is asked with (Principal.tokenKey): it must still be valid in the state the decision is taken on
   * (not revoked, not expired, still configured), else CallerNotAuthenticatedError and nothing is written. Left out by
   * callers that hold no token (the CLI on the server, an acknowledgement of tampered history).
   */
  readonly tokenKey?: string;
}

/** The answer to a token that is unknown, revoked or expired, the same wherever it is found out (the guard, a decision). */
export const INVALID_TOKEN = 'The bearer token is not valid (unknown, revoked or expired).';

/**
 * The token a decision was asked with was revoked or ran out (or left the configuration) after its request was let in:
 * answered as the guard answers such a token (401), nothing written.
 */
export class CallerNotAuthenticatedError extends Error {
  constructor(readonly tokenKey: string) {
    super(INVALID_TOKEN);
  }
}

/**
 * The decisions one caller token may have waiting in this process's queue (not counting the one running): one more is
 * refused at once (429 too-many-in-flight, Retry-After: 1, nothing written), so a token cannot grow the queue without bound
 * and hold every connection. Decisions without a tokenKey (the CLI, the server itself) are not counted.
 */
export const MAX_WAITING_DECISIONS_PER_TOKEN = 8;

/** A decision refused because its caller token already has MAX_WAITING_DECISIONS_PER_TOKEN waiting. */
export class TooManyDecisionsWaitingError extends TooManyInFlightError {
  constructor(limit: number) {
    super(limit);
    this.message = `This token already has ${limit} access-control decisions waiting in this process; nothing was written. Wait for their answers, then send this request again (in 1 s or later).`;
  }
}

/** A place in the queue of decisions: who asks (tokenKey, if any), whether it is a revocation, and how to start it. */
interface Turn {
  readonly tokenKey: string | undefined;
  readonly revocation: boolean;
  readonly start: () => void;
}

export interface TokenView {
  readonly tokenId: string;
  readonly principalId: string;
  readonly role: Role;
  readonly departments: readonly string[] | null;
  readonly source: 'managed' | 'configuration';
  readonly status: 'active' | 'revoked' | 'expired';
  readonly issuedAt: string | null;
  readonly issuedBy: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

const MAX_ATTEMPTS = 5;
/** The wait before following the stream again after its subscription failed. */
const RESUBSCRIBE_MS = 1_000;

function configuredTokens(tokens: readonly BootstrapToken[]): Map<string, { principal: Principal; view: TokenView }> {
  const configured = new Map<string, { principal: Principal; view: TokenView }>();
  for (const { token, principalId, role } of tokens) {
    const hash = hashToken(token);
    const tokenKey = `configured:${hash.slice(0, 16)}`;
    configured.set(hash, {
      principal: { actor: { id: principalId, role }, scope: 'all', tokenKey },
      view: {
        tokenId: tokenKey, principalId, role, departments: null, source: 'configuration', status: 'active',
        issuedAt: null, issuedBy: null, expiresAt: null, revokedAt: null, revokedBy: null,
      },
    });
  }
  return configured;
}

/** A grant as answers show it: everything but the token's hash. */
export type ShownGrant = Omit<AccessGrant, 'tokenHash'>;
const shown = ({ tokenHash: _hash, ...grant }: AccessGrant): ShownGrant => grant;
// The one-shot hash (no Hash object per request): the same digest of the token's UTF-8 bytes as createHash gave.
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

/**
 * Tokens as events. Issuing or revoking reads the `access-control` stream, decides, and appends
 * with its revision as the expected one; the state is then folded from the stream, here and in
 * every other process through a subscription, so a revocation takes effect everywhere.
 */
export class AccessControl {
  private state: AccessState = NO_ACCESS;
  private revision = -1;
  private position = 0;
  /** Hash of the stream's last event: where the next event's link starts. */
  private headHash = chainStart(ACCESS_CONTROL_STREAM);
  /** Index of the grants that are not revoked, by token hash. */
  private readonly byHash = new Map<string, AccessGrant>();
  private readonly decidedBy = new Map<string, { issuedBy?: string; revokedBy?: string }>();
  /** The configured tokens, by SHA-256: who they stand for, and how GET /access/tokens shows them. */
  private configured = new Map<string, { principal: Principal; view: TokenView }>();
  private subscription: AllSubscription | undefined;
  private following: Promise<void> | undefined;
  private closed = false;
  /** The resubscriptions failing in a row (for /health); ended by a subscription that delivers again. */
  private readonly resubscriptions = new FailureStreak();
  /**
   * This process's decisions waiting for their turn: one runs at a time, so two never race for the same revision here,
   * and each sees what the ones before it wrote (a revocation included) before it decides. Revocations wait ahead of
   * every other waiting decision (in their own order of arrival), so a revocation never waits behind queued issues.
   */
  private readonly waiting: Turn[] = [];
  private running = false;

  constructor(
    private readonly eventStore: EventStore,
    private readonly now: () => Date,
    bootstrapTokens: readonly BootstrapToken[] = [],
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.configured = configuredTokens(bootstrapTokens);
  }

  /**
   * Puts another set of configured tokens in force at once (tokens.json rotated): a request is
   * checked against the old set or the new one, never a mix.
   */
  replaceConfigured(tokens: readonly BootstrapToken[]): { added: number; removed: number } {
    const next = configuredTokens(tokens);
    const added = [...next.keys()].filter((hash) => !this.configured.has(hash)).length;
    const removed = [...this.configured.keys()].filter((hash) => !next.has(hash)).length;
    this.configured = next;
    return { added, removed };
  }

  /**
   * What fails in following the stream, for /health: a subscription that fails twice or more in a row
   * (each retried after a second) leaves grants and revocations made elsewhere unseen here.
   */
  problems(): string[] {
    const failure = this.resubscriptions.failure();
    return failure ? [describeLoopFailure('access control: following the access-control stream', failure)] : [];
  }

  /** Loads the stream, then follows it. */
  async start(): Promise<void> {
    await this.reload();
    this.follow();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.subscription?.close();
    await this.following;
  }

  /** The principal a bearer token stands for, or undefined (unknown, revoked or expired). */
  authenticate(token: string): Principal | undefined {
    const hash = hashToken(token);
    const configured = this.configured.get(hash);
    if (configured) return configured.principal;
    const grant = this.byHash.get(hash);
    if (!grant || !grantIsActive(grant, this.now())) return undefined;
    return { actor: { id: grant.principalId, role: grant.role }, scope: grant.departments ?? 'all', tokenKey: `token:${grant.tokenId}` };
  }

  /** Issues a new token; the only time it is ever shown is in this answer. */
  async issue(request: IssueRequest, decision: DecisionMetadata): Promise<{ token: string; grant: ShownGrant; position: number }> {
    const token = `cdt_${randomBytes(32).toString('base64url')}`;
    const tokenId = randomUUID();
    const result = await this.decide('IssueAccessToken', decision, (state, at) => decideIssue({
      tokenId, principalId: request.principalId, role: request.role, departments: request.departments ?? null, tokenHash: hashToken(token), at,
      expiresAt: request.expiresInDays === undefined ? null : new Date(Date.parse(at) + request.expiresInDays * 86_400_000).toISOString(), actor: decision.actor,
    }, state));
    return { token, grant: shown(this.state.get(tokenId)!), position: result.position };
  }

  async revoke(tokenId: string, decision: DecisionMetadata): Promise<{ grant: ShownGrant; position: number }> {
    const result = await this.decide('RevokeAccessToken', decision, (state, at) => decideRevoke({ tokenId, at, actor: decision.actor }, state));
    return { grant: shown(this.state.get(tokenId)!), position: result.position };
  }

  /**
   * Runs `work` (a command and the revocations it brings, such as a deactivation with revokeTokens) as one turn of the
   * queue for the caller: the stream is read again and the caller's token checked against it first (revoked, expired or
   * gone: CallerNotAuthenticatedError before `work` starts, nothing written), then `work` runs alone, and the revocations
   * it asks through `revoke` are decided in this same turn (not queued again, so no deadlock). A revocation of the caller
   * thus runs either before the whole turn (refused) or after it (everything decided while the caller was valid). The
   * revocations inside the turn carry no tokenKey of their own: the caller was checked when the turn began, and only
   * another process could revoke it meanwhile (then the revocations of the deactivated person still go through).
   * `revoke` refuses to run once the turn has ended. Capped like any decision of the caller's token.
   */
  asCaller<T>(
    tokenKey: string | undefined, actor: Actor,
    work: (revoke: (tokenId: string, decision: DecisionMetadata) => Promise<{ grant: ShownGrant; position: number }>) => Promise<T>,
  ): Promise<T> {
    return this.takeTurn(tokenKey, false, async () => {
      await this.reload();
      if (tokenKey !== undefined && !this.stillValid(tokenKey, actor, this.now())) throw new CallerNotAuthenticatedError(tokenKey);
      let open = true;
      const revoke = async (tokenId: string, { tokenKey: _own, ...decision }: DecisionMetadata) => {
        if (!open) throw new Error('asCaller: revoke was called after its turn has ended; take another turn.');
        const result = await this.decideNow('RevokeAccessToken', decision, (state, at) => decideRevoke({ tokenId, at, actor: decision.actor }, state));
        return { grant: shown(this.state.get(tokenId)!), position: result.position };
      };
      try {
        return await work(revoke);
      } finally {
        open = false;
      }
    });
  }

  /** Every token that can or could get in: configured ones first, then managed ones, newest first. */
  list(): TokenView[] {
    const now = this.now();
    const managed = [...this.state.values()].reverse().map((grant): TokenView => ({
      tokenId: grant.tokenId, principalId: grant.principalId, role: grant.role, departments: grant.departments, source: 'managed',
      status: grant.revokedAt !== null ? 'revoked' : grantIsActive(grant, now) ? 'active' : 'expired',
      issuedAt: grant.issuedAt, issuedBy: this.decidedBy.get(grant.tokenId)?.issuedBy ?? null, expiresAt: grant.expiresAt,
      revokedAt: grant.revokedAt, revokedBy: this.decidedBy.get(grant.tokenId)?.revokedBy ?? null,
    }));
    return [...[...this.configured.values()].map((entry) => entry.view), ...managed];
  }

  /** The audit view: every grant and revocation in order, who decided it and why, and whether the chain is intact. */
  async history(): Promise<{ stream: string; verification: ChainVerdict; entries: unknown[] }> {
    const events = await this.read(0, true);
    return {
      stream: ACCESS_CONTROL_STREAM,
      verification: verifyChain(ACCESS_CONTROL_STREAM, events),
      entries: events.map((event) => {
        const { tokenHash: _hash, ...data } = event.data as Record<string, unknown>;
        return {
          revision: event.revision, position: event.position, type: event.type, actor: event.metadata['actor'], reason: event.metadata['reason'] ?? null,
          occurredAt: event.metadata['occurredAt'], recordedAt: event.recordedAt, commandId: event.metadata['commandId'], hash: event.metadata['hash'], data,
        };
      }),
    };
  }

  /** One decision at a time in this process (the queue): revocations first, then the others, each in the order asked. */
  private decide(commandType: string, decision: DecisionMetadata, decider: (state: AccessState, at: string) => AccessEvent[]): Promise<{ position: number }> {
    return this.takeTurn(decision.tokenKey, commandType === 'RevokeAccessToken', () => this.decideNow(commandType, decision, decider));
  }

  /**
   * Waits for a turn of the queue, then runs `work` alone. Refused at once (TooManyDecisionsWaitingError) when the caller
   * token already has MAX_WAITING_DECISIONS_PER_TOKEN turns waiting.
   */
  private takeTurn<T>(tokenKey: string | undefined, revocation: boolean, work: () => Promise<T>): Promise<T> {
    if (tokenKey !== undefined && this.waiting.filter((turn) => turn.tokenKey === tokenKey).length >= MAX_WAITING_DECISIONS_PER_TOKEN) {
      return Promise.reject(new TooManyDecisionsWaitingError(MAX_WAITING_DECISIONS_PER_TOKEN));
    }
    return new Promise<T>((resolve, reject) => {
      const turn: Turn = {
        tokenKey, revocation,
        // The next turn starts once this one ends, however it ends.
        start: () => void work().then(resolve, reject).finally(() => {
          this.running = false;
          this.nextTurn();
        }),
      };
      // A revocation goes after the revocations already waiting and before every other waiting turn.
      const at = revocation ? this.waiting.findIndex((waiting) => !waiting.revocation) : -1;
      if (at === -1) this.waiting.push(turn);
      else this.waiting.splice(at, 0, turn);
      this.nextTurn();
    });
  }

  private nextTurn(): void {
    if (this.running) return;
    const turn = this.waiting.shift();
    if (turn === undefined) return;
    this.running = true;
    turn.start();
  }

  /**
   * Reads what the stream holds, checks the caller against it, decides and appends. Only another process (the CLI, another
   * API instance) can append in between: that attempt is refused by the store and made again, after a short jittered wait,
   * on the stream as it then is, with the caller checked again (revoked there meanwhile: refused).
   */
  private async decideNow(commandType: string, decision: DecisionMetadata, decider: (state: AccessState, at: string) => AccessEvent[]): Promise<{ position: number }> {
    const commandId = decision.commandId ?? randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      await this.reload();
      const at = this.now().toISOString();
      if (decision.tokenKey !== undefined && !this.stillValid(decision.tokenKey, decision.actor, new Date(at))) throw new CallerNotAuthenticatedError(decision.tokenKey);
      const { events } = chainedEvents(decider(this.state, at), {
        commandId, commandType, correlationId: decision.correlationId ?? commandId, causationId: commandId, actor: decision.actor, reason: decision.reason, occurredAt: at,
      }, this.headHash, () => 1);
      try {
        const result = await this.eventStore.append(ACCESS_CONTROL_STREAM, events, { expectedRevision: this.revision < 0 ? 'no_stream' : this.revision });
        await this.reload();
        return { position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
      // Two processes that lost to each other try again apart: up to 10, 20, 40, 80 ms.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** (attempt - 1)));
    }
  }

  /** Whether the caller's token (a Principal's tokenKey) still lets it in, by the state just read and the configuration in force. */
  private stillValid(tokenKey: string, actor: Actor, at: Date): boolean {
    if (tokenKey.startsWith('token:')) {
      const grant = this.state.get(tokenKey.slice('token:'.length));
      return grant !== undefined && grantIsActive(grant, at);
    }
    // A configured token still in tokens.json, and still standing for the same principal and role (a rotation may demote it).
    for (const { principal } of this.configured.values()) {
      if (principal.tokenKey === tokenKey) return principal.actor.id === actor.id && principal.actor.role === actor.role;
    }
    return false;
  }

  /** Folds whatever of the stream this process has not seen yet. */
  private async reload(): Promise<void> {
    const events = await this.read(this.revision + 1);
    for (const event of events) this.apply(event);
  }

  /**
   * Folds one event of the stream. A gap in the revisions means events were removed from the stream
   * (the seals catch that, docs/adr/0010): what remains is folded, and the next append goes after the
   * stream's real head, so an acknowledgement can re-apply the revocations that were lost.
   */
  private apply(event: RecordedEvent): void {
    if (event.revision <= this.revision) return;
    if (ACCESS_EVENT_TYPES.has(event.type)) {
      const accessEvent = { type: event.type, data: event.data } as unknown as AccessEvent;
      this.state = evolveAccess(this.state, accessEvent);
      const actor = (event.metadata['actor'] as Actor | undefined)?.id;
      const tokenId = accessEvent.data.tokenId;
      this.decidedBy.set(tokenId, { ...this.decidedBy.get(tokenId), ...(accessEvent.type === 'AccessTokenIssued' ? { issuedBy: actor } : { revokedBy: actor }) });
      // A revocation whose grant was removed from the stream names no grant.
      const grant = this.state.get(tokenId);
      if (grant && grant.revokedAt === null) this.byHash.set(grant.tokenHash, grant);
      else if (grant) this.byHash.delete(grant.tokenHash);
    }
    this.revision = event.revision;
    this.position = event.position;
    this.headHash = typeof event.metadata['hash'] === 'string' ? event.metadata['hash'] : chainHash(this.headHash, event);
  }

  /** fromStorage: what is stored now, not a copy the store kept (to verify the chain, docs/adr/0003). */
  private read(fromRevision = 0, fromStorage = false): Promise<RecordedEvent[]> {
    return readStreamOrEmpty(this.eventStore, ACCESS_CONTROL_STREAM, { fromRevision, fromStorage });
  }

  /** Applies grants and revocations other processes append (the CLI, another API instance). */
  private follow(): void {
    if (this.closed) return;
    this.following = (async () => {
      try {
        // Inside the try: a subscription refused at once is a failure like one that breaks later (tried again).
        const subscription = this.eventStore.subscribeToAll({ fromPosition: this.position, filter: { streamPrefixes: [ACCESS_CONTROL_STREAM] } });
        this.subscription = subscription;
        for await (const message of subscription) {
          // Anything delivered (its catching up included) is a subscription that works again.
          this.resubscriptions.succeeded();
          if (message.kind !== 'event' || message.event.stream !== ACCESS_CONTROL_STREAM) continue;
          if (message.event.revision > this.revision + 1) await this.reload();
          else this.apply(message.event);
        }
      } catch (error) {
        if (this.closed) return;
        this.onError(error);
        this.resubscriptions.failed(error, RESUBSCRIBE_MS);
        await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_MS));
        this.follow();
      }
    })();
  }
}
