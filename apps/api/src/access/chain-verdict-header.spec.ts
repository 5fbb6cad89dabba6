import { chainVerdictFileTag, chainVerdictHeader } from './chain-verdict-header';

describe('the X-Chain-Verdict header of GET /audit/access (what a CSV reader sees of the JSON\'s verification)', () => {
  it('says intact with the events checked and the head hash', () => {
    expect(chainVerdictHeader({ ok: true, stream: 'access-control', events: 6, head: 'a'.repeat(64) })).toBe(`intact; events=6; head=${'a'.repeat(64)}`);
  });

  it('says broken with the revision where the chain breaks (the reason stays in the JSON and GET /audit/verify)', () => {
    expect(chainVerdictHeader({ ok: false, stream: 'access-control', revision: 3, expected: 'b'.repeat(64), found: null, reason: 'hash mismatch — edited' })).toBe('broken; revision=3');
  });
});

describe('the CSV file name of GET /audit/access (the verdict kept by a saved file, whose rows are the entries only)', () => {
  it('says intact with the events checked (the head is the last row\'s hash)', () => {
    expect(chainVerdictFileTag({ ok: true, stream: 'access-control', events: 6, head: 'a'.repeat(64) })).toBe('chain-intact-6');
  });

  it('says broken with the revision where the chain breaks', () => {
    expect(chainVerdictFileTag({ ok: false, stream: 'access-control', revision: 3, expected: 'b'.repeat(64), found: null, reason: 'hash mismatch — edited' })).toBe('chain-broken-at-3');
  });
});
