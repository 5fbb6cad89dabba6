import type { ChargeKind } from '../after-sales-taxonomy';
import type { Actor } from '../principal';

/** A product is known by its serial number, in canonical form (canonicalSerialNumber): it is the aggregate's id. */
interface CommandBase<Type extends string, Data> {
  readonly type: Type;
  readonly serialNumber: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Data;
}

export type RegisterProduct = CommandBase<'RegisterProduct', {
  readonly model: string;
  /** The customer who owns it (the customer file's id). */
  readonly customerId: string;
  /** Local date of the installation (YYYY-MM-DD). */
  readonly installedOn: string;
  /** Local date the warranty starts; the installation date when not given (some start at the sale or the acceptance). */
  readonly warrantyStartsOn?: string;
  /** Length of the warranty in calendar months; 0 for none. */
  readonly warrantyMonths: number;
  /** What the warranty pays for. */
  readonly covers: readonly ChargeKind[];
  readonly reason?: string;
}>;
/** An extended warranty bought or granted: more months, and possibly more covered. */
export type ExtendWarranty = CommandBase<'ExtendWarranty', { readonly months: number; readonly covers?: readonly ChargeKind[]; readonly reason: string }>;
/** The product changed hands (sold on, a company merged): the warranty follows the product. */
export type ChangeProductOwner = CommandBase<'ChangeProductOwner', { readonly customerId: string; readonly reason: string }>;

export type ProductCommand = RegisterProduct | ExtendWarranty | ChangeProductOwner;
export type ProductCommandType = ProductCommand['type'];
