import { deciderSpecification } from '@app/event-sourcing/testing';
import { checkAssignee, checkDepartment } from './directory';
import { serviceNetworkDecider } from './service-network.decider';
import { InvalidServiceNetworkCommandError } from './service-network.errors';
import type { ServiceNetworkEvent } from './service-network.events';
import { foldServiceNetwork } from './service-network.evolve';
import { admin, centreRegistered, networkCommand, stationRegistered } from './testing/service-network.fixtures';
import { at } from '../testing/complaint.fixtures';

/*
 * The statistics file what has no department, handler, station or engineer yet under the word
 * `unassigned` (read models: UNASSIGNED, UNDISPATCHED). A unit or person of that code would have its
 * figures merged with that row, so the directory refuses the word, in any letter case (codes and ids
 * are compared case aside), and writes nothing; history already recorded stays as it is.
 */
const spec = deciderSpecification(serviceNetworkDecider);
const qualityRegistered: ServiceNetworkEvent = {
  type: 'ServiceUnitRegistered',
  data: { code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', regions: [], registeredAt: at(5), by: admin, reason: '质量投诉归口' },
};
const registerUnit = (code: string, kind: 'station' | 'department' = 'station') => networkCommand('RegisterServiceUnit', {
  code, kind, name: { 'zh-CN': '待定站', en: 'Pending station' }, parent: 'cs-centre', regions: kind === 'station' ? ['210700'] : [], reason: 'new unit',
}, 8);
const addEngineer = (engineerId: string) => networkCommand('AddEngineer', { engineerId, name: '李工', station: 'dandong-station', skills: [], reason: 'hired' }, 7);
const addAgent = (agentId: string) => networkCommand('AddAgent', { agentId, name: '王工', units: ['quality-dept'], reason: '新员工入职' }, 7);

const reservedRefusal = (field: string) => (error: InvalidServiceNetworkCommandError) => {
  expect(error).toMatchObject({ code: 'reserved-code', field });
  expect(error.message).toMatch(/reserved/);
  expect(error.message).toMatch(/not yet assigned/);
  expect(error.message).toMatch(/another/);
};

describe('the word the statistics use for "not yet assigned"', () => {
  it.each(['unassigned', 'Unassigned', 'UNASSIGNED'])('refuses a unit of code %p, saying the word is reserved and to pick another', (code) => {
    spec.given([centreRegistered]).when(registerUnit(code)).thenThrows(InvalidServiceNetworkCommandError, reservedRefusal('code'));
    spec.given([centreRegistered]).when(registerUnit(code, 'department')).thenThrows(InvalidServiceNetworkCommandError, reservedRefusal('code'));
  });

  it.each(['unassigned', 'Unassigned'])('refuses an engineer of id %p', (engineerId) => {
    spec.given([centreRegistered, stationRegistered]).when(addEngineer(engineerId)).thenThrows(InvalidServiceNetworkCommandError, reservedRefusal('engineerId'));
    // A person's id, not a unit's code: the advice was "pick another code, e.g. unassigned-desk".
    spec.given([centreRegistered, stationRegistered]).when(addEngineer(engineerId)).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.message).toMatch(/give the person another id/));
  });

  it.each(['unassigned', 'UnAssigned'])('refuses an agent of id %p', (agentId) => {
    spec.given([centreRegistered, qualityRegistered]).when(addAgent(agentId)).thenThrows(InvalidServiceNetworkCommandError, reservedRefusal('agentId'));
  });

  it('still takes codes and ids that only contain the word', () => {
    spec.given([centreRegistered]).when(registerUnit('unassigned-desk'))
      .thenProduces(([event]) => expect(event?.type === 'ServiceUnitRegistered' && event.data.code).toBe('unassigned-desk'));
    spec.given([centreRegistered, stationRegistered]).when(addEngineer('eng-unassigned'))
      .thenProduces(([event]) => expect(event?.type === 'EngineerAdded' && event.data.engineerId).toBe('eng-unassigned'));
  });

  it('says the word is reserved when an assignment or a token scope names it, once the directory is in use (not that no unit has it)', () => {
    const directory = foldServiceNetwork([centreRegistered, qualityRegistered]);
    for (const department of ['unassigned', 'Unassigned']) {
      expect(checkDepartment(directory, department, 'departments[0]')).toMatchObject({ ok: false, code: 'reserved-code', field: 'departments[0]', message: expect.stringMatching(/reserved for "not yet assigned"/) });
    }
    expect(checkAssignee(directory, 'quality-dept', 'UNASSIGNED')).toMatchObject({ ok: false, code: 'reserved-code', field: 'assignee', message: expect.stringMatching(/reserved for "not yet assigned"/) });
  });
});
