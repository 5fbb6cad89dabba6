import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKeyWrapping, SqliteKeyStore } from '@app/key-store';
import { describeKeyStoreContract } from '@app/key-store/testing';

describeKeyStoreContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-data-keys-'));
  const filename = join(dir, 'keys.sqlite');
  const store = new SqliteKeyStore({ filename });
  return {
    store,
    openAnother: async () => new SqliteKeyStore({ filename }),
    dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});

describeKeyStoreContract('SQLite file, keys wrapped with a master key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-data-keys-'));
  const filename = join(dir, 'keys.sqlite');
  const wrapping = new MasterKeyWrapping(Buffer.alloc(32, 7));
  const store = new SqliteKeyStore({ filename, wrapping });
  return {
    store,
    openAnother: async () => new SqliteKeyStore({ filename, wrapping }),
    dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});

describe('SQLite key store', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'complaint-desk-data-keys-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const filesHold = (bytes: Buffer) => readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(bytes));

  it('leaves no byte of a destroyed key in its files (secure_delete, and the write-ahead log checkpointed)', async () => {
    const store = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
    try {
      const { key } = await store.keyFor('cust-erased');
      await store.keyFor('cust-kept');
      expect(filesHold(key).length).toBeGreaterThan(0);
      await store.destroy('cust-erased');
      expect(filesHold(key)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('keeps wrapped keys only: the stored bytes are not the key, and another master key cannot read them', async () => {
    const filename = join(dir, 'keys.sqlite');
    const store = new SqliteKeyStore({ filename, wrapping: new MasterKeyWrapping(Buffer.alloc(32, 1)) });
    try {
      const { key, keyId } = await store.keyFor('cust-1');
      expect(filesHold(key)).toEqual([]);
      const wrong = new SqliteKeyStore({ filename, wrapping: new MasterKeyWrapping(Buffer.alloc(32, 2)) });
      await expect(wrong.get(keyId)).rejects.toThrow();
      await wrong.close();
    } finally {
      await store.close();
    }
  });
});
