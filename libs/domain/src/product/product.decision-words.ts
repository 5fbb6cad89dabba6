import { afterSalesLabel, type ChargeKind } from '../after-sales-taxonomy';
import { assertNever } from '../assert-never';
import type { Words } from '../decision-words';
import type { ProductEvent, WarrantyTerms } from './product.events';

const covered = (covers: readonly ChargeKind[], language: keyof Words): string =>
  covers.length === 0 ? (language === 'en' ? 'nothing' : '无') : covers.map((kind) => (language === 'en' ? afterSalesLabel('chargeKind', kind).en.toLowerCase() : afterSalesLabel('chargeKind', kind)[language])).join(language === 'en' ? ', ' : '、');

const terms = (warranty: WarrantyTerms): Words => ({
  'zh-CN': `保修 ${warranty.months} 个月，自 ${warranty.startsOn} 起，包含：${covered(warranty.covers, 'zh-CN')}`,
  en: `a ${warranty.months}-month warranty from ${warranty.startsOn} covering ${covered(warranty.covers, 'en')}`,
});

/** The decision a product event records, in plain words, for auditors. */
export function productDecisionWords(event: ProductEvent): Words {
  switch (event.type) {
    case 'ProductRegistered': {
      const { serialNumber, model, customerId, installedOn, warranty } = event.data;
      return {
        'zh-CN': `登记产品 ${model}（序列号 ${serialNumber}），客户 ${customerId}，${installedOn} 安装，${terms(warranty)['zh-CN']}`,
        en: `Registered ${model} (serial ${serialNumber}) for customer ${customerId}, installed ${installedOn}, with ${terms(warranty).en}`,
      };
    }
    case 'ProductWarrantyExtended':
      return {
        'zh-CN': `延长保修 ${event.data.addedMonths} 个月：${terms(event.data.warranty)['zh-CN']}。原因：${event.data.reason}`,
        en: `Extended the warranty by ${event.data.addedMonths} months: now ${terms(event.data.warranty).en}. Reason: ${event.data.reason}`,
      };
    case 'ProductOwnerChanged':
      return {
        'zh-CN': `产品 ${event.data.serialNumber} 的客户由 ${event.data.previousCustomerId} 变更为 ${event.data.customerId}。原因：${event.data.reason}`,
        en: `Ownership of ${event.data.serialNumber} passed from ${event.data.previousCustomerId} to ${event.data.customerId}. Reason: ${event.data.reason}`,
      };
    default:
      return assertNever(event);
  }
}
