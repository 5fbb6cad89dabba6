import { GridFsBlobStore } from '@app/blob-store';
import { describeBlobStoreContract } from '@app/blob-store/testing';
import { withEngine } from './support/engine';

withEngine('MONGODB_URL', 'MongoDB GridFS (attachments)', (url) => {
  jest.setTimeout(30_000);
  describeBlobStoreContract('MongoDB GridFS', async () => {
    const store = await GridFsBlobStore.connect({ url });
    return { store, openAnother: () => GridFsBlobStore.connect({ url }), dispose: () => store.close() };
  });
});
