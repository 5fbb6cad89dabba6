import { MongoIdempotencyStore } from '@app/read-store';
import { describeIdempotencyStoreContract } from '@app/read-store/testing';
import { withEngine } from './support/engine';

withEngine('MONGODB_URL', 'MongoDB (idempotency keys)', (url) => {
  jest.setTimeout(30_000);
  describeIdempotencyStoreContract('MongoDB', async (ttlMs) => {
    const store = await MongoIdempotencyStore.connect({ url, ttlMs });
    return { store, openAnother: () => MongoIdempotencyStore.connect({ url, ttlMs }), dispose: () => store.close() };
  });
});
