import { DomainError } from './domain-error';

/**
 * An amount of money: integer minor units of an ISO 4217 currency (fen for CNY, cents for USD, yen
 * for JPY, which has none). No floating point anywhere: amounts are added and multiplied as safe
 * integers, read from and shown as decimal text by moving the point in the digits.
 *
 * No after-sales fact is a negative amount (a quote, a fee, a part's price): a refund or a discount
 * will be a fact of its own, never a negative Money, so negatives are refused everywhere.
 */
export interface Money {
  /** ISO 4217 alphabetic code, upper case (CNY). */
  readonly currency: string;
  /** Whole minor units (12800 CNY = ¥128.00). */
  readonly minorUnits: number;
}

/**
 * ISO 4217 list one (2025), by the number of minor-unit digits: the active currencies and funds.
 * Precious metals, special drawing rights and the testing codes (XAU, XDR, XTS, XXX …) have no minor
 * unit and are not money a repair is paid in. A currency missing here is one more code on a line.
 */
const CODES_BY_DIGITS: Readonly<Record<number, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2: 'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK '
    + 'DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL '
    + 'MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK '
    + 'SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

const MINOR_DIGITS: ReadonlyMap<string, number> = new Map(
  Object.entries(CODES_BY_DIGITS).flatMap(([digits, codes]) => codes.split(' ').map((code) => [code, Number(digits)] as const)),
);

/**
 * The largest amount one Money may hold, in minor units of any currency: 10^12 (CNY 10,000,000,000.00,
 * JPY 1,000,000,000,000, KWD 1,000,000,000.000), far above any repair, part or fee. One bound for every
 * currency keeps it simple to state, and it keeps sums exact: more than 9,000 amounts at the bound still
 * add up to a safe integer, so a read model's per-day sums cannot be pushed past 2^53 by a handful of
 * absurd quotes (the sums check their results as well, and fail with the field's name, never round).
 */
export const MAX_MINOR_UNITS = 10 ** 12;

export const MONEY_PROBLEM_CODES = [
  'not-money', 'unknown-currency', 'not-integer', 'negative', 'too-large', 'currency-mismatch', 'too-many-decimals',
] as const;
export type MoneyProblemCode = (typeof MONEY_PROBLEM_CODES)[number];

export interface MoneyProblem {
  readonly code: MoneyProblemCode;
  readonly message: string;
}

export class InvalidMoneyError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(readonly code: MoneyProblemCode, message: string) {
    super(message);
  }
}

export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && MINOR_DIGITS.has(value);
}

/** How many minor-unit digits the currency has (2 for CNY, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  const digits = MINOR_DIGITS.get(currency);
  if (digits === undefined) throw new InvalidMoneyError('unknown-currency', unknownCurrency(currency));
  return digits;
}

const unknownCurrency = (currency: unknown): string =>
  `${JSON.stringify(currency)} is not an ISO 4217 currency code; write it as three upper-case letters, e.g. CNY, USD, EUR, JPY.`;

/** What is wrong with a candidate Money (from a request, a fixture), or undefined when it is one. */
export function moneyProblem(candidate: unknown): MoneyProblem | undefined {
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    return { code: 'not-money', message: 'An amount is an object { currency, minorUnits }, e.g. { "currency": "CNY", "minorUnits": 12800 } for ¥128.00.' };
  }
  const extra = Object.keys(candidate).filter((key) => key !== 'currency' && key !== 'minorUnits');
  if (extra.length > 0) return { code: 'not-money', message: `An amount has only currency and minorUnits, not ${extra.join(', ')}.` };
  const { currency, minorUnits } = candidate as Record<string, unknown>;
  if (!isCurrencyCode(currency)) return { code: 'unknown-currency', message: unknownCurrency(currency) };
  if (typeof minorUnits !== 'number' || !Number.isInteger(minorUnits)) {
    return { code: 'not-integer', message: `minorUnits is a whole number of the currency's minor unit (12800 for ¥128.00), not ${JSON.stringify(minorUnits)}.` };
  }
  if (minorUnits < 0) return { code: 'negative', message: 'An amount cannot be negative.' };
  if (minorUnits > MAX_MINOR_UNITS) return { code: 'too-large', message: tooLarge(currency, minorUnits) };
  return undefined;
}

export function isMoney(candidate: unknown): candidate is Money {
  return moneyProblem(candidate) === undefined;
}

export function money(currency: string, minorUnits: number): Money {
  const candidate = { currency, minorUnits };
  const problem = moneyProblem(candidate);
  if (problem) throw new InvalidMoneyError(problem.code, problem.message);
  // -0 is a valid integer that no one means; keep one zero.
  return { currency, minorUnits: minorUnits === 0 ? 0 : minorUnits };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new InvalidMoneyError('currency-mismatch', `Cannot combine ${a.currency} and ${b.currency}: amounts in one sum share one currency.`);
}

const tooLarge = (currency: string, minorUnits: number): string =>
  `An amount is at most ${MAX_MINOR_UNITS} minor units (${formatMoney({ currency, minorUnits: MAX_MINOR_UNITS })}); ${Number.isSafeInteger(minorUnits) ? minorUnits : 'this one'} is more: check the digits, and write the amount in the currency's minor unit (12800 for CNY 128.00).`;

function checked(currency: string, minorUnits: number): Money {
  if (!Number.isSafeInteger(minorUnits) || minorUnits > MAX_MINOR_UNITS) throw new InvalidMoneyError('too-large', tooLarge(currency, minorUnits));
  return money(currency, minorUnits);
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.currency, a.minorUnits + b.minorUnits);
}

/** The sum of one or more amounts of one currency. */
export function sumMoney(amounts: readonly [Money, ...Money[]]): Money {
  const [first, ...rest] = amounts;
  return rest.reduce(addMoney, money(first.currency, first.minorUnits));
}

/** An amount times a whole, non-negative quantity (a part's price times the parts used). */
export function multiplyMoney(amount: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new InvalidMoneyError('not-integer', `A quantity is a whole number ≥ 0, not ${quantity}.`);
  return checked(amount.currency, amount.minorUnits * quantity);
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.minorUnits < b.minorUnits ? -1 : a.minorUnits > b.minorUnits ? 1 : 0;
}

/** The amount as decimal text in its major unit (no currency): 12800 CNY → "128.00". */
export function decimalText(amount: Money): string {
  const digits = currencyDigits(amount.currency);
  if (digits === 0) return String(amount.minorUnits);
  const text = String(amount.minorUnits).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** For people and audit words: "CNY 128.00". */
export function formatMoney(amount: Money): string {
  return `${amount.currency} ${decimalText(amount)}`;
}

/**
 * An amount from decimal text in the major unit ("128", "128.5", "128.50" CNY → 12800), read digit by
 * digit: "0.1" and "0.2" make exactly 30 fen. More decimals than the currency has are refused, not rounded.
 */
export function moneyFromDecimal(currency: string, text: string): Money {
  const digits = currencyDigits(currency);
  const match = /^(\d{1,16})(?:\.(\d+))?$/.exec(text);
  if (!match) throw new InvalidMoneyError('not-integer', `${JSON.stringify(text)} is not a plain decimal amount such as 128.50.`);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw new InvalidMoneyError('too-many-decimals', `${currency} has ${digits} decimal${digits === 1 ? '' : 's'}; ${JSON.stringify(text)} has ${fraction.length}.`);
  }
  return checked(currency, Number(`${match[1]}${fraction.padEnd(digits, '0')}`));
}
