import type { Decider } from '@app/event-sourcing';
import type { ProductCommand } from './product.commands';
import { decideProduct } from './product.decide';
import type { ProductEvent } from './product.events';
import { evolveProduct } from './product.evolve';
import { initialProductState, type ProductState } from './product.state';

export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = {
  decide: decideProduct,
  evolve: evolveProduct,
  initialState: initialProductState,
};
