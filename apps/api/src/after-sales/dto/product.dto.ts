import type { ChargeKind, FaultCause } from '@app/domain';
import { Identifier, Text } from '../../complaints/dto/fields';
import { AfterSalesCode, LocalDate, SerialNumber, WholeNumber } from './after-sales-fields';

export class RegisterProductDto {
  @SerialNumber({ example: 'TQ2240-000731', description: 'The serial number on the nameplate: the product\'s id.' })
  serialNumber!: string;

  @Text(200, { example: 'TQ-2240 税控加油机' })
  model!: string;

  @Identifier({ example: 'cust-10086', description: 'The customer who owns it.' })
  customerId!: string;

  @LocalDate({ example: '2026-01-15', description: 'The day it was installed: not after today (the day after today\'s UTC date, for time zones ahead of UTC).' })
  installedOn!: string;

  @LocalDate({ optional: true, example: '2026-01-15', description: 'The first covered day; the installation date when left out. At most a year ahead (a warranty may start at the acceptance).' })
  warrantyStartsOn?: string;

  @WholeNumber(0, 600, { example: 12, description: 'Calendar months; 0 for no warranty.' })
  warrantyMonths!: number;

  @AfterSalesCode('chargeKind', { each: { min: 0, max: 3 }, example: ['parts', 'labour'], description: 'What the warranty pays for: parts, labour, on-site (the call-out).' })
  covers!: ChargeKind[];

  @Text(2000, { optional: true, example: 'Installed by the Dandong station.' })
  reason?: string;
}

export class ExtendWarrantyDto {
  @WholeNumber(1, 600, { example: 12, description: 'Months added to the warranty.' })
  months!: number;

  @AfterSalesCode('chargeKind', { optional: true, each: { min: 0, max: 3 }, example: ['parts', 'labour', 'on-site'], description: 'What it covers from now on: never less than before; unchanged when left out.' })
  covers?: ChargeKind[];

  @Text(2000, { example: 'Extended warranty bought with the service contract 2026-118.' })
  reason!: string;
}

export class ChangeProductOwnerDto {
  @Identifier({ example: 'cust-20417', description: 'The new owner: the warranty follows the product.' })
  customerId!: string;

  @Text(2000, { example: 'Station sold to Dandong Petro Ltd.' })
  reason!: string;
}

export class WarrantyQueryDto {
  @LocalDate({ optional: true, example: '2026-03-02', description: 'The day to judge (a work order judges the day of its report); today in the business calendar\'s time zone when left out.' })
  date?: string;

  @AfterSalesCode('faultCause', { optional: true, example: 'product-defect', description: 'The cause of the fault; only customer-damage changes the verdict. unknown when left out.' })
  cause?: FaultCause;
}
