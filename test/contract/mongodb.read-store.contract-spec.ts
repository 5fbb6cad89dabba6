import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoReadStore, databaseOf } from '@app/read-store';
import { describeReadStoreContract } from '@app/read-store/testing';
import { withEngine } from './support/engine';

// The same suite as the embedded store's, unchanged, in both commit modes: a replica set runs the
// transaction mode and the journal mode a standalone server would use.
withEngine('MONGODB_URL', 'MongoDB', (url) => {
  jest.setTimeout(30_000);
  describeReadStoreContract('MongoDB (auto: transactions on a replica set)', async () => {
    const store = await MongoReadStore.connect({ url });
    return { store, dispose: () => store.close() };
  });
  describeReadStoreContract('MongoDB (journal, as on a standalone server)', async () => {
    const store = await MongoReadStore.connect({ url, atomicity: 'journal' });
    return { store, dispose: () => store.close() };
  });
});

withEngine('MONGODB_URL', 'MongoDB journal', (url) => {
  it('rolls a batch forward from the journal when a crash came after its commit point, and drops one that came before', async () => {
    const store = await MongoReadStore.connect({ url, atomicity: 'journal' });
    const client = await new MongoClient(url).connect();
    try {
      const collection = `journal_${randomUUID().replace(/-/g, '')}`;
      const checkpoint = `cp-${collection}`;
      await store.ensureCollections([{ name: collection }]);
      await store.commit(checkpoint, [{ kind: 'put', collection, document: { id: 'a', n: 1 } }], 10, { expectedPosition: 0 });
      // A crash after the commit point: the journal and the pending mark are written, the change is not applied.
      const db = client.db(databaseOf(url));
      await db.collection('rm_journal').insertOne({ checkpoint, position: 11, seq: 0, collection, model: { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', id: 'a', n: 2 }, upsert: true } } });
      await db.collection<{ _id: string }>('rm_checkpoints').updateOne({ _id: checkpoint }, { $set: { pending: 11 } });
      expect(await store.checkpoint(checkpoint)).toBe(10);
      await store.recover(checkpoint);
      expect(await store.checkpoint(checkpoint)).toBe(11);
      expect(await store.get(collection, 'a')).toEqual({ id: 'a', n: 2 });
      // A crash before the commit point: journal entries without a pending mark are never applied.
      await db.collection('rm_journal').insertOne({ checkpoint, position: 12, seq: 0, collection, model: { deleteOne: { filter: { _id: 'a' } } } });
      await store.recover(checkpoint);
      await store.commit(checkpoint, [{ kind: 'put', collection, document: { id: 'b', n: 1 } }], 13, { expectedPosition: 11 });
      expect(await store.get(collection, 'a')).toEqual({ id: 'a', n: 2 });
      expect(await store.checkpoint(checkpoint)).toBe(13);
      expect(await db.collection('rm_journal').countDocuments({ checkpoint })).toBe(0);
    } finally {
      await client.close();
      await store.close();
    }
  }, 30_000);
});
