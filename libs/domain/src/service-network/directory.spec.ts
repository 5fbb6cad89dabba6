import { deciderSpecification } from '@app/event-sourcing/testing';
import { checkAssignee, checkDepartment, checkEscalationTarget, closeMatches } from './directory';
import { serviceNetworkDecider } from './service-network.decider';
import { AgentNotFoundError, InvalidServiceNetworkCommandError, ServiceNetworkConflictError } from './service-network.errors';
import type { ServiceNetworkEvent } from './service-network.events';
import { foldServiceNetwork } from './service-network.evolve';
import { initialServiceNetworkState } from './service-network.state';
import { admin, centreRegistered, networkCommand, networkHistory, stationRegistered } from './testing/service-network.fixtures';
import { at } from '../testing/complaint.fixtures';

const spec = deciderSpecification(serviceNetworkDecider);
const qualityRegistered: ServiceNetworkEvent = {
  type: 'ServiceUnitRegistered',
  data: { code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', regions: [], registeredAt: at(5), by: admin, reason: '质量投诉归口' },
};
const agentAdded: ServiceNetworkEvent = { type: 'AgentAdded', data: { agentId: 'li.na', name: '李娜', units: ['quality-dept'], addedAt: at(6), by: admin, reason: '新员工入职' } };
const addAgent = (units: string[] = ['quality-dept'], agentId = 'li.na') => networkCommand('AddAgent', { agentId, name: ' 李娜 ', units, reason: '新员工入职' }, 6);
const deactivateAgent = networkCommand('DeactivateAgent', { agentId: 'li.na', reason: '调岗' }, 9);

describe('the directory: departments and agents in the service network', () => {
  describe('registering a department', () => {
    it('registers a department under the centre, with no region', () => {
      spec.given([centreRegistered]).when(networkCommand('RegisterServiceUnit', {
        code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', regions: [], reason: '质量投诉归口',
      }, 5)).then([qualityRegistered]);
    });

    it('refuses a department under a station', () => {
      spec.given([centreRegistered, stationRegistered]).when(networkCommand('RegisterServiceUnit', {
        code: 'x-dept', kind: 'department', name: { 'zh-CN': '部门', en: 'Dept' }, parent: 'dandong-station', regions: [], reason: 'test',
      })).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('invalid-parent'));
    });
  });

  describe('adding and deactivating agents', () => {
    it('adds an agent for units that exist, with the name trimmed', () => {
      spec.given([centreRegistered, qualityRegistered]).when(addAgent()).then([agentAdded]);
    });

    it('keeps each unit once', () => {
      spec.given([centreRegistered, qualityRegistered]).when(addAgent(['quality-dept', 'quality-dept', 'cs-centre']))
        .thenProduces(([event]) => expect(event?.type === 'AgentAdded' && event.data.units).toEqual(['quality-dept', 'cs-centre']));
    });

    it('refuses an agent with no unit, or with a unit the directory does not have', () => {
      spec.given([centreRegistered]).when(addAgent([])).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('units-required'));
      spec.given([centreRegistered]).when(addAgent(['quality-dpt'])).thenThrows(InvalidServiceNetworkCommandError, (error) => {
        expect(error.code).toBe('unknown-unit');
        expect(error.field).toBe('units[0]');
      });
    });

    it('refuses an id that is not a plain code, and an id used before', () => {
      spec.given([centreRegistered, qualityRegistered]).when(addAgent(['quality-dept'], 'li na')).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('invalid-code'));
      spec.given([centreRegistered, qualityRegistered, agentAdded]).when(addAgent()).thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('agent-already-added'));
    });

    it('deactivates an agent once', () => {
      spec.given([centreRegistered, qualityRegistered, agentAdded]).when(deactivateAgent)
        .then([{ type: 'AgentDeactivated', data: { agentId: 'li.na', deactivatedAt: at(9), by: admin, reason: '调岗' } }]);
      spec.given([centreRegistered, qualityRegistered, agentAdded, { type: 'AgentDeactivated', data: { agentId: 'li.na', deactivatedAt: at(9), by: admin, reason: '调岗' } }])
        .when(deactivateAgent).thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('agent-inactive'));
      spec.given([centreRegistered]).when(deactivateAgent).thenThrows(AgentNotFoundError);
    });

    it('deactivates the agent an id names whatever its letter case or width, under the directory\'s id', () => {
      for (const agentId of ['LI.NA', 'Li.Na', 'ｌｉ.ｎａ']) {
        spec.given([centreRegistered, qualityRegistered, agentAdded]).when({ ...deactivateAgent, data: { ...deactivateAgent.data, agentId } })
          .then([{ type: 'AgentDeactivated', data: { agentId: 'li.na', deactivatedAt: at(9), by: admin, reason: '调岗' } }]);
      }
    });
  });

  describe('checking assignments, escalations and scopes against it', () => {
    const directory = foldServiceNetwork([...networkHistory, qualityRegistered, agentAdded]);

    it('checks nothing while the directory has no unit (a new installation)', () => {
      expect(checkDepartment(initialServiceNetworkState, 'anything')).toEqual({ ok: true });
      expect(checkAssignee(initialServiceNetworkState, 'anything', 'anyone')).toEqual({ ok: true });
      expect(checkEscalationTarget(initialServiceNetworkState, '区域经理')).toEqual({ ok: true });
    });

    it('accepts a unit code and names the closest codes for a typo', () => {
      expect(checkDepartment(directory, 'quality-dept')).toMatchObject({ ok: true, unit: { code: 'quality-dept' } });
      const refused = checkDepartment(directory, 'quality-dpt');
      expect(refused).toMatchObject({ ok: false, code: 'unknown-department', field: 'department' });
      expect(!refused.ok && refused.message).toContain('did you mean quality-dept?');
    });

    it('reads a department code as a dispatch reads a station code: QUALITY-DEPT is quality-dept, the verdict its own spelling', () => {
      expect(checkDepartment(directory, 'QUALITY-DEPT')).toMatchObject({ ok: true, unit: { code: 'quality-dept' } });
      expect(checkDepartment(directory, 'ＱＵＡＬＩＴＹ-ＤＥＰＴ', 'departments[0]')).toMatchObject({ ok: true, unit: { code: 'quality-dept' } });
    });

    it('accepts an active agent or engineer of the unit, and says why anyone else is refused', () => {
      expect(checkAssignee(directory, 'quality-dept', 'li.na')).toEqual({ ok: true, assignee: 'li.na' });
      expect(checkAssignee(directory, 'dandong-station', 'eng-wang')).toEqual({ ok: true, assignee: 'eng-wang' });
      // Named as ids are told apart (principalKey): the verdict gives the directory's spelling, the one recorded.
      expect(checkAssignee(directory, 'quality-dept', 'LI.NA')).toEqual({ ok: true, assignee: 'li.na' });
      expect(checkAssignee(directory, 'dandong-station', 'ＥＮＧ-ＷＡＮＧ')).toEqual({ ok: true, assignee: 'eng-wang' });
      expect(checkAssignee(directory, 'quality-dept', 'li.nah')).toMatchObject({ ok: false, code: 'unknown-assignee', message: expect.stringContaining('did you mean li.na?') });
      expect(checkAssignee(directory, 'dandong-station', 'li.na')).toMatchObject({ ok: false, code: 'assignee-not-in-department', message: expect.stringContaining('li.na works for quality-dept') });
      const gone = foldServiceNetwork([{ type: 'AgentDeactivated', data: { agentId: 'li.na', deactivatedAt: at(9), by: admin, reason: '调岗' } }], directory);
      expect(checkAssignee(gone, 'quality-dept', 'li.na')).toMatchObject({ ok: false, code: 'unknown-assignee', message: expect.stringContaining('(deactivated)') });
    });

    it('takes an escalation target by code, by Chinese or English name, or an agent; suggests names in Chinese too', () => {
      expect(checkEscalationTarget(directory, '丹东服务站')).toMatchObject({ ok: true, unit: { code: 'dandong-station' } });
      expect(checkEscalationTarget(directory, 'quality department')).toMatchObject({ ok: true, unit: { code: 'quality-dept' } });
      expect(checkEscalationTarget(directory, 'ｑｕａｌｉｔｙ-ｄｅｐｔ')).toMatchObject({ ok: true });
      expect(checkEscalationTarget(directory, '李娜')).toEqual({ ok: true, agentId: 'li.na' });
      const refused = checkEscalationTarget(directory, '质量管理处');
      expect(refused).toMatchObject({ ok: false, code: 'unknown-escalation-target', field: 'to' });
      expect(!refused.ok && refused.message).toContain('did you mean 质量管理部?');
    });

    it('refuses an agent once deactivated as an escalation target (agent-inactive, not "no such agent": the agent exists), saying since when and what to do instead', () => {
      const gone = foldServiceNetwork([{ type: 'AgentDeactivated', data: { agentId: 'li.na', deactivatedAt: at(9), by: admin, reason: '调岗' } }], directory);
      for (const target of ['li.na', 'LI.NA', '李娜']) {
        const refused = checkEscalationTarget(gone, target);
        expect({ target, refused }).toMatchObject({ target, refused: { ok: false, code: 'agent-inactive', field: 'to' } });
        const message = refused.ok ? '' : refused.message;
        expect(message).toContain(`li.na (李娜) was deactivated at ${at(9)}`);
        // What to do: an active agent, or a unit (theirs named); there is no reactivation.
        expect(message).toMatch(/escalate to an active agent or to a unit \(li\.na worked for quality-dept\)/i);
        expect(message).toContain('POST /service-network/agents');
        expect(message).not.toContain('No unit or agent called');
      }
      // A name nobody active or deactivated answers to is still unknown.
      expect(checkEscalationTarget(gone, '王五')).toMatchObject({ ok: false, code: 'unknown-escalation-target' });
    });
  });

  describe('closeMatches', () => {
    it('ranks by edit distance, containment first, and gives nothing for an unrelated value', () => {
      expect(closeMatches('station-opz', ['station-ops', 'station-east', 'quality-dept'])).toEqual(['station-ops']);
      expect(closeMatches('dandong', ['dandong-station', 'dalian-branch'])).toEqual(['dandong-station']);
      expect(closeMatches('zzzz', ['station-ops', 'quality-dept'])).toEqual([]);
    });
  });
});
