import { KurrentDbEventStore } from '@app/event-store';
import { describeEventStoreContract } from '@app/event-store/testing';
import { withEngine } from './support/engine';

// The same suite as the embedded store's, unchanged; stream names are fresh per test, so a shared server works.
withEngine('EVENTSTORE_URL', 'KurrentDB', (url) => {
  jest.setTimeout(30_000);
  describeEventStoreContract(`KurrentDB (${url.replace(/\/\/[^@]*@/, '//')})`, async () => {
    const store = await KurrentDbEventStore.connect({ connectionString: url });
    return { store, dispose: () => store.close() };
  });
});
