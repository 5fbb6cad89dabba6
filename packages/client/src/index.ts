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
}

/**
 * The client. Each call answers `{ data, error, response }`: `data` typed by the route's success
 * schema, or `error` typed as the Problem. `unwrap` turns that into data or a thrown ComplaintDeskError.
 *
 *   const desk = createComplaintDeskClient({ baseUrl: 'https://desk.example.com', token });
 *   const { data, error } = await desk.GET('/complaints/{id}', { params: { path: { id } } });
 */
export function createComplaintDeskClient({ token, ...options }: ComplaintDeskClientOptions): ComplaintDeskClient {
  const client = createClient<paths, JsonMediaType>(options);
  if (token !== undefined) client.use(bearer(token));
  return client;
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
