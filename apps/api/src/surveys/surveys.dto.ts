import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { SURVEY_SCORE_MAX, SURVEY_SCORE_MIN, type Channel } from '@app/domain';
import { Identifier, TaxonomyCode, Text } from '../complaints/dto/fields';
import { Nested, NestedList, PlainCode, WholeNumber } from '../after-sales/dto/after-sales-fields';
import { SegmentsDto } from '../customers/dto/customer-commands.dto';
import { CommandAcceptedDto } from '../complaints/dto/complaint-commands.dto';

const SUBJECT_KINDS = ['complaint', 'work-order'];

export class SatisfactionSurveySubjectDto {
  @ApiProperty({ enum: SUBJECT_KINDS, example: 'work-order', description: 'A complaint (after its callback) or a work order (after its hand-over).' })
  @IsIn(SUBJECT_KINDS, { message: `$property must be one of: ${SUBJECT_KINDS.join(', ')}` })
  kind!: 'complaint' | 'work-order';

  @Identifier({ example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'The complaint\'s or the work order\'s id.' })
  id!: string;
}

export class SatisfactionSurveyQuestionRequestDto {
  @PlainCode({ example: 'speed', description: 'A code of the default set (attitude, speed, result, overall: its labels are used), or an own code with its text.' })
  id!: string;

  @Text(500, { optional: true, example: '配件是否齐全？', description: 'Required for a code outside the default set.' })
  text?: string;
}

/** 满意度调查: sent to the subject's customer through a channel. */
export class SendSatisfactionSurveyDto {
  @Nested(() => SatisfactionSurveySubjectDto)
  subject!: SatisfactionSurveySubjectDto;

  @TaxonomyCode('channel', { example: 'phone' })
  channel!: Channel;

  @NestedList(() => SatisfactionSurveyQuestionRequestDto, { min: 1, max: 20 }, {
    optional: true, example: [{ id: 'attitude' }, { id: 'speed' }, { id: 'result' }, { id: 'overall' }],
    description: 'Leave out for the default set: 服务态度 (attitude), 响应速度 (speed), 处理结果 (result), 总体满意度 (overall).',
  })
  questions?: SatisfactionSurveyQuestionRequestDto[];

  @Text(2000, { optional: true, example: '维修完成后回访' })
  reason?: string;
}

export class SatisfactionSurveyAnswerDto {
  @PlainCode({ example: 'overall' })
  questionId!: string;

  @WholeNumber(SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, { example: 5, description: '1 (very unsatisfied) to 5 (very satisfied).' })
  score!: number;

  @Text(2000, { optional: true, example: '工程师很专业。' })
  comment?: string;
}

export class AnswerSatisfactionSurveyDto {
  @NestedList(() => SatisfactionSurveyAnswerDto, { min: 1, max: 20 }, { example: [{ questionId: 'attitude', score: 5 }, { questionId: 'overall', score: 4, comment: '第二天就修好了。' }] })
  answers!: SatisfactionSurveyAnswerDto[];

  @Text(2000, { optional: true, example: '谢谢回访。' })
  comment?: string;
}

export class CancelSatisfactionSurveyDto {
  @Text(2000, { example: '客户要求不再联系。', blankCode: 'reason-required' })
  reason!: string;
}

const object = (example: unknown, description?: string) => ({ type: 'object' as const, additionalProperties: true, example, ...(description ? { description } : {}) });
const nullableObject = (example: unknown, description?: string) => ({ ...object(example, description), nullable: true });

/** A satisfaction survey folded from its events; `answer` once answered, `cancellation` once cancelled. */
export class SatisfactionSurveyViewDto {
  @ApiProperty({ example: '7c1d9e20-4b3a-4f6e-9d21-0a1b2c3d4e5f', description: 'A UUID; for a work order\'s own survey `<work order>:<cycle>:<survey id>`, as GET /surveys lists it.' }) surveyId!: string;
  @ApiProperty({ enum: ['sent', 'answered', 'cancelled'], example: 'answered' }) status!: string;
  @ApiProperty({ example: 1, description: 'Revision of the survey-<id> stream (also the ETag); send it back as If-Match. For a work order\'s own survey: the order\'s revision at the survey\'s last event.' }) revision!: number;
  @ApiProperty(object({ kind: 'work-order', id: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' }, 'kind (complaint, work-order, campaign) and id.')) subject!: object;
  @ApiProperty({ example: 'cust-10086' }) customerId!: string;
  @ApiProperty({ example: 'phone' }) channel!: string;
  @ApiProperty({ type: 'array', items: object({ id: 'overall', label: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' } }), example: [{ id: 'overall', label: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' } }] }) questions!: object[];
  @ApiProperty({ format: 'date-time', example: '2026-03-03T08:00:00.000Z' }) sentAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-04-02T08:00:00.000Z', description: 'An answer after this instant is refused (409 survey-expired); null for a work order\'s own survey, which has no answer period.' }) expiresAt!: string | null;
  @ApiProperty(object({ id: 'agent-1', role: 'agent' })) by!: object;
  @ApiProperty({ nullable: true, type: String, example: 'dandong-station', description: 'Who sees the survey: the complaint\'s department or the work order\'s service point.' }) department!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'dandong-station' }) stationCode!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'eng-wang' }) engineerId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'wear-and-tear' }) cause!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '维修完成后回访' }) reason!: string | null;
  @ApiPropertyOptional({ format: 'uuid', example: '5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50', description: 'The campaign that sent it (POST /surveys/campaigns); absent for a survey sent on its own.' }) campaignId?: string;
  @ApiPropertyOptional(nullableObject({ answeredAt: '2026-03-04T02:00:00.000Z', answers: [{ questionId: 'overall', score: 4, comment: null }], comment: null })) answer?: object;
  @ApiPropertyOptional(nullableObject({ cancelledAt: '2026-03-04T02:00:00.000Z', reason: '客户要求不再联系。' })) cancellation?: object;
}

/** 调查活动: one survey per customer of a segment, about the customer's latest complaint called back or closed. */
export class RunSurveyCampaignDto {
  @Nested(() => SegmentsDto, { description: 'The segment, on the customer files\' dimensions as GET /customers/files?segment.<dimension>= filters them: at least one dimension.' })
  segments!: SegmentsDto;

  @TaxonomyCode('channel', { example: 'phone' })
  channel!: Channel;

  @NestedList(() => SatisfactionSurveyQuestionRequestDto, { min: 1, max: 20 }, {
    optional: true, example: [{ id: 'overall' }, { id: 'refuel', text: '加油体验如何？' }],
    description: 'Leave out for the default set: 服务态度 (attitude), 响应速度 (speed), 处理结果 (result), 总体满意度 (overall).',
  })
  questions?: SatisfactionSurveyQuestionRequestDto[];

  @Text(2000, { blankCode: 'campaign-reason-required', example: '车队客户季度满意度调查', description: 'Why the campaign is run: recorded in the campaign and in each survey.' })
  reason!: string;
}

const SKIP_REASONS = {
  'no-subject': 'No complaint of the customer that the caller sees has had its callback (or is closed).',
  'survey-already-open': 'The complaint already has an open survey.',
  'subject-not-ready': 'The complaint was reopened since the selection.',
  'unknown-complaint': 'The complaint is no longer visible to the caller.',
  merged: 'The customer\'s file was merged into another after the selection, and the surviving customer has a survey of this campaign already.',
  erased: 'The customer\'s personal data was erased after the selection (checked again at sending).',
} as const;

export class SurveyCampaignSkippedDto {
  @ApiPropertyOptional({ type: 'integer', example: 3, description: SKIP_REASONS['no-subject'] }) 'no-subject'?: number;
  @ApiPropertyOptional({ type: 'integer', example: 1, description: SKIP_REASONS['survey-already-open'] }) 'survey-already-open'?: number;
  @ApiPropertyOptional({ type: 'integer', example: 0, description: SKIP_REASONS['subject-not-ready'] }) 'subject-not-ready'?: number;
  @ApiPropertyOptional({ type: 'integer', example: 0, description: SKIP_REASONS['unknown-complaint'] }) 'unknown-complaint'?: number;
  @ApiPropertyOptional({ type: 'integer', example: 0, description: SKIP_REASONS.merged }) merged?: number;
  @ApiPropertyOptional({ type: 'integer', example: 0, description: SKIP_REASONS.erased }) erased?: number;
}

/** The campaign as run: what it matched, sent and skipped (by reason). */
export class SurveyCampaignAcceptedDto extends CommandAcceptedDto {
  @ApiProperty({ format: 'uuid', example: '5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50', description: 'The campaign (also `id`): GET /surveys?campaignId= lists its surveys, GET /stats/surveys?campaignId= counts them.' }) campaignId!: string;
  @ApiProperty({ type: 'integer', example: 12, description: 'Customers on file in the segment that the caller reaches.' }) matched!: number;
  @ApiProperty({ type: 'integer', example: 8, description: 'Surveys sent.' }) sent!: number;
  @ApiProperty({ type: SurveyCampaignSkippedDto, description: 'Matched customers that got no survey, by reason (a reason with none is left out).' }) skipped!: SurveyCampaignSkippedDto;
}
