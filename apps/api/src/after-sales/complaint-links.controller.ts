import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@app/domain';
import { GetWorkOrderQuery, LinkWorkOrderToComplaintCommand } from '@app/after-sales';
import { ActingCheck, type CommandOutcome } from '@app/complaints';
import { CurrentActor } from '../auth/roles.decorator';
import { DeskRoles } from '../complaints/complaints.controller';
import { CommandRunner, UUID_PATH_ID } from '../http/command-runner';
import { CommandAcceptedDto } from '../complaints/dto/complaint-commands.dto';
import { ComplaintIdPipe } from '../complaints/complaint-id.pipe';
import { CommandResponses } from '../openapi/api-responses.decorator';
import { LinkWorkOrderDto } from './dto/work-order-commands.dto';

/** Who links: the desk, as from the order's side (POST /work-orders/{id}/link-complaint). */

/**
 * A complaint's links to work orders, made from the complaint's side. The link is the work order's
 * decision (WorkOrderLinkedToComplaint on its stream), the one the order's own route records: the
 * answer, its ETag and If-Match are the order's revision.
 */
@ApiTags('complaints')
@Controller('complaints')
export class ComplaintLinksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly acting: ActingCheck,
  ) {}

  @Post(':id/links')
  @HttpCode(200)
  @DeskRoles()
  @ApiParam({ name: 'id', format: 'uuid', example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', description: 'The complaint (any other text: 404).' })
  @ApiOperation({
    summary: 'Link a work order to the complaint (a repair complaint that spawned an order, or an order whose bad survey opened it); each order once. '
      + 'Recorded on the order\'s stream, as the order\'s link-complaint route records it: the answer is the order\'s id and revision, and If-Match is the order\'s ETag',
  })
  @CommandResponses({
    type: CommandAcceptedDto, subject: 'work order', illegal: ['already-linked'], invalid: ['unknown-work-order'],
    notFound: { status: 404, description: 'No such complaint, or one outside the caller\'s departments.', codes: ['complaint-not-found'] },
    conflict: { description: 'The order is already linked to this complaint, or other writers kept changing it. Nothing was written.', example: { command: 'LinkComplaint' } },
    mismatch: 'The work order is at revision 5, not 4: reload it and decide again.',
  })
  link(@Param('id', ComplaintIdPipe) id: string, @Body() body: LinkWorkOrderDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = { workOrderId: body.workOrderId.toLowerCase(), ...(body.reason === undefined ? {} : { reason: body.reason }) };
    return this.runner.run(request, reply, actor, (context) => this.commands.execute(new LinkWorkOrderToComplaintCommand(id, data, context)) as Promise<CommandOutcome>, {
      status: 200,
      pathIds: { id: UUID_PATH_ID },
      bodyIds: { workOrderId: UUID_PATH_ID },
      // A replayed answer names the order: the caller must still see it.
      requireInScope: (workOrderId, { id: actorId }, scope) => this.queries.execute(new GetWorkOrderQuery(workOrderId, { actorId, scope })),
      requireActing: (acting) => this.acting.requireActing(acting),
    });
  }
}
