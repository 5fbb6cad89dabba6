import { randomUUID } from 'node:crypto';
import { Binary, BSONRegExp, MaxKey, MongoClient, Timestamp } from 'mongodb';
import { CheckpointConflictError, MongoReadStore, databaseOf } from '@app/read-store';
import { describeReadStoreContract } from '@app/read-store/testing';
import { withEngine } from './support/engine';

// The same suite as the embedded store's, unchanged, in both commit modes: a replica set runs the
// transaction mode and the journal mode a standalone server would use.
withEngine('MONGODB_URL', 'MongoDB', (url) => {
  jest.setTimeout(30_000);
  const dropCursorKey = async () => {
    const client = await new MongoClient(url).connect();
    try {
      await client.db(databaseOf(url)).collection<{ _id: string }>('rm_secrets').deleteOne({ _id: 'cursor' });
    } finally {
      await client.close();
    }
  };
  /** An expiry edited by hand into a value that is no date: those that sort after every date (a timestamp, a regex, MaxKey) blocked the lease for ever. */
  const editExpiry = (update: Record<string, unknown>) => async (lease: string) => {
    const client = await new MongoClient(url).connect();
    try {
      await client.db(databaseOf(url)).collection<{ _id: string }>('rm_leases').updateOne({ _id: lease }, update);
    } finally {
      await client.close();
    }
  };
  const leaseExpiryEdits = {
    'a string': editExpiry({ $set: { expiresAt: 'soon' } }),
    'bytes': editExpiry({ $set: { expiresAt: new Binary(Buffer.from([0, 255])) } }),
    'null': editExpiry({ $set: { expiresAt: null } }),
    'none': editExpiry({ $unset: { expiresAt: '' } }),
    'a timestamp': editExpiry({ $set: { expiresAt: new Timestamp({ t: 2_000_000_000, i: 1 }) } }),
    'a regular expression': editExpiry({ $set: { expiresAt: new BSONRegExp('soon') } }),
    'MaxKey': editExpiry({ $set: { expiresAt: new MaxKey() } }),
  };
  /** A collection dropped by hand, as `db.collection.drop()` in mongosh would (its name as the store makes it); one already gone is fine. */
  const dropByHand = (name: string) => async () => {
    const client = await new MongoClient(url).connect();
    try {
      await client.db(databaseOf(url)).collection(name).drop().catch((error: { code?: number }) => {
        if (error.code !== 26) throw error; // NamespaceNotFound
      });
    } finally {
      await client.close();
    }
  };
  const drops = { dropCollection: (collection: string) => dropByHand(collection.replace(/[^A-Za-z0-9_]/g, '_'))(), dropLeases: dropByHand('rm_leases') };
  const options = { sharedData: true, editsLeases: true, dropsCollections: true, dropsLeases: true };
  describeReadStoreContract('MongoDB (auto: transactions on a replica set)', async () => {
    const store = await MongoReadStore.connect({ url });
    return { store, openAnother: () => MongoReadStore.connect({ url }), dropCursorKey, leaseExpiryEdits, ...drops, dispose: () => store.close() };
  }, options);
  describeReadStoreContract('MongoDB (journal, as on a standalone server)', async () => {
    const store = await MongoReadStore.connect({ url, atomicity: 'journal' });
    return { store, openAnother: () => MongoReadStore.connect({ url, atomicity: 'journal' }), dropCursorKey, leaseExpiryEdits, ...drops, dispose: () => store.close() };
  }, options);
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

  it('leaves alone a batch that another writer brought past its commit point when its own fence fails (two writers and a crash)', async () => {
    const restarted = await MongoReadStore.connect({ url, atomicity: 'journal' });
    const stale = await MongoReadStore.connect({ url, atomicity: 'journal' });
    const client = await new MongoClient(url).connect();
    try {
      const db = client.db(databaseOf(url));
      const collection = `journal_${randomUUID().replace(/-/g, '')}`;
      const checkpoint = `cp-${collection}`;
      await restarted.ensureCollections([{ name: collection }]);
      await restarted.commit(checkpoint, [{ kind: 'put', collection, document: { id: 'a', n: 1 } }], 10, { expectedPosition: 0 });
      // The stale writer has journaled its batch of position 11 and is about to write its commit point when the
      // lease holder passes its own commit point for position 11, and crashes before applying it.
      const fenced = (stale as unknown as { fenced: (...args: unknown[]) => Promise<void> }).fenced.bind(stale);
      jest.spyOn(stale as unknown as { fenced: (...args: unknown[]) => Promise<void> }, 'fenced').mockImplementationOnce(async (...args: unknown[]) => {
        await db.collection('rm_journal').insertOne({
          checkpoint, commit: 'crashed-holder', expected: 10, position: 11, seq: 0, collection,
          model: { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', id: 'a', n: 2 }, upsert: true } },
        });
        await db.collection<{ _id: string }>('rm_checkpoints').updateOne({ _id: checkpoint }, { $set: { pending: { position: 11, commit: 'crashed-holder' } } });
        return fenced(...args);
      });
      await expect(stale.commit(checkpoint, [{ kind: 'put', collection, document: { id: 'a', n: 3 } }], 11, { expectedPosition: 10 })).rejects.toBeInstanceOf(CheckpointConflictError);
      // The holder, restarted, finishes its own batch: applied, not skipped.
      await restarted.recover(checkpoint);
      expect(await restarted.checkpoint(checkpoint)).toBe(11);
      expect(await restarted.get(collection, 'a')).toEqual({ id: 'a', n: 2 });
      expect(await db.collection('rm_journal').countDocuments({ checkpoint })).toBe(0);
    } finally {
      await client.close();
      await stale.close();
      await restarted.close();
    }
  }, 30_000);
});
