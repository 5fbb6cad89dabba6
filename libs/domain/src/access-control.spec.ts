import {
  AccessTokenAlreadyRevokedError, AccessTokenNotFoundError, InvalidAccessCommandError, NO_ACCESS, complaintInScope, decideIssue, decideRevoke,
  evolveAccess, grantIsActive, type AccessEvent, type AccessState, type IssueAccessToken,
} from './access-control';

const admin = { id: 'admin-1', role: 'admin' as const };
const hash = 'a'.repeat(64);
const issue = (overrides: Partial<IssueAccessToken> = {}): IssueAccessToken => ({
  tokenId: 't-1', principalId: 'zhang.wei', role: 'agent', departments: ['station-ops'], tokenHash: hash, at: '2026-11-23T08:00:00.000Z', actor: admin, ...overrides,
});
const given = (events: AccessEvent[]): AccessState => events.reduce(evolveAccess, NO_ACCESS);

describe('access control: issuing and revoking tokens', () => {
  it('given nothing, when an admin issues a departmental agent token, then AccessTokenIssued records role, scope and hash', () => {
    expect(decideIssue(issue({ departments: ['station-ops', 'billing', 'station-ops'], expiresAt: '2027-01-01T00:00:00.000Z' }), NO_ACCESS)).toEqual([{
      type: 'AccessTokenIssued',
      data: { tokenId: 't-1', principalId: 'zhang.wei', role: 'agent', departments: ['billing', 'station-ops'], tokenHash: hash, issuedAt: '2026-11-23T08:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z' },
    }]);
  });

  it('limits an engineer token to its station, whose code is the department of the station\'s work orders', () => {
    expect(decideIssue(issue({ principalId: 'eng-wang', role: 'engineer', departments: ['dandong-station'] }), NO_ACCESS)[0]!.data).toMatchObject({
      role: 'engineer', departments: ['dandong-station'],
    });
  });

  it('says which roles may be limited to departments when another is', () => {
    expect(() => decideIssue(issue({ role: 'auditor', departments: ['billing'] }), NO_ACCESS))
      .toThrow('Only agent, supervisor and engineer tokens can be limited to departments; auditors see every department.');
  });

  it.each([
    [{ actor: { id: 'sup', role: 'supervisor' as const } }, 'actor'],
    [{ role: 'janitor' }, 'role'],
    [{ principalId: 'has space' }, 'principalId'],
    [{ principalId: 'system:sla-monitor' }, 'principalId'],
    [{ principalId: 'cli:root' }, 'principalId'],
    // Ids compare letter case aside (?actor=cli:root finds CLI:root), so the reserved prefixes do too.
    [{ principalId: 'SYSTEM:sla-monitor' }, 'principalId'],
    [{ principalId: 'Cli:root' }, 'principalId'],
    [{ role: 'analyst', departments: ['billing'] }, 'departments'],
    [{ departments: [] }, 'departments'],
    [{ departments: ['bad dept'] }, 'departments'],
    [{ departments: ['station-ops', 'received-by:li.na'] }, 'departments'],
    [{ departments: ['ops@north'] }, 'departments'],
    // The statistics' word for "no department yet": a scope of it would read the unassigned row as a department's.
    [{ departments: ['station-ops', 'unassigned'] }, 'departments'],
    [{ role: 'engineer', departments: ['Unassigned'] }, 'departments'],
    [{ expiresAt: '2026-11-23T07:00:00.000Z' }, 'expiresAt'],
    [{ tokenHash: 'not-a-hash' }, 'tokenHash'],
  ])('refuses %o, naming the field %s', (overrides, field) => {
    try {
      decideIssue(issue(overrides), NO_ACCESS);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidAccessCommandError);
      expect((error as InvalidAccessCommandError).field).toBe(field);
    }
  });

  it('says a department scope of unassigned is reserved for "not yet assigned" and to name a department', () => {
    expect(() => decideIssue(issue({ departments: ['unassigned'] }), NO_ACCESS)).toThrow(/reserved for "not yet assigned"/);
  });

  it('refuses departments that differ only in letter case (Billing, billing) as ambiguous, naming both; the same spelling twice is one', () => {
    expect(() => decideIssue(issue({ departments: ['Billing', 'station-ops', 'billing'] }), NO_ACCESS))
      .toThrow(/departments "Billing" and "billing" differ only in letter case.*list it once/);
    expect(() => decideIssue(issue({ departments: ['Billing', 'station-ops', 'billing'] }), NO_ACCESS)).toThrow(InvalidAccessCommandError);
    expect(decideIssue(issue({ departments: ['billing', 'billing'] }), NO_ACCESS)[0]!.data).toMatchObject({ departments: ['billing'] });
  });

  it('refuses a token id that exists already', () => {
    expect(() => decideIssue(issue(), given(decideIssue(issue(), NO_ACCESS)))).toThrow(InvalidAccessCommandError);
  });

  it('given an issued token, when an admin revokes it, then AccessTokenRevoked; and it no longer lets anyone in', () => {
    const state = given(decideIssue(issue(), NO_ACCESS));
    const events = decideRevoke({ tokenId: 't-1', at: '2026-11-24T08:00:00.000Z', actor: admin }, state);
    expect(events).toEqual([{ type: 'AccessTokenRevoked', data: { tokenId: 't-1', principalId: 'zhang.wei', revokedAt: '2026-11-24T08:00:00.000Z' } }]);
    const after = given([...decideIssue(issue(), NO_ACCESS), ...events]);
    expect(grantIsActive(state.get('t-1')!, new Date('2026-11-25T00:00:00Z'))).toBe(true);
    expect(grantIsActive(after.get('t-1')!, new Date('2026-11-25T00:00:00Z'))).toBe(false);
  });

  it('refuses to revoke an unknown token, or one revoked already', () => {
    expect(() => decideRevoke({ tokenId: 'nope', at: '2026-11-24T08:00:00.000Z', actor: admin }, NO_ACCESS)).toThrow(AccessTokenNotFoundError);
    const revoked = given([...decideIssue(issue(), NO_ACCESS), { type: 'AccessTokenRevoked', data: { tokenId: 't-1', principalId: 'zhang.wei', revokedAt: '2026-11-24T08:00:00.000Z' } }]);
    expect(() => decideRevoke({ tokenId: 't-1', at: '2026-11-25T08:00:00.000Z', actor: admin }, revoked)).toThrow(AccessTokenAlreadyRevokedError);
  });

  it('lets an expiring token in until, and not at, its expiry', () => {
    const grant = given(decideIssue(issue({ expiresAt: '2026-12-01T00:00:00.000Z' }), NO_ACCESS)).get('t-1')!;
    expect(grantIsActive(grant, new Date('2026-11-30T23:59:59.999Z'))).toBe(true);
    expect(grantIsActive(grant, new Date('2026-12-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('department scope', () => {
  const receivedBy = { id: 'li.na', role: 'agent' as const };
  it.each([
    ['every department', 'all' as const, 'someone', { receivedBy, department: 'billing' }, true],
    ['its department', ['billing'], 'someone', { receivedBy, department: 'billing' }, true],
    ['another department', ['station-ops'], 'li.na', { receivedBy, department: 'billing' }, false],
    ['an unassigned complaint it received', ['station-ops'], 'li.na', { receivedBy, department: null }, true],
    ['an unassigned complaint someone else received', ['station-ops'], 'zhang.wei', { receivedBy, department: null }, false],
    // One department whatever its letter case: a complaint assigned to Billing while the directory was empty is billing's.
    ['its department, assigned under another letter case', ['billing'], 'someone', { receivedBy, department: 'Billing' }, true],
    ['its department, given in another letter case', ['BILLING'], 'someone', { receivedBy, department: 'billing' }, true],
    ['another department, letter case aside', ['billing'], 'li.na', { receivedBy, department: 'Billings' }, false],
  ])('a principal with %s', (_name, scope, actorId, complaint, visible) => {
    expect(complaintInScope(complaint, actorId, scope)).toBe(visible);
  });
});
