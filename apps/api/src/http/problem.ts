import {
  ACCESS_ERROR_CODES, COMPLAINT_ERROR_CODES, CUSTOMER_FILE_ERROR_CODES, INVALID_PRODUCT_COMMAND_CODES, INVALID_SERVICE_NETWORK_COMMAND_CODES, INVALID_WORK_ORDER_COMMAND_CODES,
  MONEY_PROBLEM_CODES, SERVICE_NETWORK_CONFLICT_CODES, WORK_ORDER_REFUSAL_CODES, WEBHOOK_CONFLICT_CODES, INVALID_WEBHOOK_COMMAND_CODES,
  INVALID_SURVEY_COMMAND_CODES, SURVEY_CONFLICT_CODES, SURVEY_CAMPAIGN_CONFLICT_CODES, INVALID_SURVEY_CAMPAIGN_CODES,
} from '@app/domain';
import { ATTACHMENT_PROBLEM_CODES } from '../complaints/attachments/attachment-errors';

/** RFC 9457 problem details; every error response of the API has this shape. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code?: ProblemCode;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The largest JSON body the API reads; a file goes through the multipart upload route, whose limit is its own. */
export const BODY_LIMIT_BYTES = 64 * 1024;
export const BODY_TOO_LARGE_DETAIL = `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB (${BODY_LIMIT_BYTES} bytes), the limit of a JSON body: shorten it (each text field names its own limit), `
  + 'and send a file as an attachment through the multipart upload (POST /complaints/{id}/attachments), never inside the JSON.';
const TYPE_BASE = 'https://complaint-desk.dev/problems/';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  412: 'Precondition failed',
  428: 'Precondition required',
  413: 'Payload too large',
  414: 'URI too long',
  431: 'Request header fields too large',
  408: 'Request timeout',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** The code of a problem raised without one: the slug of its status's title (an HttpException, a framework error). */
const DEFAULT_CODES = [
  'bad-request', 'unauthorized', 'forbidden', 'not-found', 'method-not-allowed', 'not-acceptable', 'conflict', 'precondition-failed', 'payload-too-large',
  'uri-too-long', 'request-header-fields-too-large', 'request-timeout', 'unsupported-media-type', 'unprocessable-content', 'too-many-requests',
  'internal-server-error', 'service-unavailable',
  // A status without a title of its own.
  'http-error',
] as const;

/**
 * Every `code` a problem of this API can carry: the contract clients switch on, published as the
 * enum of the Problem schema in the OpenAPI document. `problem()` takes nothing else (the type
 * check refuses a new literal until it is listed here), and problem-codes.spec.ts checks the
 * emitted codes at run time.
 */
const EMITTED = [
  // The domain's refusals.
  ...COMPLAINT_ERROR_CODES,
  ...ACCESS_ERROR_CODES,
  'work-order-not-found', 'work-order-already-exists', ...WORK_ORDER_REFUSAL_CODES, ...INVALID_WORK_ORDER_COMMAND_CODES,
  // An engineer the service network has deactivated, acting on a work order with a token still valid (403).
  'engineer-deactivated',
  // An engineer acting on a work order dispatched to another engineer (403).
  'not-the-dispatched-engineer',
  // An agent the service network has deactivated, acting on a complaint with a token still valid (403).
  'agent-deactivated',
  // A work order names a complaint the caller cannot see (libs/after-sales, linked-complaint.ts).
  'unknown-complaint',
  'product-not-found', 'product-already-registered', 'same-owner', ...INVALID_PRODUCT_COMMAND_CODES,
  'service-unit-not-found', 'engineer-not-found', 'agent-not-found', ...SERVICE_NETWORK_CONFLICT_CODES, ...INVALID_SERVICE_NETWORK_COMMAND_CODES,
  ...MONEY_PROBLEM_CODES,
  ...CUSTOMER_FILE_ERROR_CODES,
  'webhook-not-found', ...WEBHOOK_CONFLICT_CODES, ...INVALID_WEBHOOK_COMMAND_CODES,
  // A webhook's delivery log (apps/api/src/webhooks): no such delivery, or one still waiting (asked to send again).
  'webhook-delivery-not-found', 'webhook-delivery-pending',
  // Satisfaction surveys; a survey names a work order the caller cannot see (libs/after-sales, survey.handlers.ts).
  'survey-not-found', ...SURVEY_CONFLICT_CODES, ...INVALID_SURVEY_COMMAND_CODES, 'unknown-work-order', ...SURVEY_CAMPAIGN_CONFLICT_CODES, ...INVALID_SURVEY_CAMPAIGN_CODES,
  'revision-mismatch', 'concurrent-modification',
  // A command that must name the revision it changes (a webhook's secret rotation) came without If-Match.
  'precondition-required',
  // The request: its body, its headers, its query (unsupported-media-type, not-acceptable, uri-too-long and request-timeout are defaults, below).
  'validation-failed', 'malformed-json', 'malformed-utf-8', 'forbidden-key', 'body-too-deep', 'body-too-large', 'idempotency-key-reused', 'invalid-query',
  'bad-url', 'url-not-encoded', 'headers-too-large', 'malformed-request',
  // An upload (multipart) and a download of an attachment.
  ...ATTACHMENT_PROBLEM_CODES,
  // Other resources.
  'customer-not-found', 'stream-not-found', 'stream-deleted', 'as-of-not-found', 'as-of-exists', 'as-of-built-elsewhere', 'as-of-queue-full',
  // POST /analytics/as-of with until a moment after the server's now (400, with the field's message).
  'as-of-in-future',
  // Load and the server's state.
  'rate-limited', 'too-many-in-flight', 'not-ready', 'store-unavailable', 'turn-busy', 'store-damaged', 'invalid-append', 'internal-error',
  // A read with minPosition of a read model whose projection is failing (apps/api/src/read-models/read-dependencies.ts).
  'projection-failed',
  // A read of a read model whose table was dropped outside the projector: it is being rebuilt from the log (libs/read-store, ReadModelRebuildingError).
  'read-model-rebuilding',
  ...DEFAULT_CODES,
] as const;
export type ProblemCode = (typeof EMITTED)[number];
/** Each code once (aggregates share some: `reason-required`, `not-reopenable` …). */
export const PROBLEM_CODES: readonly ProblemCode[] = [...new Set(EMITTED)];

const LISTED: ReadonlySet<string> = new Set(PROBLEM_CODES);
export const isProblemCode = (code: string): code is ProblemCode => LISTED.has(code);

export type ProblemExtras = Partial<Omit<Problem, 'code'>> & { readonly code?: ProblemCode } & Record<string, unknown>;

export function problem(status: number, detail: string, extra: ProblemExtras = {}): Problem {
  const { code: given, ...extensions } = extra;
  const code = given ?? defaultCode(status);
  return { type: `${TYPE_BASE}${code}`, title: titleOf(status), status, detail, code, ...extensions };
}

export function titleOf(status: number): string {
  return TITLES[status] ?? 'Error';
}

function defaultCode(status: number): ProblemCode {
  const title = TITLES[status];
  const slug = title === undefined ? undefined : title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return (DEFAULT_CODES as readonly string[]).includes(slug ?? '') ? slug as ProblemCode : 'http-error';
}
