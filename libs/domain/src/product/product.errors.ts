import { DomainError } from '../domain-error';
import type { ProductCommandType } from './product.commands';

/** The closed set of refusals of the product registry's decider. */
export abstract class ProductDomainError extends DomainError {}

export class ProductNotFoundError extends ProductDomainError {
  readonly code = 'product-not-found';
  readonly kind = 'not-found' as const;
  /** `why`: what makes the text no serial number at all (said after the refusal). */
  constructor(readonly serialNumber: string, why?: string) {
    super(`No product with serial number ${serialNumber} is registered${why === undefined ? '' : `: ${why}`}.`);
  }
}

export class ProductAlreadyRegisteredError extends ProductDomainError {
  readonly code = 'product-already-registered';
  readonly kind = 'conflict' as const;
  constructor(readonly serialNumber: string) {
    super(`Serial number ${serialNumber} is already registered; extend its warranty or change its owner instead.`);
  }
}

/** The change does not fit the product as registered (nothing is written). */
export class ProductConflictError extends ProductDomainError {
  readonly kind = 'conflict' as const;
  constructor(
    readonly code: 'same-owner',
    readonly command: ProductCommandType,
    message: string,
  ) {
    super(message);
  }
}

export const INVALID_PRODUCT_COMMAND_CODES = [
  'invalid-serial-number', 'model-required', 'customer-required', 'invalid-date', 'date-in-future', 'date-too-far-ahead', 'invalid-months', 'invalid-coverage', 'coverage-narrowed', 'reason-required',
] as const;
export type InvalidProductCommand = (typeof INVALID_PRODUCT_COMMAND_CODES)[number];

export class InvalidProductCommandError extends ProductDomainError {
  readonly kind = 'invalid' as const;
  constructor(
    readonly code: InvalidProductCommand,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
