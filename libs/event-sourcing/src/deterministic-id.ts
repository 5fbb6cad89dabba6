import { hash } from 'node:crypto';

/**
 * Name-based UUID (RFC 9562 version 5, SHA-1). The same command id always gives the same event
 * ids, so a retried command is recognised by the store instead of being written twice.
 */
export function deterministicUuid(namespace: string, name: string): string {
  // One call (no Hash object): every event id of every command is one of these.
  const bytes = hash('sha1', Buffer.concat([uuidBytes(namespace), Buffer.from(name, 'utf8')]), 'buffer').subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function uuidBytes(uuid: string): Buffer {
  if (!isUuid(uuid)) throw new RangeError(`namespace must be a UUID: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}
