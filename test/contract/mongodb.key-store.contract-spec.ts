import { MongoKeyStore } from '@app/key-store';
import { describeKeyStoreContract } from '@app/key-store/testing';
import { withEngine } from './support/engine';

withEngine('MONGODB_URL', 'MongoDB (data keys)', (url) => {
  jest.setTimeout(30_000);
  describeKeyStoreContract('MongoDB', async () => {
    const store = await MongoKeyStore.connect({ url });
    return { store, openAnother: () => MongoKeyStore.connect({ url }), dispose: () => store.close() };
  });
});
