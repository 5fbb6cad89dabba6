import { COMPLAINT_ACTIONS, WORK_ORDER_ACTIONS, type Actor } from '@app/domain';
import { ACTION_WORDS, allowedActions } from './allowed-actions';

describe('allowedActions', () => {
  const agent: Actor = { id: 'agent-li', role: 'agent' };

  it('says a refusal by role in the action\'s words, with the roles that may', () => {
    const [findings] = allowedActions(['findings'], agent, () => ['engineer', 'admin'], null, () => null);
    expect(findings).toEqual({ action: 'findings', allowed: false, reason: { code: 'role-not-allowed', message: 'The agent role may not record the findings; allowed: engineer, admin.' } });
  });

  it('has words for every action of a complaint and of a work order', () => {
    expect([...COMPLAINT_ACTIONS, ...WORK_ORDER_ACTIONS].filter((action) => ACTION_WORDS[action] === undefined)).toEqual([]);
  });
});
