import type { ChargeKind } from '../after-sales-taxonomy';
import type { Actor } from '../principal';

export interface WarrantyTerms {
  /** Local date (YYYY-MM-DD) of the first covered day. */
  readonly startsOn: string;
  readonly months: number;
  readonly covers: readonly ChargeKind[];
}

export interface ProductRegistered {
  readonly type: 'ProductRegistered';
  readonly data: {
    readonly serialNumber: string;
    readonly model: string;
    readonly customerId: string;
    readonly installedOn: string;
    readonly warranty: WarrantyTerms;
    readonly registeredAt: string;
    readonly by: Actor;
    readonly reason: string | null;
  };
}

export interface ProductWarrantyExtended {
  readonly type: 'ProductWarrantyExtended';
  readonly data: {
    readonly serialNumber: string;
    readonly addedMonths: number;
    readonly warranty: WarrantyTerms;
    readonly previousWarranty: WarrantyTerms;
    readonly extendedAt: string;
    readonly by: Actor;
    readonly reason: string;
  };
}

export interface ProductOwnerChanged {
  readonly type: 'ProductOwnerChanged';
  readonly data: {
    readonly serialNumber: string;
    readonly customerId: string;
    readonly previousCustomerId: string;
    readonly changedAt: string;
    readonly by: Actor;
    readonly reason: string;
  };
}

export type ProductEvent = ProductRegistered | ProductWarrantyExtended | ProductOwnerChanged;
export type ProductEventType = ProductEvent['type'];

export const PRODUCT_EVENT_TYPES: readonly ProductEventType[] = ['ProductRegistered', 'ProductWarrantyExtended', 'ProductOwnerChanged'];

/**
 * What is trimmed around a serial number: ASCII spaces, tabs and line breaks (LF, CR), nothing else (canonicalSerialNumber).
 * A vertical tab or a form feed is no one's typing: refused like any other invisible character, as the rule says.
 */
const ASCII_SPACE_AROUND = /^[ \t\n\r]+|[ \t\n\r]+$/g;

/**
 * Serial numbers as they are stored and looked up: ASCII spaces, tabs and line breaks around them trimmed, ASCII letters
 * upper case (customers type them in any case). Only a–z are upper-cased: toUpperCase maps ﬀ to FF, ı to I, ſ to S and
 * ß to SS, so a serial typed with them passed as another, ASCII one; left as typed, they fail the check (ADR 0004). Only
 * ASCII space is trimmed for the same reason: trim() took a BOM, a no-break space or U+2028 off unseen and found the
 * product, where a zero-width space inside was refused; left on, they fail the check, in a path (404) as in a body (400).
 */
export function canonicalSerialNumber(text: string): string {
  return text.replace(ASCII_SPACE_AROUND, '').replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

const SERIAL_NUMBER = /^[A-Z0-9][A-Z0-9._/-]{0,63}$/;
export const SERIAL_NUMBER_RULE = '1–64 ASCII characters: letters A–Z (a–z are upper-cased), digits 0–9, . _ / or -, starting with a letter or digit (look-alike letters, such as full-width ones, are not ASCII); only ASCII spaces, tabs and line breaks around it are trimmed, any other character (a vertical tab, a form feed, a BOM, a no-break space, an ideographic space, U+2028) is refused';

export function isSerialNumber(value: unknown): value is string {
  return typeof value === 'string' && SERIAL_NUMBER.test(value);
}

export const productStreamName = (serialNumber: string): string => `product-${serialNumber}`;
