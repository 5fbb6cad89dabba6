/**
 * Where an event keeps personal values (docs/adr/0013, 0019): under its one `personal` key, and
 * for a received complaint also the customer's name (`customer.name`, recorded there before the
 * personal key existed). The command side encrypts the values at these paths with the customer's
 * key before the event is chained and appended; erasure destroys the key.
 */
export type PersonalDataPath = readonly string[];

const PERSONAL: PersonalDataPath = ['personal'];
const EXTRA_PATHS: Readonly<Record<string, readonly PersonalDataPath[]>> = {
  ComplaintReceived: [['customer', 'name']],
};

export function personalDataPaths(eventType: string): readonly PersonalDataPath[] {
  return [PERSONAL, ...(EXTRA_PATHS[eventType] ?? [])];
}

/**
 * The data keys an event records as erased (a `CustomerFilePersonalDataErased` names them in
 * `keyIds`), or none. From the moment such an event is in the log no reader may open them again,
 * even before the erasure has destroyed them (docs/adr/0019, "Racing records").
 */
export function dataKeysErasedBy(eventType: string, data: Readonly<Record<string, unknown>>): readonly string[] {
  if (eventType !== 'CustomerFilePersonalDataErased') return [];
  const keyIds = data['keyIds'];
  return Array.isArray(keyIds) ? keyIds.filter((keyId): keyId is string => typeof keyId === 'string') : [];
}
