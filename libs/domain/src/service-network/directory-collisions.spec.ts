import { deciderSpecification } from '@app/event-sourcing/testing';
import { checkEscalationTarget } from './directory';
import { serviceNetworkDecider } from './service-network.decider';
import { InvalidServiceNetworkCommandError, ServiceNetworkConflictError } from './service-network.errors';
import type { ServiceNetworkEvent } from './service-network.events';
import { foldServiceNetwork } from './service-network.evolve';
import { admin, centreRegistered, engineerAdded, networkCommand, stationRegistered } from './testing/service-network.fixtures';
import { at } from '../testing/complaint.fixtures';

/*
 * Collisions found by trying to confuse the directory: one id for two people, an engineer at a
 * desk, two units of one name, a name that points at several units. Each is refused with what to
 * do instead, and nothing is recorded; an escalation never picks one of several candidates.
 */
const spec = deciderSpecification(serviceNetworkDecider);
const qualityRegistered: ServiceNetworkEvent = {
  type: 'ServiceUnitRegistered',
  data: { code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', regions: [], registeredAt: at(5), by: admin, reason: '质量投诉归口' },
};
const agentAdded: ServiceNetworkEvent = { type: 'AgentAdded', data: { agentId: 'li.na', name: '李娜', units: ['quality-dept'], addedAt: at(6), by: admin, reason: '新员工入职' } };
const addEngineer = (engineerId: string, station = 'dandong-station') => networkCommand('AddEngineer', { engineerId, name: '李工', station, skills: [], reason: 'hired' }, 7);
const addAgent = (agentId: string) => networkCommand('AddAgent', { agentId, name: '王工', units: ['quality-dept'], reason: '新员工入职' }, 7);
const registerUnit = (code: string, name: { 'zh-CN': string; en: string }) => networkCommand('RegisterServiceUnit', {
  code, kind: 'station', name, parent: 'cs-centre', regions: ['210700'], reason: 'new station',
}, 8);

describe('directory collisions', () => {
  describe('one id, one person', () => {
    it('refuses an engineer whose id is an agent\'s, and says to pick another id', () => {
      spec.given([centreRegistered, stationRegistered, qualityRegistered, agentAdded]).when(addEngineer('li.na'))
        .thenThrows(ServiceNetworkConflictError, (error) => {
          expect(error.code).toBe('person-id-taken');
          expect(error.message).toContain('agent li.na');
          expect(error.message).toContain('another id');
        });
    });

    it('refuses an agent whose id is an engineer\'s, also a deactivated one', () => {
      const deactivated: ServiceNetworkEvent = { type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: at(6), by: admin, reason: 'left' } };
      spec.given([centreRegistered, stationRegistered, qualityRegistered, engineerAdded]).when(addAgent('eng-wang'))
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error).toMatchObject({ code: 'person-id-taken', message: expect.stringContaining('engineer eng-wang') }));
      spec.given([centreRegistered, stationRegistered, qualityRegistered, engineerAdded, deactivated]).when(addAgent('eng-wang'))
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('person-id-taken'));
    });

    it('refuses an id that differs from a person\'s or a unit\'s only in case or width (an escalation reads ids that way)', () => {
      for (const [given, command, holder] of [
        [[centreRegistered, stationRegistered, qualityRegistered, agentAdded], addAgent('LI.NA'), 'agent li.na'],
        [[centreRegistered, stationRegistered, qualityRegistered, agentAdded], addEngineer('Li.Na'), 'agent li.na'],
        [[centreRegistered, stationRegistered, qualityRegistered, engineerAdded], addAgent('ENG-WANG'), 'engineer eng-wang'],
        [[centreRegistered, stationRegistered, qualityRegistered], addAgent('quality-dept'), 'unit quality-dept'],
        [[centreRegistered, stationRegistered, qualityRegistered], addEngineer('Quality-Dept'), 'unit quality-dept'],
      ] as const) {
        spec.given([...given]).when(command)
          .thenThrows(ServiceNetworkConflictError, (error) => expect(error).toMatchObject({ code: 'person-id-taken', message: expect.stringContaining(holder) }));
      }
    });

    it('still adds an engineer and an agent with ids of their own', () => {
      spec.given([centreRegistered, stationRegistered, qualityRegistered, agentAdded]).when(addEngineer('eng-li'))
        .thenProduces(([event]) => expect(event?.type).toBe('EngineerAdded'));
      spec.given([centreRegistered, stationRegistered, qualityRegistered, engineerAdded]).when(addAgent('wang.fang'))
        .thenProduces(([event]) => expect(event?.type).toBe('AgentAdded'));
    });
  });

  describe('engineers work at service units, not at departments', () => {
    it('refuses an engineer placed at a department, naming the stations', () => {
      spec.given([centreRegistered, stationRegistered, qualityRegistered]).when(addEngineer('eng-li', 'quality-dept'))
        .thenThrows(InvalidServiceNetworkCommandError, (error) => {
          expect(error).toMatchObject({ code: 'station-is-a-department', field: 'station' });
          expect(error.message).toContain('quality-dept is a department');
          expect(error.message).toContain('dandong-station');
        });
    });
  });

  describe('one name, one unit', () => {
    it('refuses a unit named as another, in either language and whatever the case or width', () => {
      for (const name of [
        { 'zh-CN': '丹东服务站', en: 'Dandong east' },
        { 'zh-CN': '丹东东站', en: 'DANDONG SERVICE STATION ' },
        { 'zh-CN': 'Dandong service station', en: 'Dandong east' },
      ]) {
        spec.given([centreRegistered, stationRegistered]).when(registerUnit('dandong-east', name))
          .thenThrows(ServiceNetworkConflictError, (error) => {
            expect(error.code).toBe('unit-name-taken');
            expect(error.message).toContain('dandong-station');
            expect(error.message).toContain('another name');
          });
      }
    });

    it('refuses a code that is another unit\'s name or code, whatever the case', () => {
      const opsx: ServiceNetworkEvent = { ...qualityRegistered, data: { ...qualityRegistered.data, code: 'dept-a', name: { 'zh-CN': '运营部', en: 'opsx' } } } as ServiceNetworkEvent;
      spec.given([centreRegistered, stationRegistered, opsx]).when(registerUnit('opsx', { 'zh-CN': '丹东东站', en: 'Dandong east' }))
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error).toMatchObject({ code: 'unit-name-taken', message: expect.stringContaining('dept-a') }));
      spec.given([centreRegistered, stationRegistered]).when(registerUnit('DANDONG-STATION', { 'zh-CN': '丹东东站', en: 'Dandong east' }))
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('unit-name-taken'));
      // Another dash reads the same.
      spec.given([centreRegistered, stationRegistered]).when(registerUnit('dandong-east', { 'zh-CN': '丹东东站', en: 'DANDONG\u2010STATION' }))
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('unit-name-taken'));
    });

    it('refuses a unit whose code or name reads as an agent\'s or an engineer\'s id, as the reverse is refused', () => {
      for (const [given, command, holder] of [
        [[centreRegistered, stationRegistered, qualityRegistered, agentAdded], registerUnit('li.na', { 'zh-CN': '丹东东站', en: 'Dandong east' }), 'agent li.na'],
        [[centreRegistered, stationRegistered, engineerAdded], registerUnit('Eng-Wang', { 'zh-CN': '丹东东站', en: 'Dandong east' }), 'engineer eng-wang'],
        [[centreRegistered, stationRegistered, qualityRegistered, agentAdded], registerUnit('dandong-east', { 'zh-CN': '丹东东站', en: 'LI.NA' }), 'agent li.na'],
        [[centreRegistered, stationRegistered, qualityRegistered, agentAdded], networkCommand('RenameServiceUnit', { code: 'dandong-station', name: { 'zh-CN': '丹东服务站', en: 'li.na' }, reason: 'test' }, 9), 'agent li.na'],
      ] as const) {
        spec.given([...given]).when(command)
          .thenThrows(ServiceNetworkConflictError, (error) => expect(error).toMatchObject({ code: 'unit-name-taken', message: expect.stringContaining(holder) }));
      }
    });

    it('refuses a name that looks the same as another: invisible characters and doubled spaces aside', () => {
      for (const en of ['Dandong\u200b service station', 'Dandong  service   station', '\ufeffDandong service station', 'Dandong service station\u200e',
        'Dandong\u034f service station', 'Dandong\u2063 service station', 'Dandong service station\u00a0\u200f']) {
        spec.given([centreRegistered, stationRegistered]).when(registerUnit('dandong-east', { 'zh-CN': '丹东东站', en }))
          .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('unit-name-taken'));
      }
    });

    it('refuses a name that is another unit\'s code', () => {
      spec.given([centreRegistered, stationRegistered]).when(registerUnit('dandong-east', { 'zh-CN': '丹东东站', en: 'dandong-station' }))
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('unit-name-taken'));
    });

    it('refuses a rename to another unit\'s name, but not to the unit\'s own other-language name', () => {
      spec.given([centreRegistered, stationRegistered]).when(networkCommand('RenameServiceUnit', { code: 'dandong-station', name: { 'zh-CN': '客服中心', en: 'Dandong' }, reason: 'test' }, 9))
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error).toMatchObject({ code: 'unit-name-taken', message: expect.stringContaining('cs-centre') }));
      spec.given([centreRegistered, stationRegistered]).when(networkCommand('RenameServiceUnit', { code: 'dandong-station', name: { 'zh-CN': '丹东服务站', en: '丹东服务站' }, reason: 'one name' }, 9))
        .thenProduces(([event]) => expect(event?.type).toBe('ServiceUnitRenamed'));
    });
  });

  describe('an escalation target that matches several', () => {
    // Recorded before names had to be unique: the history stays, and the escalation must not guess.
    const twin: ServiceNetworkEvent = {
      type: 'ServiceUnitRegistered',
      data: { code: 'dandong-2', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong station 2' }, parent: 'cs-centre', regions: ['210600'], registeredAt: at(3), by: admin, reason: 'legacy' },
    };
    const directory = foldServiceNetwork([centreRegistered, stationRegistered, twin, qualityRegistered, agentAdded]);

    it('refuses a name two units carry, listing both by code and name', () => {
      const refused = checkEscalationTarget(directory, '丹东服务站');
      expect(refused).toMatchObject({ ok: false, code: 'ambiguous-escalation-target', field: 'to' });
      expect(!refused.ok && refused.message).toContain('dandong-station (丹东服务站 / Dandong service station)');
      expect(!refused.ok && refused.message).toContain('dandong-2 (丹东服务站 / Dandong station 2)');
      expect(!refused.ok && refused.message).toContain('by its code');
      // Two units clash: renaming one of them is the lasting mend.
      expect(!refused.ok && refused.message).toContain('rename a unit');
    });

    it('refuses a name two agents share (agents\' names need not be unique), listing each by id and saying to escalate by agent id, not to rename a unit', () => {
      const namesake: ServiceNetworkEvent = { type: 'AgentAdded', data: { agentId: 'li.na.2', name: '李娜', units: ['quality-dept'], addedAt: at(7), by: admin, reason: '同名新员工' } };
      const refused = checkEscalationTarget(foldServiceNetwork([namesake], directory), '李娜');
      expect(refused).toMatchObject({ ok: false, code: 'ambiguous-escalation-target', field: 'to' });
      const message = !refused.ok ? refused.message : '';
      expect(message).toContain('agent li.na (李娜)');
      expect(message).toContain('agent li.na.2 (李娜)');
      expect(message).toMatch(/escalate by the agent's id/i);
      // Either id is the way out: the first is an example, not the one to use.
      expect(message).toMatch(/escalate by the agent's id \(e\.g\. "to": "li\.na"\)/);
      expect(message).not.toMatch(/rename/);
    });

    it('refuses a name that is a unit\'s and an agent\'s', () => {
      const namesake: ServiceNetworkEvent = { type: 'AgentAdded', data: { agentId: 'zhiliang', name: 'Quality department', units: ['quality-dept'], addedAt: at(7), by: admin, reason: 'x' } };
      const refused = checkEscalationTarget(foldServiceNetwork([namesake], directory), 'quality department');
      expect(refused).toMatchObject({ ok: false, code: 'ambiguous-escalation-target' });
      expect(!refused.ok && refused.message).toContain('quality-dept');
      expect(!refused.ok && refused.message).toContain('agent zhiliang');
      // One unit and one agent: the unit by its code, the agent by id; no unit's name clashes with another unit's.
      expect(!refused.ok && refused.message).toMatch(/the unit by its code.*the agent by id/);
      expect(!refused.ok && refused.message).not.toMatch(/rename/);
    });

    it('takes the agent whose id is given, though another agent is named as that id (found by an attacker: the advice to escalate by id was refused)', () => {
      const namedAsAnId: ServiceNetworkEvent = { type: 'AgentAdded', data: { agentId: 'zz.3', name: 'li.na', units: ['quality-dept'], addedAt: at(7), by: admin, reason: 'x' } };
      const withNamesake = foldServiceNetwork([namedAsAnId], directory);
      expect(checkEscalationTarget(withNamesake, 'li.na')).toEqual({ ok: true, agentId: 'li.na' });
      expect(checkEscalationTarget(withNamesake, 'LI.NA')).toEqual({ ok: true, agentId: 'li.na' });
      // The id is a deactivated agent's: refused as that, not handed to the agent who is only named so.
      const gone: ServiceNetworkEvent = { type: 'AgentDeactivated', data: { agentId: 'li.na', deactivatedAt: at(8), by: admin, reason: 'left' } };
      expect(checkEscalationTarget(foldServiceNetwork([gone], withNamesake), 'li.na')).toMatchObject({ ok: false, code: 'agent-inactive' });
    });

    it('refuses a name that is a unit\'s and two agents\', giving one agent\'s id as an example only', () => {
      const namesakes: ServiceNetworkEvent[] = ['zhiliang', 'zhiliang.2'].map((agentId) => ({ type: 'AgentAdded', data: { agentId, name: 'Quality department', units: ['quality-dept'], addedAt: at(7), by: admin, reason: 'x' } }));
      const refused = checkEscalationTarget(foldServiceNetwork(namesakes, directory), 'quality department');
      const message = !refused.ok ? refused.message : '';
      expect(message).toContain('agent zhiliang (Quality department); agent zhiliang.2 (Quality department)');
      expect(message).toMatch(/or to an agent by id \(e\.g\. "to": "zhiliang"\)/);
    });

    it('takes the unit whose code is given exactly, and a name only one unit has', () => {
      expect(checkEscalationTarget(directory, 'dandong-2')).toMatchObject({ ok: true, unit: { code: 'dandong-2' } });
      expect(checkEscalationTarget(directory, 'Dandong station 2')).toMatchObject({ ok: true, unit: { code: 'dandong-2' } });
    });
  });
});
