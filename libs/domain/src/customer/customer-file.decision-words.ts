import { assertNever } from '../assert-never';
import { taxonomyLabel, type Words } from '../decision-words';
import { SECTION_OF_EVENT, type CustomerFileEvent, type CustomerFileSectionUpdated } from './customer-file.events';
import type { SectionName, Volume } from './customer-file.sections';
import { customerFileLabel, type CustomerFileTaxonomyName } from './customer-file.taxonomy';

/*
 * The decision each event records, in plain words, for the audit trail. They never quote a
 * personal value, only name the personal fields that changed: the words are shown to auditors, and
 * they must read the same before and after the customer's personal data are erased.
 */

const SECTION_WORDS: Readonly<Record<SectionName, Words>> = {
  basics: { 'zh-CN': '基本情况', en: 'basic facts' },
  consumption: { 'zh-CN': '用油需求情况', en: 'consumption profile' },
  contract: { 'zh-CN': '供油合同情况', en: 'supply contract' },
  facilities: { 'zh-CN': '储运设施情况', en: 'storage and transport facilities' },
  otherChannels: { 'zh-CN': '其他渠道进货情况', en: 'purchases from other channels' },
  importance: { 'zh-CN': '重要程度', en: 'importance' },
  segments: { 'zh-CN': '客户细分', en: 'segments' },
};

const FIELD_WORDS: Readonly<Record<string, Words>> = {
  customerType: { 'zh-CN': '客户类型', en: 'customer type' },
  creditRating: { 'zh-CN': '信用等级', en: 'credit rating' },
  name: { 'zh-CN': '名称', en: 'name' },
  address: { 'zh-CN': '详细地址', en: 'address' },
  monthlyVolume: { 'zh-CN': '月消费量', en: 'monthly volume' },
  refuellingCycleDays: { 'zh-CN': '加油周期', en: 'refuelling cycle' },
  habits: { 'zh-CN': '加油习惯', en: 'habits' },
  qualityRequirements: { 'zh-CN': '油品质量要求', en: 'quality requirements' },
  meteringRequirements: { 'zh-CN': '计量要求', en: 'metering requirements' },
  otherNeeds: { 'zh-CN': '其他业务需求', en: 'other needs' },
  signed: { 'zh-CN': '是否签订', en: 'signed' },
  signedOn: { 'zh-CN': '签订日期', en: 'signing day' },
  validFrom: { 'zh-CN': '合同起始日', en: 'start of term' },
  validUntil: { 'zh-CN': '合同到期日', en: 'end of term' },
  renewalConditions: { 'zh-CN': '续约条件', en: 'renewal conditions' },
  storageTanks: { 'zh-CN': '储油罐', en: 'storage tanks' },
  storageCapacity: { 'zh-CN': '储存能力', en: 'storage capacity' },
  tankerVehicles: { 'zh-CN': '运油车辆', en: 'tanker vehicles' },
  description: { 'zh-CN': '设施说明', en: 'description' },
  channels: { 'zh-CN': '其他进货渠道', en: 'other sellers' },
  key: { 'zh-CN': '重点客户', en: 'key customer' },
  level: { 'zh-CN': '重要等级', en: 'importance level' },
  consumerKind: { 'zh-CN': '消费主体性质', en: 'consumer kind' },
  usage: { 'zh-CN': '用油类别', en: 'usage' },
  driverType: { 'zh-CN': '顾客类型', en: 'driver type' },
  locality: { 'zh-CN': '地域', en: 'locality' },
  settlement: { 'zh-CN': '结算方式', en: 'settlement' },
  role: { 'zh-CN': '职务', en: 'role' },
  phone: { 'zh-CN': '电话', en: 'phone' },
  email: { 'zh-CN': '电子邮件', en: 'e-mail' },
};

/** Fields whose values are codes of a table. */
const CODE_FIELDS: Readonly<Record<string, CustomerFileTaxonomyName>> = {
  customerType: 'customerType',
  creditRating: 'creditRating',
  level: 'importanceLevel',
  consumerKind: 'consumerKind',
  usage: 'usage',
  driverType: 'driverType',
  locality: 'locality',
  settlement: 'settlement',
};

const both = (zh: string, en: string): Words => ({ 'zh-CN': zh, en });
const fieldWords = (field: string): Words => FIELD_WORDS[field] ?? both(field, field);
const volumeWords = (volume: Volume): Words => {
  const unit = customerFileLabel('volumeUnit', volume.unit);
  return both(`${volume.amount} ${unit['zh-CN']}`, `${volume.amount} ${unit.en}`);
};

/** A clear value as words; free text is named, not quoted. */
function valueWords(field: string, value: unknown): Words | null {
  if (value === null) return both('（清空）', '(cleared)');
  const table = CODE_FIELDS[field];
  if (table !== undefined && typeof value === 'string') return customerFileLabel(table, value);
  if (typeof value === 'boolean') return both(value ? '是' : '否', value ? 'yes' : 'no');
  if (field === 'refuellingCycleDays' && typeof value === 'number') return both(`${value} 天`, `${value} days`);
  if (typeof value === 'number') return both(String(value), String(value));
  if (Array.isArray(value)) return both(`${value.length} 个`, String(value.length));
  if (typeof value === 'object' && 'amount' in value) return volumeWords(value as Volume);
  if (field === 'renewalConditions') return null;
  return typeof value === 'string' ? both(value, value) : null;
}

function sectionWords(event: CustomerFileSectionUpdated): Words {
  const section = SECTION_WORDS[SECTION_OF_EVENT[event.type]];
  const changes = event.data.changes as Readonly<Record<string, unknown>>;
  const clear: Words[] = [];
  const personal: Words[] = [];
  for (const field of event.data.changed as readonly string[]) {
    const label = fieldWords(field);
    if (!(field in changes)) {
      personal.push(label);
      continue;
    }
    const value = valueWords(field, changes[field]);
    clear.push(value === null ? label : both(`${label['zh-CN']} → ${value['zh-CN']}`, `${label.en} → ${value.en}`));
  }
  const parts = (language: keyof Words) => [
    ...(clear.length > 0 ? [clear.map((words) => words[language]).join(language === 'en' ? ', ' : '、')] : []),
    ...(personal.length > 0 ? [`${personal.map((words) => words[language]).join(language === 'en' ? ', ' : '、')}${language === 'en' ? ' (personal data)' : '（个人信息）'}`] : []),
  ].join(language === 'en' ? '; ' : '；');
  const amended = event.type === 'CustomerFileContractUpdated' && event.data.amendedOn !== null ? event.data.amendedOn : null;
  return {
    'zh-CN': `更新${section['zh-CN']}（${parts('zh-CN')}）${amended ? `，合同变更于 ${amended}` : ''}：${event.data.reason}`,
    en: `Updated the ${section.en} (${parts('en')})${amended ? `; the contract was amended on ${amended}` : ''}: ${event.data.reason}`,
  };
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

export function customerFileDecisionWords(event: CustomerFileEvent): Words {
  switch (event.type) {
    case 'CustomerFileOpened': {
      const category = customerFileLabel('category', event.data.category);
      if (event.data.workOrderId !== undefined) {
        return {
          'zh-CN': `受理报修 ${event.data.workOrderId} 时建立客户档案（${category['zh-CN']}）`,
          en: `Opened the customer file at the report of repair ${event.data.workOrderId} (${category.en})`,
        };
      }
      if (event.data.complaintId !== null) {
        return {
          'zh-CN': `受理投诉 ${event.data.complaintId} 时建立客户档案（${category['zh-CN']}）`,
          en: `Opened the customer file at the intake of complaint ${event.data.complaintId} (${category.en})`,
        };
      }
      return { 'zh-CN': `建立客户档案（${category['zh-CN']}）：${event.data.reason ?? ''}`, en: `Opened the customer file (${category.en}): ${event.data.reason ?? ''}` };
    }
    case 'CustomerFileNotificationOptOutChanged': {
      const channel = event.data.channel === 'all' ? { 'zh-CN': '全部渠道', en: 'every channel' } : event.data.channel === 'email' ? { 'zh-CN': '电子邮件', en: 'e-mail' } : { 'zh-CN': '短信', en: 'SMS' };
      return event.data.optedOutOf
        ? { 'zh-CN': `客户退订通知（${channel['zh-CN']}）：${event.data.reason}`, en: `The customer opted out of notifications by ${channel.en}: ${event.data.reason}` }
        : { 'zh-CN': `客户恢复接收通知（${channel['zh-CN']}）：${event.data.reason}`, en: `The customer opted back in to notifications by ${channel.en}: ${event.data.reason}` };
    }
    case 'CustomerFileReclassified': {
      const [from, to] = [customerFileLabel('category', event.data.from), customerFileLabel('category', event.data.to)];
      return { 'zh-CN': `客户类别由${from['zh-CN']}改为${to['zh-CN']}：${event.data.reason}`, en: `Reclassified from ${from.en} to ${to.en}: ${event.data.reason}` };
    }
    case 'CustomerFileBasicsUpdated':
    case 'CustomerFileConsumptionProfileUpdated':
    case 'CustomerFileContractUpdated':
    case 'CustomerFileFacilitiesUpdated':
    case 'CustomerFileOtherChannelsUpdated':
    case 'CustomerFileImportanceUpdated':
    case 'CustomerFileSegmentsUpdated':
      return sectionWords(event);
    case 'CustomerFileContactAdded':
      return { 'zh-CN': `新增联系人 ${event.data.contactId}：${event.data.reason}`, en: `Added contact ${event.data.contactId}: ${event.data.reason}` };
    case 'CustomerFileContactChanged': {
      const fields = event.data.changed.map(fieldWords);
      return {
        'zh-CN': `修改联系人 ${event.data.contactId}（${fields.map((words) => words['zh-CN']).join('、')}）：${event.data.reason}`,
        en: `Changed contact ${event.data.contactId} (${fields.map((words) => words.en).join(', ')}): ${event.data.reason}`,
      };
    }
    case 'CustomerFileContactRemoved':
      return { 'zh-CN': `删除联系人 ${event.data.contactId}：${event.data.reason}`, en: `Removed contact ${event.data.contactId}: ${event.data.reason}` };
    case 'CustomerFileEvaluationRecorded':
      return { 'zh-CN': `记录客户对加油站的评价：${event.data.rating}/5`, en: `Recorded the customer's evaluation of the station: ${event.data.rating}/5` };
    case 'CustomerFileVisitLogged': {
      const { visitId, visitedAt, channel, staff, nextStepDue } = event.data;
      const via = taxonomyLabel('channel', channel);
      return {
        'zh-CN': `记录客户拜访与沟通 ${visitId}（${via['zh-CN']}，${visitedAt}，${staff}${nextStepDue ? `，下一步截止 ${nextStepDue}` : ''}）`,
        en: `Logged visit ${visitId} (${via.en}, ${visitedAt}, by ${staff}${nextStepDue ? `, next step due ${nextStepDue}` : ''})`,
      };
    }
    case 'CustomerFileConsumptionRecorded': {
      const { period, volume, previous, reason } = event.data;
      const [now, before] = [volumeWords(volume), previous === null ? null : volumeWords(previous)];
      return {
        'zh-CN': `记录 ${period} 消费量 ${now['zh-CN']}${before ? `（更正，原为 ${before['zh-CN']}）` : ''}${reason ? `：${reason}` : ''}`,
        en: `Recorded the volume of ${period}: ${now.en}${before ? ` (corrected, was ${before.en})` : ''}${reason ? `: ${reason}` : ''}`,
      };
    }
    case 'CustomerFileConsumptionDropDetected': {
      const { period, volume, recentAverage, comparedPeriods, drop, policy } = event.data;
      const [now, average] = [volumeWords(volume), volumeWords(recentAverage)];
      return {
        'zh-CN': `重点客户用油量异常下降：${period} 为 ${now['zh-CN']}，比 ${comparedPeriods.join('、')} 的平均 ${average['zh-CN']} 低 ${percent(drop)}（阈值 ${percent(policy.dropShare)}，政策 ${policy.version}）`,
        en: `A key customer's volume dropped: ${now.en} in ${period}, ${percent(drop)} below the average of ${average.en} over ${comparedPeriods.join(', ')} (threshold ${percent(policy.dropShare)}, policy ${policy.version})`,
      };
    }
    case 'CustomerFileConsumptionDropCleared': {
      const { period, volume, cause, policyVersion } = event.data;
      const [now, fixed] = [volumeWords(volume), volumeWords(cause.volume)];
      const how = cause.previous === null
        ? { 'zh-CN': `补录 ${cause.period} 消费量 ${fixed['zh-CN']}`, en: `the figure of ${cause.period} filled in (${fixed.en})` }
        : { 'zh-CN': `${cause.period} 消费量更正为 ${fixed['zh-CN']}`, en: `the figure of ${cause.period} corrected to ${fixed.en}` };
      // Said once when the correction is of the alert's own month.
      const month = cause.period === period ? { 'zh-CN': '', en: '' } : { 'zh-CN': `，${period} 为 ${now['zh-CN']}`, en: `; ${now.en} in ${period}` };
      const why = cause.reason ? { 'zh-CN': `：${cause.reason}`, en: `: ${cause.reason}` } : { 'zh-CN': '', en: '' };
      return {
        'zh-CN': `撤销 ${period} 用油量异常下降预警（${how['zh-CN']}${month['zh-CN']}，按政策 ${policyVersion} 不再属于异常下降）${why['zh-CN']}`,
        en: `Cleared the volume-drop alert of ${period} (${how.en}${month.en}: no longer a drop under policy ${policyVersion})${why.en}`,
      };
    }
    case 'CustomerFileMerged':
      return { 'zh-CN': `并入客户档案 ${event.data.survivorId}，本档案关闭：${event.data.reason}`, en: `Merged into customer file ${event.data.survivorId}, which stays; this file is closed: ${event.data.reason}` };
    case 'CustomerFileAbsorbed':
      return { 'zh-CN': `合并客户档案 ${event.data.absorbedId}（同一客户）：${event.data.reason}`, en: `Absorbed customer file ${event.data.absorbedId} (the same customer): ${event.data.reason}` };
    case 'CustomerFilePersonalDataErased': {
      const ground = customerFileLabel('erasureGround', event.data.ground);
      const reference = event.data.requestReference;
      return {
        'zh-CN': `删除客户个人信息（依据：${ground['zh-CN']}${reference ? `，申请编号 ${reference}` : ''}）：${event.data.reason}`,
        en: `Erased the customer's personal data (ground: ${ground.en}${reference ? `, request ${reference}` : ''}): ${event.data.reason}`,
      };
    }
    default:
      return assertNever(event);
  }
}
