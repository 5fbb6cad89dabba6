import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES, KeyWrapping } from './key-store.port';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Data keys wrapped with a master key (AES-256-GCM, the key id as associated data): stored as
 * iv ‖ ciphertext ‖ tag. The master key comes from a setting and never lives beside the key store,
 * so a copy of DATA_DIR alone reads no personal value.
 */
export class MasterKeyWrapping extends KeyWrapping {
  constructor(private readonly masterKey: Buffer) {
    super();
    if (masterKey.length !== DATA_KEY_BYTES) throw new RangeError(`the master key must be ${DATA_KEY_BYTES} bytes (base64 of 32 random bytes)`);
  }

  override async wrap(key: Buffer, keyId: string): Promise<Buffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
  }

  override async unwrap(stored: Buffer, keyId: string): Promise<Buffer> {
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, stored.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
    return Buffer.concat([decipher.update(stored.subarray(IV_BYTES, stored.length - TAG_BYTES)), decipher.final()]);
  }
}
