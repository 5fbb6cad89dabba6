import { assertNever } from '../assert-never';
import type { ProductEvent } from './product.events';
import { initialProductState, type ProductState } from './product.state';

/** Total: a change to a product the history never registered (imported history) changes nothing. */
export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductRegistered': {
      const { serialNumber, model, customerId, installedOn, warranty, registeredAt } = event.data;
      return { status: 'registered', serialNumber, model, customerId, installedOn, warranty, registeredAt };
    }
    case 'ProductWarrantyExtended':
      return state.status === 'registered' ? { ...state, warranty: event.data.warranty } : state;
    case 'ProductOwnerChanged':
      return state.status === 'registered' ? { ...state, customerId: event.data.customerId } : state;
    default:
      return assertNever(event);
  }
}

export function foldProduct(events: Iterable<ProductEvent>, state: ProductState = initialProductState): ProductState {
  let current = state;
  for (const event of events) current = evolveProduct(current, event);
  return current;
}
