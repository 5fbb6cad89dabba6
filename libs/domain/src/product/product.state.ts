import type { WarrantyTerms } from './product.events';

export type NoProduct = { readonly status: 'none' };
export type RegisteredProduct = {
  readonly status: 'registered';
  readonly serialNumber: string;
  readonly model: string;
  readonly customerId: string;
  readonly installedOn: string;
  readonly warranty: WarrantyTerms;
  readonly registeredAt: string;
};

/** What the registry knows of one serial number; a work order's warranty decision is computed from it. */
export type ProductState = NoProduct | RegisteredProduct;

export const initialProductState: ProductState = { status: 'none' };
