import { AsOfBuiltElsewhereError, AsOfNameTakenError, AsOfNotFoundError, AsOfQueueFullError, mayReadAsOfCatalogue } from '../analytics/as-of-jobs';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  AccessTokenAlreadyRevokedError, AccessTokenNotFoundError, ComplaintAlreadyExistsError, ComplaintNotFoundError, DomainError, IllegalTransitionError,
  InvalidAccessCommandError, InvalidComplaintCommandError, type RefusalKind,
} from '@app/domain';
import { CommandIdReusedError, ConcurrentModificationError, PreconditionFailedError } from '@app/complaints';
import { EventStoreUnavailableError, InvalidAppendError, StreamDeletedError, StreamNotFoundError, UnreadableEventError, WrongExpectedRevisionError } from '@app/event-store';
import { TurnBusyError } from '@app/event-sourcing';
import { errorCodes } from 'fastify';
import { BODY_TOO_LARGE_DETAIL, PROBLEM_CONTENT_TYPE, isProblemCode, problem, type Problem } from './problem';
import { InvalidQueryError, ReadModelRebuildingError, ReadStoreDamagedError } from '@app/read-store';
import { AS_OF_NAME, UnknownAsOfError, builtAsOfNames, missingDayProblem } from '@app/read-models';
import { RateLimitedError } from '../auth/rate-limiter';
import { CallerNotAuthenticatedError } from '../access/access-control.service';
import { MalformedBodyError } from './edge';
import { TooManyInFlightError } from './heavy-reads';
import { ProjectionFailedError } from '../read-models/read-dependencies';
import { AttachmentRefusedError } from '../complaints/attachments/attachment-errors';
import { IdempotencyKeyReusedError, NotAcceptableError, PreconditionRequiredError, RequestValidationError, ResourceConflictError, ResourceNotFoundError } from './request-errors';

/**
 * What a read of a read model being rebuilt is told to wait: the projector finds the missing table within a poll (1 s) and
 * makes it again at once, so a second later the read answers what is rebuilt so far (GET /health says how far).
 */
export const READ_MODEL_REBUILDING_RETRY_SECONDS = 2;
/** A new version's read model being built beside the live one (an upgrade) takes minutes on a long log: asked again less often. */
export const READ_MODEL_UPGRADE_RETRY_SECONDS = 30;

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

/**
 * One place maps every error to problem+json. Anything unexpected becomes a 500 with no internals
 * in the body (and a log line), but the tests make sure no input reaches that branch.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<Reply>();
    const request = http.getRequest<{ url?: string; method?: string; id?: string; principal?: Parameters<typeof mayReadAsOfCatalogue>[0] }>();
    // The names built are listed only to those who may read the catalogue: asOf is taken on routes open to every role.
    const shown = error instanceof UnknownAsOfError && error.built !== null && !mayReadAsOfCatalogue(request.principal) ? new UnknownAsOfError(error.asOf, null) : error;
    const body = { ...toProblem(shown), instance: request.url?.split('?')[0], requestId: request.id };
    if (body.status >= 500 && body.status !== 503) this.logger.error(`${request.method} ${request.url?.split('?')[0]} (request ${request.id}): ${(error as Error)?.stack ?? String(error)}`);
    if (body.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    if (error instanceof RateLimitedError || error instanceof TooManyInFlightError || error instanceof ProjectionFailedError || error instanceof TurnBusyError) reply.header('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof ReadModelRebuildingError) reply.header('Retry-After', String(error.building === undefined ? READ_MODEL_REBUILDING_RETRY_SECONDS : READ_MODEL_UPGRADE_RETRY_SECONDS));
    reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(body);
  }
}

export function toProblem(error: unknown): Problem {
  if (error instanceof RequestValidationError) return problem(400, error.message, { code: error.code, errors: error.errors });
  if (error instanceof ComplaintNotFoundError) return problem(404, error.message, { code: error.code });
  if (error instanceof AttachmentRefusedError) {
    return problem(error.status, error.message, { code: error.code, ...(error.field && error.status === 400 ? { errors: [{ field: error.field, message: error.message }] } : {}) });
  }
  if (error instanceof ResourceNotFoundError) return problem(404, error.message, { code: error.code });
  if (error instanceof ResourceConflictError) return problem(409, error.message, { code: error.code });
  // Tombstoned by an operator on the server: gone for good, and no write can bring it back.
  if (error instanceof StreamDeletedError) return problem(410, error.message, { code: 'stream-deleted' });
  if (error instanceof StreamNotFoundError) return problem(404, error.message, { code: 'stream-not-found' });
  if (error instanceof UnknownAsOfError) {
    // A day that does not exist (2026-02-29) names no read model, and none can be built as of it (the build refuses it): 400, as the build answers, not 404 "build it".
    // The words POST /analytics/as-of answers for that day as until (one function): which day does not exist, and why.
    const missingDay = missingDayProblem('asOf', error.asOf);
    if (missingDay !== undefined) {
      return toProblem(new RequestValidationError([{ field: 'asOf', message: `${missingDay}, or the name of a built one (GET /analytics/as-of lists them)` }]));
    }
    // A moment where a name is expected: the names there are, and how to build one as of that moment.
    if (!AS_OF_NAME.test(error.asOf)) {
      return toProblem(new RequestValidationError([{
        field: 'asOf',
        message: `asOf takes the name of a read model built as of a moment, not the moment itself (${error.asOf}): ${builtAsOfNames(error.built)}; `
          + `to read as of ${error.asOf}, build one with POST /analytics/as-of {"until": "${error.asOf}", "name": "<a name of letters, digits, - and _>"} and ask with asOf=<that name>`,
      }]));
    }
    return problem(404, error.message, { code: error.code });
  }
  if (error instanceof AsOfNotFoundError) return problem(404, error.message, { code: error.code });
  if (error instanceof AsOfNameTakenError || error instanceof AsOfBuiltElsewhereError) return problem(409, error.message, { code: error.code });
  if (error instanceof AsOfQueueFullError) return problem(429, error.message, { code: error.code });
  // A table of a live read model dropped outside the projector: not the query's fault; the projector builds it again (docs/adr/0005).
  if (error instanceof ReadModelRebuildingError) return problem(503, error.message, { code: 'read-model-rebuilding', readModel: error.readModel });
  if (error instanceof InvalidQueryError) return problem(400, error.message, { code: 'invalid-query' });
  // Revoked or run out while its request waited for its decision: the guard's answer to such a token.
  if (error instanceof CallerNotAuthenticatedError) return problem(401, error.message);
  if (error instanceof InvalidAccessCommandError) return problem(400, error.message, { code: error.code, errors: [{ field: error.field, message: error.message }] });
  if (error instanceof AccessTokenNotFoundError) return problem(404, error.message, { code: error.code });
  if (error instanceof AccessTokenAlreadyRevokedError) return problem(409, error.message, { code: error.code, revokedAt: error.revokedAt });
  if (error instanceof ComplaintAlreadyExistsError) return problem(409, error.message, { code: error.code });
  if (error instanceof IllegalTransitionError) {
    return problem(409, error.message, { code: error.code, command: error.command, currentStatus: error.currentStatus });
  }
  if (error instanceof InvalidComplaintCommandError) {
    return problem(400, error.message, { code: error.code, errors: [{ field: error.field, message: error.message }] });
  }
  if (error instanceof DomainError) return domainProblem(error);
  if (error instanceof PreconditionFailedError) {
    // One If-Match tag: the revision it named; a list: every revision it named.
    const expected = typeof error.expected === 'number' ? { expectedRevision: error.expected } : { expectedRevisions: error.expected };
    return problem(412, error.message, { code: error.code, ...expected, currentRevision: error.actual });
  }
  if (error instanceof PreconditionRequiredError) return problem(428, error.message, { code: 'precondition-required', errors: [{ field: 'If-Match', message: error.message }] });
  if (error instanceof ConcurrentModificationError || error instanceof WrongExpectedRevisionError) {
    return problem(409, error.message, { code: 'concurrent-modification' });
  }
  if (error instanceof RateLimitedError) return problem(429, error.message, { code: 'rate-limited' });
  if (error instanceof TooManyInFlightError) return problem(429, error.message, { code: 'too-many-in-flight' });
  if (error instanceof IdempotencyKeyReusedError || error instanceof CommandIdReusedError) return problem(422, error.message, { code: 'idempotency-key-reused' });
  if (error instanceof NotAcceptableError) return problem(406, error.message, { code: 'not-acceptable', available: [...error.available] });
  // A damaged store, not a bad request: said as it is, with what to do (it must not pass for the client's malformed JSON).
  if (error instanceof UnreadableEventError) return problem(503, error.message, { code: 'store-damaged' });
  // The read store's own table remade by hand in a shape it cannot use: said with how to mend it (it was a 500).
  if (error instanceof ReadStoreDamagedError) return problem(503, error.message, { code: 'store-damaged' });
  if (error instanceof ProjectionFailedError) {
    const { failure } = error;
    return problem(503, error.message, {
      code: error.code, projection: failure.projection, position: failure.position, minPosition: error.minPosition,
      failedPosition: failure.failedPosition, eventType: failure.eventType, since: failure.since,
    });
  }
  // Another API instance holds the turn (a file's, an engineer's) longer than a request waits: nothing written (docs/adr/0019, 0012).
  if (error instanceof TurnBusyError) return problem(503, error.message, { code: error.code });
  if (error instanceof EventStoreUnavailableError) return problem(503, 'The event store cannot take writes right now; nothing was written. Try again later.', { code: 'store-unavailable' });
  if (error instanceof InvalidAppendError) return problem(400, error.message, { code: 'invalid-append' });
  if (error instanceof HttpException) {
    const fromFastify = fastifyErrorBehind(error);
    if (fromFastify) return fromFastify;
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'object' && response !== null && 'message' in response ? (response as { message: unknown }).message : response;
    return problem(status, Array.isArray(message) ? message.join('; ') : String(message));
  }
  if (error instanceof MalformedBodyError) {
    return problem(400, error.message, { code: ({ 'utf-8': 'malformed-utf-8', prototype: 'forbidden-key', depth: 'body-too-deep', json: 'malformed-json' } as const)[error.reason] });
  }
  const fastifyProblem = fromFastifyError(error);
  if (fastifyProblem) return fastifyProblem;
  return problem(500, 'An unexpected error occurred; it has been logged.', { code: 'internal-error' });
}

const STATUS_OF_KIND: Record<RefusalKind, number> = { 'not-found': 404, conflict: 409, invalid: 400, forbidden: 403 };

/**
 * Refusals of the aggregates other than the complaint (work orders, products, the service network,
 * money, customer files), mapped by their kind rather than class by class: a new error of a known kind
 * needs no new line here. What the error names goes with it: the field (as a field error), the refused
 * command, the current status, and the file a merged one was merged into (and the one that stays for it now).
 */
export function domainProblem(error: DomainError): Problem {
  const named = error as DomainError & { field?: unknown; command?: unknown; currentStatus?: unknown; survivorId?: unknown; lastSurvivorId?: unknown };
  // A code the published enum does not list falls back to the status's own (problem-codes.spec.ts fails on such a code).
  return problem(STATUS_OF_KIND[error.kind], error.message, {
    ...(isProblemCode(error.code) ? { code: error.code } : {}),
    ...(typeof named.field === 'string' ? { errors: [{ field: named.field, message: error.message }] } : {}),
    ...(typeof named.command === 'string' ? { command: named.command } : {}),
    ...(typeof named.currentStatus === 'string' ? { currentStatus: named.currentStatus } : {}),
    ...(typeof named.survivorId === 'string' ? { survivorId: named.survivorId } : {}),
    ...(typeof named.lastSurvivorId === 'string' ? { lastSurvivorId: named.lastSurvivorId } : {}),
  });
}

/**
 * The fastify errors fromFastifyError names, by the message they carry ('%s' stands for what fastify fills in);
 * a Content-Length that does not match the body keeps fastify's own words (a 400, not "send JSON").
 */
const FASTIFY_MESSAGES: ReadonlyArray<readonly [code: string, message: string]> = (['FST_ERR_CTP_BODY_TOO_LARGE', 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'FST_ERR_CTP_EMPTY_JSON_BODY', 'FST_ERR_CTP_INVALID_JSON_BODY'] as const)
  .map((code) => [code, new errorCodes[code]().message] as const);

/**
 * Nest turns an error fastify raised while reading the body into an HttpException of its message and
 * status alone (RoutesResolver.mapExternalException), dropping the code: found again by the message,
 * so that the answer is the documented one (413 body-too-large with the limit, not "Request body is too large").
 */
export function fastifyErrorBehind(error: HttpException): Problem | undefined {
  const message = error.getResponse();
  if (typeof message !== 'string') return undefined;
  const known = FASTIFY_MESSAGES.find(([, template]) => (template.includes('%s') ? message.startsWith(template.slice(0, template.indexOf('%s'))) : message === template));
  return known ? fromFastifyError({ code: known[0], statusCode: error.getStatus(), message }) : undefined;
}

/** Errors raised by fastify while reading the request, before any handler runs. */
export function fromFastifyError(error: unknown): Problem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, BODY_TOO_LARGE_DETAIL, { code: 'body-too-large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(415, 'Send the body as application/json.', { code: 'unsupported-media-type' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'The JSON body is empty.', { code: 'malformed-json' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(400, 'The body is not valid JSON.', { code: 'malformed-json' });
    default:
      break;
  }
  if (error instanceof SyntaxError || (statusCode === 400 && typeof message === 'string')) {
    return problem(400, 'The body is not valid JSON.', { code: 'malformed-json' });
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return problem(statusCode, message ?? 'Bad request');
  return undefined;
}
