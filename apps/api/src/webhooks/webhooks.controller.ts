import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebhookNotFoundError, refuseInvalidRegistration, type Actor, type DepartmentScope, type Webhook, type WebhookCommand } from '@app/domain';
import { KeyedTurns, deterministicUuid, isUuid } from '@app/event-sourcing';
import { PreconditionFailedError, revisionMatches, type CommandContext, type CommandOutcome, type WithoutContext } from '@app/complaints';
import { CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import { CommandRunner, parseIfMatch } from '../http/command-runner';
import { PreconditionRequiredError, RequestValidationError, ResourceConflictError, ResourceNotFoundError } from '../http/request-errors';
import { CommandAcceptedDto } from '../complaints/dto/complaint-commands.dto';
import { CommandResponses, OkResponse, ProblemResponses, STORE_DAMAGED, etagHeader, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import { requireEveryDepartment } from '../after-sales/scope';
import type { ProblemCode } from '../http/problem';
import { checkWebhookTarget, WebhookAddressRefusedError } from './webhook-address';
import { WEBHOOK_REGISTRY, WebhookCommandExecutor, WebhookRepository } from './webhook-command.executor';
import { breakerOpen } from './webhook-retry';
import { WEBHOOK_SETTINGS } from './webhook-providers';
import type { WebhookSettings } from './webhook-settings';
import { secretFingerprint } from './webhook-signature';
import { WebhookStore, type DeliveryDocument } from './webhook-store';
import { WEBHOOK_COLUMNS, WEBHOOK_DELIVERY_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { everyRow } from '../export/csv-table';
import { HeavyRead } from '../http/heavy-read.interceptor';
import { ExportQueryDto } from '../read-models/query.dto';
import {
  DeliveriesQueryDto, RegisterWebhookDto, RotateWebhookSecretDto, WebhookChangeDto, WebhookDeliveryDto, WebhookDeliveryListDto, WebhookListDto, WebhookViewDto,
} from './webhooks.dto';

const WEBHOOKS = 'Webhooks';
/** Namespace of webhook ids: one per command id, so a retried registration names the same webhook. */
const WEBHOOK_NAMESPACE = '8a4d1f6b-2c3e-4b5a-9d7e-6f1a2b3c4d5e';
const NOT_FOUND: ProblemResponseSpec = { status: 404, description: 'No webhook with this id.', codes: ['webhook-not-found'] };
const SPANS_DEPARTMENTS: ProblemResponseSpec = { status: 403, codes: ['forbidden'], description: 'Only admins may call this route, and only with a token for every department: a webhook sends events of every department.' };
const CONFLICT = { description: 'Not allowed in the webhook\'s current state (`command` says which), or other writers kept changing the webhooks. Nothing was written.', example: { command: 'PauseWebhook' } };

/** Why a rotation must name its revision, as the 428 says and documents it. */
const ROTATION_NEEDS_IF_MATCH = 'A secret rotation must name the revision it rotates, so that of two rotations at once one wins and the other is told (412): send If-Match with the ETag of GET /webhooks/{webhookId} (or GET /webhooks). Nothing was written.';

function commandDocs(summary: string, options: { command: string; created?: boolean; illegal?: readonly ProblemCode[]; invalid?: readonly ProblemCode[]; notFound?: ProblemResponseSpec; ifMatchRequired?: string }) {
  return applyDecorators(
    ApiOperation({ summary }),
    CommandResponses({
      type: CommandAcceptedDto, subject: 'webhooks', conflict: { ...CONFLICT, example: { command: options.command } }, deletable: false,
      ...(options.created ? { created: { location: '/webhooks/5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' } } : { notFound: options.notFound ?? NOT_FOUND }),
      ...(options.illegal ? { illegal: options.illegal } : {}),
      ...(options.invalid ? { invalid: options.invalid } : {}),
      ...(options.ifMatchRequired ? { ifMatchRequired: options.ifMatchRequired } : {}),
      mismatch: 'The webhooks are at revision 3, not 2: reload them and decide again.',
    }),
    ProblemResponses(SPANS_DEPARTMENTS),
  );
}

/**
 * Webhook subscriptions (docs/adr/0018): admins register, pause, resume and delete them as events of
 * the `webhooks` stream, read their delivery log and ask for a delivery again. The secret goes to
 * the read store, never into an event or an answer. Every change takes If-Match (the `webhooks`
 * stream's revision, the ETag of the reads); a secret rotation requires it.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly executor: WebhookCommandExecutor,
    private readonly repository: WebhookRepository,
    private readonly deliveries: WebhookStore,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly csv: CsvExport,
  ) {}

  /** The rotations of this process take turns, from the revision check to the append. */
  private readonly rotations = new KeyedTurns();

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, scope: DepartmentScope, dispatch: (context: CommandContext) => Promise<CommandOutcome>, status: 200 | 201 = 200) {
    requireEveryDepartment(scope, WEBHOOKS);
    return this.runner.run(request, reply, actor, dispatch, { status, location: (id) => `/webhooks/${id}` });
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @(commandDocs('Register a webhook: a URL that gets one signed POST per event it selects (event types, kinds of stream, a complaint, a customer)', {
    command: 'RegisterWebhook', created: true, illegal: ['webhook-already-registered'], invalid: ['invalid-webhook-url', 'invalid-event-type', 'reason-required'],
  }))
  async register(@Body() body: RegisterWebhookDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    requireEveryDepartment(scope, WEBHOOKS);
    const { url, secret, eventTypes, streamTypes, complaintId, customerId, description, reason } = body;
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = '';
    }
    // The scheme before any DNS lookup: an ftp: or file: URL is refused without asking a resolver about its host.
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new RequestValidationError([{ field: 'url', message: 'url must be an absolute http or https URL, e.g. https://hooks.example.com/complaint-desk' }]);
    }
    try {
      await checkWebhookTarget(url, this.settings.allowHosts);
    } catch (error) {
      if (error instanceof WebhookAddressRefusedError) throw new RequestValidationError([{ field: 'url', message: error.message }]);
      throw error;
    }
    return this.run(request, reply, actor, scope, async (context) => {
      const webhookId = deterministicUuid(WEBHOOK_NAMESPACE, context.commandId);
      const data = {
        webhookId, url, reason, description: description ?? null, secretFingerprint: secretFingerprint(secret),
        filter: { eventTypes: eventTypes ?? [], streamTypes: streamTypes ?? [], complaintId: complaintId ?? null, customerId: customerId ?? null },
      };
      // The registry's rules first (a user name in the URL, port 0 …), so that a refusal stores no secret.
      refuseInvalidRegistration(data);
      // Before the event: a webhook the outbox knows always has its secret.
      await this.deliveries.putSecret(webhookId, secret);
      const outcome = await this.executor.execute({ type: 'RegisterWebhook', data }, context);
      return { ...outcome, id: webhookId };
    }, 201);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Every webhook, deleted ones too: URL, filter, status, waiting deliveries and the state of its circuit breaker (never the secret); or as CSV' })
  @OkResponse(WebhookListDto, { description: 'The webhooks as of the webhooks stream\'s last event.', csv: true, headers: { ETag: etagHeader('webhooks', 'as of its last event (-1 while empty)') } })
  @ProblemResponses({ status: 400, description: '`format` or `bom` is invalid.' }, 406, SPANS_DEPARTMENTS, STORE_DAMAGED)
  async list(@Query() query: ExportQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    requireEveryDepartment(scope, WEBHOOKS);
    const format = this.csv.formatOf(query, request, reply);
    const { state, revision } = await this.repository.load();
    reply.header('ETag', `"${revision}"`);
    const items = await Promise.all([...state.webhooks.values()].map((webhook) => this.view(webhook)));
    return format === 'csv' ? this.csv.send(reply, 'webhooks', WEBHOOK_COLUMNS, items, query) : { revision, items };
  }

  @Get(':webhookId')
  @Roles('admin')
  @ApiParam({ name: 'webhookId', format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' })
  @ApiOperation({ summary: 'One webhook (never its secret)' })
  @OkResponse(WebhookViewDto, { description: 'The webhook.', headers: { ETag: etagHeader('webhooks', 'as of their last event') } })
  @ProblemResponses(NOT_FOUND, SPANS_DEPARTMENTS, STORE_DAMAGED)
  async get(@Param('webhookId') webhookId: string, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    requireEveryDepartment(scope, WEBHOOKS);
    const { state, revision } = await this.repository.load();
    const webhook = state.webhooks.get(webhookId);
    if (!webhook) throw new WebhookNotFoundError(webhookId);
    reply.header('ETag', `"${revision}"`);
    return this.view(webhook);
  }

  @Post(':webhookId/pause')
  @HttpCode(200)
  @Roles('admin')
  @ApiParam({ name: 'webhookId', format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' })
  @(commandDocs('Pause a webhook: nothing is sent while paused; its events keep being queued, and are sent in order on resume', {
    command: 'PauseWebhook', illegal: ['webhook-already-paused', 'webhook-deleted'], invalid: ['reason-required'],
  }))
  pause(@Param('webhookId') webhookId: string, @Body() body: WebhookChangeDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.change({ type: 'PauseWebhook', data: { webhookId, reason: body.reason } }, webhookId, context));
  }

  @Post(':webhookId/resume')
  @HttpCode(200)
  @Roles('admin')
  @ApiParam({ name: 'webhookId', format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' })
  @(commandDocs('Resume a paused webhook: what was queued meanwhile is sent, oldest first', {
    command: 'ResumeWebhook', illegal: ['webhook-not-paused', 'webhook-deleted'], invalid: ['reason-required'],
  }))
  resume(@Param('webhookId') webhookId: string, @Body() body: WebhookChangeDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.change({ type: 'ResumeWebhook', data: { webhookId, reason: body.reason } }, webhookId, context));
  }

  @Post(':webhookId/delete')
  @HttpCode(200)
  @Roles('admin')
  @ApiParam({ name: 'webhookId', format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' })
  @(commandDocs('Delete a webhook: nothing more is queued or sent; its delivery log stays readable', {
    command: 'DeleteWebhook', illegal: ['webhook-deleted'], invalid: ['reason-required'],
  }))
  remove(@Param('webhookId') webhookId: string, @Body() body: WebhookChangeDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.change({ type: 'DeleteWebhook', data: { webhookId, reason: body.reason } }, webhookId, context));
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @Roles('admin')
  @ApiParam({ name: 'webhookId', format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' })
  @(commandDocs('Rotate the signing secret (WebhookSecretRotated, with the new fingerprint): deliveries are signed with the new secret, and with the old one too (a second v1) for graceHours (24 unless given), so that receivers can switch', {
    command: 'RotateWebhookSecret', illegal: ['webhook-deleted'], invalid: ['webhook-secret-unchanged', 'invalid-grace-period', 'reason-required'], ifMatchRequired: ROTATION_NEEDS_IF_MATCH,
  }))
  async rotateSecret(
    @Param('webhookId') webhookId: string, @Body() body: RotateWebhookSecretDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireEveryDepartment(scope, WEBHOOKS);
    if (parseIfMatch(request.headers['if-match']) === undefined) {
      throw new PreconditionRequiredError(`A secret rotation must name the revision it rotates: send If-Match with the ETag that GET /webhooks/${webhookId} answers (the registry's revision, quoted as it is). Nothing was written.`);
    }
    const fingerprint = secretFingerprint(body.secret);
    return this.run(request, reply, actor, scope, (context) => this.oneRotationAtATime(async () => {
      const { state, revision, events } = await this.repository.load();
      const webhook = state.webhooks.get(webhookId);
      // A retry of a rotation already recorded (same command id) is answered as the first time by the executor.
      const retried = events.some((recorded) => recorded.metadata['commandId'] === context.commandId);
      // An unknown webhook is 404 whatever If-Match says (all webhooks share one stream, and its revision).
      if (!webhook) throw new WebhookNotFoundError(webhookId);
      // A stale If-Match is refused before the secret is stored: the losing one of two rotations stores nothing.
      if (!retried && context.expectedRevision !== undefined && !revisionMatches(context.expectedRevision, revision < 0 ? null : revision)) {
        throw new PreconditionFailedError(webhookId, context.expectedRevision, revision, WEBHOOK_REGISTRY);
      }
      // Stored only for a rotation the decider can accept (it refuses the others, writing nothing).
      if (!retried && webhook.status !== 'deleted' && fingerprint !== webhook.secretFingerprint) {
        // Before the event, as at registration; the sender asks for the secret by the log's fingerprint, so a failed append leaves it unused.
        // A compare-and-set by the registry revision: another API process that rotated on this revision first keeps its secret, and this one is told.
        if (!await this.deliveries.rotateSecret(webhookId, body.secret, [webhook.secretFingerprint], revision)) {
          throw new PreconditionFailedError(webhookId, context.expectedRevision ?? revision, revision, WEBHOOK_REGISTRY,
            `Another rotation of webhook ${webhookId}, decided on the same revision ${revision} of the webhook registry, came first (from another API process): `
            + `its secret is the one in force. Reload GET /webhooks/${webhookId} and decide again. Nothing was written.`);
        }
      }
      return this.change({ type: 'RotateWebhookSecret', data: { webhookId, secretFingerprint: fingerprint, graceHours: body.graceHours ?? 24, reason: body.reason } }, webhookId, context);
    }));
  }

  /**
   * Runs a rotation after the ones before it in this process: its revision check, the stored secret
   * and the append go together, so a rotation that loses never replaces the winner's secret.
   */
  private oneRotationAtATime<T>(rotation: () => Promise<T>): Promise<T> {
    return this.rotations.inTurn('rotation', rotation);
  }

  @Get(':webhookId/deliveries')
  @Roles('admin')
  @ApiParam({ name: 'webhookId', format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' })
  @ApiOperation({ summary: 'The delivery log of a webhook, newest first: each event sent or to send, its attempts and their outcome; status=dead lists the dead letters; or as CSV, every page' })
  @OkResponse(WebhookDeliveryListDto, { description: 'A page of deliveries.', csv: true })
  @ProblemResponses({ status: 400, codes: ['validation-failed', 'invalid-query'], description: '`status`, `limit`, `cursor`, `format` or `bom` is invalid.' }, 406, NOT_FOUND, SPANS_DEPARTMENTS, STORE_DAMAGED)
  @HeavyRead()
  async deliveryLog(
    @Param('webhookId') webhookId: string, @Query() query: DeliveriesQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireEveryDepartment(scope, WEBHOOKS);
    const format = this.csv.formatOf(query, request, reply);
    const { state } = await this.repository.load();
    if (!state.webhooks.has(webhookId)) throw new WebhookNotFoundError(webhookId);
    const { limit, cursor, status } = query;
    const page = async (paging: { limit: number; cursor?: string }) => {
      const found = await this.deliveries.deliveries(webhookId, { ...paging, ...(status ? { status } : {}) });
      return { items: found.items.map(deliveryView), nextCursor: found.nextCursor };
    };
    return format === 'csv'
      ? this.csv.send(reply, 'webhook-deliveries', WEBHOOK_DELIVERY_COLUMNS, await everyRow(page, { limit, cursor }), query)
      : page({ limit: limit ?? 50, ...(cursor ? { cursor } : {}) });
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @HttpCode(200)
  @Roles('admin')
  @ApiParam({ name: 'webhookId', format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' })
  @ApiParam({ name: 'deliveryId', format: 'uuid', example: '7d1e2f3a-4b5c-5d6e-8f70-8192a3b4c5d6' })
  @(commandDocs('Send a delivered or dead delivery again (WebhookRedeliveryRequested): a new delivery of the same event, queued behind what waits, with redeliveryOf naming this one', {
    command: 'RequestWebhookRedelivery', illegal: ['webhook-delivery-pending', 'webhook-deleted'], invalid: ['reason-required'],
    notFound: { status: 404, description: 'No webhook with this id, or no delivery of it with this id.', codes: ['webhook-not-found', 'webhook-delivery-not-found'] },
  }))
  async redeliver(
    @Param('webhookId') webhookId: string, @Param('deliveryId') deliveryId: string, @Body() body: WebhookChangeDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireEveryDepartment(scope, WEBHOOKS);
    const delivery = isUuid(deliveryId) ? await this.deliveries.delivery(deliveryId.toLowerCase()) : undefined;
    if (!delivery || delivery.webhookId !== webhookId) throw new ResourceNotFoundError('webhook-delivery-not-found', `Webhook ${webhookId} has no delivery ${deliveryId}.`);
    if (delivery.status === 'pending') {
      throw new ResourceConflictError('webhook-delivery-pending', `Delivery ${deliveryId} is still waiting to be sent (or retried); ask again once it is delivered or dead.`);
    }
    return this.run(request, reply, actor, scope, (context) => this.change({ type: 'RequestWebhookRedelivery', data: { webhookId, deliveryId: delivery.id, reason: body.reason } }, webhookId, context));
  }

  private async change(command: WithoutContext<WebhookCommand>, webhookId: string, context: CommandContext): Promise<CommandOutcome> {
    const outcome = await this.executor.execute(command, context);
    return { ...outcome, id: webhookId };
  }

  private async view(webhook: Webhook): Promise<WebhookViewDto> {
    const [endpoint, pendingDeliveries] = await Promise.all([this.deliveries.endpoint(webhook.id), this.deliveries.countPending(webhook.id)]);
    const open = breakerOpen(endpoint, Date.now());
    return {
      id: webhook.id, url: webhook.url, filter: { ...webhook.filter, eventTypes: [...webhook.filter.eventTypes], streamTypes: [...webhook.filter.streamTypes] },
      secretFingerprint: webhook.secretFingerprint.slice(0, 16),
      previousSecret: webhook.previousSecret === null ? null : {
        fingerprint: webhook.previousSecret.fingerprint.slice(0, 16), until: webhook.previousSecret.until, signing: Date.parse(webhook.previousSecret.until) > Date.now(),
      },
      description: webhook.description, status: webhook.status, registeredAt: webhook.registeredAt, changedAt: webhook.changedAt,
      pendingDeliveries,
      circuit: { state: open ? 'open' : 'closed', consecutiveFailures: endpoint.consecutiveFailures, openUntil: open && endpoint.openUntil !== null ? new Date(endpoint.openUntil).toISOString() : null },
    };
  }
}

function deliveryView(delivery: DeliveryDocument): WebhookDeliveryDto {
  const { sequence: _sequence, version: _version, ...rest } = delivery;
  return { droppedAt: null, dropReason: null, ...rest };
}
