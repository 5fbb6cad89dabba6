import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, getSchemaPath } from '@nestjs/swagger';
import type { HeaderObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { BODY_TOO_LARGE_DETAIL, PROBLEM_CONTENT_TYPE, problem, type ProblemCode } from '../http/problem';
import { PROBLEM_SCHEMA } from './problem.schema';

/**
 * The decorators every route documents itself with, so that the served OpenAPI document says what
 * each route answers: its success body (a DTO class), its headers, and each error status it can
 * really return, as problem+json. A new controller uses the same ones: `Roles()` (auth/roles.decorator)
 * adds 401, 403 and 429 by itself, `CommandResponses()` is a whole command, and
 * `ProblemResponses(...)` adds the statuses the route's own logic returns. contract.e2e-spec.ts
 * fails for a route without a documented answer, and for a real answer its document does not list.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 406 | 409 | 410 | 412 | 413 | 414 | 415 | 422 | 428 | 429 | 431 | 503;

/** What each status means on any route; a route may say more with ProblemResponses({ status, description, codes }). */
const MEANINGS: Record<ErrorStatus, { readonly description: string; readonly code: ProblemCode; readonly detail: string }> = {
  400: { description: 'The request is invalid (a field, the query, a header or the body); `errors` names each field. Nothing was written.', code: 'validation-failed', detail: 'The request is invalid: reason: reason must be text of 1–2000 characters' },
  401: { description: 'No token, or one that is unknown, revoked or expired.', code: 'unauthorized', detail: 'An Authorization: Bearer <token> header is required.' },
  403: { description: 'The token\'s role may not call this route, or its departments do not reach this view.', code: 'forbidden', detail: 'The agent role may not do this; allowed: supervisor, admin.' },
  404: { description: 'Not found (or outside the caller\'s departments, which reads the same).', code: 'not-found', detail: 'Not found.' },
  406: {
    description: 'The Accept header allows neither JSON nor CSV as this route writes them (UTF-8; a CSV starts with its header row, so `header=absent` is not met), or a media range that covers one of them names a parameter twice or without a value, or is both refused (q=0) and asked for, or only `application/problem+json` (an error\'s type) is taken with JSON refused, or `application/problem+json;q=0` refuses the JSON it reads as; `detail` says which and what to send. With `format` in the query the Accept is not read.',
    code: 'not-acceptable',
    detail: 'This route answers application/json or text/csv (or add format=json|csv to the query), but the Accept header\'s text/csv;header=absent cannot be served: every CSV here starts with its header row (header=present), so header=absent cannot be met; send Accept: text/csv, or add format=csv to the query.',
  },
  409: { description: 'Refused in the current state; nothing was written.', code: 'conflict', detail: 'Conflict.' },
  410: { description: 'The stream was deleted on the event store server and can never be written again.', code: 'stream-deleted', detail: 'Stream complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e was deleted on the event store server and can never be written again.' },
  412: { description: 'If-Match names another revision than the current one: reload and decide again. Nothing was written.', code: 'revision-mismatch', detail: 'The complaint is at revision 3, not 2: reload it and decide again.' },
  428: {
    description: 'This command must name the revision it changes: send If-Match with the ETag of the resource (read it first). Nothing was written.', code: 'precondition-required',
    detail: 'Rotating a secret must name the revision it rotates: send If-Match with the ETag of GET /webhooks/5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f (e.g. If-Match: "3").',
  },
  413: { description: 'The JSON body is larger than 64 KiB (a file goes through the multipart upload of attachments).', code: 'body-too-large', detail: BODY_TOO_LARGE_DETAIL },
  414: { description: 'A path parameter is longer than 100 UTF-16 code units (100 ASCII characters; a character above U+FFFF, such as an emoji, counts 2).', code: 'uri-too-long', detail: 'A path parameter is longer than 100 UTF-16 code units (100 ASCII characters; a character above U+FFFF, such as an emoji, counts 2).' },
  415: { description: 'The body is not application/json.', code: 'unsupported-media-type', detail: 'Send the body as application/json (got text/plain).' },
  422: { description: 'This Idempotency-Key was used before with another request.', code: 'idempotency-key-reused', detail: 'This Idempotency-Key was already used with a different request; use a new key for a new request.' },
  431: { description: 'The request line (a long query string) or the headers are larger than the server takes.', code: 'headers-too-large', detail: 'The request line or headers are too large.' },
  429: { description: 'Too many requests from this token (or address), or too many expensive reads at once; `Retry-After` says when to try again.', code: 'rate-limited', detail: 'Too many requests; try again in 1 s.' },
  503: { description: 'The event store cannot answer right now (nothing was written); try again later.', code: 'store-unavailable', detail: 'The event store cannot take writes right now; nothing was written. Try again later.' },
};

/** The detail of an example, for codes whose status's generic one would not fit. */
const DETAILS: Partial<Record<ProblemCode, string>> = {
  'projection-failed': 'The read model sla is held at position 40 (minPosition 45 was asked): its projection failed on the event at position 42 (ComplaintAssigned) with "Error: boom" and is retried; try again later, or read without minPosition to get what it holds. GET /health names every failing projection.',
  'complaint-not-found': 'No complaint with id 0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e.',
  'customer-not-found': 'No customer file for cust-10086.',
  'customer-file-not-found': 'There is no customer file cust-20001; open it first.',
  'customer-file-already-exists': 'Customer file cust-20001 is already open; update its sections instead of opening it again.',
  'customer-file-merged': 'Customer file cust-20002 was merged into cust-20001 at 2026-03-02T08:00:00.000Z and is closed; send this to cust-20001 instead.',
  'token-not-found': 'There is no managed token 36c047e5-4d12-4e8c-a71d-54fdff6b2060.',
  'as-of-not-found': 'No as-of generation or job named "end-of-june" (GET /analytics/as-of lists them).',
  'stream-not-found': 'Stream complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e does not exist.',
  'not-received': 'Only a received complaint can be judged well-founded. This complaint is assigned.',
  'complaint-already-exists': 'Complaint 0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e has already been received.',
  'token-already-revoked': 'Token 36c047e5-4d12-4e8c-a71d-54fdff6b2060 was already revoked at 2026-03-01T09:30:00.000Z.',
  'as-of-exists': 'An as-of generation or job named "end-of-june" exists already.',
  'not-ready': 'Not ready: complaint-list is 42.0 s behind.',
  'invalid-query': 'The cursor is not one this list gave.',
  'read-model-rebuilding': 'read model complaint-list is being rebuilt from the event log: its collection complaint_list_v7__complaints is missing from the read store (dropped outside the projector), and the projector builds it again within a few seconds; try again then',
};

export interface ProblemResponseSpec {
  readonly status: ErrorStatus;
  /** Replaces the generic description of the status. */
  readonly description?: string;
  /** The codes this route answers with this status; the first one is the example's. */
  readonly codes?: readonly ProblemCode[];
  /** Other members of the example (extensions such as currentStatus). */
  readonly example?: Record<string, unknown>;
}

const RETRY_AFTER = (required: boolean): HeaderObject => ({ required, description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0, example: 1 } });
/** On every answer the rate limit counted, 2xx and 4xx alike, while RATE_LIMIT_PER_SECOND is not 0 (docs/adr/0009); listed on the 429s. */
const RATE_LIMIT_HEADERS: Record<string, HeaderObject> = {
  'RateLimit-Limit': { required: false, description: 'The requests this token (or, without a valid token, this address) may make at once: twice `RATE_LIMIT_PER_SECOND`.', schema: { type: 'integer', minimum: 0, example: 200 } },
  'RateLimit-Remaining': { required: false, description: 'The whole requests left of that burst.', schema: { type: 'integer', minimum: 0, example: 0 } },
  'RateLimit-Reset': { required: false, description: 'Seconds until the whole burst is back (`Retry-After` says when the next request fits).', schema: { type: 'integer', minimum: 0, example: 2 } },
};
const WWW_AUTHENTICATE: HeaderObject = { required: true, description: 'Always `Bearer`.', schema: { type: 'string', example: 'Bearer' } };
/** The 429s that say when to come back (a full as-of queue does not: it depends on the jobs ahead). */
const RETRY_AFTER_CODES: readonly ProblemCode[] = ['rate-limited', 'too-many-in-flight', 'projection-failed', 'turn-busy', 'read-model-rebuilding'];

/** Error responses of a route: each status with the shared problem+json schema and an example. */
export function ProblemResponses(...responses: ReadonlyArray<ErrorStatus | ProblemResponseSpec>) {
  return problemResponses(responses, 'specific');
}

/**
 * The same, as defaults: a route's own (specific) answer for the status wins, whichever decorator
 * runs first. Roles() uses it for 401, 403 and 429.
 */
export function DefaultProblemResponses(...responses: ReadonlyArray<ErrorStatus | ProblemResponseSpec>) {
  return problemResponses(responses, 'default');
}

const DEFAULTED = 'complaint-desk:defaulted-responses';
/** @nestjs/swagger's metadata key of a route's responses (API_RESPONSE, which the package does not export). */
const API_RESPONSE = 'swagger/apiResponse';

/**
 * The media types a route's success (2xx) answers, as its decorators document them; empty for a
 * handler that documents none. AcceptGuard reads it to tell a JSON-only route.
 */
export function successMediaTypes(handler: object): string[] {
  return successMediaTypesOf((Reflect.getMetadata(API_RESPONSE, handler) ?? {}) as Record<string, ResponseObject>);
}

/** The media types of the 2xx answers of a route's responses (its decorators' metadata, or the finished document's). */
export function successMediaTypesOf(responses: Readonly<Record<string, { readonly content?: object }>>): string[] {
  return Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status)).flatMap(([, response]) => Object.keys(response.content ?? {}));
}

/** Whether a route's successes are JSON alone (AcceptGuard refuses `Accept: text/csv` there; the document lists that 406). */
export const isJsonOnly = (types: readonly string[]): boolean => types.length > 0 && types.every((type) => type === 'application/json');

/**
 * Writes one response into @nestjs/swagger's metadata. Its own ApiResponse merges two entries of a
 * status (descriptions joined), or skips every one once any exists; here a specific entry replaces
 * a default one and a default never replaces anything.
 */
function defineResponse(status: number, response: ResponseObject, kind: 'specific' | 'default'): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const responses = (Reflect.getMetadata(API_RESPONSE, method) ?? {}) as Record<string, unknown>;
    const defaulted = new Set<number>(Reflect.getMetadata(DEFAULTED, method) ?? []);
    if (status in responses && (kind === 'default' || !defaulted.has(status))) return descriptor;
    if (kind === 'default') defaulted.add(status);
    else defaulted.delete(status);
    Reflect.defineMetadata(DEFAULTED, [...defaulted], method);
    Reflect.defineMetadata(API_RESPONSE, { ...responses, [status]: response }, method);
    return descriptor;
  };
}

function problemResponses(responses: ReadonlyArray<ErrorStatus | ProblemResponseSpec>, kind: 'specific' | 'default') {
  return applyDecorators(...responses.map((response) => {
    const spec: ProblemResponseSpec = typeof response === 'number' ? { status: response } : response;
    return defineResponse(spec.status, problemResponse(spec), kind);
  }));
}

/** The response object of an error status: its description with the codes, the shared schema, an example. */
export function problemResponse(spec: ProblemResponseSpec): ResponseObject {
  const meaning = MEANINGS[spec.status];
  const codes = spec.codes ?? [meaning.code];
  const description = `${spec.description ?? meaning.description} Code${codes.length > 1 ? 's' : ''}: ${codes.map((code) => `\`${code}\``).join(', ')}.`;
  const example = { ...problem(spec.status, DETAILS[codes[0]!] ?? meaning.detail, { code: codes[0]! }), instance: '/complaints/0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', requestId: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', ...spec.example };
  const headers: Record<string, HeaderObject> | undefined = spec.status === 429 || (spec.status === 503 && codes.some((code) => RETRY_AFTER_CODES.includes(code)))
    ? { 'Retry-After': RETRY_AFTER(codes.every((code) => RETRY_AFTER_CODES.includes(code))), ...(spec.status === 429 ? RATE_LIMIT_HEADERS : {}) }
    : spec.status === 401 ? { 'WWW-Authenticate': WWW_AUTHENTICATE } : undefined;
  return {
    description, ...(headers ? { headers } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF }, example } },
  };
}

/**
 * A read of a read model with `minPosition` (every route of ReadModelResponder): the projection that
 * builds it is failing below that position, so waiting would not help.
 */
export const PROJECTION_FAILED: ProblemResponseSpec = {
  status: 503, codes: ['projection-failed', 'store-damaged', 'read-model-rebuilding'],
  description: 'The read model this read depends on is held below `minPosition` by a failing projection (GET /health names it); `Retry-After` says when it is retried. Without `minPosition` the read answers what the read model holds. `store-damaged`: the read store\'s cursor key table (rm_secrets) was remade by hand in another shape, so no list can page; the detail and GET /health say how to mend it (drop it: it is made again). `read-model-rebuilding`: a table of the read model was dropped outside the projector, which builds it again from the event log, or (during an upgrade) the collection is one a new version of the read model adds, being built beside the live one, or (a search, `q`, only) its text index was dropped, which the projector makes again from the stored rows while a list without a search answers whole; `Retry-After` says when to ask again. A query at fault (a bad cursor) is a 400 whatever the read model\'s state.',
  example: { projection: 'sla', position: 40, minPosition: 45, failedPosition: 42, eventType: 'ComplaintAssigned', since: '2026-03-01T08:00:00.000Z' },
};

/** The 404 of every read that takes `asOf` (UnknownAsOfError, AsOfNotBuiltError): one text for every route. */
export const AS_OF_NOT_FOUND: ProblemResponseSpec = {
  status: 404, codes: ['as-of-not-found'],
  description: 'No read model was built as of the `asOf` name, or its build has not finished (the detail says which: how to build it, or where its progress is).',
};

/** A read of the event store: a stored event that cannot be read back. */
export const STORE_DAMAGED: ProblemResponseSpec = { status: 503, codes: ['store-damaged'], description: 'A stored event cannot be read back: the event store\'s file was damaged outside it (restore it from a backup).' };
/** A write to the event store (which reads first). */
export const STORE_WRITE: ProblemResponseSpec = { status: 503, codes: ['store-unavailable', 'store-damaged'], description: 'The event store cannot take the write right now, or a stored event cannot be read back; nothing was written.' };

/**
 * A write in a turn shared by the API instances (a file's, an engineer's, a work order's survey; docs/adr/0019, 0012): also
 * 503 turn-busy with Retry-After when another instance holds the turn longer than a request waits.
 */
export const TURN_WRITE: ProblemResponseSpec = { status: 503, codes: ['store-unavailable', 'store-damaged', 'turn-busy'], description: 'The event store cannot take the write right now, a stored event cannot be read back, or another API instance holds the same file\'s, engineer\'s or work order survey\'s turn longer than a request waits (turn-busy, with Retry-After); nothing was written.' };

export const PROBLEM_SCHEMA_REF = `#/components/schemas/${PROBLEM_SCHEMA.name}`;

/** The ETag of what a command changed or a read answered (a complaint, a work order, a product, the service network). */
export const etagHeader = (subject: string, after = 'after the command'): HeaderObject => ({
  required: true, description: `The ${subject}'s revision ${after}, quoted; send it back as If-Match.`, schema: { type: 'string', example: '"3"' },
});
export const ETAG_HEADER: HeaderObject = etagHeader('complaint');
export const LOCATION_HEADER = (example: string): HeaderObject => ({ required: true, description: 'Where the new resource is read.', schema: { type: 'string', format: 'uri-reference', example } });
export const READ_MODEL_POSITION_HEADER: HeaderObject = {
  // Not required: an asOf read of a generation whose catalogue entry records no position (one built before entries had it) sends none.
  required: false,
  description: 'How far the read models are: the position in the log up to which this answer includes every event; with asOf, the last position of the log that generation holds (it never moves; absent for a generation built before generations recorded it).', schema: { type: 'integer', minimum: 0, example: 42 },
};

export interface OkOptions {
  readonly status?: 200 | 201 | 202;
  readonly description: string;
  readonly headers?: Record<string, HeaderObject>;
  /** The route also answers text/csv (format=csv or Accept: text/csv). */
  readonly csv?: boolean;
  /** The route also answers Server-Sent Events (text/event-stream): an example of the stream. */
  readonly eventStream?: { readonly example: string };
}

/**
 * The success answer: JSON of a DTO class (or one of several: oneOf), optionally CSV too. The
 * document builder adds an example built from the properties' examples where the route gives none.
 */
export function OkResponse(type: Type<unknown> | ReadonlyArray<Type<unknown>>, options: OkOptions) {
  const types = Array.isArray(type) ? type : [type as Type<unknown>];
  const schema: SchemaObject | ReferenceObject = types.length === 1 ? { $ref: getSchemaPath(types[0]!) } : { oneOf: types.map((one) => ({ $ref: getSchemaPath(one) })) };
  // A route's own Content-Disposition (a file name that says more than the route and the day) replaces the common one.
  const headers = { ...options.headers, ...(options.csv && !options.headers?.['Content-Disposition'] ? { 'Content-Disposition': CONTENT_DISPOSITION } : {}) };
  return applyDecorators(
    ApiExtraModels(...types),
    defineResponse(options.status ?? 200, {
      description: options.csv ? `${options.description} As CSV with format=csv or Accept: text/csv: every row of the filter, a header row first.` : options.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: {
        'application/json': { schema },
        ...(options.csv ? { 'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE } } : {}),
        ...(options.eventStream ? { 'text/event-stream': { schema: { type: 'string' }, example: options.eventStream.example } } : {}),
      },
    }, 'specific'),
  );
}

const CONTENT_DISPOSITION: HeaderObject = {
  required: false,
  description: 'CSV only: `attachment; filename="<route>-<YYYY-MM-DD>.csv"` (UTC date).', schema: { type: 'string', example: 'attachment; filename="complaints-2026-03-01.csv"' },
};
const CSV_EXAMPLE = 'id,status,customerId\r\n0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e,received,cust-10086\r\n';

/** An answer that is text of another media type (Prometheus metrics). */
export function TextResponse(mediaType: string, description: string, example: string) {
  return defineResponse(200, { description, content: { [mediaType]: { schema: { type: 'string' }, example } } }, 'specific');
}

/** An answer of bytes (a downloaded file), in any of these media types. */
export function BinaryResponse(mediaTypes: readonly string[], description: string, headers: Record<string, HeaderObject>) {
  return defineResponse(200, { description, headers, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) }, 'specific');
}

export function NoContentResponse(description: string) {
  return defineResponse(204, { description }, 'specific');
}

const IDEMPOTENT_REPLAYED: HeaderObject = {
  required: false, description: '`true` when the answer is the stored one of an earlier request with the same Idempotency-Key (nothing was run again).', schema: { type: 'string', enum: ['true'], example: 'true' },
};

const commandRequestHeaders = (subject: string, ifMatchRequired: boolean) => [
  ifMatchRequired
    ? ApiHeader({ name: 'If-Match', required: true, description: `The revision (ETag) of the ${subject} you decided on, or a list of them (\`"3", "4"\`: any one matches): required (428 without it, or with \`*\`); 412 if the ${subject} is at none of them. A weak tag (W/) never matches: 400.`, schema: { type: 'string', example: '"3"' } })
    : ApiHeader({ name: 'If-Match', required: false, description: `The revision (ETag) you decided on, or a list of them (\`"3", "4"\`: any one matches); 412 if the ${subject} is at none of them. \`*\` or none: no check. A weak tag (W/) never matches: 400.`, schema: { type: 'string', example: '"3"' } }),
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry safely: the same key and body return the first response (with `Idempotent-Replayed: true`) and write nothing; 1–200 visible ASCII characters.', schema: { type: 'string', example: 'call-2026-0001-validate' } }),
  ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded in the metadata of the events (default: the command id).', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$', example: 'call-2026-0001' } }),
  ApiHeader({ name: 'X-Causation-Id', required: false, description: 'Recorded in the metadata of the events (default: the command id).', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$', example: 'ivr-menu-3' } }),
];

const COMPLAINT_CONFLICT = {
  example: { command: 'ValidateComplaint', currentStatus: 'assigned' },
  description: 'Not allowed in the complaint\'s current status (`command` and `currentStatus` say why), or other writers kept changing it. Nothing was written.',
};

export interface CommandResponsesOptions {
  readonly type: Type<unknown>;
  readonly created?: { readonly location: string };
  /** The codes of the 409 a refusal in the current state answers. */
  readonly illegal?: readonly ProblemCode[];
  /** The codes of the domain's 400s (beyond the request's own). */
  readonly invalid?: readonly ProblemCode[];
  /** What the command changes, as the descriptions name it (default: complaint). */
  readonly subject?: string;
  /** The 404 of the command (default, unless it creates: no such complaint). */
  readonly notFound?: ProblemResponseSpec;
  /** Its stream may have been deleted on the event store server (default: unless it creates a new one). */
  readonly deletable?: boolean;
  /** The 409 of a refusal: its description and the members of its example besides the code (default: a complaint's command and status). */
  readonly conflict?: { readonly description: string; readonly example: Record<string, unknown> };
  /** The 412's example detail. */
  readonly mismatch?: string;
  /** The command must name the revision it changes: If-Match is required, and its absence is a 428 (this description). */
  readonly ifMatchRequired?: string;
}

/**
 * A command on an aggregate: `{ id, revision, position }` with its ETag (and Location when it
 * creates one), the request headers every command takes, and every error a command can meet.
 * `illegal` lists the codes of the 409 a refusal in the current state answers. A command on
 * something else than a complaint names it (`subject`) and its own 404.
 */
export function CommandResponses(options: CommandResponsesOptions) {
  const subject = options.subject ?? 'complaint';
  const headers: Record<string, HeaderObject> = { ETag: etagHeader(subject), ...(options.created ? { Location: LOCATION_HEADER(options.created.location) } : {}), 'Idempotent-Replayed': IDEMPOTENT_REPLAYED };
  const notFound = options.notFound ?? (options.created ? undefined : { status: 404, description: 'No such complaint, or one outside the caller\'s departments.', codes: ['complaint-not-found'] } as const);
  const deletable = options.deletable ?? !options.created;
  return applyDecorators(
    OkResponse(options.type, {
      status: options.created ? 201 : 200, headers,
      description: options.created ? 'Recorded; the event is on disk.' : 'Accepted; the events are on disk.',
    }),
    ...commandRequestHeaders(subject, options.ifMatchRequired !== undefined),
    ProblemResponses(
      { status: 400, codes: ['validation-failed', 'malformed-json', 'malformed-utf-8', 'forbidden-key', 'body-too-deep', ...(options.invalid ?? [])] },
      ...(notFound ? [notFound] : []),
      {
        status: 409, codes: [...(options.illegal ?? []), 'concurrent-modification'],
        ...(options.illegal?.length ? options.conflict ?? COMPLAINT_CONFLICT : {}),
      },
      ...(deletable ? [{ status: 410, description: `The ${subject}'s stream was deleted on the event store server (KurrentDB) and can never be written again.`, codes: ['stream-deleted'] } as const] : []),
      { status: 412, example: { expectedRevision: 2, currentRevision: 3, ...(options.mismatch ? { detail: options.mismatch } : {}) } },
      ...(options.ifMatchRequired !== undefined ? [{ status: 428, description: options.ifMatchRequired } as const] : []),
      413, 415, 422, STORE_WRITE,
    ),
  );
}
