import { serviceNetworkDecisionWords } from './service-network.decision-words';
import type { ServiceNetworkEvent } from './service-network.events';
import { SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, upcastServiceNetworkEvent } from './service-network.upcasters';
import { admin, branchRegistered, centreRegistered, engineerAdded } from './testing/service-network.fixtures';
import { at } from '../testing/complaint.fixtures';

const examples: Record<ServiceNetworkEvent['type'], ServiceNetworkEvent> = {
  ServiceUnitRegistered: branchRegistered,
  ServiceUnitRenamed: {
    type: 'ServiceUnitRenamed',
    data: { code: 'dalian-branch', name: { 'zh-CN': '大连分中心', en: 'Dalian hub' }, previousName: { 'zh-CN': '大连分公司', en: 'Dalian branch' }, renamedAt: at(9), by: admin, reason: '机构调整' },
  },
  ServiceUnitRegionsChanged: {
    type: 'ServiceUnitRegionsChanged', data: { code: 'dalian-branch', regions: ['210200', '210800'], previousRegions: ['210200'], changedAt: at(9), by: admin, reason: '接管营口' },
  },
  EngineerAdded: engineerAdded,
  EngineerDeactivated: { type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: at(9), by: admin, reason: '离职' } },
  AgentAdded: { type: 'AgentAdded', data: { agentId: 'li.na', name: '李娜', units: ['quality-dept', 'dandong-station'], addedAt: at(9), by: admin, reason: '新员工入职' } },
  AgentDeactivated: { type: 'AgentDeactivated', data: { agentId: 'li.na', deactivatedAt: at(10), by: admin, reason: '调岗' } },
};

describe('service network decision words', () => {
  it.each(Object.values(examples))('says $type in Chinese and English, with its reason', (event) => {
    const words = serviceNetworkDecisionWords(event);
    expect(words['zh-CN']).toContain(event.data.reason);
    expect(words.en).toContain(event.data.reason);
    expect(words['zh-CN']).not.toBe(words.en);
  });

  it('names the unit, its kind, its parent and its regions', () => {
    expect(serviceNetworkDecisionWords(branchRegistered)).toEqual({
      'zh-CN': '登记分支机构 大连分公司（dalian-branch），隶属 cs-centre，服务区域：210200。原因：branch office',
      en: 'Registered branch Dalian branch (dalian-branch) under cs-centre, serving 210200. Reason: branch office',
    });
    expect(serviceNetworkDecisionWords(centreRegistered).en).toMatch(/^Registered customer service centre Customer service centre \(cs-centre\), serving 210000/);
    expect(serviceNetworkDecisionWords(examples.ServiceUnitRegionsChanged)['zh-CN']).toContain('210200 → 210200、210800');
    expect(serviceNetworkDecisionWords(examples.AgentAdded)).toEqual({
      'zh-CN': '新增坐席 李娜（li.na），所属 quality-dept、dandong-station。原因：新员工入职',
      en: 'Added agent 李娜 (li.na) for quality-dept, dandong-station. Reason: 新员工入职',
    });
  });
});

describe('service network event versions', () => {
  it('writes every event type as schema v1 and reads it back unchanged', () => {
    expect(Object.keys(SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS).sort()).toEqual(Object.keys(examples).sort());
    for (const event of Object.values(examples)) {
      const stored = JSON.parse(JSON.stringify(event)) as { type: string; data: Record<string, unknown> };
      expect(upcastServiceNetworkEvent(stored.type, stored.data, () => { throw new Error('a v1 type needs no version'); })).toEqual(event);
    }
  });
});
