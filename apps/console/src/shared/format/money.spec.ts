import { describe, expect, it } from '@jest/globals';
import { formatMoney, totalsByCurrency } from './money';

/** Intl separates a currency code from the digits with a no-break space. */
const nbsp = (text: string) => text.replaceAll(' ', '\u00a0');

describe('money on a page', () => {
  it('shows integer minor units in the currency\'s major unit, per language', () => {
    expect(formatMoney({ currency: 'CNY', minorUnits: 78000 }, 'zh-CN')).toBe('¥780.00');
    expect(formatMoney({ currency: 'CNY', minorUnits: 78000 }, 'en')).toBe('CN¥780.00');
    expect(formatMoney({ currency: 'CNY', minorUnits: 5 }, 'en')).toBe('CN¥0.05');
    expect(formatMoney({ currency: 'USD', minorUnits: 123456 }, 'zh-CN')).toBe('US$1,234.56');
  });

  it('takes the number of decimals from ISO 4217, as the API does (none for JPY, three for KWD and IQD)', () => {
    expect(formatMoney({ currency: 'JPY', minorUnits: 1200 }, 'en')).toBe('¥1,200');
    expect(formatMoney({ currency: 'KWD', minorUnits: 1 }, 'en')).toBe(nbsp('KWD 0.001'));
    // CLDR shows IQD without decimals; ISO 4217 (and the API) has three: 12800 minor units are 12.800, not 12,800.
    expect(formatMoney({ currency: 'IQD', minorUnits: 12800 }, 'en')).toBe(nbsp('IQD 12.800'));
  });

  it('keeps every digit of the largest amount the API accepts', () => {
    expect(formatMoney({ currency: 'CNY', minorUnits: 10 ** 12 - 1 }, 'en')).toBe('CN¥9,999,999,999.99');
  });

  it('says what is there for a code that is not a currency, rather than guess its decimals', () => {
    expect(formatMoney({ currency: 'XAU', minorUnits: 3 }, 'en')).toBe('XAU 3');
  });

  it('adds amounts per currency as integers', () => {
    expect(totalsByCurrency([
      { currency: 'CNY', minorUnits: 10 }, { currency: 'USD', minorUnits: 1 }, { currency: 'CNY', minorUnits: 20 },
    ])).toEqual([{ currency: 'CNY', minorUnits: 30 }, { currency: 'USD', minorUnits: 1 }]);
  });
});
