import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteReadStore } from '@app/read-store';
import { describeReadStoreContract } from '@app/read-store/testing';
import { runEntry } from '../support/run-entry';

describeReadStoreContract('SQLite in memory', async () => {
  const store = new SqliteReadStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

describeReadStoreContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
  const filename = join(dir, 'read.sqlite');
  const store = new SqliteReadStore({ filename });
  return {
    store,
    openAnother: async () => new SqliteReadStore({ filename }),
    dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}, { sharedData: true });

describe('SQLite read store: deferred indexes', () => {
  it('leaves the secondary indexes out when asked, keeps the indexed columns filled, and builds the indexes later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    const store = new SqliteReadStore({ filename });
    const indexesOf = () => {
      const db = new Database(filename, { readonly: true });
      try {
        return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'doc_tickets' AND sql IS NOT NULL").all() as Array<{ name: string }>).length;
      } finally {
        db.close();
      }
    };
    try {
      const spec = { name: 'tickets', indexes: [['status'], ['priority', 'status']] };
      await store.ensureCollections([spec], { indexes: false });
      await store.commit('tickets', [{ kind: 'put', collection: 'tickets', document: { id: 't-1', status: 'open', priority: 2 } }], 1);
      expect(indexesOf()).toBe(0);
      await store.ensureCollections([spec]);
      expect(indexesOf()).toBe(2);
      expect((await store.find('tickets', { filter: { status: 'open', priority: 2 } })).items.map((item) => item.id)).toEqual(['t-1']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite read store: several processes writing one file', () => {
  it('commits every batch of three processes at once, each waiting its turn for the lock (none refused as busy)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    try {
      const filename = join(dir, 'read.sqlite');
      const runs = await Promise.all(['live_v1', 'asof_a_v1', 'asof_b_v1'].map((name) => runEntry('test/support/commit-read-models.ts', [filename, name, '150'], {})));
      expect(runs.map((run) => `${run.code} ${run.stdout.trim()}${run.stderr}`)).toEqual(Array(3).fill('0 committed 150'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
