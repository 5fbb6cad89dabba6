import { ApiProperty } from '@nestjs/swagger';
import { TAXONOMY, type TaxonomyName } from '@app/domain';
import { LabelsDto } from '../openapi/common.dto';

export class TaxonomyEntryDto {
  @ApiProperty({ example: 'quantity-metering' })
  code!: string;

  @ApiProperty({ type: () => LabelsDto })
  labels!: LabelsDto;
}

const entries = (name: TaxonomyName, description: string) => ApiProperty({
  type: () => [TaxonomyEntryDto], description,
  example: Object.entries(TAXONOMY[name]).slice(0, 2).map(([code, labels]) => ({ code, labels })),
});

/** Every taxonomy with its codes and their labels, in this order. */
export class TaxonomyDto {
  @entries('cause', 'By cause (按原因).') cause!: TaxonomyEntryDto[];
  @entries('behaviour', 'By behaviour (按行为).') behaviour!: TaxonomyEntryDto[];
  @entries('purpose', 'By purpose (按目的).') purpose!: TaxonomyEntryDto[];
  @entries('channel', 'How the complaint came in.') channel!: TaxonomyEntryDto[];
  @entries('severity', 'Severity; it picks the SLA durations.') severity!: TaxonomyEntryDto[];
  @entries('resolutionClass', 'Resolution class (seed 001).') resolutionClass!: TaxonomyEntryDto[];
  @entries('remedy', 'What was done for the customer.') remedy!: TaxonomyEntryDto[];
  @entries('customerSegment', 'Customer segment (seed 003).') customerSegment!: TaxonomyEntryDto[];
  @entries('callbackOutcome', 'Outcome of the follow-up call.') callbackOutcome!: TaxonomyEntryDto[];
  @entries('attachmentKind', 'What an attached file is (POST /complaints/{id}/attachments).') attachmentKind!: TaxonomyEntryDto[];
}
