import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Req, Res, applyDecorators, type PipeTransform } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CAMPAIGN_SEGMENT_DIMENSIONS, SurveyNotFoundError, type Actor, type CampaignSegments, type DepartmentScope, type Role } from '@app/domain';
import { isUuid } from '@app/event-sourcing';
import {
  AnswerSatisfactionSurveyCommand, CancelSatisfactionSurveyCommand, GetSatisfactionSurveyQuery, GetWorkOrderSurveyQuery, RunSurveyCampaignCommand, SendSatisfactionSurveyCommand, SurveySettings,
  parseWorkOrderSurveyId, type SatisfactionSurveyView, type WorkOrderSurveyView,
} from '@app/after-sales';
import { ActingCheck, type CommandContext, type CommandOutcome } from '@app/complaints';
import { ALL_ROLES, AgentActingRoles, CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import { CommandRunner, UUID_PATH_ID } from '../http/command-runner';
import { ResourceNotFoundError } from '../http/request-errors';
import { CommandAcceptedDto } from '../complaints/dto/complaint-commands.dto';
import { CommandResponses, OkResponse, ProblemResponses, STORE_DAMAGED, TURN_WRITE, etagHeader, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import type { ProblemCode } from '../http/problem';
import { SurveyCampaignAudience } from './survey-campaign-audience';
import {
  AnswerSatisfactionSurveyDto, CancelSatisfactionSurveyDto, RunSurveyCampaignDto, SendSatisfactionSurveyDto, SatisfactionSurveyViewDto, SurveyCampaignAcceptedDto,
} from './surveys.dto';

/** The desk sends surveys and records the customers' answers; supervisors cancel them. */
const DESK: Role[] = ['agent', 'supervisor', 'admin'];
/** The roles of a survey command an agent may send: also 403 `agent-deactivated` (ActingRoles). */
const DeskRoles = () => AgentActingRoles(DESK);
const MANAGERS: Role[] = ['supervisor', 'admin'];

const EXAMPLE_ID = '7c1d9e20-4b3a-4f6e-9d21-0a1b2c3d4e5f';
const ID_PARAM = ApiParam({ name: 'id', format: 'uuid', example: EXAMPLE_ID, description: 'The survey (any other text: 404).' });
const NOT_FOUND: ProblemResponseSpec = { status: 404, description: 'No such survey, or one outside the caller\'s departments.', codes: ['survey-not-found'] };

const notFound = (value: string) => new SurveyNotFoundError(value.length > 100 ? `${value.slice(0, 100)}…` : value);

/** Any id that is not a UUID names no survey (that takes commands); a work order's own survey, as GET /surveys lists it, is answered on its order. */
@Injectable()
export class SurveyIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const ofOrder = isUuid(value) ? undefined : parseWorkOrderSurveyId(value);
    if (ofOrder) {
      throw new ResourceNotFoundError('survey-not-found', `${value} is a work order's own survey (listed by GET /surveys, read by GET /surveys/{id}), not one of /surveys: `
        + `record its answer with POST /work-orders/${ofOrder.workOrderId}/survey-answer; the commands of /surveys/{id} take a survey sent with POST /surveys.`);
    }
    if (!isUuid(value)) throw notFound(value);
    return value.toLowerCase();
  }
}

/** What GET /surveys/{id} reads: a survey's UUID, or a work order's own survey as GET /surveys lists it (`<order>:<cycle>:<survey id>`). */
@Injectable()
export class ListedSurveyIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (isUuid(value)) return value.toLowerCase();
    if (!parseWorkOrderSurveyId(value)) throw notFound(value);
    return value;
  }
}

function SurveyCommandDocs(summary: string, options: { command: string; created?: boolean; illegal: readonly ProblemCode[]; invalid: readonly ProblemCode[] }) {
  return applyDecorators(
    ApiOperation({ summary }),
    CommandResponses({
      type: CommandAcceptedDto, subject: 'survey',
      conflict: { description: 'Not allowed in the survey\'s (or its subject\'s) current state (`command` says which), or other writers kept changing it. Nothing was written.', example: { command: options.command } },
      ...(options.created ? { created: { location: `/surveys/${EXAMPLE_ID}` } } : { notFound: NOT_FOUND }),
      illegal: options.illegal, invalid: options.invalid,
      mismatch: 'The survey is at revision 1, not 0: reload it and decide again.',
    }),
  );
}

/** Satisfaction surveys (满意度调查, seed 002): sent after a callback or a hand-over, answered later, or cancelled. */
@ApiTags('surveys')
@Controller('surveys')
export class SurveysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly audience: SurveyCampaignAudience,
    private readonly settings: SurveySettings,
    private readonly acting: ActingCheck,
  ) {}

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, dispatch: (context: CommandContext) => unknown, status: 200 | 201 = 200) {
    return this.runner.run(request, reply, actor, (context) => dispatch(context) as Promise<CommandOutcome>, {
      status,
      location: (id) => `/surveys/${id}`,
      pathIds: { id: UUID_PATH_ID },
      requireInScope: (id, { id: actorId }, scope) => this.queries.execute(new GetSatisfactionSurveyQuery(id, { actorId, scope })),
      // A retry answered from the Idempotency-Key store runs no command: a deactivated agent is refused there too.
      requireActing: (acting) => this.acting.requireActing(acting),
    });
  }

  @Post()
  @HttpCode(201)
  @DeskRoles()
  @SurveyCommandDocs('Send a satisfaction survey for a complaint (after its callback) or a work order (after its hand-over), to its customer; one open survey per subject', {
    command: 'SendSatisfactionSurvey', created: true, illegal: ['subject-not-ready', 'survey-already-open', 'survey-exists'],
    invalid: ['unknown-complaint', 'unknown-work-order', 'survey-question-text-required', 'duplicate-survey-question'],
  })
  @ProblemResponses(TURN_WRITE)
  send(@Body() body: SendSatisfactionSurveyDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new SendSatisfactionSurveyCommand(sendRequest(body), context)), 201);
  }

  @Post('campaigns')
  @HttpCode(201)
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Run a survey campaign (调查活动): one survey per customer on file in a segment, about the customer\'s latest complaint called back or closed; a customer whose complaint has an open survey is skipped and counted' })
  @CommandResponses({
    type: SurveyCampaignAcceptedDto, subject: 'survey campaign',
    created: { location: `/surveys?campaignId=${EXAMPLE_ID}` },
    conflict: { description: 'The campaign was run already (a retried Idempotency-Key whose answer was forgotten answers as the first time instead). Nothing was written.', example: { command: 'RunSurveyCampaign' } },
    illegal: ['campaign-exists'],
    invalid: ['campaign-segment-required', 'campaign-too-large', 'campaign-reason-required', 'survey-question-text-required', 'duplicate-survey-question'],
    mismatch: 'The campaign is at revision 0, not -1.',
  })
  campaign(@Body() body: RunSurveyCampaignDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const segments: CampaignSegments = {};
    for (const dimension of CAMPAIGN_SEGMENT_DIMENSIONS) {
      const code = body.segments[dimension];
      if (typeof code === 'string') segments[dimension] = code;
    }
    const data = {
      segments, channel: body.channel, reason: body.reason,
      // null as absent, as for a single survey.
      ...(body.questions == null ? {} : { questions: body.questions.map(({ id, text }) => ({ id, ...(text == null ? {} : { text }) })) }),
    };
    return this.runner.run(request, reply, actor, async (context) => {
      // One more than the limit: enough to refuse a segment beyond it without reading it all.
      const selected = await this.audience.select(segments, { actorId: actor.id, scope }, this.settings.campaignLimit + 1);
      return this.commands.execute(new RunSurveyCampaignCommand(data, selected, context));
    }, { status: 201, location: (id) => `/surveys?campaignId=${id}` });
  }

  @Post(':id/answer')
  @HttpCode(200)
  @DeskRoles()
  @ID_PARAM
  @SurveyCommandDocs('Record the customer\'s answer: a 1–5 score per question answered, with optional comments; once, before the survey expires', {
    command: 'AnswerSatisfactionSurvey', illegal: ['survey-answered', 'survey-cancelled', 'survey-expired'],
    invalid: ['unknown-survey-question', 'duplicate-survey-question', 'invalid-survey-score', 'survey-answers-required'],
  })
  answer(@Param('id', SurveyIdPipe) id: string, @Body() body: AnswerSatisfactionSurveyDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = {
      answers: body.answers.map(({ questionId, score, comment }) => ({ questionId, score, ...(comment === undefined ? {} : { comment }) })),
      ...(body.comment === undefined ? {} : { comment: body.comment }),
    };
    return this.run(request, reply, actor, (context) => this.commands.execute(new AnswerSatisfactionSurveyCommand(id, data, context)));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ID_PARAM
  @SurveyCommandDocs('Cancel a survey not answered yet, with the reason', { command: 'CancelSatisfactionSurvey', illegal: ['survey-answered', 'survey-cancelled'], invalid: ['reason-required'] })
  cancel(@Param('id', SurveyIdPipe) id: string, @Body() body: CancelSatisfactionSurveyDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new CancelSatisfactionSurveyCommand(id, { reason: body.reason }, context)));
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiParam({
    name: 'id', example: EXAMPLE_ID, schema: { type: 'string', maxLength: 200 },
    description: 'The survey\'s UUID, or for a work order\'s own survey (POST /work-orders/{id}/survey) the id GET /surveys lists it by, `<work order>:<cycle>:<survey id>` (any other text: 404).',
  })
  @ApiOperation({ summary: 'The survey\'s current state, folded from its events (a work order\'s own survey: from the order\'s events, without an answer period)' })
  @OkResponse(SatisfactionSurveyViewDto, { description: 'The survey as of its last event.', headers: { ETag: etagHeader('survey', 'as of its last event') } })
  @ProblemResponses(NOT_FOUND, STORE_DAMAGED)
  async get(@Param('id', ListedSurveyIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!isUuid(id)) {
      const older = await this.queries.execute<GetWorkOrderSurveyQuery, WorkOrderSurveyView>(new GetWorkOrderSurveyQuery(id, { actorId: actor.id, scope }));
      reply.header('ETag', `"${older.revision}"`);
      return older;
    }
    const view = await this.queries.execute<GetSatisfactionSurveyQuery, SatisfactionSurveyView>(new GetSatisfactionSurveyQuery(id, { actorId: actor.id, scope }));
    reply.header('ETag', `"${view.revision}"`);
    return { ...view.state, revision: view.revision };
  }
}

function sendRequest(body: SendSatisfactionSurveyDto) {
  return {
    // Folded as the subject's own routes fold their path (WorkOrderIdPipe, ComplaintIdPipe): ids are stored in lower case.
    subject: { kind: body.subject.kind, id: body.subject.id.toLowerCase() }, channel: body.channel,
    // null as absent: class-validator's IsOptional lets an optional field through as null.
    ...(body.questions == null ? {} : { questions: body.questions.map(({ id, text }) => ({ id, ...(text == null ? {} : { text }) })) }),
    ...(body.reason == null ? {} : { reason: body.reason }),
  };
}
