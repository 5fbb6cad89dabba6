import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ComplaintAudit } from '@app/complaints';
import { StreamDeletedError, StreamNotFoundError } from '@app/event-store';
import { ACCESS_CONTROL_STREAM, LOG_SEALS_STREAM, SERVICE_NETWORK_STREAM, SURVEY_CAMPAIGN_STREAM_PREFIX, SURVEY_STREAM_PREFIX, WEBHOOKS_STREAM } from '@app/domain';
import { AuditDecisionsQuery, WorkOrderListQuery } from '@app/read-models';
import { DecisionsQueryDto } from '../read-models/query.dto';
import { ReadModelResponder } from '../read-models/read-model-responder';
import { Roles } from '../auth/roles.decorator';
import { ComplaintIdPipe } from '../complaints/complaint-id.pipe';
import { TamperEvidence } from './tamper-evidence';
import { DECISION_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { everyRow } from '../export/csv-table';
import { ChainVerdictDto } from '../openapi/common.dto';
import { AS_OF_NOT_FOUND, OkResponse, PROJECTION_FAILED, ProblemResponses, READ_MODEL_POSITION_HEADER, STORE_DAMAGED } from '../openapi/api-responses.decorator';
import { DecisionPageDto, LogReportDto, TrailDto } from './audit.dto';
import { HeavyRead } from '../http/heavy-read.interceptor';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * Every kind of stream the API writes, each hash-chained (a chain is checked per stream, whatever the
 * aggregate): a new kind of stream belongs here, or its chain cannot be checked on its own.
 */
const STREAM_KINDS = [
  `complaint-${UUID}`, `notification-${UUID}`, `work-order-${UUID}`, 'product-[A-Z0-9][A-Z0-9._/-]{0,63}', SERVICE_NETWORK_STREAM, 'customer-[A-Za-z0-9._@:-]{1,100}',
  `${SURVEY_CAMPAIGN_STREAM_PREFIX}${UUID}`, `${SURVEY_STREAM_PREFIX}${UUID}`, ACCESS_CONTROL_STREAM, WEBHOOKS_STREAM, LOG_SEALS_STREAM,
];
const STREAM = new RegExp(`^(${STREAM_KINDS.join('|')})$`);
const STREAM_RULE = 'stream must be complaint-<id>, notification-<complaint or work order id>, work-order-<id>, product-<serial number>, service-network, customer-<id>, '
  + 'survey-<id>, survey-campaign-<id>, access-control, webhooks or log-seals';

/**
 * Streams that exist only once something happened, whose absence is the normal state of a fresh store:
 * the 404 says what starts them, instead of leaving a caller to suspect the chain was removed.
 */
const NOT_YET_WRITTEN: Readonly<Record<string, string>> = {
  [LOG_SEALS_STREAM]: `Stream ${LOG_SEALS_STREAM} does not exist yet: no tamper finding has been acknowledged on this store. It holds the admins' `
    + 'acknowledgements (npm run cli -- seal acknowledge --reason "…") and begins with the first one. The seals themselves are not in the log but in '
    + 'SEAL_DIR: GET /audit/verify without stream checks them, with every chain and every whole-log link.',
  [WEBHOOKS_STREAM]: `Stream ${WEBHOOKS_STREAM} does not exist yet: no webhook has been registered on this store. It begins with the first POST /webhooks.`,
};

export class VerifyQueryDto {
  @IsOptional()
  @ApiProperty({
    required: false, example: 'complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e',
    description: 'One stream to check: complaint-<id>, notification-<complaint id> (what the complaint\'s customer and staff were told; for a work order\'s survey invitation, notification-<work order id>), work-order-<id>, product-<serial number>, service-network, customer-<id> (a customer file), '
      + 'survey-<id> (a satisfaction survey), survey-campaign-<id>, access-control (the token grants), webhooks (the registrations) or log-seals. Without it, the whole store: every chain, every whole-log link and every seal.',
  })
  @Matches(STREAM, { message: STREAM_RULE })
  stream?: string;
}

@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(
    private readonly audit: ComplaintAudit,
    private readonly decisions: AuditDecisionsQuery,
    private readonly responder: ReadModelResponder,
    private readonly evidence: TamperEvidence,
    private readonly csv: CsvExport,
    private readonly workOrders: WorkOrderListQuery,
  ) {}

  @Get('audit/decisions')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Every decision across complaints, repairs (work orders, products, the service network) and customer files, newest first: by actor, role, event type, work order and period; or as CSV' })
  @OkResponse(DecisionPageDto, { description: 'A page of decisions, newest first.', csv: true, headers: { 'X-Read-Model-Position': READ_MODEL_POSITION_HEADER } })
  @ProblemResponses({ status: 400, codes: ['validation-failed', 'invalid-query'], description: 'A query parameter is invalid (`errors` names it), or the cursor is not one this list gave.' }, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  listDecisions(@Query() query: DecisionsQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const { limit, cursor, minPosition: _minPosition, format: _format, bom: _bom, ...filter } = query;
    const page = (paging: { limit: number; cursor?: string }) => this.decisions.decisions(filter, paging);
    return this.responder.respond(query, reply, async () => (format === 'csv'
      ? this.csv.send(reply, 'audit-decisions', DECISION_COLUMNS, await everyRow(page, { limit, cursor }), query)
      : page({ limit: limit ?? 50, cursor })));
  }

  @Get('complaints/:id/trail')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Every decision on a complaint in order: who, when, why, under which policy, caused by what, with its hash; and whether the chain is intact. Also what it told the customer (notifications) and the decisions that linked work orders to it (those the work-order list knows)' })
  @ApiParam({ name: 'id', format: 'uuid', example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', description: 'The complaint (any other text: 404).' })
  @OkResponse(TrailDto, { description: 'The decisions on the complaint, oldest first, and the verdict on its hash chain.' })
  @ProblemResponses({ status: 404, codes: ['complaint-not-found'], description: 'No such complaint.' }, STORE_DAMAGED)
  @HeavyRead()
  async trail(@Param('id', ComplaintIdPipe) id: string) {
    return this.audit.trail(id, await this.workOrders.linkedTo(id));
  }

  @Get('audit/verify')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'With stream: check that stream\'s hash chain (OK with its head hash, or the first broken link). Without: the whole store — every chain, '
      + 'every whole-log link and every seal — with each finding in words (what was changed, removed or cut off) and whether an admin acknowledged it',
  })
  @OkResponse([ChainVerdictDto, LogReportDto], { description: 'With stream: that stream\'s verdict. Without: the report on the whole store.' })
  @ProblemResponses({ status: 404, codes: ['stream-not-found'], description: 'The stream does not exist (log-seals: no tamper finding acknowledged yet; webhooks: no webhook registered yet; the detail says so).' }, { status: 400, description: '`stream` names no kind of stream the API writes (`errors` lists the kinds).' }, STORE_DAMAGED)
  @HeavyRead()
  async verify(@Query() query: VerifyQueryDto) {
    if (query.stream !== undefined) return this.verifyStream(query.stream);
    return (await this.evidence.verify()).report;
  }

  private async verifyStream(stream: string) {
    try {
      return await this.audit.verify(stream);
    } catch (error) {
      const notYet = NOT_YET_WRITTEN[stream];
      if (error instanceof StreamNotFoundError && !(error instanceof StreamDeletedError) && notYet !== undefined) throw new StreamNotFoundError(stream, notYet);
      throw error;
    }
  }
}
