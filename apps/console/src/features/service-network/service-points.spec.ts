import { describe, expect, it } from '@jest/globals';
import type { Engineer, ServiceUnit } from '../dispatch/api';
import { servicePoints } from './service-points';

const unit = (code: string, kind: ServiceUnit['kind'], parent: string | null): ServiceUnit => ({ code, kind, parent, name: { 'zh-CN': code, en: code }, regions: [] });
const engineer = (id: string, station: string, active = true): Engineer => ({ id, name: id, station, active, deactivatedAt: active ? null : '2026-03-01T00:00:00.000Z' });

describe('the service points of the service-network screen', () => {
  it('lists the centre, each branch followed by its stations, then the stations under the centre, and no department', () => {
    const units = [
      unit('cs-centre', 'centre', null),
      unit('dandong-station', 'station', 'cs-centre'),
      unit('quality-dept', 'department', 'cs-centre'),
      unit('dalian-branch', 'branch', 'cs-centre'),
      unit('zhuanghe-station', 'station', 'dalian-branch'),
      unit('billing-dept', 'department', 'dalian-branch'),
    ];
    expect(servicePoints(units, []).map((point) => point.unit.code)).toEqual(['cs-centre', 'dalian-branch', 'zhuanghe-station', 'dandong-station']);
  });

  it('gives each point its engineers, active or not, in the order they were added', () => {
    const units = [unit('cs-centre', 'centre', null), unit('dandong-station', 'station', 'cs-centre')];
    const engineers = [engineer('eng-wang', 'dandong-station'), engineer('eng-lin', 'cs-centre'), engineer('eng-zhou', 'dandong-station', false)];
    expect(servicePoints(units, engineers).map((point) => [point.unit.code, point.engineers.map((one) => one.id)]))
      .toEqual([['cs-centre', ['eng-lin']], ['dandong-station', ['eng-wang', 'eng-zhou']]]);
  });

  it('keeps a unit whose parent the directory does not list, last, rather than leave it out', () => {
    const units = [unit('lost-station', 'station', 'gone-branch'), unit('cs-centre', 'centre', null)];
    expect(servicePoints(units, []).map((point) => point.unit.code)).toEqual(['cs-centre', 'lost-station']);
  });
});
