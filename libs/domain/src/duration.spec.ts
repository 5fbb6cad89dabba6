import { addDuration, parseDuration } from './duration';
import { validateSlaPolicy, DEFAULT_SLA_POLICY } from './sla-policy';

describe('ISO 8601 durations', () => {
  it.each([
    ['PT2H', 7_200_000], ['PT72H', 259_200_000], ['P3D', 259_200_000], ['PT30M', 1_800_000], ['PT1.5S', 1_500], ['P1W', 604_800_000], ['P1DT1H', 90_000_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'P', 'PT', '2H', 'P1M', 'P1Y', 'PT-1H', 'pt2h', 'PT2H ', 'P1DT'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it('adds a duration to an instant', () => {
    expect(addDuration('2026-03-01T23:00:00.000Z', 'PT2H')).toBe('2026-03-02T01:00:00.000Z');
  });
});

describe('SLA policy validation', () => {
  it('accepts the default policy', () => expect(validateSlaPolicy(DEFAULT_SLA_POLICY)).toEqual([]));

  it('names every problem of a bad policy', () => {
    const problems = validateSlaPolicy({ version: '', firstReply: 'PT0S', answer: '3 days', callback: 'PT48H', bySeverity: { urgent: {} } });
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('version'), expect.stringContaining('firstReply'), expect.stringContaining('answer'), expect.stringContaining('bySeverity.urgent'),
    ]));
  });
});
