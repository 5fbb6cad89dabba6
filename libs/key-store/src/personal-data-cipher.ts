import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { KeyStore } from './key-store.port';

/**
 * An encrypted personal value as it is stored in an event (docs/adr/0019):
 * `{"$enc":"v1","kid":<key id>,"iv":<base64, 12 bytes>,"ct":<base64 of ciphertext ‖ 16-byte tag>}`.
 * AES-256-GCM with the customer's data key; the plaintext is the value's JSON text, and the
 * associated data binds it to its key id and stream, so a ciphertext moved elsewhere does not open.
 */
export interface PersonalDataEnvelope {
  readonly $enc: 'v1';
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isEnvelope(value: unknown): value is PersonalDataEnvelope {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return candidate['$enc'] === 'v1' && typeof candidate['kid'] === 'string' && typeof candidate['iv'] === 'string' && typeof candidate['ct'] === 'string';
}

const associatedData = (kid: string, stream: string): Buffer => Buffer.from(`v1\u0000${kid}\u0000${stream}`, 'utf8');

export function sealValue(value: unknown, key: { readonly keyId: string; readonly key: Buffer }, stream: string): PersonalDataEnvelope {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(associatedData(key.keyId, stream));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { $enc: 'v1', kid: key.keyId, iv: iv.toString('base64'), ct: ciphertext.toString('base64') };
}

/** The value, or undefined when it does not open with this key (a damaged or misplaced envelope). */
export function openValue(envelope: PersonalDataEnvelope, key: Buffer, stream: string): unknown {
  try {
    const sealed = Buffer.from(envelope.ct, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(associatedData(envelope.kid, stream));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

type Path = readonly string[];

/**
 * Encrypts and decrypts the personal values of event data with the customers' keys. Encryption
 * replaces the value at each given path (null and absent values stay: there is nothing to hide);
 * decryption replaces every envelope it finds with its value, or null when the key was destroyed
 * (erased) or the envelope does not open. Plaintext written before encryption existed stays as it is.
 */
export class PersonalDataCipher {
  constructor(readonly keys: KeyStore) {}

  async seal(customerId: string, stream: string, data: Record<string, unknown>, paths: readonly Path[]): Promise<Record<string, unknown>> {
    const present = paths.filter((path) => { const value = valueAt(data, path); return value !== null && value !== undefined && !isEnvelope(value); });
    if (present.length === 0) return data;
    const key = await this.keys.keyFor(customerId);
    return present.reduce((sealed, path) => withValueAt(sealed, path, sealValue(valueAt(sealed, path), key, stream)), data);
  }

  /**
   * `<key id>:<HMAC-SHA-256, base64url>` of the text under a key derived (HKDF) from the customer's
   * live data key, or null when the customer has none: no key is made for a digest. The same text
   * gives the same digest while the key lives; nothing can be guessed back once it is destroyed.
   */
  async digest(customerId: string, text: string): Promise<string | null> {
    const live = await this.keys.liveKey(customerId);
    const key = live && await this.keys.get(live.keyId);
    return live && key ? `${live.keyId}:${requestMac(key, text)}` : null;
  }

  /** Whether the text gives the digest; null when its key was destroyed (or never existed). */
  async digestMatches(digest: string, text: string): Promise<boolean | null> {
    const split = digest.lastIndexOf(':');
    const key = split < 0 ? null : await this.keys.get(digest.slice(0, split));
    return key ? digest.slice(split + 1) === requestMac(key, text) : null;
  }

  /** Whether every one of these keys can still be read: none closed or destroyed (an erasure closes them in every process). */
  async readable(keyIds: readonly string[]): Promise<boolean> {
    for (const keyId of keyIds) if ((await this.keys.get(keyId)) === null) return false;
    return true;
  }

  /** A reader of many events: each key is fetched once per reader (a destroyed one stays unreadable). */
  reader(): (stream: string, data: Record<string, unknown>) => Promise<Record<string, unknown>> {
    const cache = new Map<string, Promise<Buffer | null>>();
    const keyOf = (kid: string) => {
      let key = cache.get(kid);
      if (!key) cache.set(kid, (key = this.keys.get(kid)));
      return key;
    };
    const open = async (value: unknown, stream: string): Promise<unknown> => {
      if (isEnvelope(value)) {
        const key = await keyOf(value.kid);
        return key ? openValue(value, key, stream) ?? null : null;
      }
      if (Array.isArray(value)) return Promise.all(value.map((item) => open(item, stream)));
      if (value !== null && typeof value === 'object') {
        const entries = await Promise.all(Object.entries(value).map(async ([name, item]) => [name, await open(item, stream)] as const));
        return Object.fromEntries(entries);
      }
      return value;
    };
    return async (stream, data) => (containsEnvelope(data) ? (await open(data, stream)) as Record<string, unknown> : data);
  }
}

/** The data key only ever encrypts: a digest uses a key derived from it. */
function requestMac(key: Buffer, text: string): string {
  const macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'complaint-desk request digest v1', 32));
  return createHmac('sha256', macKey).update(text, 'utf8').digest('base64url');
}

export function containsEnvelope(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (isEnvelope(value)) return true;
  return Object.values(value as Record<string, unknown>).some(containsEnvelope);
}

function valueAt(data: Record<string, unknown>, path: Path): unknown {
  let current: unknown = data;
  for (const name of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

function withValueAt(data: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const [name, ...rest] = path;
  if (name === undefined) return data;
  return { ...data, [name]: rest.length === 0 ? value : withValueAt((data[name] ?? {}) as Record<string, unknown>, rest, value) };
}
