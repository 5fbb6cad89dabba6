import { KeyStore } from '@app/key-store';
import { TOKENS, newComplaint, removeDataDir, startApp, type RunningApp } from './support/test-app';

/**
 * An attacker's race (docs/adr/0019, "Racing records"): complaints received for a customer while
 * the customer's erasure is recorded but its key not yet destroyed were projected with the name
 * readable, after the read models' clean-up had run, and kept it for ever (a second erasure then
 * found "nothing left to erase"). Here the intakes run in that very gap, every time: the key store
 * of the running app lets them in before it destroys the key.
 */
const REQUEST = { ground: 'consent-withdrawn', reason: 'r', requestReference: 'x' };

describe('an erasure racing intake leaves no readable name in any read model', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    removeDataDir(app.dataDir);
  });

  const receive = async (customerId: string, customerName: string) => {
    const received = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId, customerName } });
    expect(received.status).toBe(201);
    return received.body as { id: string; position: number };
  };
  const csv = async (path: string) => (await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${TOKENS.supervisor}` } })).text();

  it('complaints received between the erasure\'s event and its key\'s destruction show the customer as erased everywhere, and nothing is left to erase', async () => {
    // Not a word of the name in the id: the search matches ids too.
    const customerId = 'cust-x9';
    const first = await receive(customerId, 'Racer 0');
    const keys = app.get(KeyStore);
    const destroyKeys = keys.destroyKeys.bind(keys);
    let racing: Array<{ id: string; position: number }> = [];
    keys.destroyKeys = async (...args) => {
      keys.destroyKeys = destroyKeys;
      // The erasure is recorded; before its key goes, intake records complaints and the projections pass them.
      racing = await Promise.all([1, 2, 3].map(() => receive(customerId, 'Racer 1')));
      const last = Math.max(...racing.map((complaint) => complaint.position));
      expect((await app.request('GET', `/complaints?customerId=${customerId}&minPosition=${last}`, { role: 'agent' })).status).toBe(200);
      return destroyKeys(...args);
    };
    const erased = await app.request('POST', `/customers/${customerId}/erase`, { role: 'admin', body: REQUEST });
    expect(erased.status).toBe(200);
    expect(racing).toHaveLength(3);
    const position = erased.body.position as number;

    for (const { id } of [first, ...racing]) expect((await app.request('GET', `/complaints/${id}`, { role: 'agent' })).body.customer).toMatchObject({ name: null });
    expect((await app.request('GET', `/complaints?q=Racer&minPosition=${position}`, { role: 'agent' })).body.items).toEqual([]);
    const list = await app.request('GET', `/complaints?customerId=${customerId}&minPosition=${position}`, { role: 'agent' });
    expect(list.body.items.map((item: { customerName: unknown }) => item.customerName)).toEqual([null, null, null, null]);
    expect(await csv(`/complaints?format=csv&minPosition=${position}`)).not.toContain('Racer');
    expect(await csv(`/customers?format=csv&minPosition=${position}`)).not.toContain('Racer');
    expect(JSON.stringify((await app.request('GET', `/customers/${customerId}?minPosition=${position}`, { role: 'agent' })).body)).not.toContain('Racer');
    // Nothing readable is left: a second erasure rightly finds nothing to erase.
    const again = await app.request('POST', `/customers/${customerId}/erase`, { role: 'admin', body: REQUEST });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('customer-file-erased');
  });
});
