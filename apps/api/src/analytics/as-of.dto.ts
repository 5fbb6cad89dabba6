import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { AS_OF_NAME, AS_OF_NAME_RULE } from '@app/read-models';

export class StartAsOfDto {
  @ApiProperty({ example: '2026-06-30', description: 'The moment: an ISO 8601 date (the end of that day, UTC), a date-time with its zone (2026-06-30T08:00:00+08:00), or a log position as digits ("1200"). Events count by their business time (occurredAt).' })
  @IsString({ message: 'until must be text: an ISO 8601 date (2026-06-30), a date-time with its zone (2026-06-30T08:00:00Z), or a log position as digits ("1200")' })
  until!: string;

  @ApiPropertyOptional({ example: 'end-of-june', description: `The name to query it by (asOf=NAME): ${AS_OF_NAME_RULE}. Defaults to until, made a name (2026-06-30, position-1200).` })
  @IsOptional()
  @IsString({ message: `name must be text: ${AS_OF_NAME_RULE}` })
  @Matches(AS_OF_NAME, { message: `name must be ${AS_OF_NAME_RULE}` })
  name?: string;
}
