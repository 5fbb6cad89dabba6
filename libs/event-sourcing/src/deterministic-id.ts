import { hash } from 'node:crypto';

/**
 * Name-based UUID (RFC 9562 version 5, SHA-1). The same command id always gives the same event
 * ids, so a retried command is recognised by the store instead of being written twice.
 */
export function deterministicUuid(namespace: string, name: string): string {
  // Every event id of every command is one of these (ADR 0003, "twenty-fourth session"): the namespace's
  // bytes and the name's UTF-8 go into one reused buffer, and the hex is written from a table, without
  // the Buffers, the regular expression and the slices of the obvious form (the spec holds it to that form).
  const length = 16 + Buffer.byteLength(name, 'utf8');
  if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.length));
  namespaceBytes(namespace, scratch);
  scratch.write(name, 16, 'utf8');
  const bytes = hash('sha1', scratch.subarray(0, length), 'buffer');
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let text = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    text += HEX[bytes[index]!]!;
  }
  return text;
}

/** The input of the hash: the namespace's 16 bytes, then the name (grown when a name is longer). */
let scratch = Buffer.allocUnsafe(256);
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A hex digit's value, or -1 (either case, as the UUID pattern allows). */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Writes the UUID's 16 bytes at the start of `into`; refuses anything the UUID pattern would. */
function namespaceBytes(uuid: string, into: Buffer): void {
  let valid = uuid.length === 36;
  for (let at = 0, byte = 0; valid && at < 36; byte += 1) {
    if (at === 8 || at === 13 || at === 18 || at === 23) {
      if (uuid.charCodeAt(at) !== 45) valid = false;
      at += 1;
    }
    const high = hexValue(uuid.charCodeAt(at));
    const low = hexValue(uuid.charCodeAt(at + 1));
    if (high < 0 || low < 0) valid = false;
    into[byte] = (high << 4) | low;
    at += 2;
  }
  if (!valid) throw new RangeError(`namespace must be a UUID: ${uuid}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
