import { describe, expect, it } from '@jest/globals';
import { countOf } from './counts';

const EVENTS = { en: { one: '{count} event', other: '{count} events' }, 'zh-CN': { other: '{count} 个事件' } } as const;

describe('a count for people', () => {
  it('takes the singular for one and the plural otherwise, by the language\'s own plural rules', () => {
    expect(countOf(EVENTS, 'en', 1)).toBe('1 event');
    expect(countOf(EVENTS, 'en', 0)).toBe('0 events');
    expect(countOf(EVENTS, 'en', 2)).toBe('2 events');
    expect(countOf(EVENTS, 'zh-CN', 1)).toBe('1 个事件');
  });

  it('groups the digits as the language does', () => {
    expect(countOf(EVENTS, 'en', 11354)).toBe('11,354 events');
    expect(countOf(EVENTS, 'zh-CN', 1234567)).toBe('1,234,567 个事件');
  });
});
