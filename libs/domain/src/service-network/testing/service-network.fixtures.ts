import type { Actor } from '../../principal';
import { at } from '../../testing/complaint.fixtures';
import type { ServiceNetworkCommand } from '../service-network.commands';
import type { ServiceNetworkEvent } from '../service-network.events';
import { foldServiceNetwork } from '../service-network.evolve';

/** Seed 002's network in miniature: the centre, the Dalian branch, the Dandong station, one engineer. Same clock as the complaint fixtures. */
export const admin: Actor = { id: 'admin-zhao', role: 'admin' };

type CommandOf<T extends ServiceNetworkCommand['type']> = Extract<ServiceNetworkCommand, { type: T }>;
export function networkCommand<T extends ServiceNetworkCommand['type']>(type: T, data: CommandOf<T>['data'], minutes = 0, actor: Actor = admin): CommandOf<T> {
  return { type, at: at(minutes), actor, data } as CommandOf<T>;
}

export const centreRegistered: ServiceNetworkEvent = {
  type: 'ServiceUnitRegistered',
  data: {
    code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, parent: null, regions: ['210000'],
    registeredAt: at(0), by: admin, reason: '一个中心：统一管理',
  },
};
export const branchRegistered: ServiceNetworkEvent = {
  type: 'ServiceUnitRegistered',
  data: {
    code: 'dalian-branch', kind: 'branch', name: { 'zh-CN': '大连分公司', en: 'Dalian branch' }, parent: 'cs-centre', regions: ['210200'],
    registeredAt: at(1), by: admin, reason: 'branch office',
  },
};
export const stationRegistered: ServiceNetworkEvent = {
  type: 'ServiceUnitRegistered',
  data: {
    code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'],
    registeredAt: at(2), by: admin, reason: 'station for Dandong',
  },
};
export const engineerAdded: ServiceNetworkEvent = {
  type: 'EngineerAdded',
  data: { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['pump', 'dispenser'], addedAt: at(3), by: admin, reason: 'hired' },
};
export const secondEngineerAdded: ServiceNetworkEvent = {
  type: 'EngineerAdded',
  data: { engineerId: 'eng-liu', name: '刘工', station: 'dalian-branch', skills: ['electrical'], addedAt: at(4), by: admin, reason: 'hired' },
};

export const networkHistory: ServiceNetworkEvent[] = [centreRegistered, branchRegistered, stationRegistered, engineerAdded, secondEngineerAdded];
export const network = foldServiceNetwork(networkHistory);
