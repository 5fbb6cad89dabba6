import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { DirectoryCheck } from '../complaints/directory-check';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenNotFoundError } from '@app/domain';
import { isUuid } from '@app/event-sourcing';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { idHeader } from '../http/request-errors';
import { RefusesIdempotencyKey } from '../http/no-idempotency-key.guard';
import { TamperEvidence } from '../audit/tamper-evidence';
import { AccessControl, MAX_WAITING_DECISIONS_PER_TOKEN, type Principal } from './access-control.service';
import { IssuedTokenDto, IssueTokenDto, RevokedTokenDto, RevokeTokenDto, TokenListDto } from './access.dto';
import { AccessHistoryDto, type AccessHistoryEntryDto } from '../audit/audit.dto';
import { LOCATION_HEADER, OkResponse, ProblemResponses, STORE_DAMAGED, STORE_WRITE } from '../openapi/api-responses.decorator';
import { ACCESS_HISTORY_COLUMNS, TOKEN_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { ExportQueryDto } from '../read-models/query.dto';
import { CHAIN_VERDICT_FILE_NAME, CHAIN_VERDICT_HEADER, chainVerdictFileTag, chainVerdictHeader } from './chain-verdict-header';
import { HeavyRead } from '../http/heavy-read.interceptor';

const correlationOf = (request: FastifyRequest): string | undefined => idHeader(request.headers, 'x-correlation-id');

const BODY_ERRORS = [413, 415] as const;

/** Only another process (the CLI, another API instance) can make a decision here lose its turn: decisions in one API process wait for each other. */
const LOST_TO_ANOTHER_PROCESS = '`concurrent-modification`: another process (the CLI, another API instance) wrote the access-control stream each of the five times this decision was tried; nothing was written, and sending the request again is safe.';

/** The 429s of a decision: the guard's rate limit, or the access-control queue's cap per token (MAX_WAITING_DECISIONS_PER_TOKEN). */
const DECISION_429 = {
  status: 429, codes: ['rate-limited', 'too-many-in-flight'],
  description: `\`rate-limited\`: too many requests from this token. \`too-many-in-flight\`: this token already has ${MAX_WAITING_DECISIONS_PER_TOKEN} access-control decisions waiting in this process; nothing was written. \`Retry-After\` says when to try again.`,
} as const;

const IDEMPOTENCY_KEY_REFUSED = 'The body is invalid, or an `Idempotency-Key` was sent: this route takes none (`validation-failed` naming the header; nothing is written).';

@ApiTags('access')
@Controller()
export class AccessController {
  constructor(private readonly access: AccessControl, private readonly evidence: TamperEvidence, private readonly csv: CsvExport, private readonly directory: DirectoryCheck) {}

  @Post('access/tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a token (AccessTokenIssued): the token is in this answer only; the store keeps its SHA-256. Once the directory (GET /service-network) has units, each department of the scope must be one of them' })
  @OkResponse(IssuedTokenDto, { status: 201, description: 'Issued; the token is in this answer only.', headers: { Location: LOCATION_HEADER('/access/tokens/36c047e5-4d12-4e8c-a71d-54fdff6b2060') } })
  @ProblemResponses(
    { status: 400, codes: ['validation-failed', 'invalid-access-command', 'malformed-json'], description: IDEMPOTENCY_KEY_REFUSED },
    { status: 409, codes: ['concurrent-modification'], description: LOST_TO_ANOTHER_PROCESS }, DECISION_429, ...BODY_ERRORS, STORE_WRITE,
  )
  @RefusesIdempotencyKey(IssueTokenDto, 'POST /access/tokens', 'its answer is the only copy of the token, so a repeat issues a second token. If an answer was lost, find the token in GET /access/tokens and revoke it')
  async issue(@Body() body: IssueTokenDto, @CurrentPrincipal() { actor, tokenKey }: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const correlationId = correlationOf(request);
    // A scope names units of the directory once it has any (a typo would otherwise see nothing).
    const departments = await this.directory.departments(body.departments);
    const { token, grant, position } = await this.access.issue(departments === undefined ? body : { ...body, departments }, { actor, tokenKey, reason: body.reason, ...(correlationId ? { correlationId } : {}) });
    void reply.header('Location', `/access/tokens/${grant.tokenId}`);
    return { ...grant, token, position };
  }

  @Post('access/tokens/:tokenId/revoke')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a token (AccessTokenRevoked): it stops working at once, in every process that follows the store' })
  @ApiParam({ name: 'tokenId', format: 'uuid', example: '36c047e5-4d12-4e8c-a71d-54fdff6b2060', description: 'A managed token\'s id (configured tokens cannot be revoked here).' })
  @OkResponse(RevokedTokenDto, { description: 'Revoked; the token stops working at once.' })
  @ProblemResponses(
    { status: 400, codes: ['validation-failed', 'invalid-access-command', 'malformed-json'], description: IDEMPOTENCY_KEY_REFUSED }, { status: 404, codes: ['token-not-found'], description: 'No managed token has this id.' },
    {
      status: 409, codes: ['token-already-revoked', 'concurrent-modification'], example: { revokedAt: '2026-03-01T09:30:00.000Z' },
      description: `\`token-already-revoked\`: the token was revoked before (at \`revokedAt\`), nothing changed. Or ${LOST_TO_ANOTHER_PROCESS}`,
    }, DECISION_429, ...BODY_ERRORS, STORE_WRITE,
  )
  @RefusesIdempotencyKey(RevokeTokenDto, 'POST /access/tokens/{tokenId}/revoke', 'a repeat is answered 409 token-already-revoked and changes nothing')
  async revoke(@Param('tokenId') tokenId: string, @Body() body: RevokeTokenDto, @CurrentPrincipal() { actor, tokenKey }: Principal, @Req() request: FastifyRequest) {
    if (!isUuid(tokenId)) throw new AccessTokenNotFoundError(tokenId);
    const correlationId = correlationOf(request);
    const { grant, position } = await this.access.revoke(tokenId.toLowerCase(), { actor, tokenKey, reason: body.reason, ...(correlationId ? { correlationId } : {}) });
    return { tokenId: grant.tokenId, principalId: grant.principalId, revokedAt: grant.revokedAt, position };
  }

  @Get('access/tokens')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Every token: configured and managed, with role, departments, status, who issued and revoked it (never the token or its hash); or as CSV' })
  @OkResponse(TokenListDto, { description: 'Every token, configured ones first.', csv: true })
  @ProblemResponses({ status: 400, description: '`format` or `bom` is invalid.' }, 406)
  @HeavyRead()
  list(@Query() query: ExportQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const items = this.access.list();
    return format === 'csv' ? this.csv.send(reply, 'access-tokens', TOKEN_COLUMNS, items, query) : { items };
  }

  @Get('audit/access')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Every grant and revocation in order: who decided, when, why; whether the access-control hash chain is intact, and whether it still holds what the seals recorded; or the entries as CSV' })
  @OkResponse(AccessHistoryDto, {
    description: 'The access-control stream, oldest first, its chain verdict and its check against the seals (the CSV: the entries, one a row; the chain verdict in the X-Chain-Verdict header and in the file name, which a saved file keeps).',
    csv: true,
    headers: { 'X-Chain-Verdict': CHAIN_VERDICT_HEADER, 'Content-Disposition': CHAIN_VERDICT_FILE_NAME },
  })
  @ProblemResponses({ status: 400, description: '`format` or `bom` is invalid.' }, 406, STORE_DAMAGED)
  @HeavyRead()
  async history(@Query() query: ExportQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const history = await this.access.history();
    // The CSV is the entries; the chain's verdict rides in a header (a CSV reader sees it, a parser reads no extra row) and in the
    // file name (a saved file keeps it, a header it loses); the seals' check stays in the JSON.
    void reply.header('X-Chain-Verdict', chainVerdictHeader(history.verification));
    if (format === 'csv') return this.csv.send(reply, 'audit-access', ACCESS_HISTORY_COLUMNS, history.entries as AccessHistoryEntryDto[], query, chainVerdictFileTag(history.verification));
    return { ...history, seals: await this.evidence.accessControlAgainstSeals() };
  }
}
