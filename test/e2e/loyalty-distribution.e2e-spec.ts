import { newComplaint, useApp } from './support/test-app';

/**
 * GET /stats/loyalty: the customers of every loyalty tier and lifecycle stage, counted in full. The dashboard drew
 * its loyalty charts from one page of GET /customers per tier (200 at most), so a tier of more read as 200.
 */
describe('the loyalty distribution', () => {
  const app = useApp();
  const CUSTOMERS = 230;
  let position = 0;

  beforeAll(async () => {
    for (let first = 0; first < CUSTOMERS; first += 23) {
      const answers = await Promise.all(Array.from({ length: 23 }, (_, index) => app().request('POST', '/complaints', {
        role: 'agent', body: { ...newComplaint, customerId: `cust-tier-${first + index}`, customerName: `客户 ${first + index}` },
      })));
      for (const answer of answers) {
        expect(answer.status).toBe(201);
        position = Math.max(position, answer.body.position);
      }
    }
  }, 120_000);

  it('counts every customer of each tier and stage, past the 200 of a page, and as many as GET /customers lists', async () => {
    const answer = await app().request('GET', `/stats/loyalty?minPosition=${position}`, { role: 'analyst' });
    expect(answer.status).toBe(200);
    expect(answer.body.asOf).toBeNull();
    expect(answer.body.customers).toBe(CUSTOMERS);
    const rows = answer.body.rows as Array<{ dimension: string; value: string; labels: { en: string }; customers: number }>;
    expect(rows.map((row) => `${row.dimension}:${row.value}`)).toEqual([
      'tier:loyal', 'tier:satisfied', 'tier:at-risk', 'tier:detractor', 'stage:exploration', 'stage:formation', 'stage:stability', 'stage:decline',
    ]);
    const sum = (dimension: string) => rows.filter((row) => row.dimension === dimension).reduce((total, row) => total + row.customers, 0);
    expect([sum('tier'), sum('stage')]).toEqual([CUSTOMERS, CUSTOMERS]);
    // One new complaint each: every customer in the same tier and stage, all 230 of them in one count.
    expect(Math.max(...rows.map((row) => row.customers))).toBe(CUSTOMERS);
    for (const row of rows.filter((entry) => entry.customers > 0)) {
      let listed = 0;
      let cursor: string | null = null;
      do {
        const page = await app().request('GET', `/customers?${row.dimension}=${row.value}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { role: 'analyst' });
        listed += page.body.items.length;
        cursor = page.body.nextCursor;
      } while (cursor);
      expect({ [row.value]: listed }).toEqual({ [row.value]: row.customers });
    }
  });

  it('refuses a read model that was never built, a malformed asOf and an agent, with problems saying why', async () => {
    const unknown = await app().request('GET', '/stats/loyalty?asOf=never-built', { role: 'analyst' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'as-of-not-found']);
    const badName = await app().request('GET', '/stats/loyalty?asOf=not%20a%20name', { role: 'analyst' });
    expect([badName.status, badName.body.code]).toEqual([400, 'validation-failed']);
    expect(JSON.stringify(badName.body.errors)).toMatch(/asOf must be the name of a read model/);
    const agent = await app().request('GET', '/stats/loyalty', { role: 'agent' });
    expect([agent.status, agent.body.code]).toEqual([403, 'forbidden']);
  });
});
