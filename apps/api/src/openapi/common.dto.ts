import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '@app/domain';

/** Shapes many answers share. */

export class ActorDto {
  @ApiProperty({ example: 'zhang.wei', description: 'The principal (a token\'s principalId, `cli:<login>`, or `system:sla-monitor`).' })
  id!: string;

  @ApiProperty({ enum: [...ROLES, 'system'], example: 'supervisor' })
  role!: string;
}

export class LabelsDto {
  @ApiProperty({ name: 'zh-CN', example: '油品数量/计量' })
  'zh-CN'!: string;

  @ApiProperty({ example: 'Quantity / metering' })
  en!: string;
}

/** One stream's hash chain: intact (with its head), or the first broken link. */
export class ChainVerdictDto {
  @ApiProperty({ example: true, description: 'Whether every link of the chain holds.' })
  ok!: boolean;

  @ApiProperty({ example: 'complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' })
  stream!: string;

  @ApiProperty({ required: false, example: 9, description: 'Intact: how many events the chain holds.' })
  events?: number;

  @ApiProperty({ required: false, example: '56082d2aa8492c3054d5132e59b9cadc2e4608856eff56cc232651b7b632ea10', description: 'Intact: the hash of the last event.' })
  head?: string;

  @ApiProperty({ required: false, example: 3, description: 'Broken: the revision of the first broken link.' })
  revision?: number;

  @ApiProperty({ required: false, example: 'ed803e7bbf4f5e6fc07b71bb47a5bb6df006e9ac6c50bcb91fa14f75a70da29f', description: 'Broken: the hash the link should have.' })
  expected?: string;

  @ApiProperty({ required: false, type: String, nullable: true, example: '0ce212f3440def1a6ea731c6688219c06021d01b584135f3a5a268a7ef3f3969', description: 'Broken: the hash it has (null: none).' })
  found?: string | null;

  @ApiProperty({ required: false, example: 'the event or one before it was changed', description: 'Broken: why.' })
  reason?: string;
}
