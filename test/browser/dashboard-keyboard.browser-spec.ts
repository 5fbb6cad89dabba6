import type { Browser, Page } from 'playwright-core';
import { newComplaint, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, chooseOption, ensureConsoleBuilt, launch, personOn, sceneSetter, signIn, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(180_000);

/** Generous: a loaded two-core machine builds the charts slowly. */
const SLOW = 30_000;

describeInBrowser('the dashboard\'s drill-downs by keyboard, and read as of a snapshot', () => {
  let app: RunningApp;
  let browser: Browser;
  const { call, position } = sceneSetter(() => app);

  /** 王先生's complaint, then a snapshot of the read models (before-second), then 李女士's: the snapshot holds the first only. */
  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    await call('POST', '/complaints', 'agent', { ...newComplaint, customerId: 'cust-kb-1', customerName: '王先生' });
    await call('POST', '/analytics/as-of', 'analyst', { until: String(position()), name: 'before-second' });
    const until = Date.now() + 60_000;
    for (;;) {
      const job = await call('GET', '/analytics/as-of/before-second', 'analyst');
      if (job.body.status === 'done') break;
      if (['failed', 'cancelled'].includes(job.body.status) || Date.now() > until) throw new Error(`the snapshot was not built: ${JSON.stringify(job.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await call('POST', '/complaints', 'agent', { ...newComplaint, customerId: 'cust-kb-2', customerName: '李女士' });
    expect((await call('GET', `/stats/complaints?by=cause&minPosition=${position()}`, 'analyst')).body.totals).toMatchObject({ received: 2 });
    expect((await call('GET', `/complaints?minPosition=${position()}`, 'supervisor')).body.items).toHaveLength(2);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  /** Presses Tab until a link of the numbers' table has the focus (a person tabbing through the page), then Enter. */
  const tabToNumberAndEnter = async (page: Page, count: number): Promise<void> => {
    const name = new RegExp(`^${count} received: .*: open in the queue$`);
    for (let presses = 0; ; presses += 1) {
      if (presses > 200) throw new Error('Tab never reached a number of the dashboard\'s table');
      await page.keyboard.press('Tab');
      // Read at once: a locator of :focus waits (10 s) whenever nothing has focus, and jest's timeout would then speak before this helper.
      const focused = (await page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null")) ?? '';
      if (name.test(focused)) break;
    }
    await page.keyboard.press('Enter');
  };

  it('Tab reaches a number of the table under the charts and Enter opens its complaints in the queue; read as of a snapshot, the queue opens as of it, says so, and goes back to today\'s', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('link', { name: /^2 received: / }).first().waitFor({ timeout: SLOW });
    await page.getByRole('heading', { name: 'Dashboard' }).click();
    await tabToNumberAndEnter(page, 2);
    await page.getByRole('cell', { name: '王先生' }).waitFor({ timeout: SLOW });
    await page.getByRole('cell', { name: '李女士' }).waitFor({ timeout: SLOW });
    expect(page.url()).toMatch(/#\/\?status=any&cause=[^&]+&from=[^&]+&to=[^&]+$/);

    // As of the snapshot: one complaint; its number opens the queue as of the same snapshot, which says so.
    await page.goBack();
    await page.getByLabel('As of', { exact: true }).click();
    await chooseOption(page, 'before-second');
    await page.getByRole('link', { name: /^1 received: / }).first().waitFor({ timeout: SLOW });
    await page.getByRole('heading', { name: 'Dashboard' }).click();
    await tabToNumberAndEnter(page, 1);
    await page.getByText('As of before-second: the complaints as the read model built then holds them, not today\'s.').waitFor({ timeout: SLOW });
    expect(page.url()).toMatch(/[?&]asOf=before-second(&|$)/);
    await page.getByRole('cell', { name: '王先生' }).waitFor({ timeout: SLOW });
    expect(await page.getByRole('cell', { name: '李女士' }).count()).toBe(0);
    // The same words in Chinese.
    await page.getByText('中文', { exact: true }).click();
    await page.getByText('截至 before-second：列出的是当时所建读模型中的投诉，不是今天的。').waitFor();
    await page.getByText('English', { exact: true }).click();

    // Back to today's: the same filter, without the snapshot.
    await page.getByRole('button', { name: 'Show today\'s' }).click();
    await page.getByRole('cell', { name: '李女士' }).waitFor({ timeout: SLOW });
    expect(page.url()).not.toMatch(/asOf=/);
    expect(page.url()).toMatch(/[?&]cause=/);
    expect(problems).toEqual([]);
    await context.close();
  });
});
