import {
  InvalidMoneyError, addMoney, compareMoney, currencyDigits, decimalText, formatMoney, isCurrencyCode, money, moneyFromDecimal, moneyProblem,
  multiplyMoney, sumMoney,
} from './money';

const cny = (minorUnits: number) => money('CNY', minorUnits);

describe('money', () => {
  describe('as a value', () => {
    it('is a currency code with whole minor units', () => {
      expect(cny(12800)).toEqual({ currency: 'CNY', minorUnits: 12800 });
      expect(money('JPY', 1500)).toEqual({ currency: 'JPY', minorUnits: 1500 });
    });

    it.each([
      [{ currency: 'CNY', minorUnits: 128.5 }, 'not-integer'],
      [{ currency: 'CNY', minorUnits: '12800' }, 'not-integer'],
      [{ currency: 'CNY', minorUnits: Number.NaN }, 'not-integer'],
      [{ currency: 'CNY', minorUnits: -1 }, 'negative'],
      [{ currency: 'CNY', minorUnits: 2 ** 53 }, 'too-large'],
      [{ currency: 'CNY', minorUnits: Number.MAX_SAFE_INTEGER }, 'too-large'],
      [{ currency: 'JPY', minorUnits: 10 ** 12 + 1 }, 'too-large'],
      [{ currency: 'RMB', minorUnits: 100 }, 'unknown-currency'],
      [{ currency: 'cny', minorUnits: 100 }, 'unknown-currency'],
      [{ currency: 'XAU', minorUnits: 100 }, 'unknown-currency'],
      [{ currency: 'constructor', minorUnits: 100 }, 'unknown-currency'],
      [{ currency: 'CNY', minorUnits: 100, amount: 1 }, 'not-money'],
      [128, 'not-money'],
      [null, 'not-money'],
    ])('refuses %p (%s) with a message saying how to write it', (candidate, code) => {
      const problem = moneyProblem(candidate);
      expect(problem?.code).toBe(code);
      expect(problem?.message.length).toBeGreaterThan(10);
    });

    it('takes at most 10^12 minor units, and says the bound in the currency', () => {
      expect(moneyProblem({ currency: 'CNY', minorUnits: 10 ** 12 })).toBeUndefined();
      expect(moneyProblem({ currency: 'CNY', minorUnits: 10 ** 12 + 1 })?.message).toContain('CNY 10000000000.00');
      expect(moneyProblem({ currency: 'KWD', minorUnits: Number.MAX_SAFE_INTEGER })?.message).toContain('KWD 1000000000.000');
    });

    it('throws a typed invalid-money error from the constructor', () => {
      expect(() => money('CNY', 0.5)).toThrow(InvalidMoneyError);
      try {
        money('ABC', 1);
      } catch (error) {
        expect(error).toMatchObject({ code: 'unknown-currency', kind: 'invalid' });
      }
    });

    it('knows each currency\'s minor digits', () => {
      expect([currencyDigits('CNY'), currencyDigits('JPY'), currencyDigits('KWD'), currencyDigits('CLF')]).toEqual([2, 0, 3, 4]);
      expect(isCurrencyCode('HKD')).toBe(true);
      expect(isCurrencyCode('hasOwnProperty')).toBe(false);
    });

    it('keeps one zero', () => {
      expect(Object.is(cny(-0).minorUnits, 0)).toBe(true);
    });
  });

  describe('arithmetic, in integers only', () => {
    it('adds and sums amounts of one currency', () => {
      expect(addMoney(cny(10), cny(20))).toEqual(cny(30));
      expect(sumMoney([cny(8000), cny(4800), cny(0)])).toEqual(cny(12800));
    });

    it('refuses to mix currencies', () => {
      expect(() => addMoney(cny(1), money('USD', 1))).toThrow(expect.objectContaining({ code: 'currency-mismatch' }));
      expect(() => compareMoney(cny(1), money('HKD', 1))).toThrow(InvalidMoneyError);
    });

    it('multiplies by a whole quantity and refuses a fraction', () => {
      expect(multiplyMoney(cny(4550), 3)).toEqual(cny(13650));
      expect(() => multiplyMoney(cny(4550), 1.5)).toThrow(InvalidMoneyError);
    });

    it('refuses a result beyond the safe integers rather than lose a unit', () => {
      expect(() => addMoney(cny(10 ** 12), cny(1))).toThrow(expect.objectContaining({ code: 'too-large' }));
      expect(() => multiplyMoney(cny(10 ** 12), 10_000)).toThrow(expect.objectContaining({ code: 'too-large' }));
    });

    it('compares', () => {
      expect([compareMoney(cny(1), cny(2)), compareMoney(cny(2), cny(2)), compareMoney(cny(3), cny(2))]).toEqual([-1, 0, 1]);
    });
  });

  describe('as decimal text', () => {
    it.each([
      ['CNY', 12800, 'CNY 128.00'], ['CNY', 5, 'CNY 0.05'], ['JPY', 1500, 'JPY 1500'], ['KWD', 1234, 'KWD 1.234'], ['CNY', 0, 'CNY 0.00'],
    ])('shows %s %i as %s', (currency, minorUnits, text) => expect(formatMoney(money(currency, minorUnits))).toBe(text));

    it('reads decimals digit by digit: 0.1 + 0.2 is exactly 0.30', () => {
      const sum = addMoney(moneyFromDecimal('CNY', '0.1'), moneyFromDecimal('CNY', '0.2'));
      expect(sum).toEqual(cny(30));
      expect(decimalText(sum)).toBe('0.30');
    });

    it.each([['128', 12800], ['128.5', 12850], ['128.50', 12850], ['0.07', 7]])('reads CNY %s as %i fen', (text, minorUnits) => {
      expect(moneyFromDecimal('CNY', text)).toEqual(cny(minorUnits));
    });

    it.each([['CNY', '1.005', 'too-many-decimals'], ['JPY', '10.5', 'too-many-decimals'], ['CNY', '-1', 'not-integer'], ['CNY', '1e3', 'not-integer'], ['CNY', '', 'not-integer']])(
      'refuses %s %j (%s) instead of rounding', (currency, text, code) => {
        expect(() => moneyFromDecimal(currency, text)).toThrow(expect.objectContaining({ code }));
      },
    );
  });
});
