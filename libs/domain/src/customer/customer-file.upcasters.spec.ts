import { CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS, CUSTOMER_FILE_EVENT_TYPES, isCustomerFileEventType, upcastCustomerFileEvent } from './customer-file.upcasters';
import { opened } from './testing/customer-file.fixtures';

describe('customer-file event versions', () => {
  it('writes every event type at schema version 1, and names them all CustomerFile…', () => {
    expect(new Set(Object.values(CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS))).toEqual(new Set([1]));
    expect(CUSTOMER_FILE_EVENT_TYPES).toHaveLength(21);
    for (const type of CUSTOMER_FILE_EVENT_TYPES) expect(type).toMatch(/^CustomerFile[A-Z]/);
  });

  it.each(['CustomerFileOpened', 'CustomerFilePersonalDataErased'])('recognises %s in the log', (type) => {
    expect(isCustomerFileEventType(type)).toBe(true);
  });

  it.each(['ComplaintReceived', 'CustomerFile', 'constructor', '__proto__', 'toString'])('leaves %s to other readers', (type) => {
    expect(isCustomerFileEventType(type)).toBe(false);
  });

  it('reads a stored event as it was written while every type is at its first version, without reading its version', () => {
    const data = opened.data as unknown as Record<string, unknown>;
    expect(upcastCustomerFileEvent('CustomerFileOpened', data, () => { throw new Error('not needed'); })).toEqual({ type: 'CustomerFileOpened', data });
  });
});
