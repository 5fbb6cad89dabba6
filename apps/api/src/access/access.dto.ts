import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ROLES, type Role } from '@app/domain';
import { DepartmentCode, Identifier, Text } from '../complaints/dto/fields';

export class IssueTokenDto {
  @Identifier({ example: 'zhang.wei', description: 'Who will hold the token; recorded as the actor of everything they do.' })
  principalId!: string;

  @ApiProperty({ enum: ROLES, example: 'agent' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ type: [String], example: ['station-ops'], description: 'Agents and supervisors only: the departments whose complaints they see and act on, each a code of letters, digits, . _ or -. Leave out for every department.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @DepartmentCode({ each: true })
  departments?: string[];

  @Text(500, { example: 'New hire at the Pudong stations.', description: 'Why: recorded in the audit trail.' })
  reason!: string;

  @ApiPropertyOptional({ example: 90, description: 'The token stops working after this many days (1–3650); no expiry when left out.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class RevokeTokenDto {
  @Text(500, { example: 'Left the company.', description: 'Why: recorded in the audit trail.' })
  reason!: string;
}

const TOKEN_ID = '36c047e5-4d12-4e8c-a71d-54fdff6b2060';
const AT = '2026-03-01T09:30:00.000Z';

/** A grant as answers show it: everything but the token's hash. */
export class GrantDto {
  @ApiProperty({ format: 'uuid', example: TOKEN_ID })
  tokenId!: string;

  @ApiProperty({ example: 'li.na' })
  principalId!: string;

  @ApiProperty({ enum: ROLES, example: 'agent' })
  role!: string;

  @ApiProperty({ type: [String], nullable: true, example: ['station-ops'], description: 'null: every department.' })
  departments!: string[] | null;

  @ApiProperty({ format: 'date-time', example: AT })
  issuedAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2027-03-01T09:30:00.000Z' })
  expiresAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  revokedAt!: string | null;
}

export class IssuedTokenDto extends GrantDto {
  @ApiProperty({ example: 'cdt_syvMUdOMVLESOuFFa6VRBG9zbWqizMliDGo_8tvAJqU', description: 'The bearer token: shown in this answer only, never again.' })
  token!: string;

  @ApiProperty({ example: 42, description: 'Position of AccessTokenIssued in the log.' })
  position!: number;
}

export class RevokedTokenDto {
  @ApiProperty({ format: 'uuid', example: TOKEN_ID })
  tokenId!: string;

  @ApiProperty({ example: 'li.na' })
  principalId!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  revokedAt!: string;

  @ApiProperty({ example: 43, description: 'Position of AccessTokenRevoked in the log.' })
  position!: number;
}

export class TokenViewDto {
  @ApiProperty({ example: TOKEN_ID, description: 'A managed token\'s id, or `configured:<hash prefix>` for a bootstrap one.' })
  tokenId!: string;

  @ApiProperty({ example: 'li.na' })
  principalId!: string;

  @ApiProperty({ enum: ROLES, example: 'agent' })
  role!: string;

  @ApiProperty({ type: [String], nullable: true, example: ['station-ops'], description: 'null: every department.' })
  departments!: string[] | null;

  @ApiProperty({ enum: ['managed', 'configuration'], example: 'managed', description: 'Issued through the API or the CLI, or configured (API_TOKENS, tokens.json).' })
  source!: string;

  @ApiProperty({ enum: ['active', 'revoked', 'expired'], example: 'active' })
  status!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: AT })
  issuedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'admin' })
  issuedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  expiresAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  revokedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  revokedBy!: string | null;
}

export class TokenListDto {
  @ApiProperty({ type: () => [TokenViewDto] })
  items!: TokenViewDto[];
}
