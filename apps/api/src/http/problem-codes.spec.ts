import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { HttpException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import {
  CUSTOMER_FILE_CONFLICT_CODES, CustomerFileAlreadyExistsError, CustomerFileConflictError, CustomerFileErasedError, CustomerFileMergedError, CustomerFileNotFoundError,
  INVALID_CUSTOMER_FILE_COMMAND_CODES, InvalidCustomerFileCommandError, NothingToChangeError,
  AccessTokenAlreadyRevokedError, AccessTokenNotFoundError, ComplaintAlreadyExistsError, ComplaintNotFoundError, ILLEGAL_TRANSITION_CODES,
  INVALID_COMPLAINT_COMMAND_CODES, IllegalTransitionError, InvalidAccessCommandError, InvalidComplaintCommandError,
  AgentNotFoundError, EngineerNotFoundError, INVALID_PRODUCT_COMMAND_CODES, INVALID_SERVICE_NETWORK_COMMAND_CODES, INVALID_WORK_ORDER_COMMAND_CODES, IllegalWorkOrderTransitionError,
  InvalidMoneyError, InvalidProductCommandError, InvalidServiceNetworkCommandError, InvalidWorkOrderCommandError, MONEY_PROBLEM_CODES, ProductAlreadyRegisteredError,
  ProductConflictError, ProductNotFoundError, SERVICE_NETWORK_CONFLICT_CODES, ServiceNetworkConflictError, ServiceUnitNotFoundError, WORK_ORDER_REFUSAL_CODES,
  AgentDeactivatedError, AgentStoodDownError, EngineerDeactivatedError, NotTheDispatchedEngineerError, WorkOrderAlreadyExistsError, WorkOrderNotFoundError, type DomainError,
  INVALID_WEBHOOK_COMMAND_CODES, InvalidWebhookCommandError, WEBHOOK_CONFLICT_CODES, WebhookConflictError, WebhookNotFoundError,
  INVALID_SURVEY_COMMAND_CODES, InvalidSurveyCommandError, SURVEY_CONFLICT_CODES, SurveyConflictError, SurveyNotFoundError,
  INVALID_SURVEY_CAMPAIGN_CODES, InvalidSurveyCampaignError, SurveyCampaignConflictError, SurveyCampaignNotRunError,
} from '@app/domain';
import { UnknownComplaintError, UnknownWorkOrderError } from '@app/after-sales';
import { CommandIdReusedError, ConcurrentModificationError, PreconditionFailedError } from '@app/complaints';
import { EventStoreUnavailableError, InvalidAppendError, StreamDeletedError, StreamNotFoundError, UnreadableEventError, WrongExpectedRevisionError } from '@app/event-store';
import { InvalidQueryError, ReadModelRebuildingError, ReadStoreDamagedError } from '@app/read-store';
import { UnknownAsOfError } from '@app/read-models';
import { AsOfBuiltElsewhereError, AsOfNameTakenError, AsOfNotFoundError, AsOfQueueFullError } from '../analytics/as-of-jobs';
import { RateLimitedError } from '../auth/rate-limiter';
import { CallerNotAuthenticatedError } from '../access/access-control.service';
import { clientErrorHandler, frameworkErrors, MalformedBodyError } from './edge';
import { TooManyInFlightError } from './heavy-reads';
import { TurnBusyError } from '@app/event-sourcing';
import { ATTACHMENT_PROBLEM_CODES, AttachmentRefusedError } from '../complaints/attachments/attachment-errors';
import { PROBLEM_CODES, problem, type Problem } from './problem';
import { fromFastifyError, toProblem } from './problem.filter';
import { ProjectionFailedError } from '../read-models/read-dependencies';
import { IdempotencyKeyReusedError, NotAcceptableError, PreconditionRequiredError, RequestValidationError, ResourceConflictError, ResourceNotFoundError } from './request-errors';

/**
 * The `code` of a problem is a contract: the OpenAPI document publishes PROBLEM_CODES as the enum
 * clients switch on. These tests fail when the API emits a code the enum does not list.
 */
const listed = (answer: Problem) => expect(PROBLEM_CODES).toContain(answer.code);

/** One error (or several) of every class toProblem maps: a new mapping needs its samples here (the last test checks). */
const SAMPLES: Record<string, unknown[]> = {
  RequestValidationError: [new RequestValidationError([{ field: 'reason', message: 'reason must be text' }]), new RequestValidationError([{ field: 'reason', message: 'reason must not be blank' }], 'reason-required'),
    new RequestValidationError([{ field: 'until', message: 'until 2030-01-01 is still to come' }], 'as-of-in-future')],
  ComplaintNotFoundError: [new ComplaintNotFoundError('c-1')],
  AttachmentRefusedError: [...ATTACHMENT_PROBLEM_CODES.map((code) => new AttachmentRefusedError(code === 'attachment-not-found' ? 404 : code === 'customer-erased' ? 409 : 400, code, 'refused', 'file')), new AttachmentRefusedError(415, 'unsupported-media-type', 'multipart please')],
  ResourceNotFoundError: [new ResourceNotFoundError('customer-not-found', 'No customer file for x.'), new ResourceNotFoundError('webhook-delivery-not-found', 'No such delivery.')],
  ResourceConflictError: [new ResourceConflictError('webhook-delivery-pending', 'Still waiting.')],
  StreamDeletedError: [new StreamDeletedError('complaint-1')],
  StreamNotFoundError: [new StreamNotFoundError('complaint-1')],
  UnknownAsOfError: [new UnknownAsOfError('june')],
  AsOfNotFoundError: [new AsOfNotFoundError('june')],
  AsOfNameTakenError: [new AsOfNameTakenError('taken')],
  AsOfBuiltElsewhereError: [new AsOfBuiltElsewhereError('elsewhere')],
  AsOfQueueFullError: [new AsOfQueueFullError('full')],
  InvalidQueryError: [new InvalidQueryError('bad cursor')],
  InvalidAccessCommandError: [new InvalidAccessCommandError('role', 'role must be one of …')],
  AccessTokenNotFoundError: [new AccessTokenNotFoundError('t-1')],
  CallerNotAuthenticatedError: [new CallerNotAuthenticatedError('token:t-1')],
  AccessTokenAlreadyRevokedError: [new AccessTokenAlreadyRevokedError('t-1', '2026-03-01T00:00:00.000Z')],
  ComplaintAlreadyExistsError: [new ComplaintAlreadyExistsError('c-1')],
  IllegalTransitionError: ILLEGAL_TRANSITION_CODES.map((code) => new IllegalTransitionError(code, 'ValidateComplaint', 'assigned', 'not now')),
  InvalidComplaintCommandError: INVALID_COMPLAINT_COMMAND_CODES.map((code) => new InvalidComplaintCommandError(code, 'field', 'not so')),
  PreconditionFailedError: [new PreconditionFailedError('c-1', 0, 3), new PreconditionFailedError('c-1', 0, null)],
  ConcurrentModificationError: [new ConcurrentModificationError('c-1')],
  PreconditionRequiredError: [new PreconditionRequiredError('Send If-Match with the ETag of GET /webhooks/w-1.')],
  WrongExpectedRevisionError: [new WrongExpectedRevisionError('complaint-1', 2, 3)],
  RateLimitedError: [new RateLimitedError(1)],
  TooManyInFlightError: [new TooManyInFlightError(4)],
  TurnBusyError: [new TurnBusyError('blob-turn:0f', 5_000)],
  IdempotencyKeyReusedError: [new IdempotencyKeyReusedError()],
  CommandIdReusedError: [new CommandIdReusedError(), new CommandIdReusedError('This Idempotency-Key already has an answer on complaint b, and none on complaint a, which this request would now change.'),
    new CommandIdReusedError('This Idempotency-Key already recorded another request on work order w-1 (an earlier request whose stored answer has expired), so this one cannot be answered with it. Nothing was recorded; send this request with a new Idempotency-Key.')],
  NotAcceptableError: [new NotAcceptableError('image/png', ['application/json', 'text/csv'])],
  UnreadableEventError: [new UnreadableEventError(7, 'complaint-1', 0)],
  ReadStoreDamagedError: [new ReadStoreDamagedError("read.sqlite's rm_secrets is a view: drop it")],
  ReadModelRebuildingError: [new ReadModelRebuildingError('complaint-list', 'complaint_list_v7__complaints'), new ReadModelRebuildingError('complaint-list', 'complaint_list_v7__added', 'complaint_list_v8'), ReadModelRebuildingError.textIndexLost('complaint-list', 'complaint_list_v7__complaints'), ReadModelRebuildingError.generationReplaced('complaint-list', 'complaint_list_v7__complaints', 'complaint_list_v8')],
  EventStoreUnavailableError: [new EventStoreUnavailableError('disk full')],
  InvalidAppendError: [new InvalidAppendError('no events')],
  ProjectionFailedError: [new ProjectionFailedError({
    projection: 'survey-list', generation: 'survey_list_v1', position: 40, failedPosition: 42, eventType: 'SurveyAnswered', error: 'boom', since: '2026-03-01T08:00:00.000Z', attempts: 3, nextRetryAt: null,
  }, 45, 8)],
  // Every status an HttpException may carry, including ones without a title of their own.
  HttpException: Array.from({ length: 200 }, (_, index) => new HttpException('refused', 400 + index)),
  MalformedBodyError: (['utf-8', 'json', 'prototype', 'depth'] as const).map((reason) => new MalformedBodyError(reason)),
};

const FASTIFY_ERRORS = [
  ...['FST_ERR_CTP_BODY_TOO_LARGE', 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'FST_ERR_CTP_EMPTY_JSON_BODY', 'FST_ERR_CTP_INVALID_JSON_BODY']
    .map((code) => ({ code, statusCode: 400, message: 'x' })),
  new SyntaxError('Unexpected token'),
  ...Array.from({ length: 100 }, (_, index) => ({ code: 'FST_ERR_SOMETHING_NEW', statusCode: 400 + index, message: 'new' })),
];

/** Every refusal of the after-sales aggregates and the customer file (mapped by kind, not class by class): each keeps its own code. */
const DOMAIN_ERRORS: DomainError[] = [
  new WorkOrderNotFoundError('wo-1'), new WorkOrderAlreadyExistsError('wo-1'), new EngineerDeactivatedError('eng-1', '2026-03-02T08:00:00.000Z'), new NotTheDispatchedEngineerError('wo-1', 'eng-li', 'eng-wang'), new AgentDeactivatedError('agent-1', '2026-03-02T08:00:00.000Z'), new AgentStoodDownError('agent-1'),
  ...WORK_ORDER_REFUSAL_CODES.map((code) => new IllegalWorkOrderTransitionError(code, 'DispatchWorkOrder', 'reported', 'not now')),
  ...INVALID_WORK_ORDER_COMMAND_CODES.map((code) => new InvalidWorkOrderCommandError(code, 'field', 'not so')),
  new UnknownComplaintError('c-1', 'complaintId'),
  new ProductNotFoundError('SN-1'), new ProductAlreadyRegisteredError('SN-1'), new ProductConflictError('same-owner', 'ChangeProductOwner', 'same'),
  ...INVALID_PRODUCT_COMMAND_CODES.map((code) => new InvalidProductCommandError(code, 'field', 'not so')),
  new ServiceUnitNotFoundError('st-1'), new EngineerNotFoundError('e-1'), new AgentNotFoundError('a-1'),
  ...SERVICE_NETWORK_CONFLICT_CODES.map((code) => new ServiceNetworkConflictError(code, 'RegisterServiceUnit', 'not now')),
  ...INVALID_SERVICE_NETWORK_COMMAND_CODES.map((code) => new InvalidServiceNetworkCommandError(code, 'field', 'not so')),
  ...MONEY_PROBLEM_CODES.map((code) => new InvalidMoneyError(code, 'not so')),
  new CustomerFileNotFoundError('cust-1'), new CustomerFileAlreadyExistsError('cust-1'), new CustomerFileMergedError('cust-1', 'cust-2', '2026-03-02T08:00:00.000Z'),
  new CustomerFileErasedError('cust-1', '2026-03-02T08:00:00.000Z'), new NothingToChangeError('cust-1', 'importance'),
  ...CUSTOMER_FILE_CONFLICT_CODES.map((code) => new CustomerFileConflictError(code, 'MergeCustomerFile', 'not now')),
  ...INVALID_CUSTOMER_FILE_COMMAND_CODES.map((code) => new InvalidCustomerFileCommandError(code, 'field', 'not so')),
  new WebhookNotFoundError('wh-1'),
  ...WEBHOOK_CONFLICT_CODES.map((code) => new WebhookConflictError(code, 'PauseWebhook', 'not now')),
  ...INVALID_WEBHOOK_COMMAND_CODES.map((code) => new InvalidWebhookCommandError(code, 'field', 'not so')),
  new SurveyNotFoundError('s-1'), new UnknownWorkOrderError('wo-1', 'subject.id'),
  ...SURVEY_CONFLICT_CODES.map((code) => new SurveyConflictError(code, 'SendSatisfactionSurvey', 'not now')),
  ...INVALID_SURVEY_COMMAND_CODES.map((code) => new InvalidSurveyCommandError(code, 'field', 'not so')),
  new SurveyCampaignConflictError('camp-1', '2026-03-02T08:00:00.000Z'), new SurveyCampaignNotRunError('camp-1'),
  ...INVALID_SURVEY_CAMPAIGN_CODES.map((code) => new InvalidSurveyCampaignError(code, 'segments', 'not so')),
];
SAMPLES['DomainError'] = DOMAIN_ERRORS;

describe('problem codes: every code the API emits is in the published enum', () => {
  it('keeps the code of every domain refusal (a code missing from the enum would fall back to the status\'s)', () => {
    for (const error of DOMAIN_ERRORS) expect(toProblem(error).code).toBe(error.code);
  });

  it.each(Object.entries(SAMPLES))('toProblem(%s)', (_name, errors) => {
    for (const error of errors) listed(toProblem(error));
  });

  it('fastify\'s request errors, known and unknown, and an unexpected error', () => {
    for (const error of FASTIFY_ERRORS) listed(toProblem(error));
    for (const error of FASTIFY_ERRORS) {
      const answer = fromFastifyError(error);
      if (answer) listed(answer);
    }
    listed(toProblem(new Error('a bug')));
    listed(toProblem('not even an error'));
  });

  it('fastify\'s request errors as Nest hands them on (an HttpException of their message and status) keep their documented code', () => {
    const asNestHandsThemOn = (code: keyof typeof errorCodes, ...args: string[]) => {
      const raised = new errorCodes[code](...args) as Error & { statusCode: number };
      return toProblem(new HttpException(raised.message, raised.statusCode));
    };
    expect(asNestHandsThemOn('FST_ERR_CTP_BODY_TOO_LARGE')).toMatchObject({ status: 413, code: 'body-too-large', detail: expect.stringMatching(/larger than 64 KiB \(65536 bytes\).*multipart upload/) });
    expect(asNestHandsThemOn('FST_ERR_CTP_INVALID_MEDIA_TYPE', 'text/plain')).toMatchObject({ status: 415, code: 'unsupported-media-type' });
    expect(asNestHandsThemOn('FST_ERR_CTP_EMPTY_JSON_BODY')).toMatchObject({ status: 400, code: 'malformed-json' });
    expect(asNestHandsThemOn('FST_ERR_CTP_INVALID_JSON_BODY')).toMatchObject({ status: 400, code: 'malformed-json' });
    // An HttpException of the application keeps its own words.
    expect(toProblem(new HttpException('Request body is too large for this route', 413))).toMatchObject({ code: 'payload-too-large', detail: 'Request body is too large for this route' });
  });

  it('the default code of every status', () => {
    for (let status = 400; status < 600; status += 1) listed(problem(status, 'x'));
  });

  it('errors answered before routing: Node\'s parser, fastify\'s router', () => {
    for (const code of ['HPE_HEADER_OVERFLOW', 'ERR_HTTP_REQUEST_TIMEOUT', 'HPE_INVALID_URL', 'HPE_INVALID_METHOD', 'SOMETHING_ELSE']) {
      let written = '';
      const socket = new Duplex({ read() {}, write(chunk: Buffer, _encoding, done) { written += chunk.toString(); done(); } });
      clientErrorHandler(Object.assign(new Error('parse'), { code }), socket);
      listed(JSON.parse(written.slice(written.indexOf('\r\n\r\n') + 4)) as Problem);
    }
    for (const code of ['FST_ERR_MAX_PARAM_LENGTH', 'FST_ERR_BAD_URL', 'FST_ERR_OTHER']) {
      let sent: Problem | undefined;
      const reply = { code: () => reply, header: () => reply, send: (body: Problem) => { sent = body; } };
      frameworkErrors({ code }, { id: 'r-1' } as never, reply as never);
      listed(sent!);
    }
  });

  it('has samples of every error class the filter maps (add one with each new mapping)', () => {
    const source = readFileSync(join(__dirname, 'problem.filter.ts'), 'utf8');
    const mapped = [...new Set([...source.matchAll(/error instanceof (\w+)/g)].map((match) => match[1]!))];
    expect(mapped.length).toBeGreaterThan(20);
    expect(mapped.filter((name) => !(name in SAMPLES) && name !== 'SyntaxError')).toEqual([]);
  });

  it('lists each code once', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
  });
});
