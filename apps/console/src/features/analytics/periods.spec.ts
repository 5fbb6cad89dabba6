import { describe, expect, it } from '@jest/globals';
import { filterOf, queueFilterOf, queueLink, queueOrder } from '../complaints/queue-filter';
import { nextPeriod, partialPeriods, periodLabel, periodNamer, receivedIn } from './periods';

const words = { quarter: (year: string, quarter: number) => `${year} Q${quarter}`, week: (date: string) => `week of ${date}` };

describe('the periods of the statistics, and the queue link a number opens', () => {
  it('gives the first day of the next period, across month, quarter and year ends (UTC)', () => {
    expect(nextPeriod('2026-12-31', 'day')).toBe('2027-01-01');
    expect(nextPeriod('2026-12-28', 'week')).toBe('2027-01-04');
    expect(nextPeriod('2026-01-01', 'month')).toBe('2026-02-01');
    expect(nextPeriod('2026-10-01', 'quarter')).toBe('2027-01-01');
    expect(nextPeriod('2026-01-01', 'year')).toBe('2027-01-01');
    expect(receivedIn('2026-03-01', 'month')).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
  });

  it('names a period in the language, whatever the zone (the periods are UTC days)', () => {
    expect(periodLabel('2026-03-01', 'month', 'en', words)).toBe('Mar 2026');
    expect(periodLabel('2026-03-01', 'month', 'zh-CN', words)).toBe('2026年3月');
    expect(periodLabel('2026-07-01', 'quarter', 'en', words)).toBe('2026 Q3');
    expect(periodLabel('2026-01-01', 'year', 'zh-CN', words)).toBe('2026年');
  });

  it('gathers the periods any answer marks partial, and marks their names only, in the words of the language', () => {
    const partial = partialPeriods(
      [{ period: '2026-03-01', partial: false }, { period: '2026-04-01', partial: true }, { period: '2026-04-01', partial: false }],
      [{ period: '2026-02-01', partial: true }, { period: '2026-01-01' }, { partial: true }],
    );
    expect([...partial].sort()).toEqual(['2026-02-01', '2026-04-01']);
    expect(partialPeriods([], [{ period: '2026-03-01', partial: false }]).size).toBe(0);
    const en = periodNamer('month', 'en', { ...words, partial: (name) => `${name}*` }, partial);
    expect(['2026-03-01', '2026-04-01'].map(en)).toEqual(['Mar 2026', 'Apr 2026*']);
    const zh = periodNamer('quarter', 'zh-CN', { quarter: (year, quarter) => `${year}年第${quarter}季度`, week: words.week, partial: (name) => `${name}（未完）` }, new Set(['2026-04-01']));
    expect(['2026-01-01', '2026-04-01'].map(zh)).toEqual(['2026年第1季度', '2026年第2季度（未完）']);
  });

  it('writes a filter into the queue\'s URL and reads it back, leaving out what is empty or unknown', () => {
    const link = queueLink({ cause: 'price', from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', department: '' });
    expect(link).toBe('/?cause=price&from=2026-03-01T00%3A00%3A00.000Z&to=2026-04-01T00%3A00%3A00.000Z');
    expect(filterOf(new URLSearchParams(`${link.slice(2)}&token=secret&escalated=true`))).toEqual({ cause: 'price', escalated: 'true', from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    expect(queueLink({})).toBe('/');
  });

  it('lists the open complaints when the address names no status, and every status for status=any, which the API is not asked', () => {
    expect(queueFilterOf(new URLSearchParams('cause=price'))).toEqual({ status: 'open', cause: 'price' });
    expect(queueOrder(queueFilterOf(new URLSearchParams('')))).toEqual({ status: 'open', sort: 'nextDueAt' });
    expect(queueFilterOf(new URLSearchParams('status=any&cause=price'))).toEqual({ status: 'any', cause: 'price' });
    expect(queueOrder(queueFilterOf(new URLSearchParams('status=any&cause=price')))).toEqual({ cause: 'price', sort: 'nextDueAt' });
    expect(queueOrder(queueFilterOf(new URLSearchParams('status=closed')))).toEqual({ status: 'closed', sort: 'nextDueAt' });
    expect(queueLink(queueFilterOf(new URLSearchParams('customerId=c-1')))).toBe('/?status=open&customerId=c-1');
  });
});
