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
