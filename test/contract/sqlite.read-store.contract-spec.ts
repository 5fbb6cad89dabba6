import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@app/read-store';
import { describeReadStoreContract } from '@app/read-store/testing';

describeReadStoreContract('SQLite in memory', async () => {
  const store = new SqliteReadStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

describeReadStoreContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
  const store = new SqliteReadStore({ filename: join(dir, 'read.sqlite') });
  return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});
