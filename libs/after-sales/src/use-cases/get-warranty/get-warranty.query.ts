import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ALWAYS_ON_CALENDAR, canonicalSerialNumber, decideWarranty, localDateOf, type FaultCause, type WarrantyDecision } from '@app/domain';
import { Clock, SlaPolicySource } from '@app/complaints';
import { ProductRepository } from '../../product/product.repository';

export class GetWarrantyQuery {
  constructor(
    readonly serialNumber: string,
    /** The local date to judge (YYYY-MM-DD); today in the business calendar's time zone when not given. */
    readonly date?: string,
    /** The cause of the fault; unknown when not given (only customer damage changes the verdict). */
    readonly cause?: FaultCause,
  ) {}
}

/**
 * The warranty decision a work order reported that day would record (decideWarranty): computed, never
 * typed. An unregistered serial number is an answer too (not-registered: everything is chargeable).
 */
@QueryHandler(GetWarrantyQuery)
export class GetWarrantyHandler implements IQueryHandler<GetWarrantyQuery, WarrantyDecision & { readonly serialNumber: string }> {
  constructor(
    private readonly repository: ProductRepository,
    private readonly clock: Clock,
    private readonly policies: SlaPolicySource,
  ) {}

  async execute({ serialNumber, date, cause }: GetWarrantyQuery): Promise<WarrantyDecision & { readonly serialNumber: string }> {
    const canonical = canonicalSerialNumber(serialNumber);
    const { state } = await this.repository.load(canonical);
    const timeZone = (this.policies.current().calendar ?? ALWAYS_ON_CALENDAR).timeZone;
    const judgedOn = date ?? localDateOf(this.clock.now().toISOString(), timeZone);
    return { serialNumber: canonical, ...decideWarranty(state, judgedOn, cause ?? 'unknown') };
  }
}
