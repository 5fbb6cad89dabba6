import { deciderSpecification } from '@app/event-sourcing/testing';
import type { RegisterServiceUnit } from './service-network.commands';
import { serviceNetworkDecider } from './service-network.decider';
import {
  EngineerNotFoundError, InvalidServiceNetworkCommandError, ServiceNetworkConflictError, ServiceUnitNotFoundError,
} from './service-network.errors';
import type { ServiceNetworkEvent } from './service-network.events';
import { foldServiceNetwork } from './service-network.evolve';
import { activeEngineersOf, servicePointsFor } from './service-network.state';
import {
  admin, branchRegistered, centreRegistered, engineerAdded, network, networkCommand, networkHistory, stationRegistered,
} from './testing/service-network.fixtures';
import { at } from '../testing/complaint.fixtures';

const spec = deciderSpecification(serviceNetworkDecider);
const registerCentre = networkCommand('RegisterServiceUnit', {
  code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, regions: ['210000'], reason: '一个中心：统一管理',
});
const registerBranch = networkCommand('RegisterServiceUnit', {
  code: 'dalian-branch', kind: 'branch', name: { 'zh-CN': '大连分公司', en: 'Dalian branch' }, parent: 'cs-centre', regions: ['210200'], reason: 'branch office',
}, 1);
const registerStation = (overrides: Partial<RegisterServiceUnit['data']> = {}) => networkCommand('RegisterServiceUnit', {
  code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'],
  reason: 'station for Dandong', ...overrides,
}, 2);
const rename = networkCommand('RenameServiceUnit', { code: 'dandong-station', name: { 'zh-CN': '丹东服务中心站', en: 'Dandong service hub' }, reason: 'upgraded' }, 50);
const changeRegions = networkCommand('ChangeServiceUnitRegions', { code: 'dandong-station', regions: ['210600', '211200'], reason: 'took over Tieling' }, 60);
const addEngineer = networkCommand('AddEngineer', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['pump', 'dispenser'], reason: 'hired' }, 3);
const deactivate = networkCommand('DeactivateEngineer', { engineerId: 'eng-wang', reason: 'left the company' }, 70);

describe('service network decider', () => {
  describe('registering units', () => {
    it('registers the centre, which reports to no one', () => {
      spec.given([]).when(registerCentre).then([centreRegistered]);
    });

    it('registers a branch under the centre', () => {
      spec.given([centreRegistered]).when(registerBranch).then([branchRegistered]);
    });

    it('registers a station under the centre', () => {
      spec.given([centreRegistered]).when(registerStation()).then([stationRegistered]);
    });

    it('registers a station under a branch, keeping each region once', () => {
      spec.given([centreRegistered, branchRegistered]).when(registerStation({ code: 'wafangdian', parent: 'dalian-branch', regions: ['210281', '210281', '210283'] }))
        .thenProduces(([event]) => expect(event?.type === 'ServiceUnitRegistered' && event.data).toMatchObject({ parent: 'dalian-branch', regions: ['210281', '210283'] }));
    });

    it('refuses a code registered before', () => {
      spec.given([centreRegistered, stationRegistered]).when(registerStation()).thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('unit-already-registered'));
    });

    it('refuses a second centre', () => {
      spec.given([centreRegistered]).when({ ...registerCentre, data: { ...registerCentre.data, code: 'other-centre' } })
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('centre-already-registered'));
    });

    it('refuses a parent for the centre', () => {
      spec.given([]).when({ ...registerCentre, data: { ...registerCentre.data, parent: 'x' } })
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error).toMatchObject({ code: 'parent-not-allowed', field: 'parent' }));
    });

    it('refuses a branch or station with no parent, or with one that does not exist', () => {
      spec.given([centreRegistered]).when(registerStation({ parent: undefined })).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('parent-required'));
      spec.given([centreRegistered]).when(registerStation({ parent: 'nowhere' })).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('unknown-parent'));
    });

    it('refuses a branch under a branch and a station under a station', () => {
      spec.given([centreRegistered, branchRegistered]).when({ ...registerBranch, data: { ...registerBranch.data, code: 'anshan-branch', parent: 'dalian-branch' } })
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('invalid-parent'));
      spec.given([centreRegistered, stationRegistered]).when(registerStation({ code: 'benxi-station', parent: 'dandong-station' }))
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('invalid-parent'));
    });

    it('refuses a station that serves no region', () => {
      spec.given([centreRegistered]).when(registerStation({ regions: [] })).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('regions-required'));
    });

    it.each(['dandong station', 'ops:north', '', '-x'])('refuses a code that is not plain (%p)', (code) => {
      spec.given([centreRegistered]).when(registerStation({ code })).thenThrows(InvalidServiceNetworkCommandError, (error) => {
        expect(error).toMatchObject({ code: 'invalid-code', field: 'code' });
        expect(error.message).toMatch(/letters, digits/);
      });
    });

    it('refuses a region that is not a plain code, naming its place in the list', () => {
      spec.given([centreRegistered]).when(registerStation({ regions: ['210600', 'Dan dong'] }))
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-region', field: 'regions[1]' }));
    });

    it.each([{ 'zh-CN': '', en: 'Dandong' }, { 'zh-CN': '丹东服务站', en: '  ' }, { 'zh-CN': '\u200b\u3164', en: 'Dandong' }])('refuses a name missing a language (%o)', (name) => {
      spec.given([centreRegistered]).when(registerStation({ name })).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('name-required'));
    });

    it('refuses a change with no reason', () => {
      spec.given([centreRegistered]).when(registerStation({ reason: ' ' })).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error).toMatchObject({ code: 'reason-required', field: 'reason' }));
    });

    it('refuses a reason of invisible characters only (as a command without HTTP may bring)', () => {
      spec.given([centreRegistered]).when(registerStation({ reason: '\u200b\u2060\u3164' }))
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error).toMatchObject({ code: 'reason-required', field: 'reason', message: expect.stringContaining('invisible characters') }));
    });
  });

  describe('changing a unit', () => {
    it('renames it, keeping the previous name in the event', () => {
      spec.given(networkHistory).when(rename).then([{
        type: 'ServiceUnitRenamed',
        data: {
          code: 'dandong-station', name: { 'zh-CN': '丹东服务中心站', en: 'Dandong service hub' }, previousName: { 'zh-CN': '丹东服务站', en: 'Dandong service station' },
          renamedAt: at(50), by: admin, reason: 'upgraded',
        },
      }]);
    });

    it('changes its regions', () => {
      spec.given(networkHistory).when(changeRegions).then([{
        type: 'ServiceUnitRegionsChanged',
        data: { code: 'dandong-station', regions: ['210600', '211200'], previousRegions: ['210600'], changedAt: at(60), by: admin, reason: 'took over Tieling' },
      }]);
    });

    it.each([rename, changeRegions])('refuses $type for a unit that does not exist', (command) => {
      spec.given([centreRegistered]).when(command).thenThrows(ServiceUnitNotFoundError, (error) => expect(error).toMatchObject({ unitCode: 'dandong-station', kind: 'not-found' }));
    });

    it('refuses a change that changes nothing (the same name, the same regions in another order)', () => {
      spec.given(networkHistory).when({ ...rename, data: { ...rename.data, name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' } } })
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('no-change'));
      const twoRegions: ServiceNetworkEvent = { type: 'ServiceUnitRegionsChanged', data: { ...(changeRegions.data), code: 'dandong-station', previousRegions: ['210600'], changedAt: at(60), by: admin } };
      spec.given([...networkHistory, twoRegions]).when({ ...changeRegions, data: { ...changeRegions.data, regions: ['211200', '210600'] } })
        .thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('no-change'));
    });

    it('refuses to leave a station with no region', () => {
      spec.given(networkHistory).when({ ...changeRegions, data: { ...changeRegions.data, regions: [] } })
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('regions-required'));
    });

    it.each([rename, changeRegions])('refuses $type with no reason', (command) => {
      spec.given(networkHistory).when({ ...command, data: { ...command.data, reason: '' } } as typeof command)
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('reason-required'));
    });
  });

  describe('engineers', () => {
    it('adds an engineer to a station', () => {
      spec.given([centreRegistered, branchRegistered, stationRegistered]).when(addEngineer).then([engineerAdded]);
    });

    it('refuses an id already in the directory, even an inactive one', () => {
      const deactivated: ServiceNetworkEvent = { type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: at(70), by: admin, reason: 'left' } };
      spec.given([...networkHistory, deactivated]).when(addEngineer).thenThrows(ServiceNetworkConflictError, (error) => {
        expect(error.code).toBe('engineer-already-added');
        // The refusal says why and what to do: a deactivated id is never given to anyone again.
        expect(error.message).toBe(`Engineer eng-wang was deactivated at ${at(70)}, and an id is never reused (its history stays one person's): add them under a new id, e.g. eng-wang-2.`);
      });
      spec.given(networkHistory).when(addEngineer).thenThrows(ServiceNetworkConflictError, (error) => expect(error.message).toMatch(/is already in the directory \(GET \/service-network/));
    });

    it('refuses an engineer at a unit that does not exist', () => {
      spec.given([centreRegistered]).when(addEngineer).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error).toMatchObject({ code: 'unknown-station', field: 'station', kind: 'invalid' }));
    });

    it('adds an engineer at the station a code names whatever its letter case or width, as dispatch reads it, recording the directory\'s code', () => {
      for (const station of ['DANDONG-STATION', 'Dandong-Station', 'ｄａｎｄｏｎｇ－ｓｔａｔｉｏｎ']) {
        spec.given([centreRegistered, branchRegistered, stationRegistered]).when({ ...addEngineer, data: { ...addEngineer.data, station } }).then([engineerAdded]);
      }
    });

    it('names the close match when a station code is misspelt', () => {
      spec.given([centreRegistered, branchRegistered, stationRegistered]).when({ ...addEngineer, data: { ...addEngineer.data, station: 'dandong-statoin' } })
        .thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.message).toBe('No service unit with code dandong-statoin (did you mean dandong-station?); register it first, or GET /service-network lists the units.'));
    });

    it('refuses an engineer with no name, an id or a skill that is not a plain code', () => {
      const given = [centreRegistered, stationRegistered];
      spec.given(given).when({ ...addEngineer, data: { ...addEngineer.data, name: ' ' } }).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('name-required'));
      spec.given(given).when({ ...addEngineer, data: { ...addEngineer.data, engineerId: 'wang gong' } }).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-code', field: 'engineerId' }));
      spec.given(given).when({ ...addEngineer, data: { ...addEngineer.data, skills: ['pump', 'high voltage'] } }).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-skill', field: 'skills[1]' }));
      spec.given(given).when({ ...addEngineer, data: { ...addEngineer.data, reason: '' } }).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('reason-required'));
    });

    it('deactivates an engineer', () => {
      spec.given(networkHistory).when(deactivate).then([{
        type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: at(70), by: admin, reason: 'left the company' },
      }]);
    });

    it('deactivates the engineer an id names whatever its letter case or width, under the directory\'s id', () => {
      for (const engineerId of ['ENG-WANG', 'Eng-Wang', 'ｅｎｇ－ｗａｎｇ']) {
        spec.given(networkHistory).when({ ...deactivate, data: { ...deactivate.data, engineerId } })
          .thenProduces(([event]) => expect(event).toMatchObject({ type: 'EngineerDeactivated', data: { engineerId: 'eng-wang' } }));
      }
    });

    it('refuses to deactivate an engineer who does not exist or is already inactive', () => {
      spec.given([centreRegistered]).when(deactivate).thenThrows(EngineerNotFoundError, (error) => expect(error.engineerId).toBe('eng-wang'));
      spec.given(networkHistory).when(deactivate).thenProduces((events) => {
        spec.given([...networkHistory, ...events]).when(deactivate).thenThrows(ServiceNetworkConflictError, (error) => expect(error.code).toBe('engineer-inactive'));
      });
    });

    it('refuses a deactivation with no reason', () => {
      spec.given(networkHistory).when({ ...deactivate, data: { ...deactivate.data, reason: '' } }).thenThrows(InvalidServiceNetworkCommandError, (error) => expect(error.code).toBe('reason-required'));
    });
  });
});

describe('service network directory', () => {
  it('folds the history into units and engineers', () => {
    expect(network.units.get('dandong-station')).toMatchObject({ kind: 'station', parent: 'cs-centre', regions: ['210600'] });
    expect(network.engineers.get('eng-wang')).toMatchObject({ station: 'dandong-station', active: true, deactivatedAt: null });
  });

  it('suggests the service points of a region, stations first, never the centre', () => {
    const overlap: ServiceNetworkEvent = { type: 'ServiceUnitRegionsChanged', data: { code: 'dalian-branch', regions: ['210200', '210600'], previousRegions: ['210200'], changedAt: at(9), by: admin, reason: 'r' } };
    const directory = foldServiceNetwork([...networkHistory, overlap]);
    expect(servicePointsFor(directory, '210600').map((unit) => unit.code)).toEqual(['dandong-station', 'dalian-branch']);
    expect(servicePointsFor(directory, '210000')).toEqual([]);
  });

  it('lists the active engineers of a unit', () => {
    const deactivated: ServiceNetworkEvent = { type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: at(70), by: admin, reason: 'left' } };
    expect(activeEngineersOf(network, 'dandong-station').map((engineer) => engineer.id)).toEqual(['eng-wang']);
    expect(activeEngineersOf(foldServiceNetwork([...networkHistory, deactivated]), 'dandong-station')).toEqual([]);
    expect(activeEngineersOf(network, 'dalian-branch').map((engineer) => engineer.name)).toEqual(['刘工']);
  });

  it('never throws on history it cannot place', () => {
    const orphan: ServiceNetworkEvent = { type: 'ServiceUnitRenamed', data: { code: 'gone', name: { 'zh-CN': 'x', en: 'x' }, previousName: { 'zh-CN': 'y', en: 'y' }, renamedAt: at(1), by: admin, reason: 'r' } };
    expect(foldServiceNetwork([orphan]).units.size).toBe(0);
  });
});
