import { asOfUntilSpelling, parseAsOfUntil } from './as-of-until';

describe('as-of until: one spelling per cut', () => {
  it('writes a position without leading zeros: "0", "00" and "000" are one cut', () => {
    expect(['0', '00', '000'].map(asOfUntilSpelling)).toEqual(['0', '0', '0']);
    expect(asOfUntilSpelling('0001200')).toBe('1200');
    expect(asOfUntilSpelling('999999999999999')).toBe('999999999999999');
  });

  it('refuses what parseAsOfUntil refuses (a sign, a space, 16 digits): no other spelling of a cut gets in', () => {
    for (const text of ['+0', ' 0', '0 ', '-0', '0x10', '1e3', '1234567890123456', '', 'yesterday', '2026-02-30']) {
      expect({ text, spelling: asOfUntilSpelling(text), parsed: parseAsOfUntil(text) }).toEqual({ text, spelling: undefined, parsed: undefined });
    }
  });

  it('writes a date-time with its seconds, milliseconds only when there are some (three digits), and Z for a zero offset', () => {
    for (const text of ['2026-03-10T08:00:00Z', '2026-03-10T08:00Z', '2026-03-10T08:00:00+00:00', '2026-03-10T08:00:00-00:00', '2026-03-10T08:00:00.000Z', '2026-03-10T08:00:00.0+00:00']) {
      expect({ text, spelling: asOfUntilSpelling(text) }).toEqual({ text, spelling: '2026-03-10T08:00:00Z' });
    }
    expect(asOfUntilSpelling('2026-03-10T08:00:00.5Z')).toBe('2026-03-10T08:00:00.500Z');
    expect(asOfUntilSpelling('2026-03-10T08:00:00.05+00:00')).toBe('2026-03-10T08:00:00.050Z');
    expect(asOfUntilSpelling('2026-03-10T08:00:00.123Z')).toBe('2026-03-10T08:00:00.123Z');
  });

  it('keeps a date, and a date-time\'s own offset: another offset is the analyst\'s local time, named apart (2026-03-10T08-00-00plus08-00)', () => {
    expect(asOfUntilSpelling('2026-03-10')).toBe('2026-03-10');
    expect(asOfUntilSpelling('2026-03-10T08:00+08:00')).toBe('2026-03-10T08:00:00+08:00');
    expect(asOfUntilSpelling('2026-03-10T08:00:00.100-12:00')).toBe('2026-03-10T08:00:00.100-12:00');
  });

  it('names the same cut as the text it was given: the spelling parses to the same moment or position', () => {
    for (const text of ['007', '2026-03-10', '2026-03-10T08:00+00:00', '2026-03-10T08:00:00.5-00:00', '2026-03-10T08:00:00.25+08:00', '9999-12-31T11:59:59-12:00']) {
      expect({ text, cut: parseAsOfUntil(asOfUntilSpelling(text)!) }).toEqual({ text, cut: parseAsOfUntil(text) });
    }
  });
});
