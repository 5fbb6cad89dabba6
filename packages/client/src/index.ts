/**
 * A typed client of the Complaint Desk API: openapi-fetch over the types openapi-typescript made of
 * the API's own OpenAPI 3.1 document (./generated, written by `npm run client:generate` at the root of
 * the repository). Every path, parameter, body and answer is checked by the compiler; a change to the
 * API that breaks a caller breaks its build.
 */
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './generated/schema.js';

export type { components, operations, paths };

/**
 * The media types the client reads: application/json and application/problem+json. The list and
 * table routes also answer text/csv; a CSV download is a file, not data: fetch it with a plain link
 * or `fetch` (Accept: text/csv), outside this client.
 */
export type JsonMediaType = `${string}/${string}json`;

export type ComplaintDeskClient = Client<paths, JsonMediaType>;

/** A named schema of the document: `Schema<'ComplaintViewDto'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** Every error the API answers, as application/problem+json (RFC 9457). Switch on `code`, never on `detail`. */
export type Problem = Schema<'Problem'>;
export type ProblemCode = Problem['code'];

/** The bearer token: a string, or a function asked before each request (a front-end's session store). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface ComplaintDeskClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the API is: `https://desk.example.com`, or `/api` behind the front-end's own origin. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` unless a request sets Authorization itself. Public routes need none. */
  readonly token?: TokenSource;
  /**
   * Send a request once more, at once, when its connection was reset before it had any answer, if it is
   * safe to repeat (default true; see `retriesOnReset`). `false` leaves every failure to the caller.
   */
  readonly retryOnReset?: boolean;
}

/**
 * The client. Each call answers `{ data, error, response }`: `data` typed by the route's success
 * schema, or `error` typed as the Problem. `unwrap` turns that into data or a thrown ComplaintDeskError.
 *
 *   const desk = createComplaintDeskClient({ baseUrl: 'https://desk.example.com', token });
 *   const { data, error } = await desk.GET('/complaints/{id}', { params: { path: { id } } });
 */
export function createComplaintDeskClient({ token, retryOnReset = true, ...options }: ComplaintDeskClientOptions): ComplaintDeskClient {
  // openapi-fetch's own default, taken as it takes it (when the client is made); a per-call `fetch` is used as given.
  const fetch = options.fetch ?? globalThis.fetch;
  const client = createClient<paths, JsonMediaType>(retryOnReset ? { ...options, fetch: repeatingOnReset(fetch) } : options);
  if (token !== undefined) client.use(bearer(token));
  return client;
}

/**
 * The POST routes that take no Idempotency-Key (the API refuses one with a 400 naming the header: a repeat would
 * issue a second token, or be a 409): never repeated. index.spec.ts checks this list against the document.
 */
const POSTS_WITHOUT_IDEMPOTENCY_KEY = ['/access/tokens', '/access/tokens/{tokenId}/revoke', '/analytics/as-of'];
// Matched at the end of the path: the base URL may put the API under a prefix (/api).
const IGNORES_IDEMPOTENCY_KEY = new RegExp(`(?:${POSTS_WITHOUT_IDEMPOTENCY_KEY.map((route) => route.replace(/\{[^}]+\}/g, '[^/]+')).join('|')})$`);

/**
 * Whether the client sends a request once more after a reset: GET, HEAD and OPTIONS change nothing;
 * PUT and DELETE are idempotent (the API's one DELETE, of an as-of generation, answers 404 to a repeat
 * and changes nothing more); a POST only with an Idempotency-Key, which the API's command routes answer
 * once, from the first answer (a command id derived from the key, so the command is never written twice).
 * If-Match alone is not enough: it keeps a repeat from writing twice, but a repeat of a command that was
 * written would answer 412 for a command that succeeded.
 */
export function retriesOnReset(request: Request): boolean {
  switch (request.method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
    case 'PUT':
    case 'DELETE':
      return true;
    case 'POST':
      return request.headers.has('idempotency-key') && !IGNORES_IDEMPOTENCY_KEY.test(new URL(request.url).pathname);
    default:
      return false;
  }
}

/**
 * What undici's fetch (Node.js) gives as the cause of `TypeError: fetch failed` when the connection went
 * before an answer: a pooled keep-alive socket the server closed just as fetch reused it (nodejs/undici#3141,
 * nodejs/node#47130, which leave retrying to the caller). Not a timeout, an abort, a refused connection or
 * a name that does not resolve: those are no race, and are the caller's to handle. (Browsers retry this
 * race themselves, and their `TypeError: Failed to fetch` has no cause: it is never repeated here.)
 */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function isReset(error: unknown): boolean {
  const codeOf = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined);
  const code = codeOf((error as { cause?: unknown } | null)?.cause) ?? codeOf(error);
  return typeof code === 'string' && RESET_CODES.has(code);
}

/**
 * fetch, sending a request that is safe to repeat once more, at once, when its connection was reset.
 * fetch rejects only before it has a Response, so a call whose answer began (its status and headers
 * arrived, and then its body broke off) is never repeated; nor is one the caller aborted, nor an HTTP
 * error status, which is an answer. When the repeat fails too, the first failure is thrown as fetch threw it.
 */
function repeatingOnReset(fetch: (input: Request, ...rest: never[]) => Promise<Response>) {
  return async (request: Request, ...rest: never[]): Promise<Response> => {
    // The body is read as it is sent: the repeat needs its own copy, taken before.
    const spare = retriesOnReset(request) ? request.clone() : undefined;
    try {
      return await fetch(request, ...rest);
    } catch (error) {
      if (spare === undefined || request.signal?.aborted || !isReset(error)) throw error;
      try {
        return await fetch(spare, ...rest);
      } catch (repeatError) {
        // The caller's abort, if it came during the repeat, is what the caller asked for; otherwise the first failure.
        throw request.signal?.aborted ? repeatError : error;
      }
    }
  };
}

function bearer(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('authorization')) return request;
      const value = typeof token === 'function' ? await token() : token;
      if (value) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/** The ETag of a revision, as the API sends it and takes it back in If-Match: `"5"`. */
export const etagOf = (revision: number): string => `"${revision}"`;

/**
 * The revision an ETag names (a command's answer and GET /complaints/{id} carry one), from the
 * header's value or from the response itself; undefined when there is none.
 */
export function revisionOf(source: Response | string | null | undefined): number | undefined {
  const etag = typeof source === 'string' || source == null ? source : source.headers.get('etag');
  const match = /^(?:W\/)?"(\d+)"$/.exec(etag?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** A fresh Idempotency-Key (a random UUID): one per new request; a retry of that request sends the same one. */
export const newIdempotencyKey = (): string => globalThis.crypto.randomUUID();

export interface CommandHeaderOptions {
  /** The revision the decision was made on (its ETag): the API answers 412 `revision-mismatch` if the complaint changed since. */
  readonly expectedRevision?: number;
  /** Makes the command safe to retry: the same key and body are answered once, from the first answer, with `Idempotent-Replayed: true`. */
  readonly idempotencyKey?: string;
  /** Recorded in the metadata of the events (default: the command id). */
  readonly correlationId?: string;
  readonly causationId?: string;
}

/** The header parameters a command route takes, by their names in the document. */
export type CommandHeaders = NonNullable<operations['Complaints_validate']['parameters']['header']>;

/**
 * The headers of a command, for `params.header`:
 *
 *   desk.POST('/complaints/{id}/assign', {
 *     params: { path: { id }, header: commandHeaders({ expectedRevision: 1, idempotencyKey: newIdempotencyKey() }) },
 *     body: { department: 'station-ops', assignee: 'zhang.wei' },
 *   });
 */
export function commandHeaders({ expectedRevision, idempotencyKey, correlationId, causationId }: CommandHeaderOptions): CommandHeaders {
  return {
    ...(expectedRevision === undefined ? {} : { 'If-Match': etagOf(expectedRevision) }),
    ...(idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey }),
    ...(correlationId === undefined ? {} : { 'X-Correlation-Id': correlationId }),
    ...(causationId === undefined ? {} : { 'X-Causation-Id': causationId }),
  };
}

/** Whether a value is a problem+json body of this API. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['code'] === 'string' && typeof candidate['status'] === 'number' && typeof candidate['title'] === 'string';
}

/**
 * A call that did not succeed: `problem` is the API's problem+json answer (undefined when something
 * else answered, a proxy's HTML error page for instance), `status` the HTTP status.
 */
export class ComplaintDeskError extends Error {
  override readonly name = 'ComplaintDeskError';
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(readonly response: Response, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    super(problem ? `${problem.status} ${problem.code}: ${problem.detail}` : `${response.status} ${response.statusText || 'error'} from ${response.url}`);
    this.status = response.status;
    this.problem = problem;
  }

  /** The problem's stable code, if the API answered with one. */
  get code(): ProblemCode | undefined {
    return this.problem?.code;
  }
}

/** What every call of the client answers. */
export interface CallResult<Data> {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a successful call, or a thrown ComplaintDeskError, for code that prefers exceptions:
 *
 *   const complaint = await unwrap(desk.GET('/complaints/{id}', { params: { path: { id } } }));
 */
export async function unwrap<Data>(call: CallResult<Data> | Promise<CallResult<Data>>): Promise<Data> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ComplaintDeskError(response, error);
  return data as Data;
}
