import type { FaultCause, WarrantyVerdict } from '../after-sales-taxonomy';
import type { ProductState } from './product.state';
import { product } from './testing/product.fixtures';
import { decideWarranty, lastCoveredDay } from './warranty';

const noWarranty: ProductState = product.status === 'registered' ? { ...product, warranty: { ...product.warranty, months: 0 } } : product;
const fullCover: ProductState = product.status === 'registered' ? { ...product, warranty: { ...product.warranty, covers: ['parts', 'labour', 'on-site'] } } : product;

describe('the warranty decision', () => {
  it('ends the day before the same date months later', () => {
    expect(lastCoveredDay({ startsOn: '2026-01-15', months: 12, covers: [] })).toBe('2027-01-14');
    expect(lastCoveredDay({ startsOn: '2026-01-31', months: 1, covers: [] })).toBe('2026-02-27');
  });

  it.each<[string, ProductState, string, FaultCause, WarrantyVerdict, string[], string[]]>([
    ['a defect within the period', product, '2026-06-01', 'product-defect', 'in-warranty', ['parts', 'labour'], ['on-site']],
    ['the first covered day', product, '2026-01-15', 'wear-and-tear', 'in-warranty', ['parts', 'labour'], ['on-site']],
    ['the last covered day', product, '2027-01-14', 'unknown', 'in-warranty', ['parts', 'labour'], ['on-site']],
    ['everything covered', fullCover, '2026-06-01', 'installation', 'in-warranty', ['parts', 'labour', 'on-site'], []],
    ['the day after it ended', product, '2027-01-15', 'product-defect', 'expired', [], ['parts', 'labour', 'on-site']],
    ['a day before it started', product, '2026-01-14', 'product-defect', 'not-yet-in-force', [], ['parts', 'labour', 'on-site']],
    ['damage caused by the customer within the period', product, '2026-06-01', 'customer-damage', 'customer-damage', [], ['parts', 'labour', 'on-site']],
    ['damage after the period (expired first)', product, '2027-06-01', 'customer-damage', 'expired', [], ['parts', 'labour', 'on-site']],
    ['a product sold without warranty', noWarranty, '2026-01-15', 'product-defect', 'expired', [], ['parts', 'labour', 'on-site']],
    ['a serial number the registry does not know', { status: 'none' }, '2026-06-01', 'product-defect', 'not-registered', [], ['parts', 'labour', 'on-site']],
  ])('%s', (_name, state, judgedOn, cause, verdict, free, chargeable) => {
    const decision = decideWarranty(state, judgedOn, cause, cause === 'customer-damage' ? 'dropped during a move' : null);
    expect(decision).toMatchObject({ verdict, judgedOn, faultCause: cause, free, chargeable });
  });

  it('carries the terms it judged on and the reason for a customer-damage exclusion', () => {
    expect(decideWarranty(product, '2026-06-01', 'customer-damage', 'hose torn off by a vehicle')).toEqual({
      verdict: 'customer-damage', judgedOn: '2026-06-01', faultCause: 'customer-damage', damageReason: 'hose torn off by a vehicle',
      product: { serialNumber: 'TQ2240-000731', model: 'TQ-2240 税控加油机', warranty: { startsOn: '2026-01-15', months: 12, covers: ['parts', 'labour'] } },
      lastCoveredDay: '2027-01-14', free: [], chargeable: ['parts', 'labour', 'on-site'],
    });
  });

  it('keeps no damage reason for another cause', () => {
    expect(decideWarranty(product, '2026-06-01', 'product-defect', 'stray text').damageReason).toBeNull();
  });
});
