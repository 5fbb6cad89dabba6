import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenNotFoundError, type Actor } from '@app/domain';
import { isUuid } from '@app/event-sourcing';
import { CurrentActor, Roles } from '../auth/roles.decorator';
import { idHeader } from '../http/request-errors';
import { TamperEvidence } from '../audit/tamper-evidence';
import { AccessControl } from './access-control.service';
import { IssueTokenDto, RevokeTokenDto } from './access.dto';
import { TOKEN_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { ExportQueryDto } from '../read-models/query.dto';

const correlationOf = (request: FastifyRequest): string | undefined => idHeader(request.headers, 'x-correlation-id');

@ApiTags('access')
@ApiBearerAuth()
@Controller()
export class AccessController {
  constructor(private readonly access: AccessControl, private readonly evidence: TamperEvidence, private readonly csv: CsvExport) {}

  @Post('access/tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a token (AccessTokenIssued): the token is in this answer only; the store keeps its SHA-256' })
  async issue(@Body() body: IssueTokenDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const correlationId = correlationOf(request);
    const { token, grant, position } = await this.access.issue(body, { actor, reason: body.reason, ...(correlationId ? { correlationId } : {}) });
    void reply.header('Location', `/access/tokens/${grant.tokenId}`);
    return { ...grant, token, position };
  }

  @Post('access/tokens/:tokenId/revoke')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a token (AccessTokenRevoked): it stops working at once, in every process that follows the store' })
  async revoke(@Param('tokenId') tokenId: string, @Body() body: RevokeTokenDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest) {
    if (!isUuid(tokenId)) throw new AccessTokenNotFoundError(tokenId);
    const correlationId = correlationOf(request);
    const { grant, position } = await this.access.revoke(tokenId.toLowerCase(), { actor, reason: body.reason, ...(correlationId ? { correlationId } : {}) });
    return { tokenId: grant.tokenId, principalId: grant.principalId, revokedAt: grant.revokedAt, position };
  }

  @Get('access/tokens')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Every token: configured and managed, with role, departments, status, who issued and revoked it (never the token or its hash); or as CSV' })
  @ApiProduces('application/json', 'text/csv')
  list(@Query() query: ExportQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const items = this.access.list();
    return format === 'csv' ? this.csv.send(reply, 'access-tokens', TOKEN_COLUMNS, items, query) : { items };
  }

  @Get('audit/access')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Every grant and revocation in order: who decided, when, why; whether the access-control hash chain is intact, and whether it still holds what the seals recorded' })
  async history() {
    return { ...(await this.access.history()), seals: await this.evidence.accessControlAgainstSeals() };
  }
}
