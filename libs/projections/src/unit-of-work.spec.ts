import { Session } from 'node:inspector';
import { SqliteReadStore, generationCollection, type ReadDocument } from '@app/read-store';
import { DocumentNotLoaded } from './projection';
import { ProjectionDocuments, UnitOfWork } from './unit-of-work';

describe('unit of work of a batch', () => {
  let store: SqliteReadStore;
  const collection = (name: string) => generationCollection('g_v1', name);
  const counter = (id: string): ReadDocument => ({ id, hits: 0 });

  beforeEach(async () => {
    store = new SqliteReadStore({ filename: ':memory:' });
    await store.ensureCollections([{ name: collection('counters') }, { name: collection('notes') }]);
    await store.commit('g_v1', [{ kind: 'put', collection: collection('counters'), document: { id: 'c-1', hits: 5 } }, { kind: 'put', collection: collection('notes'), document: { id: 'n-1', text: 'stored' } }], 1);
  });
  afterEach(() => store.close());

  it('given writes of an event that then reads a document not loaded, when it is rolled back, then the batch is as it was before the event', async () => {
    const unit = new UnitOfWork(store, 'g_v1', new ProjectionDocuments(100));
    await unit.load([['notes', 'n-1']]);
    unit.begin();
    unit.add('counters', 'c-1', counter('c-1'), { hits: 2 });
    unit.end();

    unit.begin();
    unit.add('counters', 'c-1', counter('c-1'), { hits: 10 });
    unit.add('counters', 'c-2', counter('c-2'), { hits: 1 });
    unit.put('notes', { id: 'n-1', text: 'changed' });
    unit.put('notes', { id: 'n-2', text: 'new' });
    expect(() => unit.get('notes', 'n-3')).toThrow(DocumentNotLoaded);
    unit.rollback();

    await unit.settle();
    expect(unit.changes()).toEqual([{ kind: 'put', collection: collection('counters'), document: { hits: 7, id: 'c-1' } }]);
    expect(unit.get('notes', 'n-1')).toEqual({ id: 'n-1', text: 'stored' });
  });

  it('reads a document that amounts were added to once it is loaded, with the amounts applied; a rollback gives the amounts back', async () => {
    const unit = new UnitOfWork(store, 'g_v1');
    unit.begin();
    unit.add('counters', 'c-1', counter('c-1'), { hits: 1 });
    expect(() => unit.get('counters', 'c-1')).toThrow(DocumentNotLoaded);
    unit.rollback();
    await unit.load([['counters', 'c-1']]);
    unit.begin();
    unit.add('counters', 'c-1', counter('c-1'), { hits: 1 });
    expect(unit.get('counters', 'c-1')).toEqual({ hits: 6, id: 'c-1' });
    unit.end();

    unit.begin();
    unit.add('counters', 'c-3', counter('c-3'), { hits: 4 });
    unit.delete('counters', 'c-3');
    unit.rollback();
    await unit.settle();
    expect(unit.changes()).toEqual([{ kind: 'put', collection: collection('counters'), document: { hits: 6, id: 'c-1' } }]);
  });

  it('makes an initial document given as a function once per document and batch, when it first gets amounts: the same document as one given built', async () => {
    const unit = new UnitOfWork(store, 'g_v1');
    let made = 0;
    const initial = () => {
      made += 1;
      return counter('c-9');
    };
    for (const hits of [1, 2, 3]) {
      unit.begin();
      unit.add('counters', 'c-9', initial, { hits });
      unit.end();
    }
    expect(made).toBe(1);
    await unit.settle();
    const built = new UnitOfWork(store, 'g_v1');
    built.add('counters', 'c-9', counter('c-9'), { hits: 6 });
    await built.settle();
    expect(unit.changes()).toEqual(built.changes());
    expect(unit.changes()).toEqual([{ kind: 'put', collection: collection('counters'), document: { hits: 6, id: 'c-9' } }]);
  });

  it('refuses to list changes while amounts are pending, and writes a document added to but missing from its initial value', async () => {
    const unit = new UnitOfWork(store, 'g_v1');
    unit.add('counters', 'c-9', counter('c-9'), { hits: 3 });
    expect(() => unit.changes()).toThrow(/settle/);
    await unit.settle();
    expect(unit.changes()).toEqual([{ kind: 'put', collection: collection('counters'), document: { hits: 3, id: 'c-9' } }]);
  });

  it('keeps documents across batches in one map: the next batch reads the committed document itself, not a copy, without loading it', async () => {
    const documents = new ProjectionDocuments(100);
    const first = new UnitOfWork(store, 'g_v1', documents);
    await first.load([['notes', 'n-1']]);
    const written = { id: 'n-1', text: 'changed' };
    first.put('notes', written);
    await store.commit('g_v1', first.changes(), 2);
    first.committedTo();

    const getMany = jest.spyOn(store, 'getMany');
    const second = new UnitOfWork(store, 'g_v1', documents);
    await second.load([['notes', 'n-1']]);
    expect(getMany).not.toHaveBeenCalled();
    expect(second.get('notes', 'n-1')).toBe(written);
    expect(second.changes()).toEqual([]);
  });

  it('given a batch whose commit fails, when it is abandoned, then the documents are what the store holds again and the next batch writes only its own', async () => {
    const documents = new ProjectionDocuments(100);
    const failed = new UnitOfWork(store, 'g_v1', documents);
    await failed.load([['notes', 'n-1'], ['counters', 'c-1']]);
    failed.put('notes', { id: 'n-1', text: 'lost' });
    failed.delete('counters', 'c-1');
    failed.put('notes', { id: 'n-2', text: 'lost too' });
    failed.add('counters', 'c-2', counter('c-2'), { hits: 1 });
    await failed.settle();
    failed.abandon();

    const next = new UnitOfWork(store, 'g_v1', documents);
    expect(next.get('notes', 'n-1')).toEqual({ id: 'n-1', text: 'stored' });
    expect(next.get('counters', 'c-1')).toEqual({ id: 'c-1', hits: 5 });
    expect(() => next.get('notes', 'n-2')).toThrow(DocumentNotLoaded);
    await next.load([['notes', 'n-2'], ['counters', 'c-2']]);
    expect(next.get('notes', 'n-2')).toBeUndefined();
    expect(next.get('counters', 'c-2')).toBeUndefined();
    next.add('counters', 'c-1', counter('c-1'), { hits: 1 });
    await next.settle();
    expect(next.changes()).toEqual([{ kind: 'put', collection: collection('counters'), document: { hits: 6, id: 'c-1' } }]);
  });

  it('forgets documents only between batches, when over its capacity, keeping the ones just written', async () => {
    const documents = new ProjectionDocuments(2);
    const unit = new UnitOfWork(store, 'g_v1', documents);
    await unit.load([['notes', 'n-1'], ['notes', 'n-2'], ['notes', 'n-3']]);
    unit.put('counters', { id: 'c-1', hits: 9 });
    expect(documents.size).toBe(4);
    await store.commit('g_v1', unit.changes(), 2);
    unit.committedTo();
    expect(documents.size).toBe(1);
    expect(new UnitOfWork(store, 'g_v1', documents).get('counters', 'c-1')).toEqual({ id: 'c-1', hits: 9 });
  });

  it('adds a batch\'s amounts in place to a document it loaded, once, and to a copy of one a projection built, never changing what that one shares', async () => {
    const documents = new ProjectionDocuments(100);
    const unit = new UnitOfWork(store, 'g_v1', documents);
    await unit.load([['counters', 'c-1']]);
    const loaded = unit.get('counters', 'c-1');
    const shared = { count: 0 };
    const initial = { id: 'c-2', hits: 0, nested: shared };
    unit.add('counters', 'c-1', counter('c-1'), { hits: 2 });
    unit.add('counters', 'c-2', initial, { hits: 1, 'nested.count': 1 });
    await unit.settle();
    // The loaded document itself, changed once at the commit; the initial one and its parts untouched.
    expect(unit.get('counters', 'c-1')).toBe(loaded);
    expect(loaded).toEqual({ id: 'c-1', hits: 7 });
    expect(initial).toEqual({ id: 'c-2', hits: 0, nested: { count: 0 } });
    expect(unit.changes()).toEqual([
      { kind: 'put', collection: collection('counters'), document: { hits: 7, id: 'c-1' } },
      { kind: 'put', collection: collection('counters'), document: { hits: 1, id: 'c-2', nested: { count: 1 } } },
    ]);
    await store.commit('g_v1', unit.changes(), 2);
    unit.committedTo();

    // The next batch: the runtime's own copy of c-2 is added to in place too; a document the projection put is copied first.
    const next = new UnitOfWork(store, 'g_v1', documents);
    const copy = next.get('counters', 'c-2');
    const put = { id: 'c-3', hits: 1, nested: shared };
    next.put('counters', put);
    next.add('counters', 'c-2', initial, { 'nested.count': 1 });
    next.add('counters', 'c-3', initial, { 'nested.count': 2 });
    await next.settle();
    expect(next.get('counters', 'c-2')).toBe(copy);
    expect(copy).toEqual({ hits: 1, id: 'c-2', nested: { count: 2 } });
    expect(next.get('counters', 'c-3')).toEqual({ hits: 1, id: 'c-3', nested: { count: 2 } });
    expect(put).toEqual({ id: 'c-3', hits: 1, nested: { count: 0 } });
    expect(shared).toEqual({ count: 0 });
  });

  it('given documents changed in place by a batch whose commit fails, when it is abandoned, then the next batch reads them again from the store', async () => {
    const documents = new ProjectionDocuments(100);
    const failed = new UnitOfWork(store, 'g_v1', documents);
    await failed.load([['notes', 'n-1'], ['counters', 'c-1']]);
    failed.begin();
    const note = failed.change<ReadDocument & { text: string }>('notes', 'n-1')!;
    note.text = 'lost';
    failed.end();
    failed.add('counters', 'c-1', counter('c-1'), { hits: 1 });
    await failed.settle();
    expect(failed.changes()).toEqual([
      { kind: 'put', collection: collection('notes'), document: { id: 'n-1', text: 'lost' } },
      { kind: 'put', collection: collection('counters'), document: { hits: 6, id: 'c-1' } },
    ]);
    failed.abandon();

    const next = new UnitOfWork(store, 'g_v1', documents);
    expect(() => next.get('notes', 'n-1')).toThrow(DocumentNotLoaded);
    await next.load([['notes', 'n-1'], ['counters', 'c-1']]);
    expect(next.get('notes', 'n-1')).toEqual({ id: 'n-1', text: 'stored' });
    expect(next.get('counters', 'c-1')).toEqual({ id: 'c-1', hits: 5 });
    expect(next.changes()).toEqual([]);
  });

  it('writes a document changed in place once per batch, whatever number of events changed it; says which one an event changed, for a rollback that cannot undo it', async () => {
    const unit = new UnitOfWork(store, 'g_v1', new ProjectionDocuments(100));
    await unit.load([['counters', 'c-1']]);
    for (let event = 0; event < 3; event += 1) {
      unit.begin();
      const document = unit.change<ReadDocument & { hits: number }>('counters', 'c-1')!;
      document.hits += 1;
      unit.end();
    }
    unit.begin();
    expect(unit.changedInPlace).toBeUndefined();
    expect(() => unit.change('notes', 'n-9')).toThrow(DocumentNotLoaded);
    expect(unit.changedInPlace).toBeUndefined();
    unit.change('counters', 'c-1');
    expect(unit.changedInPlace).toBe('counters c-1');
    unit.end();
    await unit.settle();
    expect(unit.changes()).toEqual([{ kind: 'put', collection: collection('counters'), document: { id: 'c-1', hits: 8 } }]);
  });
  it('puts a document the store holds out of order in order the first time it gets amounts, then keeps it in order batch after batch (eleventh step)', async () => {
    // Written by a projection's put, not by add: its keys in the projection's order, and a nested object's too.
    await store.commit('g_v1', [{ kind: 'put', collection: collection('counters'), document: { id: 'c-9', zeta: 1, nested: { b: 1, a: 1 }, alpha: 1 } }], 2, { expectedPosition: 1 });
    const documents = new ProjectionDocuments(100);
    const batches: Array<Record<string, number>> = [{ zeta: 1 }, { 'nested.c': 1, beta: 1 }, { 'nested.-1': 1, 'nested.0': 1, 'fresh.b': 1, 'fresh.a': 1 }];
    let position = 2;
    for (const amounts of batches) {
      const unit = new UnitOfWork(store, 'g_v1', documents);
      unit.begin();
      unit.add('counters', 'c-9', { id: 'c-9' }, amounts);
      unit.end();
      await unit.settle();
      await store.commit('g_v1', unit.changes(), position + 1, { expectedPosition: position });
      unit.committedTo();
      position += 1;
      if (position === 3) expect(JSON.stringify(unit.get('counters', 'c-9'))).toBe('{"alpha":1,"id":"c-9","nested":{"a":1,"b":1},"zeta":2}');
    }
    const expected = '{"alpha":1,"beta":1,"fresh":{"a":1,"b":1},"id":"c-9","nested":{"0":1,"-1":1,"a":1,"b":1,"c":1},"zeta":2}';
    expect(JSON.stringify((await store.getMany(collection('counters'), ['c-9'])).get('c-9'))).toBe(expected);
  });
  it('reads and replaces documents in memory without making garbage of its own per event: no key text per call, no table per event (eighteenth step)', async () => {
    const documents = new ProjectionDocuments(10_000);
    // Ids as long as the log's (a stream name, a UUID): a key text made of one is a string to join and hash.
    const ids = Array.from({ length: 100 }, (_, index) => `complaint-9f0c4e1a-2b3d-4c5e-8f70-${String(index).padStart(12, '0')}`);
    const warm = new UnitOfWork(store, 'g_v1', documents);
    await warm.load(ids.map((id) => ['counters', id] as const));
    // The same documents, batch after batch, as a replay reads and writes its hot documents.
    const replacements = ids.map((id) => ({ id, hits: 1 }));
    const batch = (events: number) => {
      const unit = new UnitOfWork(store, 'g_v1', documents);
      for (let event = 0; event < events; event += 1) {
        unit.begin();
        const index = event % ids.length;
        unit.get('counters', ids[index]!);
        unit.put('counters', replacements[index]!);
        unit.get('counters', ids[(index + 1) % ids.length]!);
        unit.end();
      }
      return unit;
    };
    batch(2_000);
    const events = 20_000;
    const bytes = await allocatedBy('unit-of-work.ts', () => { batch(events); });
    // With a key text per call (a string joined, then flattened to be hashed) and a journal cut to length 0 per event: 68 bytes (here about 1).
    expect(bytes / events).toBeLessThan(16);
  });
});

/**
 * The bytes allocated while `work` runs by the frames of source files whose path holds `source`, and what they
 * called (the sampling heap profiler, every object kept in the profile, garbage included; sampled every 256 bytes).
 */
async function allocatedBy(source: string, work: () => void): Promise<number> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) => new Promise<Record<string, unknown>>((resolve, reject) => {
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as Record<string, unknown>)));
  });
  interface HeapNode { callFrame: { url: string }; selfSize: number; children: HeapNode[] }
  try {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    work();
    const { profile } = await post('HeapProfiler.stopSampling') as { profile: { head: HeapNode } };
    const sum = (node: HeapNode, inside: boolean): number => {
      const within = inside || node.callFrame.url.includes(source);
      return (within ? node.selfSize : 0) + node.children.reduce((total, child) => total + sum(child, within), 0);
    };
    return sum(profile.head, false);
  } finally {
    session.disconnect();
  }
}
