import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { ServiceUnitKind } from '@app/domain';
import { Text } from '../../complaints/dto/fields';
import { AfterSalesCode, LabelDto, Nested, PlainCode } from './after-sales-fields';

/** 一个中心、分支机构、服务站: a centre (one), a branch under it, a station under either. */
export class RegisterServiceUnitDto {
  @PlainCode({ example: 'dandong-station', description: 'The unit\'s code; a station\'s code is the department an engineer\'s token is limited to.' })
  code!: string;

  @AfterSalesCode('serviceUnitKind', { example: 'station' })
  kind!: ServiceUnitKind;

  @Nested(() => LabelDto, { example: { 'zh-CN': '丹东服务站', en: 'Dandong service station' } })
  name!: LabelDto;

  @PlainCode({ optional: true, example: 'cs-centre', description: 'None for the centre; the centre for a branch; the centre or a branch for a station.' })
  parent?: string;

  @PlainCode({ optional: true, each: { min: 0, max: 200 }, example: ['210600'], description: 'The regions it serves (a station serves at least one); none when left out.' })
  regions?: string[];

  @Text(2000, { example: 'Station for Dandong opened.' })
  reason!: string;
}

export class RenameServiceUnitDto {
  @Nested(() => LabelDto, { example: { 'zh-CN': '丹东振兴服务站', en: 'Dandong Zhenxing service station' } })
  name!: LabelDto;

  @Text(2000, { example: 'Moved to the Zhenxing district.' })
  reason!: string;
}

export class ChangeServiceUnitRegionsDto {
  @PlainCode({ each: { min: 0, max: 200 }, example: ['210600', '210700'], description: 'Every region it serves from now on (a station at least one).' })
  regions!: string[];

  @Text(2000, { example: 'Takes over Jinzhou from the Dalian branch.' })
  reason!: string;
}

export class AddEngineerDto {
  @PlainCode({ example: 'eng-wang', description: 'Never reused, not even after a deactivation.' })
  engineerId!: string;

  @Text(200, { example: '王工' })
  name!: string;

  @PlainCode({ example: 'dandong-station', description: 'The unit the engineer works from.' })
  station!: string;

  @PlainCode({ optional: true, each: { min: 0, max: 50 }, example: ['dispenser', 'pump'], description: 'What the engineer can repair; none when left out.' })
  skills?: string[];

  @Text(2000, { example: 'Hired for the Dandong station.' })
  reason!: string;
}

export class AddAgentDto {
  @PlainCode({ example: 'li.na', description: 'The id the agent signs in with (a token\'s subject); never reused, not even after a deactivation.' })
  agentId!: string;

  @Text(200, { example: '李娜' })
  name!: string;

  @PlainCode({ each: { min: 1, max: 50 }, example: ['quality-dept'], description: 'The units (departments, stations, branches, the centre) whose complaints the agent handles: at least one.' })
  units!: string[];

  @Text(2000, { example: 'Joined the quality department.' })
  reason!: string;
}

/** A deactivation may end the person's access too: their managed tokens of that role are revoked in the same request (an admin's). */
const RevokeTokens = (role: string) => applyDecorators(
  ApiPropertyOptional({
    example: false,
    description: `Also revoke every active ${role} token issued to this person (POST /access/tokens; matched to their id as the directory tells ids apart), after the deactivation is recorded, each as AccessTokenRevoked with this reason. Admins only (a supervisor gets 403, nothing written). Configured tokens (tokens.json, API_TOKENS) are not revoked. Default false: the token still reads.`,
  }),
  IsOptional(),
  IsBoolean(),
);

export class DeactivateAgentDto {
  @Text(2000, { example: 'Moved to another post.' })
  reason!: string;

  @RevokeTokens('agent')
  revokeTokens?: boolean;
}

export class DeactivateEngineerDto {
  @Text(2000, { example: 'Left the company.' })
  reason!: string;

  @RevokeTokens('engineer')
  revokeTokens?: boolean;
}
