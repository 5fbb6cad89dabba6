import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const DESCRIPTION = 'The period holds only part of its days, so its figures are not comparable with a whole period\'s: it starts before `from`, ends after `to`, '
  + 'or has not ended yet by the server\'s clock (this month, with or without a `to`); with `asOf`, by the generation\'s cut when that is earlier (a month '
  + 'the cut fell inside stays partial; a date-time `until` is cut at that moment, a date at the end of that day, a position at the latest moment its events happened). '
  + 'False for a period counted from its first day to its last, ended. '
  + 'The CSV has it as its last column (empty in the totals row).';

/** `partial` of a period row, described once for the six statistics routes (isPartialPeriod decides it). */
export const PartialPeriod = (options: { withInterval?: boolean } = {}): PropertyDecorator =>
  options.withInterval
    ? ApiPropertyOptional({ type: Boolean, example: false, description: `With \`interval\`: ${DESCRIPTION}` })
    : ApiProperty({ type: Boolean, example: false, description: DESCRIPTION });
