import type { Browser } from 'playwright-core';
import { newComplaint, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, ensureConsoleBuilt, launch, personOn, waitForOrExplain, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(180_000);

/** More customers in one tier than a page of GET /customers holds (200): the dashboard's bars count them all. */
describeInBrowser('the loyalty charts of the dashboard, on more customers than a page', () => {
  const CUSTOMERS = 205;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    let position = 0;
    for (let first = 0; first < CUSTOMERS; first += 41) {
      const answers = await Promise.all(Array.from({ length: 41 }, (_, index) => app.request('POST', '/complaints', {
        role: 'agent', body: { ...newComplaint, customerId: `cust-bar-${first + index}` },
      })));
      for (const answer of answers) {
        expect(answer.status).toBe(201);
        position = Math.max(position, answer.body.position);
      }
    }
    expect((await app.request('GET', `/stats/loyalty?minPosition=${position}`, { role: 'analyst' })).body.customers).toBe(CUSTOMERS);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  it('shows every customer of a tier and of a stage, 205 and not the 200 of a page', async () => {
    const { context, page, problems } = await personOn(browser);
    await page.goto(app.baseUrl);
    await page.getByLabel(/访问令牌|Access token/).fill(TOKENS.analyst);
    await page.getByRole('button', { name: /登录|Sign in/ }).click();
    await page.getByRole('navigation').waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    // A new complaint each: all of them in one tier and one stage.
    const tiers = page.getByRole('img', { name: /^Customers by loyalty — Tier: .* 205(,|$)/ });
    await waitForOrExplain(page, tiers, 30_000);
    const counts = [...(await tiers.getAttribute('aria-label'))!.matchAll(/ (\d+)/g)].map((match) => Number(match[1]));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(CUSTOMERS);
    await page.getByRole('img', { name: /^Customers by loyalty — Stage: .* 205(,|$)/ }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
