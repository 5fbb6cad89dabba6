import { productDecisionWords } from './product.decision-words';
import type { ProductEvent } from './product.events';
import { PRODUCT_EVENT_SCHEMA_VERSIONS, upcastProductEvent } from './product.upcasters';
import { productRegistered, serialNumber } from './testing/product.fixtures';
import { agent, at } from '../testing/complaint.fixtures';

const examples: Record<ProductEvent['type'], ProductEvent> = {
  ProductRegistered: productRegistered,
  ProductWarrantyExtended: {
    type: 'ProductWarrantyExtended',
    data: {
      serialNumber, addedMonths: 24, warranty: { startsOn: '2026-01-15', months: 36, covers: ['parts', 'labour', 'on-site'] },
      previousWarranty: { startsOn: '2026-01-15', months: 12, covers: ['parts', 'labour'] }, extendedAt: at(1), by: agent, reason: '客户购买延保',
    },
  },
  ProductOwnerChanged: { type: 'ProductOwnerChanged', data: { serialNumber, customerId: 'cust-002', previousCustomerId: 'cust-001', changedAt: at(2), by: agent, reason: '加油站转让' } },
};

describe('product decision words', () => {
  it('describes a registration with its warranty terms', () => {
    expect(productDecisionWords(productRegistered)).toEqual({
      'zh-CN': '登记产品 TQ-2240 税控加油机（序列号 TQ2240-000731），客户 cust-001，2026-01-15 安装，保修 12 个月，自 2026-01-15 起，包含：配件、人工',
      en: 'Registered TQ-2240 税控加油机 (serial TQ2240-000731) for customer cust-001, installed 2026-01-15, with a 12-month warranty from 2026-01-15 covering parts, labour',
    });
  });

  it.each([examples.ProductWarrantyExtended, examples.ProductOwnerChanged])('says $type in both languages, with its reason', (event) => {
    const words = productDecisionWords(event);
    const reason = event.type === 'ProductRegistered' ? '' : event.data.reason;
    expect(words['zh-CN']).toContain(reason);
    expect(words.en).toContain(reason);
  });
});

describe('product event versions', () => {
  it('writes every event type as schema v1 and reads it back unchanged', () => {
    expect(Object.keys(PRODUCT_EVENT_SCHEMA_VERSIONS).sort()).toEqual(Object.keys(examples).sort());
    for (const event of Object.values(examples)) {
      const stored = JSON.parse(JSON.stringify(event)) as { type: string; data: Record<string, unknown> };
      expect(upcastProductEvent(stored.type, stored.data, () => 1)).toEqual(event);
    }
  });
});
