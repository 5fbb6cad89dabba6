import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Actor, DepartmentScope } from '@app/domain';
import { Clock, type CommandContext, type CommandOutcome, type ExpectedRevisions } from '@app/complaints';
import { canonicalJson, deterministicUuid } from '@app/event-sourcing';
import { EventStoreUnavailableError } from '@app/event-store';
import { IdempotencyKeyReusedError, RequestValidationError, idHeader } from './request-errors';
import { IdempotencyStore, type StoredResponse } from '@app/read-store';

export interface CommandRequest {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The path's parameters as sent (decoded), and the route's pattern (`/complaints/:id/assign`): Fastify's. */
  readonly params?: unknown;
  readonly routeOptions?: { readonly url?: string };
  /** Set here, for the access log. */
  commandId?: string;
  /** Set by AuthGuard. */
  readonly principal?: { readonly scope: DepartmentScope };
}

export interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** What the runner must know of the aggregate a route commands (a complaint, a work order, the service network …). */
export interface CommandOptions {
  readonly status: 200 | 201;
  /** Where a 201's new aggregate is read (the Location header). */
  readonly location?: (id: string) => string;
  /**
   * Throws (as "not found") when a principal limited to departments may not see the aggregate now.
   * Asked before an answer is replayed from the Idempotency-Key store: the key belongs to the
   * principal, and another of its tokens may be limited. Routes of aggregates without departments
   * leave it out (their scoped callers are refused by the route).
   */
  readonly requireInScope?: (id: string, actor: Actor, scope: Exclude<DepartmentScope, 'all'>) => Promise<unknown>;
  /**
   * Throws when the actor may not act at all now (an engineer the service network deactivated).
   * Asked before an answer is replayed from the Idempotency-Key store, which runs no command; the
   * command itself checks it when it runs.
   */
  readonly requireActing?: (actor: Actor) => Promise<void>;
  /**
   * How the route's pipes read each id of its path (a UUID in any case, a person's id in any width or with
   * invisible characters): an Idempotency-Key's fingerprint takes the id so read, so a retry that spells it
   * otherwise is the same request, not 422 idempotency-key-reused. A path already in that form keeps the
   * fingerprint it had.
   */
  readonly pathIds?: PathIds;
  /**
   * The same for ids in the body, by dotted path (`product.serialNumber`), each read as the route's DTO reads it
   * (a serial number in its canonical form, a UUID in lower case): a retry that spells one otherwise is the same
   * request. A body already in that form has the fingerprint it had, so keys stored before still match.
   */
  readonly bodyIds?: PathIds;
}

export type PathIds = Readonly<Record<string, (raw: string) => string>>;

/** A UUID path id (complaint, work order, survey): its pipe answers it in lower case. */
export const UUID_PATH_ID = (raw: string): string => raw.toLowerCase();

/** The path an Idempotency-Key's fingerprint covers: the ids of `pathIds` as the route reads them, the rest as sent. */
function fingerprintPath(request: CommandRequest, pathIds: PathIds | undefined): string {
  const sent = request.url.split('?')[0]!;
  const pattern = request.routeOptions?.url;
  const params = request.params as Record<string, unknown> | undefined;
  if (pathIds === undefined || pattern === undefined || params === undefined || params === null) return sent;
  return pattern.replace(/:([A-Za-z0-9_]+)/g, (whole, name: string) => {
    const raw = params[name];
    const read = pathIds[name];
    return typeof raw !== 'string' || read === undefined ? (typeof raw === 'string' ? encodeURIComponent(raw) : whole) : encodeURIComponent(read(raw));
  });
}

/** The body an Idempotency-Key's fingerprint covers: the ids of `bodyIds` as the route reads them, the rest as sent (the same object when nothing changes). */
function fingerprintBody(body: unknown, bodyIds: PathIds | undefined): unknown {
  if (bodyIds === undefined) return body;
  return Object.entries(bodyIds).reduce((read, [path, normalise]) => withIdRead(read, path.split('.'), normalise), body);
}

function withIdRead(value: unknown, [key, ...rest]: readonly string[], normalise: (raw: string) => string): unknown {
  if (key === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  const inner = object[key];
  const read = rest.length === 0 ? (typeof inner === 'string' ? normalise(inner) : inner) : withIdRead(inner, rest, normalise);
  return read === inner ? object : { ...object, [key]: read };
}

/** Namespace of command ids derived from Idempotency-Keys. */
const IDEMPOTENCY_NAMESPACE = '6f1c9a52-3e0d-4b7a-9d18-0c5e2f4a7b31';
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The HTTP side of every command: If-Match → expected revision, Idempotency-Key → a stable
 * command id plus a stored response, correlation and causation headers → event metadata.
 */
@Injectable()
export class CommandRunner {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly logger = new Logger('CommandRunner');

  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  async run(
    request: CommandRequest,
    reply: HeaderSink,
    actor: Actor,
    dispatch: (context: CommandContext) => Promise<CommandOutcome>,
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    const expectedRevision = parseIfMatch(request.headers['if-match']);
    const key = header(request, 'idempotency-key');
    if (key !== undefined && !KEY.test(key)) {
      throw new RequestValidationError([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–200 visible ASCII characters' }]);
    }
    const correlationId = idHeader(request.headers, 'x-correlation-id');
    const causationId = idHeader(request.headers, 'x-causation-id');
    // With a key, the request it stands for: the stored answer is given to it only, and the events record its digest, so a command id found in its stream once the answer expired is answered for it only too.
    const fingerprint = key === undefined ? undefined : createHash('sha256').update(`${request.method} ${fingerprintPath(request, options.pathIds)}\n${canonicalJson(fingerprintBody(request.body, options.bodyIds))}`).digest('hex');
    const execute = async (): Promise<CommandOutcome> => {
      const commandId = key === undefined ? randomUUID() : commandIdFor(actor.id, key);
      request.commandId = commandId;
      const context: CommandContext = {
        commandId, actor, expectedRevision, ...(request.principal && request.principal.scope !== 'all' ? { scope: request.principal.scope } : {}),
        correlationId: correlationId ?? commandId,
        causationId: causationId ?? commandId,
        ...(fingerprint === undefined ? {} : { request: fingerprint }),
      };
      return dispatch(context);
    };
    if (key === undefined || fingerprint === undefined) return this.respond(reply, await execute(), options);

    const slot = `${actor.id}\n${key}`;
    // A second request with the same key waits for the first, then answers from what it stored.
    while (this.inFlight.has(slot)) await this.inFlight.get(slot)!.catch(() => undefined);
    let stored: StoredResponse | undefined;
    try {
      // An answer older than the TTL is forgotten: the key then runs the command again (its command id is the same).
      stored = await this.idempotency.get(actor.id, key, this.clock.now());
    } catch (error) {
      throw new EventStoreUnavailableError(`the idempotency store cannot be read: ${(error as Error).message}`, error);
    }
    if (stored) {
      if (stored.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      await options.requireActing?.(actor);
      // The key belongs to the principal, not to the token: another of its tokens may be limited to
      // departments (the route's guard has already checked the role). Answer only what this token
      // could be told by running the command again.
      const scope = request.principal?.scope ?? 'all';
      if (scope !== 'all') await options.requireInScope?.((stored.body as CommandOutcome).id, actor, scope);
      for (const [name, value] of Object.entries(stored.headers)) reply.header(name, value);
      reply.header('Idempotent-Replayed', 'true');
      return stored.body as CommandOutcome;
    }
    const running = execute();
    this.inFlight.set(slot, running);
    try {
      const outcome = await running;
      this.respond(reply, outcome, options);
      const headers = responseHeaders(outcome, options);
      try {
        await this.idempotency.put(actor.id, key, { fingerprint, status: options.status, headers, body: outcome }, this.clock.now());
      } catch (error) {
        // The events are stored: the command succeeded. A retry with this key still finds them by its command id.
        this.logger.warn(`could not remember Idempotency-Key (${(error as Error).message}); a retry will be answered from the event log`);
      }
      return outcome;
    } finally {
      this.inFlight.delete(slot);
    }
  }

  private respond(reply: HeaderSink, outcome: CommandOutcome, options: CommandOptions): CommandOutcome {
    for (const [name, value] of Object.entries(responseHeaders(outcome, options))) reply.header(name, value);
    return outcome;
  }
}

/** The command id an Idempotency-Key stands for: the same key from the same principal is the same command. */
export const commandIdFor = (principalId: string, key: string): string => deterministicUuid(IDEMPOTENCY_NAMESPACE, `${principalId}\n${key}`);

function responseHeaders(outcome: CommandOutcome, options: CommandOptions): Record<string, string> {
  return { ETag: `"${outcome.revision}"`, ...(options.status === 201 && options.location ? { Location: options.location(outcome.id) } : {}) };
}

function header(request: CommandRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}


/** A revision as the API's ETag gives it, quoted (`"3"`) or bare (`3`), never half-quoted. */
const ENTITY_TAG = /^(?:"(\d{1,15})"|(\d{1,15}))$/;
const IF_MATCH_FORM = 'If-Match must be the ETag of what the command changes, such as "3", or a list of them, such as "3", "4" (any one of them matches)';

/**
 * If-Match (RFC 9110 §13.1.1) as the revisions a command accepts: `"3"` (or 3, never half-quoted
 * nor with a leading zero) → 3; a list
 * `"3", "4"` → [3, 4], any of which matches, its empty elements ignored (`"3",` is 3); `*` or none → no constraint (the aggregate must exist
 * anyway). If-Match compares strongly, so a weak tag (W/"3") never matches: it is refused, as is
 * anything that is not a list of revisions.
 */
export function parseIfMatch(value: string | readonly string[] | undefined): ExpectedRevisions | undefined {
  const text = typeof value === 'string' ? value : value?.join(', ');
  if (text === undefined || text.trim() === '*') return undefined;
  // RFC 9110 §5.6.1: a list may hold empty elements (`"3",` or `, "3"`), which a recipient ignores; a list of nothing else names no tag.
  const tags = text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (tags.length === 0) throw new RequestValidationError([{ field: 'If-Match', message: `If-Match names no entity-tag: send the ETag the API gave, such as "1", or leave the header out. ${IF_MATCH_FORM}` }]);
  const weak = tags.find((tag) => tag.startsWith('W/'));
  if (weak) {
    throw new RequestValidationError([{ field: 'If-Match', message: `If-Match compares entity-tags strongly (RFC 9110), so the weak tag ${weak} never matches: send the ETag as the API gave it, such as ${weak.slice(2)}` }]);
  }
  const revisions = tags.map((tag) => { const match = ENTITY_TAG.exec(tag); return match?.[1] ?? match?.[2]; });
  if (revisions.some((revision) => revision === undefined)) throw new RequestValidationError([{ field: 'If-Match', message: IF_MATCH_FORM }]);
  // Entity-tags compare as strings (strongly): "01" is not the ETag "1" of any revision.
  const padded = revisions.find((revision) => revision!.length > 1 && revision!.startsWith('0'));
  if (padded !== undefined) {
    throw new RequestValidationError([{ field: 'If-Match', message: `an ETag of this API has no leading zero, so ${padded} never matches: send the ETag as the API gave it, such as "${Number(padded)}"` }]);
  }
  const listed = [...new Set(revisions.map(Number))];
  return listed.length === 1 ? listed[0]! : listed;
}
