import type { Language } from '../i18n/catalogue';
// The domain's own money rules (ISO 4217 minor-unit digits, integer sums), not a copy that could drift from them.
import { addMoney, currencyDigits, decimalText, type Money } from '../../../../../libs/domain/src/money';

export type { Money };

/**
 * An amount for people, in the language picked: ¥780.00 (zh-CN), CN¥780.00 (en), JPY with no decimals,
 * KWD with three. The integer minor units become decimal text by moving the point in the digits, and
 * Intl formats that text as it is: no floating-point division anywhere.
 */
export function formatMoney(amount: Money, language: Language): string {
  let digits: number;
  try {
    digits = currencyDigits(amount.currency);
  } catch {
    // Not a currency the API accepts (it never stores one): say what was there rather than guess its decimals.
    return `${amount.currency} ${amount.minorUnits}`;
  }
  const format = new Intl.NumberFormat(language, { style: 'currency', currency: amount.currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  return format.format(decimalText(amount) as `${number}`);
}

/** The sum of the amounts per currency, in the order each currency first appears (integer sums, by the domain's rules). */
export function totalsByCurrency(amounts: readonly Money[]): Money[] {
  const totals = new Map<string, Money>();
  for (const amount of amounts) {
    const sum = totals.get(amount.currency);
    totals.set(amount.currency, sum ? addMoney(sum, amount) : amount);
  }
  return [...totals.values()];
}
