import { upcastEventData } from '../event-versions';
import type { ProductEvent, ProductEventType } from './product.events';

/** Schema version of each event type as written today (see complaint.upcasters.ts for the rule). */
export const PRODUCT_EVENT_SCHEMA_VERSIONS: Readonly<Record<ProductEventType, number>> = {
  ProductRegistered: 1,
  ProductWarrantyExtended: 1,
  ProductOwnerChanged: 1,
};

/** A stored product event in today's shape; applied on every read. */
export function upcastProductEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): ProductEvent {
  return { type, data: upcastEventData({ versions: PRODUCT_EVENT_SCHEMA_VERSIONS }, type, data, schemaVersion) } as ProductEvent;
}
