import { afterSalesLabel } from '../after-sales-taxonomy';
import { assertNever } from '../assert-never';
import type { Words } from '../decision-words';
import type { ServiceNetworkEvent } from './service-network.events';

const regionList = (regions: readonly string[], separator: string): string => (regions.length === 0 ? '—' : regions.join(separator));

/** The decision a service-network event records, in plain words, for auditors. */
export function serviceNetworkDecisionWords(event: ServiceNetworkEvent): Words {
  switch (event.type) {
    case 'ServiceUnitRegistered': {
      const { code, kind, name, parent, regions, reason } = event.data;
      const kindLabel = afterSalesLabel('serviceUnitKind', kind);
      return {
        'zh-CN': `登记${kindLabel['zh-CN']} ${name['zh-CN']}（${code}）${parent ? `，隶属 ${parent}` : ''}，服务区域：${regionList(regions, '、')}。原因：${reason}`,
        en: `Registered ${kindLabel.en.toLowerCase()} ${name.en} (${code})${parent ? ` under ${parent}` : ''}, serving ${regionList(regions, ', ')}. Reason: ${reason}`,
      };
    }
    case 'ServiceUnitRenamed': {
      const { code, name, previousName, reason } = event.data;
      return {
        'zh-CN': `${code} 更名：${previousName['zh-CN']} → ${name['zh-CN']}。原因：${reason}`,
        en: `Renamed ${code}: ${previousName.en} → ${name.en}. Reason: ${reason}`,
      };
    }
    case 'ServiceUnitRegionsChanged': {
      const { code, regions, previousRegions, reason } = event.data;
      return {
        'zh-CN': `${code} 服务区域变更：${regionList(previousRegions, '、')} → ${regionList(regions, '、')}。原因：${reason}`,
        en: `Changed the regions of ${code}: ${regionList(previousRegions, ', ')} → ${regionList(regions, ', ')}. Reason: ${reason}`,
      };
    }
    case 'EngineerAdded': {
      const { engineerId, name, station, skills, reason } = event.data;
      return {
        'zh-CN': `新增工程师 ${name}（${engineerId}），所属 ${station}，技能：${regionList(skills, '、')}。原因：${reason}`,
        en: `Added engineer ${name} (${engineerId}) at ${station}, skills ${regionList(skills, ', ')}. Reason: ${reason}`,
      };
    }
    case 'EngineerDeactivated':
      return {
        'zh-CN': `停用工程师 ${event.data.engineerId}（${event.data.station}）。原因：${event.data.reason}`,
        en: `Deactivated engineer ${event.data.engineerId} (${event.data.station}). Reason: ${event.data.reason}`,
      };
    case 'AgentAdded': {
      const { agentId, name, units, reason } = event.data;
      return {
        'zh-CN': `新增坐席 ${name}（${agentId}），所属 ${regionList(units, '、')}。原因：${reason}`,
        en: `Added agent ${name} (${agentId}) for ${regionList(units, ', ')}. Reason: ${reason}`,
      };
    }
    case 'AgentDeactivated':
      return {
        'zh-CN': `停用坐席 ${event.data.agentId}。原因：${event.data.reason}`,
        en: `Deactivated agent ${event.data.agentId}. Reason: ${event.data.reason}`,
      };
    default:
      return assertNever(event);
  }
}
