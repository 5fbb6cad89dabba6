import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { InvalidQueryError, READ_MODEL_REBUILDS, ReadModelRebuildingError, ReadStoreDamagedError, SqliteReadStore, type ReadDocument } from '@app/read-store';
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
    dropCursorKey: async () => {
      const db = new Database(filename);
      try {
        db.prepare("DELETE FROM rm_secrets WHERE name = 'cursor'").run();
      } finally {
        db.close();
      }
    },
    leaseExpiryEdits: Object.fromEntries([['text', "'soon'"], ['a blob', "x'00ff'"]].map(([what, value]) => [what, async (lease: string) => {
      const db = new Database(filename);
      try {
        db.prepare(`UPDATE rm_leases SET expires_at = ${value!} WHERE name = ?`).run(lease);
      } finally {
        db.close();
      }
    }])),
    dropTextIndex: async (collection: string) => {
      const db = new Database(filename);
      try {
        // Its name as the store made it, looked up as an operator would.
        const { name } = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(`fts_${collection.replace(/[^A-Za-z0-9_]/g, '_')}`) as { name: string };
        db.exec(`DROP TABLE "${name}"`);
      } finally {
        db.close();
      }
    },
    dropCollection: async (collection: string) => editFile(filename, `DROP TABLE "doc_${collection.replace(/[^A-Za-z0-9_]/g, '_')}"`),
    dropLeases: async () => editFile(filename, 'DROP TABLE rm_leases'),
    dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}, { sharedData: true, editsLeases: true, dropsTextIndex: true, dropsCollections: true, dropsLeases: true });

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

describe('SQLite read store: typed rows', () => {
  it('keeps a collection with columns as a table of typed columns, without JSON, that another layout cannot reuse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    const store = new SqliteReadStore({ filename });
    try {
      const columns = { position: { type: 'integer' }, reason: { type: 'text', nullable: true }, urgent: { type: 'boolean' } } as const;
      await store.ensureCollections([{ name: 'visits', columns }]);
      await store.commit('visits', Array.from({ length: 130 }, (_, index) => ({ kind: 'put' as const, collection: 'visits', document: { id: `v-${index}`, position: index, reason: null, urgent: index === 7 } })), 1);
      const db = new Database(filename, { readonly: true });
      try {
        expect(db.prepare("SELECT name, type, \"notnull\" AS required FROM pragma_table_info('doc_visits')").all()).toEqual([
          { name: 'id', type: 'TEXT', required: 0 }, { name: 'f:position', type: 'INTEGER', required: 1 }, { name: 'f:reason', type: 'TEXT', required: 0 }, { name: 'f:urgent', type: 'BOOLEAN', required: 1 },
        ]);
        expect(db.prepare('SELECT typeof("f:position") AS position, typeof("f:urgent") AS urgent, COUNT(*) AS n FROM doc_visits GROUP BY 1, 2').all()).toEqual([{ position: 'integer', urgent: 'integer', n: 130 }]);
      } finally {
        db.close();
      }
      await expect(store.ensureCollections([{ name: 'visits', columns: { ...columns, urgent: { type: 'text' } } }])).rejects.toThrow(/other columns/);
      await expect(store.ensureCollections([{ name: 'visits' }])).rejects.toThrow(/other columns/);
      expect(await store.count('visits', { urgent: true })).toBe(1);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite read store: instants', () => {
  it('keeps an instant as toISOString writes it as its milliseconds, any other string as it is, and ranges on them through the index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    const store = new SqliteReadStore({ filename });
    try {
      await store.ensureCollections([{ name: 'decisions', indexes: [['role', 'occurredAt']], columns: { role: { type: 'text' }, occurredAt: { type: 'instant' } } }]);
      const at = ['2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.001Z', '2026-01-05T08:00:00+08:00', '123', '2026-02-30T00:00:00.000Z'];
      await store.commit('decisions', at.map((occurredAt, index) => ({ kind: 'put' as const, collection: 'decisions', document: { id: `d-${index}`, role: 'agent', occurredAt } })), 1);
      const db = new Database(filename, { readonly: true });
      try {
        expect(db.prepare('SELECT id, "f:occurredAt" AS at FROM doc_decisions ORDER BY id').all()).toEqual([
          { id: 'd-0', at: Date.parse(at[0]!) }, { id: 'd-1', at: Date.parse(at[1]!) }, { id: 'd-2', at: at[2] }, { id: 'd-3', at: '123' }, { id: 'd-4', at: at[4] },
        ]);
      } finally {
        db.close();
      }
      // Every instant sorts before every other string (the others in their text order), and a range is a slice of that order.
      const sorted = await store.find<ReadDocument>('decisions', { filter: { role: 'agent' }, sort: [{ field: 'occurredAt', direction: 'asc' }] });
      expect(sorted.items.map((row) => row['occurredAt'])).toEqual([at[0], at[1], '123', at[2], at[4]]);
      const ids = async (range: Record<string, string>) => (await store.find<ReadDocument>('decisions', { filter: { occurredAt: range }, sort: [{ field: 'occurredAt', direction: 'asc' }] })).items.map((row) => row.id);
      expect(await ids({ lt: '2026-03-01T09:00:00.001Z' })).toEqual(['d-0']);
      expect(await ids({ lte: '2026-03-01T09:00:00.001Z' })).toEqual(['d-0', 'd-1']);
      expect(await ids({ gte: '2026-03-01T09:00:00.001' })).toEqual(['d-1', 'd-3', 'd-2', 'd-4']);
      expect(await ids({ gt: '2026-03-01T09:00:00.001Z' })).toEqual(['d-3', 'd-2', 'd-4']);
      expect(await ids({ gte: '2026', lt: '2027' })).toEqual(['d-0', 'd-1']);
    } finally {
      await store.close();
    }
    // A page of a role's decisions in a range reads the (role, occurredAt) index, not every row.
    const db = new Database(filename, { readonly: true });
    try {
      for (const bound of ['gte', 'lt'] as const) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM doc_decisions WHERE "f:role" = ? AND "f:occurredAt" ${bound === 'gte' ? '>=' : '<'} ? ORDER BY "f:occurredAt" DESC, id DESC LIMIT 50`).all('agent', 0) as Array<{ detail: string }>;
        // As on a text column: the index gives the order of occurredAt; only the id among equal instants is sorted.
        expect(plan.map((step) => step.detail)).toEqual([expect.stringMatching(/^SEARCH doc_decisions USING INDEX idx_decisions_0 \(f:role=\? AND f:occurredAt[<>]\?\)$/), 'USE TEMP B-TREE FOR LAST TERM OF ORDER BY']);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite read store: documents without their field names', () => {
  const withFile = async (run: (filename: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    try {
      await run(join(dir, 'read.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const rows = (filename: string, sql: string) => {
    const db = new Database(filename, { readonly: true });
    try {
      return db.prepare(sql).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  };
  const complaint = (index: number) => ({
    id: `c-${index}`, status: index % 2 === 0 ? 'open' : 'closed', assignee: null, escalated: index === 3, receivedAt: `2026-01-0${index}T08:00:00.000Z`,
    tags: ['vip', 'callback'], clocks: { 'first-reply': [1, 2, null, 'met'], answer: [3, 4, 5, 'due'] }, buckets: { 745: 1, 12: 2 }, nested: [{ at: 'x', by: null }, []],
  });

  it('stores each object as its shape and values, the shapes once per file, and reads the documents back as written', async () => {
    await withFile(async (filename) => {
      const store = new SqliteReadStore({ filename });
      try {
        await store.ensureCollections([{ name: 'complaints', indexes: [['status', 'receivedAt']] }]);
        const odd = { id: 'c-odd', later: undefined, ['__proto__']: { polluted: true }, constructor: 'kept', empty: {}, value: 1.5, byName: { 王先生: 2, 'li@example': 1 } } as unknown as ReadDocument;
        Object.defineProperty(odd, '__proto__', { value: { polluted: true }, enumerable: true });
        await store.commit('complaints', [...[1, 2, 3].map((index) => ({ kind: 'put' as const, collection: 'complaints', document: complaint(index) })), { kind: 'put', collection: 'complaints', document: odd }], 1);
        const stored = rows(filename, 'SELECT id, doc FROM doc_complaints ORDER BY id');
        for (const row of stored.filter(({ id }) => id !== 'c-odd')) expect(row['doc']).not.toMatch(/"status"|"receivedAt"|"first-reply"|"id"/);
        // A document whose keys are not all names of fields (`__proto__`) keeps them, and its parts are encoded all the same.
        expect(stored.find((row) => row['id'] === 'c-odd')!['doc']).toMatch(/^\[0,\{"id":"c-odd","__proto__":\[\d+,true\]/);
        expect(stored.find((row) => row['id'] === 'c-1')!['doc']).toBe('[3,"closed",null,false,"2026-01-01T08:00:00.000Z",[0,"vip","callback"],[1,[0,1,2,null,"met"],[0,3,4,5,"due"]],{"12":2,"745":1},[0,[2,"x",null],[0]]]');
        // The complaint, its clocks, the object in its array, and {polluted}: keys that are not names of fields (numbers, a name, an address) make no shape.
        expect(rows(filename, 'SELECT COUNT(*) AS n FROM rm_shapes')).toEqual([{ n: 4 }]);
        expect(rows(filename, "SELECT keys FROM rm_shapes WHERE keys LIKE '%王%' OR keys LIKE '%@%' OR keys LIKE '%745%' OR keys LIKE '%proto%'")).toEqual([]);
        for (const index of [1, 2, 3]) expect(JSON.stringify(await store.get('complaints', `c-${index}`))).toBe(JSON.stringify(complaint(index)));
        const back = (await store.get('complaints', 'c-odd'))!;
        expect(JSON.stringify(back)).toBe(JSON.stringify(odd));
        expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        expect((await store.find('complaints', { filter: { status: 'open' } })).items.map((item) => item.id)).toEqual(['c-2']);
        // A field without a column is read from the stored form too.
        expect((await store.find('complaints', { filter: { escalated: true } })).items.map((item) => item.id)).toEqual(['c-3']);
        expect(await store.count('complaints', { 'clocks.answer': { in: [] } })).toBe(0);
        // As json_extract read them: an array as its JSON, only a document's own keys (`constructor` is nothing where it has none).
        expect(await store.count('complaints', { tags: '["vip","callback"]' })).toBe(3);
        expect(await store.count('complaints', { 'clocks.answer': null })).toBe(1);
        expect((await store.find('complaints', { filter: { constructor: 'kept' } })).items.map((item) => item.id)).toEqual(['c-odd']);
        expect(await store.count('complaints', { constructor: null })).toBe(3);
      } finally {
        await store.close();
      }
    });
  });

  it('reads documents of the former format (JSON with their names) beside the new ones, and fills a new index from both', async () => {
    await withFile(async (filename) => {
      const store = new SqliteReadStore({ filename });
      try {
        await store.ensureCollections([{ name: 'complaints', text: ['tags'] }], { indexes: false });
        await store.commit('complaints', [{ kind: 'put', collection: 'complaints', document: complaint(1) }], 1);
        const db = new Database(filename);
        try {
          db.prepare('INSERT INTO doc_complaints (id, doc) VALUES (?, ?)').run('c-2', JSON.stringify(complaint(2)));
        } finally {
          db.close();
        }
        expect(JSON.stringify(await store.get('complaints', 'c-2'))).toBe(JSON.stringify(complaint(2)));
        expect((await store.find('complaints', { filter: { status: 'open' } })).items.map((item) => item.id)).toEqual(['c-2']);
        expect((await store.find('complaints', { text: 'vip' })).items.map((item) => item.id)).toEqual(['c-1', 'c-2']);
        await store.ensureCollections([{ name: 'complaints', indexes: [['status']], text: ['tags'] }]);
        expect(rows(filename, 'SELECT id, "f:status" AS status FROM doc_complaints ORDER BY id')).toEqual([{ id: 'c-1', status: 'closed' }, { id: 'c-2', status: 'open' }]);
        expect((await store.find('complaints', { text: 'callb' })).items.map((item) => item.id)).toEqual(['c-1', 'c-2']);
      } finally {
        await store.close();
      }
    });
  });

  it('checks the keys in the walk that encodes a document: an object of a shape has its keys listed once per commit, and a refused key at any depth still refuses the commit', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      await store.ensureCollections([{ name: 'complaints' }]);
      let listed = 0;
      const counted = <T extends object>(target: T): T => new Proxy(target, { ownKeys: (inner) => { listed += 1; return Reflect.ownKeys(inner); } });
      const document = { id: 'c-1', owner: counted({ department: 'ops', name: 'Li' }), history: [counted({ at: 'x', by: null })] };
      await store.commit('complaints', [{ kind: 'put', collection: 'complaints', document }], 1);
      // One listing each, the encoding's (checkDocument's walk listed them a second time before the commit).
      expect(listed).toBe(2);
      expect(await store.get('complaints', 'c-1')).toEqual({ id: 'c-1', owner: { department: 'ops', name: 'Li' }, history: [{ at: 'x', by: null }] });
      // Where no shape vouches for the keys: left out for their value, in an object of numbered keys, in an object with toJSON.
      const refused: Array<[ReadDocument, RegExp]> = [
        [{ id: 'k-1', owner: { $ne: undefined, department: 'ops' } }, /"\$ne" in owner/],
        [{ id: 'k-2', 'a.b': undefined, status: 'open' }, /"a\.b"/],
        [{ id: 'k-3', buckets: { 745: 1, '7.5': 2 } }, /"7\.5" in buckets/],
        [{ id: 'k-4', history: [{ at: 'x' }, { at: 'y', more: [{ $push: 1 }] }] }, /"\$push" in history\[1\]\.more\[0\]/],
        [{ id: 'k-5', when: { $at: 1, toJSON: () => 'x' } }, /"\$at" in when/],
      ];
      for (const [bad, message] of refused) {
        await expect(store.commit('complaints', [{ kind: 'put', collection: 'complaints', document: { id: 'c-2', fresh: { shape: 1 } } }, { kind: 'put', collection: 'complaints', document: bad }], 2))
          .rejects.toThrow(message);
      }
      expect(await store.get('complaints', 'c-2')).toBeUndefined();
      expect(await store.checkpoint('complaints')).toBe(1);
      // The shapes of the commits refused were rolled back and forgotten: the same document is written and read back.
      await store.commit('complaints', [{ kind: 'put', collection: 'complaints', document: { id: 'c-2', fresh: { shape: 1 } } }], 2);
      expect(await store.get('complaints', 'c-2')).toEqual({ id: 'c-2', fresh: { shape: 1 } });
    } finally {
      await store.close();
    }
  });

  it('reads the shapes another process wrote, and forgets the ones of a commit that failed', async () => {
    await withFile(async (filename) => {
      const first = new SqliteReadStore({ filename });
      const second = new SqliteReadStore({ filename });
      try {
        await first.ensureCollections([{ name: 'a__kept' }, { name: 'b__gone' }]);
        await second.ensureCollections([{ name: 'a__kept' }]);
        await first.commit('a', [{ kind: 'put', collection: 'b__gone', document: { id: 'g-0', warm: 1 } }], 1);
        await second.dropGeneration('b');
        // The first shape of this commit is written, then the commit fails on the dropped collection: the shape is rolled back.
        await expect(first.commit('a', [
          { kind: 'put', collection: 'a__kept', document: { id: 'k-1', only: 'first' } },
          { kind: 'put', collection: 'b__gone', document: { id: 'g-1', warm: 2 } },
        ], 2)).rejects.toThrow(/unknown collection/);
        await second.commit('a', [{ kind: 'put', collection: 'a__kept', document: { id: 'k-2', other: 'second', more: true } }], 2);
        await first.commit('a', [{ kind: 'put', collection: 'a__kept', document: { id: 'k-1', only: 'first' } }], 3);
        expect(await second.get('a__kept', 'k-1')).toEqual({ id: 'k-1', only: 'first' });
        expect(await first.get('a__kept', 'k-2')).toEqual({ id: 'k-2', other: 'second', more: true });
        expect((await first.find('a__kept', { filter: { more: true } })).items.map((item) => item.id)).toEqual(['k-2']);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
});

describe('SQLite read store: sparse fields', () => {
  it('makes an index led by a sparse field partial: only the rows with a value, used by a filter on a value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    const store = new SqliteReadStore({ filename });
    try {
      const columns = { workOrderId: { type: 'text', nullable: true }, occurredAt: { type: 'text' } } as const;
      await store.ensureCollections([{ name: 'decisions', indexes: [['occurredAt'], ['workOrderId', 'occurredAt']], sparse: ['workOrderId'], columns }]);
      await store.commit('decisions', Array.from({ length: 200 }, (_, index) => ({
        kind: 'put' as const, collection: 'decisions', document: { id: `d-${String(index).padStart(3, '0')}`, workOrderId: index % 20 === 0 ? `wo-${index % 3}` : null, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString() },
      })), 1);
      const db = new Database(filename, { readonly: true });
      try {
        const index = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'doc_decisions' AND sql LIKE '%workOrderId%'").get() as { name: string; sql: string };
        expect(index.sql).toMatch(/WHERE "f:workOrderId" IS NOT NULL$/);
        expect(db.prepare(`SELECT COUNT(*) AS n FROM doc_decisions INDEXED BY "${index.name}" WHERE "f:workOrderId" IS NOT NULL`).get()).toEqual({ n: 10 });
        const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM doc_decisions WHERE "f:workOrderId" = ? ORDER BY "f:occurredAt" DESC, id DESC LIMIT 51').all('wo-1') as Array<{ detail: string }>;
        expect(plan.map((step) => step.detail).join('; ')).toContain(index.name);
      } finally {
        db.close();
      }
      expect((await store.find('decisions', { filter: { workOrderId: 'wo-1' }, sort: [{ field: 'occurredAt', direction: 'desc' }] })).items.map((item) => item.id)).toEqual(['d-160', 'd-100', 'd-040']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite read store: the text index waits like the other indexes', () => {
  const withStore = async (run: (store: SqliteReadStore, textTables: () => string[]) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    const store = new SqliteReadStore({ filename });
    const textTables = () => {
      const db = new Database(filename, { readonly: true });
      try {
        return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fts\\_%' ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all() as Array<{ name: string }>).map((row) => row.name);
      } finally {
        db.close();
      }
    };
    try {
      await run(store, textTables);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('builds no text index while a generation is built, and one from its documents once asked for the indexes', async () => {
    await withStore(async (store, textTables) => {
      const spec = { name: 'cards', text: ['name'] };
      await store.ensureCollections([spec], { indexes: false });
      await store.commit('cards', [{ kind: 'put', collection: 'cards', document: { id: 'c-1', name: '李女士' } }], 1);
      expect(textTables()).toEqual([]);
      expect((await store.find('cards', { text: '李女士' })).items.map((item) => item.id)).toEqual(['c-1']);
      await store.ensureCollections([spec]);
      expect(textTables()).toEqual(['fts_cards']);
      expect((await store.find('cards', { text: '李女士' })).items.map((item) => item.id)).toEqual(['c-1']);
    });
  });

  it('indexes the documents a collection holds when its text fields change (the index is filled in pages)', async () => {
    await withStore(async (store) => {
      await store.ensureCollections([{ name: 'cards', text: ['name'] }]);
      const cards = Array.from({ length: 2_001 }, (_, index) => ({ kind: 'put' as const, collection: 'cards', document: { id: `c-${index}`, name: `客户${index}`, tags: [`tag-${index}`] } }));
      await store.commit('cards', cards, 1);
      expect((await store.find('cards', { text: 'tag-2000' })).items).toEqual([]);
      await store.ensureCollections([{ name: 'cards', text: ['name', 'tags'] }]);
      expect((await store.find('cards', { text: 'tag-2000' })).items.map((item) => item.id)).toEqual(['c-2000']);
      expect((await store.find('cards', { text: '客户0' })).items.map((item) => item.id)).toEqual(['c-0']);
    });
  });
  /** Counts the queries on sqlite_master that the store runs (each run of a statement, prepared once or every time). */
  const countSchemaQueries = (store: SqliteReadStore): { readonly count: number } => {
    const db = (store as unknown as { db: Database.Database }).db;
    const prepare = db.prepare.bind(db);
    const counter = { count: 0 };
    jest.spyOn(db, 'prepare').mockImplementation(((source: string) => {
      const statement = prepare(source);
      if (!source.includes('sqlite_master')) return statement;
      const get = statement.get.bind(statement);
      const all = statement.all.bind(statement);
      return Object.assign(statement, {
        get: (...parameters: unknown[]) => { counter.count += 1; return get(...parameters); },
        all: (...parameters: unknown[]) => { counter.count += 1; return all(...parameters); },
      });
    }) as typeof db.prepare);
    return counter;
  };

  it('asks the schema whether a collection has a text index once, not on every write to it', async () => {
    await withStore(async (store) => {
      await store.ensureCollections([{ name: 'plain' }, { name: 'cards', text: ['name'] }]);
      const queries = countSchemaQueries(store);
      for (let position = 1; position <= 20; position += 1) {
        await store.commit('all', [
          { kind: 'put', collection: 'plain', document: { id: `p-${position}`, name: `客户${position}` } },
          { kind: 'put', collection: 'cards', document: { id: `c-${position}`, name: `客户${position}` } },
        ], position);
      }
      expect(queries.count).toBeLessThanOrEqual(2);
      expect((await store.find('cards', { text: '客户20' })).items.map((item) => item.id)).toEqual(['c-20']);
    });
  });

  it('indexes the writes that follow once a waiting text index is built (the answer kept is renewed)', async () => {
    await withStore(async (store) => {
      const spec = { name: 'cards', text: ['name'] };
      await store.ensureCollections([spec], { indexes: false });
      await store.commit('cards', [{ kind: 'put', collection: 'cards', document: { id: 'c-1', name: '王先生' } }], 1);
      await store.commit('cards', [{ kind: 'put', collection: 'cards', document: { id: 'c-2', name: '李女士' } }], 2);
      await store.ensureCollections([spec]);
      await store.commit('cards', [{ kind: 'put', collection: 'cards', document: { id: 'c-3', name: '赵女士' } }], 3);
      // Two characters: found by a scan of the index's own text, so a document missing from the index is not found.
      expect((await store.find('cards', { text: '女士' })).items.map((item) => item.id)).toEqual(['c-2', 'c-3']);
      await store.dropGeneration('nothing_v1');
      await store.commit('cards', [{ kind: 'put', collection: 'cards', document: { id: 'c-4', name: '钱女士' } }], 4);
      expect((await store.find('cards', { text: '女士' })).items.map((item) => item.id)).toEqual(['c-2', 'c-3', 'c-4']);
    });
  });
});

describe('SQLite read store: prepared statements over a long replay', () => {
  it('reads batches of every length with a few statements, so the write statements stay prepared (the same documents found)', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      await store.ensureCollections([{ name: 'complaints', indexes: [['status']] }]);
      const ids = Array.from({ length: 1_100 }, (_, index) => `c-${index}`);
      await store.commit('complaints', ids.map((id, index) => ({ kind: 'put' as const, collection: 'complaints', document: { id, status: index % 2 === 0 ? 'open' : 'closed' } })), 1);
      const db = (store as unknown as { db: Database.Database }).db;
      const prepare = jest.spyOn(db, 'prepare');
      // A replay's batches read every number of ids, as many batches do over a million events.
      for (let length = 1; length <= 1_100; length += 1) {
        const found = await store.getMany('complaints', [...ids.slice(0, length), 'missing']);
        expect(found.size).toBe(length);
        if (length === 1_100) expect(ids.map((id) => found.get(id)?.['status'])).toEqual(ids.map((_, index) => (index % 2 === 0 ? 'open' : 'closed')));
      }
      expect(prepare.mock.calls.length).toBeLessThanOrEqual(8);
      prepare.mockClear();
      for (let position = 2; position <= 21; position += 1) {
        await store.commit('complaints', [{ kind: 'put', collection: 'complaints', document: { id: `c-${position}`, status: 'reopened' } }, { kind: 'delete', collection: 'complaints', id: `c-${position + 500}` }], position);
      }
      // The first commit prepares its statements; the nineteen after it reuse them.
      expect(prepare.mock.calls.length).toBeLessThanOrEqual(4);
      expect((await store.getMany('complaints', ['c-2', 'c-502', 'c-22'])).get('c-2')).toEqual({ id: 'c-2', status: 'reopened' });
      expect((await store.getMany('complaints', ['c-2', 'c-502', 'c-22'])).size).toBe(2);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite read store: the live generations, read once', () => {
  const withFile = async (run: (store: SqliteReadStore, raw: Database.Database) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const store = new SqliteReadStore({ filename: join(dir, 'read.sqlite') });
    const raw = new Database(join(dir, 'read.sqlite'));
    try {
      await run(store, raw);
    } finally {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  /** Counts the runs of the store's read of rm_generations (the statement is prepared at its first use). */
  const countGenerationReads = (store: SqliteReadStore): { readonly count: number } => {
    const db = (store as unknown as { db: Database.Database }).db;
    const prepare = db.prepare.bind(db);
    const counter = { count: 0 };
    jest.spyOn(db, 'prepare').mockImplementation(((source: string) => {
      const statement = prepare(source);
      if (!/FROM rm_generations\b/.test(source)) return statement;
      const all = statement.all.bind(statement);
      return Object.assign(statement, { all: (...parameters: unknown[]) => { counter.count += 1; return all(...parameters); } });
    }) as typeof db.prepare);
    return counter;
  };

  it('reads rm_generations again only after a switch, not after every commit of another connection (the projector\'s)', async () => {
    await withFile(async (store, raw) => {
      await store.activateGeneration('complaints', 'complaints_v1');
      const reads = countGenerationReads(store);
      await store.ensureCollections([{ name: 'elsewhere' }]);
      const other = new SqliteReadStore({ filename: raw.name });
      try {
        for (let position = 1; position <= 20; position += 1) {
          await other.commit('elsewhere', [{ kind: 'put', collection: 'elsewhere', document: { id: `e-${position}` } }], position);
          expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v1' });
        }
        expect(reads.count).toBe(1);
        await other.activateGeneration('complaints', 'complaints_v2');
        expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v2' });
        expect(reads.count).toBe(2);
      } finally {
        await other.close();
      }
    });
  });

  it('sees every write to rm_generations by any connection (a hand edit, another build), and answers when the count is dropped by hand', async () => {
    await withFile(async (store, raw) => {
      await store.activateGeneration('complaints', 'complaints_v1');
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v1' });
      raw.prepare("UPDATE rm_generations SET generation = 'complaints_v2'").run();
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v2' });
      raw.prepare("INSERT INTO rm_generations (read_model, generation) VALUES ('surveys', 'surveys_v1')").run();
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v2', surveys: 'surveys_v1' });
      raw.prepare("DELETE FROM rm_generations WHERE read_model = 'complaints'").run();
      expect(await store.liveGenerations()).toEqual({ surveys: 'surveys_v1' });
      raw.exec('DROP TABLE rm_generation_switches');
      expect(await store.liveGenerations()).toEqual({ surveys: 'surveys_v1' });
      // Its triggers refuse a write until the store makes the count again.
      await store.activateGeneration('complaints', 'complaints_v3');
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v3', surveys: 'surveys_v1' });
      // A connection opened since (the one that dropped it keeps its schema as it was, without the count).
      const later = new Database(raw.name);
      try {
        later.prepare("DELETE FROM rm_generations WHERE read_model = 'surveys'").run();
      } finally {
        later.close();
      }
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v3' });
    });
  });

  // The triggers dropped by hand, then the live generation switched and the old one dropped by hand: every instance kept the
  // generation it had read, and every read of the list answered 400 unknown collection until a restart (an attacker's MEDIUM).
  it('reads rm_generations again once a live generation it read is found dropped, whatever became of the triggers', async () => {
    await withFile(async (store, raw) => {
      await store.ensureCollections([{ name: 'complaints_v1__list' }, { name: 'complaints_v2__list' }]);
      await store.activateGeneration('complaints', 'complaints_v1');
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v1' });
      expect((await store.find('complaints_v1__list')).items).toEqual([]);
      raw.exec(`DROP TRIGGER rm_generations_insert; DROP TRIGGER rm_generations_update; DROP TRIGGER rm_generations_delete;
        UPDATE rm_generations SET generation = 'complaints_v2'; DROP TABLE doc_complaints_v1__list`);
      // The read raced nothing here, but it cannot tell: a generation it read as live, switched and dropped since (docs/adr/0005).
      await expect(store.find('complaints_v1__list')).rejects.toThrow(ReadModelRebuildingError.generationReplaced('complaints', 'complaints_v1__list', 'complaints_v2'));
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v2' });
      // Found without its triggers, the count is not trusted (the read makes nothing, docs/adr/0005): a later switch by hand is seen without a dropped table to tell it.
      raw.prepare("UPDATE rm_generations SET generation = 'complaints_v3'").run();
      expect(await store.liveGenerations()).toEqual({ complaints: 'complaints_v3' });
    });
  });

  // A reader that knew a collection another process dropped (an as-of generation deleted through another instance) got
  // SQLite's "no such table", which only the as-of reader told by its text (a reviewer's LOW): every read says unknown collection.
  it('answers unknown collection to every read of a collection another process dropped after this one read it', async () => {
    await withFile(async (store, raw) => {
      await store.ensureCollections([{ name: 'asof_june_complaints' }]);
      await store.commit('asof_june', [{ kind: 'put', collection: 'asof_june_complaints', document: { id: 'c-1' } }], 1);
      expect((await store.find('asof_june_complaints')).items).toHaveLength(1);
      expect(await store.get('asof_june_complaints', 'c-1')).toBeDefined();
      raw.exec('DROP TABLE doc_asof_june_complaints');
      for (const read of [
        () => store.find('asof_june_complaints'), () => store.get('asof_june_complaints', 'c-1'),
        () => store.getMany('asof_june_complaints', ['c-1']), () => store.count('asof_june_complaints'),
      ]) {
        await expect(read()).rejects.toThrow(new InvalidQueryError('unknown collection: asof_june_complaints'));
      }
    });
  });

  it.each([
    ['with other columns', 'CREATE TABLE rm_secrets (name TEXT PRIMARY KEY, value TEXT)', 'TABLE'],
    ['without its primary key', 'CREATE TABLE rm_secrets (name TEXT, secret BLOB)', 'TABLE'],
    ['as a view', "CREATE VIEW rm_secrets AS SELECT 'cursor' AS name, 42 AS secret", 'VIEW'],
  ])('does not open on a file whose rm_secrets was made again by hand %s, saying how to mend it; mended, it opens', async (_, create, kind) => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    try {
      await new SqliteReadStore({ filename }).close();
      const raw = new Database(filename);
      try {
        raw.exec(`DROP TABLE rm_secrets; ${create}`);
      } finally {
        raw.close();
      }
      let refusal: unknown;
      try {
        await new SqliteReadStore({ filename }).close();
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ReadStoreDamagedError);
      expect((refusal as Error).message).toMatch(new RegExp(`^read\\.sqlite's rm_secrets, .*DROP ${kind} rm_secrets in read\\.sqlite\\) and it is made again`));
      const mend = new Database(filename);
      try {
        mend.exec(`DROP ${kind} rm_secrets`);
      } finally {
        mend.close();
      }
      const store = new SqliteReadStore({ filename });
      expect((await store.damage())).toEqual([]);
      await store.close();
    } finally {
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

describe('SQLite read store: a lease row edited by hand', () => {
  it.each([
    ['text', "'soon'"],
    ['a blob', "x'00ff'"],
  ])('takes a lease whose expiry is %s (no time it could run out at) as run out: before, no process took it again and the read models stood still', async (_, value) => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    const store = new SqliteReadStore({ filename });
    try {
      expect(await store.acquireLease('projector', 'web-1:7:3f2a9c1d:5e0b91c4', 10_000)).toBe(true);
      const db = new Database(filename);
      try {
        db.exec(`UPDATE rm_leases SET holder = 'edited', expires_at = ${value}`);
      } finally {
        db.close();
      }
      expect(await store.leaseHolder('projector')).toBeNull();
      expect(await store.acquireLease('projector', 'web-2:8:4a3b2c1d:5e0b91c4', 10_000)).toBe(true);
      expect(await store.leaseHolder('projector')).toBe('web-2:8:4a3b2c1d:5e0b91c4');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs `sql` on a read store's file through a connection of its own, as an operator's hand edit would. */
function editFile(filename: string, sql: string): void {
  const db = new Database(filename);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

describe('SQLite read store: rm_leases dropped or remade by hand while processes hold leases', () => {
  // Two API instances on one data dir: after rm_leases was remade as a view and then dropped (the mend /health gives), the
  // table made again at the next use was empty, and the waiting instance took the lease while the holder still projected.
  // Both wrote until the holder's next renewal, the fence stopped one of them for good, and the read models stood still.
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let dir: string;
  let filename: string;
  let stores: SqliteReadStore[];
  const open = () => {
    const store = new SqliteReadStore({ filename });
    stores.push(store);
    return store;
  };
  const edit = (sql: string) => editFile(filename, sql);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    filename = join(dir, 'read.sqlite');
    stores = [];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['dropped', 'DROP TABLE rm_leases'],
    ['remade as a view, then dropped (the mend)', "DROP TABLE rm_leases; CREATE VIEW rm_leases AS SELECT 'projector' AS name, 'someone' AS holder, 0 AS expires_at; DROP VIEW rm_leases"],
  ])('%s: the table made again refuses another holder while the holder\'s lease would still run, and lets the holder renew it', async (_, sql) => {
    const [first, second] = [open(), open()];
    expect(await first.acquireLease('projector', 'first', 10_000)).toBe(true);
    edit(sql);
    expect(await second.acquireLease('projector', 'second', 10_000)).toBe(false);
    expect(await second.leaseHolder('projector')).toBeNull();
    expect(await first.acquireLease('projector', 'first', 10_000)).toBe(true);
    expect(await second.leaseHolder('projector')).toBe('first');
    expect(await second.acquireLease('projector', 'second', 10_000)).toBe(false);
  });

  it('made again by the waiting process\'s own read: the holder still renews, and the other is still refused', async () => {
    const [first, second] = [open(), open()];
    expect(await first.acquireLease('projector', 'first', 10_000)).toBe(true);
    edit('DROP TABLE rm_leases');
    expect(await second.leaseHolder('projector')).toBeNull();
    expect(await second.acquireLease('projector', 'second', 10_000)).toBe(false);
    expect(await first.acquireLease('projector', 'first', 10_000)).toBe(true);
  });

  it('lets anyone take a lease one ttl after the table was made again, and refuses until then a holder whose lease had run out', async () => {
    const [first, second] = [open(), open()];
    expect(await first.acquireLease('projector', 'first', 400)).toBe(true);
    await wait(450);
    edit('DROP TABLE rm_leases');
    // Its lease ran out before the table went: it may have stopped and another may be about to start, so it waits as the others do.
    expect(await first.acquireLease('projector', 'first', 400)).toBe(false);
    expect(await second.acquireLease('projector', 'second', 400)).toBe(false);
    await wait(450);
    expect(await second.acquireLease('projector', 'second', 400)).toBe(true);
    expect(await first.leaseHolder('projector')).toBe('second');
  });

  it('does not hold back a fresh read store: the first lease is taken at once', async () => {
    expect(await open().acquireLease('projector', 'first', 10_000)).toBe(true);
  });

  it('says of rm_leases as a view what is true: the holder goes on projecting, no other can take over', async () => {
    const store = open();
    expect(await store.acquireLease('projector', 'first', 10_000)).toBe(true);
    edit("DROP TABLE rm_leases; CREATE VIEW rm_leases AS SELECT 'projector' AS name, 'someone' AS holder, 0 AS expires_at");
    const [said] = await store.damage();
    expect(said).toMatch(/is a view/);
    expect(said).not.toMatch(/stand still/);
    expect(said).toMatch(/no lease can be taken, renewed or given up: a process that held the projector lease goes on projecting, but no other can take over if it stops/);
    expect(said).toMatch(/DROP VIEW rm_leases in read\.sqlite\) and it is made again at the next use/);
  });
});

describe('SQLite read store: a live generation\'s table dropped by hand', () => {
  const withFile = async (work: (filename: string, store: SqliteReadStore, edit: (sql: string) => void) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-rs-'));
    const filename = join(dir, 'read.sqlite');
    const store = new SqliteReadStore({ filename });
    const edit = (sql: string) => editFile(filename, sql);
    try {
      await work(filename, store, edit);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };

  // A store that never saw the table (another process, started after the drop) cannot tell a dropped table from one a new version
  // adds (ADR 0005): it says the read model is being rebuilt once the projector's rebuild record names the collection.
  it('answers a read of it (seen by this store, or named by the rebuild record) as the read model being rebuilt, naming it, not as an unknown collection; another collection stays unknown', async () => {
    await withFile(async (filename, store, edit) => {
      await store.ensureCollections([{ name: 'tickets_v2__tickets' }]);
      await store.activateGeneration('tickets', 'tickets_v2');
      await store.commit('tickets_v2', [{ kind: 'put', collection: 'tickets_v2__tickets', document: { id: 't-1' } }], 3);
      expect((await store.find('tickets_v2__tickets')).items).toHaveLength(1);
      edit('DROP TABLE "doc_tickets_v2__tickets"');
      const fresh = new SqliteReadStore({ filename });
      try {
        await expect(fresh.count('tickets_v2__tickets')).rejects.toThrow(InvalidQueryError);
        await store.ensureCollections([{ name: READ_MODEL_REBUILDS }]);
        await store.commit('projection-rebuilds', [{ kind: 'put', collection: READ_MODEL_REBUILDS, document: { id: 'tickets', projection: 'tickets', generation: 'tickets_v2', collections: ['tickets_v2__tickets'] } }], 0);
        for (const read of [() => store.find('tickets_v2__tickets'), () => store.get('tickets_v2__tickets', 't-1'), () => fresh.count('tickets_v2__tickets')]) {
          const error: unknown = await read().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(ReadModelRebuildingError);
          expect(error).toMatchObject({ readModel: 'tickets', collection: 'tickets_v2__tickets' });
          expect((error as Error).message).toMatch(/tickets .*rebuilt from the event log.*try again/);
        }
        await expect(fresh.find('tickets_v1__tickets')).rejects.toThrow(InvalidQueryError);
        await expect(fresh.find('nothing')).rejects.toThrow(/unknown collection: nothing/);
      } finally {
        await fresh.close();
      }
    });
  });

  // An upgrade: the new version's API reads a collection the new version adds, under the old version's live generation, while the
  // projector builds the new one (minutes). That is no dropped table: a 503 "builds it again within a few seconds" for the whole
  // build, with /health silent, said what was not so; it stays a 400 that says why.
  it('answers a collection of the live generation that never existed (a new version adds it) as unknown, saying a new version may be building it', async () => {
    await withFile(async (filename, store) => {
      await store.ensureCollections([{ name: 'tickets_v2__tickets' }]);
      await store.activateGeneration('tickets', 'tickets_v2');
      const fresh = new SqliteReadStore({ filename });
      try {
        for (const read of [() => store.find('tickets_v2__added'), () => fresh.get('tickets_v2__added', 't-1'), () => store.count('tickets_v2__added')]) {
          const error: unknown = await read().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(InvalidQueryError);
          expect((error as Error).message).toMatch(/^unknown collection: tickets_v2__added\b/);
          expect((error as Error).message).toMatch(/tickets_v2 .*has no such table.*new version of tickets.*being built/);
        }
      } finally {
        await fresh.close();
      }
    });
  });

  // The same upgrade, once the projector has made the new version's tables beside the live one: the read waits for that build,
  // which the store can see; a 400 blamed the query (a reviewer's MEDIUM). A 503 that names the new generation, read once it is live.
  it('answers a collection the live generation lacks but another version of its read model has as that version being built', async () => {
    await withFile(async (filename, store) => {
      await store.ensureCollections([{ name: 'tickets_v2__tickets' }, { name: 'tickets_v3__tickets' }, { name: 'tickets_v3__added' }]);
      await store.activateGeneration('tickets', 'tickets_v2');
      const fresh = new SqliteReadStore({ filename });
      try {
        for (const read of [() => store.find('tickets_v2__added'), () => fresh.get('tickets_v2__added', 't-1')]) {
          const error: unknown = await read().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(ReadModelRebuildingError);
          expect(error).toMatchObject({ readModel: 'tickets', collection: 'tickets_v2__added', building: 'tickets_v3' });
          expect((error as Error).message).toMatch(/a new version of it \(generation tickets_v3\) is being built .*GET \/health/);
        }
        // No version has it: unknown, as before.
        await expect(fresh.find('tickets_v2__never')).rejects.toThrow(InvalidQueryError);
      } finally {
        await fresh.close();
      }
    });
  });

  /** A live generation `cards_v1` with a collection whose text is searched, filled, searched once (the store knows its index). */
  const liveCards = async (store: SqliteReadStore) => {
    const spec = { name: 'cards_v1__cards', text: ['name'] };
    const fill = async () => {
      await store.ensureCollections([spec]);
      await store.commit('cards_v1', [{ kind: 'put', collection: spec.name, document: { id: 'c-1', name: '王先生 投诉加油站' } }, { kind: 'put', collection: spec.name, document: { id: 'c-2', name: 'Ms. Zhao' } }], 2);
    };
    await fill();
    await store.activateGeneration('cards', 'cards_v1');
    const answers = async (reader: SqliteReadStore) => Promise.all(['加油站', '王', 'zhao'].map(async (text) => (await reader.find(spec.name, { text })).items.map((item) => item.id)));
    expect(await answers(store)).toEqual([['c-1'], ['c-1'], ['c-2']]);
    /** Each search of it, by this store or another: the read model being rebuilt, naming it (never SQLite's own error). */
    const refused = async (reader: SqliteReadStore) => {
      for (const text of ['加油站', '王', 'zhao']) {
        const error: unknown = await reader.find(spec.name, { text }).then(() => undefined, (caught: unknown) => caught);
        expect(error).toBeInstanceOf(ReadModelRebuildingError);
        expect(error).toMatchObject({ readModel: 'cards', collection: spec.name });
      }
    };
    /** As the projector rebuilds it: the generation dropped, made again, filled again; then every search answers as before. */
    const rebuilt = async () => {
      await store.dropGeneration('cards_v1');
      await fill();
      expect(await store.missingCollections([spec.name])).toEqual([]);
      expect(await answers(store)).toEqual([['c-1'], ['c-1'], ['c-2']]);
    };
    /** As the projector mends a lost text index: the collection ensured again, which makes the index from its documents. */
    const mended = async () => {
      await store.ensureCollections([spec]);
      expect(await store.missingCollections([spec.name])).toEqual([]);
      expect(await store.damagedTextIndexes([spec.name])).toEqual([]);
      expect(await answers(store)).toEqual([['c-1'], ['c-1'], ['c-2']]);
    };
    return { collection: spec.name, answers, refused, rebuilt, mended };
  };

  // FTS5 keeps a text index in tables of its own (`<index>_data`, `_idx`, `_content`, `_docsize`, `_config`); the sqlite3 shell
  // drops one (better-sqlite3 refuses it unless in unsafe mode): every search of the index failed, and so did every write.
  it.each(['data', 'idx', 'content', 'docsize', 'config'])('reports a live collection whose text index lost its FTS5 table _%s as a damaged text index (not missing), answers its searches as the read model being rebuilt, and makes the index again', async (shadow) => {
    await withFile(async (filename, store) => {
      const cards = await liveCards(store);
      const db = new Database(filename);
      try {
        db.unsafeMode(true);
        db.exec(`DROP TABLE "fts_cards_v1__cards_${shadow}"`);
      } finally {
        db.close();
      }
      expect(await store.missingCollections([cards.collection])).toEqual([]);
      expect(await store.damagedTextIndexes([cards.collection])).toEqual([cards.collection]);
      await cards.refused(store);
      const fresh = new SqliteReadStore({ filename });
      try {
        await cards.refused(fresh);
        await cards.mended();
        expect(await cards.answers(fresh)).toEqual([['c-1'], ['c-1'], ['c-2']]);
      } finally {
        await fresh.close();
      }
    });
  });

  // A store opened after the drop never saw the index: a search of a live collection without one scanned its documents (200),
  // where the one that saw it failed; both now say the read model is being rebuilt, without waiting for the projector's poll.
  it('answers a search of a live collection whose text index was dropped as the read model being rebuilt in a store opened after the drop too', async () => {
    await withFile(async (filename, store, edit) => {
      const cards = await liveCards(store);
      edit('DROP TABLE "fts_cards_v1__cards"');
      const fresh = new SqliteReadStore({ filename });
      try {
        await cards.refused(fresh);
        expect(await fresh.missingCollections([cards.collection])).toEqual([]);
        expect(await fresh.damagedTextIndexes([cards.collection])).toEqual([cards.collection]);
        await cards.refused(store);
        await cards.mended();
        expect(await cards.answers(fresh)).toEqual([['c-1'], ['c-1'], ['c-2']]);
      } finally {
        await fresh.close();
      }
    });
  });

  // A store opened after a hand drop never saw the table: it waited for the projector's poll to record the rebuild (a 400 until
  // then). A collection with text fields leaves its record in rm_text_fields, which only its generation's drop removes.
  it('answers a read of a dropped live collection with text fields as the read model being rebuilt in a store opened after the drop, before any rebuild is recorded', async () => {
    await withFile(async (filename, store, edit) => {
      const cards = await liveCards(store);
      edit(`DROP TABLE "doc_${cards.collection}"`);
      const fresh = new SqliteReadStore({ filename });
      try {
        for (const read of [() => fresh.find(cards.collection), () => fresh.get(cards.collection, 'c-1'), () => fresh.find(cards.collection, { text: '王' })]) {
          const error: unknown = await read().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(ReadModelRebuildingError);
          expect(error).toMatchObject({ readModel: 'cards', collection: cards.collection });
        }
        await cards.rebuilt();
        expect(await cards.answers(fresh)).toEqual([['c-1'], ['c-1'], ['c-2']]);
      } finally {
        await fresh.close();
      }
    });
  });

  // rm_text_fields records which fields each collection searches: dropped by hand, a store that had not read it failed every
  // search, and ensureCollections and dropGeneration failed on it (no rebuild could run).
  it('reports a live collection with a text index as a damaged text index when the record of text fields is dropped, and makes the index again, the record made again', async () => {
    await withFile(async (filename, store, edit) => {
      const cards = await liveCards(store);
      edit('DROP TABLE rm_text_fields');
      const fresh = new SqliteReadStore({ filename });
      try {
        edit('DROP TABLE rm_text_fields');
        expect(await store.missingCollections([cards.collection])).toEqual([]);
        expect(await store.damagedTextIndexes([cards.collection])).toEqual([cards.collection]);
        await cards.refused(fresh);
        await cards.mended();
        expect(await cards.answers(fresh)).toEqual([['c-1'], ['c-1'], ['c-2']]);
      } finally {
        await fresh.close();
      }
    });
  });

  it('does no DDL on a read of a dropped table (the generations\' triggers are left as they are); a switch of generation makes them again', async () => {
    await withFile(async (filename, store, edit) => {
      await store.ensureCollections([{ name: 'old_v1__tickets' }]);
      expect((await store.find('old_v1__tickets')).items).toEqual([]);
      // Opened before the edit (opening makes the triggers): it reads the generations once, and then only when the count moves.
      const other = new SqliteReadStore({ filename });
      expect(await other.liveGenerations()).toEqual({});
      edit("DROP TRIGGER rm_generations_insert; DROP TRIGGER rm_generations_update; DROP TRIGGER rm_generations_delete; DROP TABLE \"doc_old_v1__tickets\"");
      const triggers = () => {
        const db = new Database(filename, { readonly: true });
        try {
          return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
        } finally {
          db.close();
        }
      };
      await expect(store.find('old_v1__tickets')).rejects.toThrow(/unknown collection/);
      expect(triggers()).toEqual([]);
      try {
        await store.activateGeneration('tickets', 'tickets_v3');
        expect(triggers()).toEqual(['rm_generations_delete', 'rm_generations_insert', 'rm_generations_update']);
        expect(await other.liveGenerations()).toEqual({ tickets: 'tickets_v3' });
      } finally {
        await other.close();
      }
    });
  });
});
