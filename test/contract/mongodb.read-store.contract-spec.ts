import { MongoReadStore } from '@app/read-store';
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
