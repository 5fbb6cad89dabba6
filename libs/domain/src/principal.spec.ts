import { complaintInScope, departmentInScope } from './access-control';
import { principalIdForm, principalKey, samePrincipal } from './principal';
import { workOrderInScope } from './work-order/work-order.scope';
import { surveyInScope } from './survey/survey.state';

describe('principal ids are told apart by one rule (principalKey)', () => {
  it('folds letter case: Li.Na and li.na are one principal', () => {
    expect(principalKey('Li.Na')).toBe('li.na');
    expect(samePrincipal('Li.Na', 'li.na')).toBe(true);
  });

  it('folds full-width letters and punctuation (NFKC): ｌｉ．ｎａ and ＬＩ.ＮＡ are li.na', () => {
    expect(principalKey('ｌｉ．ｎａ')).toBe('li.na');
    expect(samePrincipal('ＬＩ.ＮＡ', 'li.na')).toBe(true);
  });

  it('drops invisible characters and reads any dash as -', () => {
    expect(principalKey('eng\u200b\u2010zhou')).toBe('eng-zhou');
  });

  it('reads visible ASCII as the full rule does, and spaces around an id are no part of it', () => {
    for (let code = 0x21; code <= 0x7e; code += 1) {
      const id = `Ab${String.fromCharCode(code)}Z`;
      expect(principalKey(id)).toBe(principalKey(`\u200b${id}`));
    }
    expect(principalKey(' Li.Na ')).toBe('li.na');
  });

  it('keeps ids that differ in more than case, width or invisible characters apart', () => {
    expect(samePrincipal('li.na', 'li.na2')).toBe(false);
    expect(samePrincipal('li.na', 'lina')).toBe(false);
    expect(samePrincipal('li_na', 'li-na')).toBe(false);
  });

  it('is the comparison of the scope checks: a complaint received by li.na is in the scope of a token for Li.Na', () => {
    const complaint = { receivedBy: { id: 'li.na', role: 'agent' as const }, department: null };
    expect(complaintInScope(complaint, 'Li.Na', ['billing'])).toBe(true);
    expect(complaintInScope(complaint, 'ｌｉ.ｎａ', ['billing'])).toBe(true);
    expect(complaintInScope(complaint, 'li.nb', ['billing'])).toBe(false);
    expect(workOrderInScope({ reportedBy: { id: 'LI.NA', role: 'agent' }, servicePoint: null }, 'li.na', ['billing'])).toBe(true);
  });

  it('compares a department as a unit\'s code is read, letter case aside: one department is one thing whatever its spelling', () => {
    const receivedBy = { id: 'li.na', role: 'agent' as const };
    expect(complaintInScope({ receivedBy, department: 'Billing' }, 'zhao', ['billing'])).toBe(true);
    expect(complaintInScope({ receivedBy, department: 'Billing' }, 'zhao', ['billing-desk'])).toBe(false);
    expect(workOrderInScope({ reportedBy: receivedBy, servicePoint: 'Dandong-Station' }, 'eng-wang', ['dandong-station'])).toBe(true);
    expect(workOrderInScope({ reportedBy: receivedBy, servicePoint: 'Dandong-Station' }, 'eng-wang', ['dalian-station'])).toBe(false);
    expect(surveyInScope({ department: 'BILLING', by: receivedBy }, 'zhao', ['billing'])).toBe(true);
    expect(surveyInScope({ department: 'BILLING', by: receivedBy }, 'zhao', ['station-ops'])).toBe(false);
    expect(departmentInScope(['Billing'], 'billing')).toBe(true);
    expect(departmentInScope('all', 'anything')).toBe(true);
  });
});

describe('a principal id typed in another width (principalIdForm, the query parameters\' fold)', () => {
  it.each([
    ['ＬＩ.ＮＡ', 'LI.NA'], ['ｅｎｇ－ｗａｎｇ', 'eng-wang'], ['eng\u2010wang', 'eng-wang'], ['li\u200b.na', 'li.na'], ['Li.Na', 'Li.Na'], [' ｌｉ.ｎａ ', 'li.na'],
  ])('folds %j to %j, keeping the letter case', (typed, folded) => {
    expect(principalIdForm(typed)).toBe(folded);
    expect(principalKey(typed)).toBe(folded.toLowerCase());
  });
});
