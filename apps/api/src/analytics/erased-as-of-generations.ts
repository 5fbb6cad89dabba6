import { ErasedAsOfGenerations } from '@app/customers';
import type { RecordedEvent } from '@app/event-store';
import { forgetInAsOfGenerations } from '@app/read-models';
import type { ReadStore } from '@app/read-store';

/** The as-of generations of this read store (POST /analytics/as-of, `replay --into`) forget what an erasure erased (docs/adr/0019). */
export class ReadStoreErasedAsOfGenerations extends ErasedAsOfGenerations {
  constructor(private readonly store: ReadStore) {
    super();
  }

  override async forget(erasures: readonly RecordedEvent[]): Promise<void> {
    await forgetInAsOfGenerations(this.store, erasures);
  }
}
