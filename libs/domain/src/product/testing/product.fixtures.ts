import type { Actor } from '../../principal';
import { agent, at } from '../../testing/complaint.fixtures';
import type { ProductCommand } from '../product.commands';
import type { ProductEvent } from '../product.events';
import { foldProduct } from '../product.evolve';

/** One fuel dispenser installed on 2026-01-15 with a 12-month warranty covering parts and labour (not the call-out). */
export const serialNumber = 'TQ2240-000731';
export const productOwner = 'cust-001';

type CommandOf<T extends ProductCommand['type']> = Extract<ProductCommand, { type: T }>;
export function productCommand<T extends ProductCommand['type']>(type: T, data: CommandOf<T>['data'], minutes = 0, actor: Actor = agent): CommandOf<T> {
  return { type, serialNumber, at: at(minutes), actor, data } as CommandOf<T>;
}

export const productRegistered: ProductEvent = {
  type: 'ProductRegistered',
  data: {
    serialNumber, model: 'TQ-2240 税控加油机', customerId: productOwner, installedOn: '2026-01-15',
    warranty: { startsOn: '2026-01-15', months: 12, covers: ['parts', 'labour'] },
    registeredAt: at(-60 * 24 * 45), by: agent, reason: null,
  },
};

export const product = foldProduct([productRegistered]);
