import type { Browser, Locator, Page } from 'playwright-core';
import { newComplaint, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, chooseOption, ensureConsoleBuilt, launch, personOn, sceneSetter, signIn, waitForOrExplain, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(120_000);

/** Generous: a loaded two-core machine builds the charts slowly. */
const SLOW = 30_000;

describeInBrowser('the complaints nobody has yet, from the dashboard\'s unassigned row and from the queue\'s pickers', () => {
  let app: RunningApp;
  let browser: Browser;
  const { call, position } = sceneSetter(() => app);

  /** This month: 王先生's complaint only received (no department, no handler yet), 李女士's assigned to quality (zhao). */
  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    await call('POST', '/complaints', 'agent', { ...newComplaint, customerId: 'cust-none-1', customerName: '王先生' });
    const assigned = (await call('POST', '/complaints', 'agent', { ...newComplaint, customerId: 'cust-none-2', customerName: '李女士' })).body.id as string;
    await call('POST', `/complaints/${assigned}/validate`, 'supervisor', { reason: '属实' });
    await call('POST', `/complaints/${assigned}/assign`, 'supervisor', { department: 'quality', assignee: 'zhao' });
    // The read models hold all of it before the browser reads them.
    expect((await call('GET', `/stats/complaints?by=department&minPosition=${position()}`, 'analyst')).body.totals).toMatchObject({ received: 2 });
    expect((await call('GET', `/complaints?minPosition=${position()}`, 'supervisor')).body.items).toHaveLength(2);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  /** The bars of a chart's plot: its SVG paths below the legend, tall enough to be data, top to bottom. */
  const bars = async (chart: Locator): Promise<Array<{ x: number; y: number }>> => {
    const svg = await chart.locator('svg').first().boundingBox();
    const boxes = await Promise.all((await chart.locator('svg path').all()).map((path) => path.boundingBox()));
    return boxes
      .filter((box): box is NonNullable<typeof box> => box !== null && box.height > 20 && box.width > 5 && box.y > svg!.y + 36)
      .sort((a, b) => a.y - b.y)
      .map((box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 }));
  };

  /**
   * Waits until the address matches, read every 100 ms: the queue's filters change only the address's fragment (the hash
   * router), and a failure names the address the page shows, where page.waitForURL said only that it waited for a load.
   */
  const addressMatches = async (page: Page, pattern: RegExp): Promise<void> => {
    const until = Date.now() + SLOW;
    while (!pattern.test(page.url())) {
      if (Date.now() > until) throw new Error(`the address ${page.url()} did not come to match ${pattern} within ${SLOW / 1000} s`);
      await page.waitForTimeout(100);
    }
  };

  /** The queue shows 王先生's complaint (no department yet) and not 李女士's (quality's): the unfiltered page may linger a moment. */
  const onlyTheUnassigned = async (page: Page): Promise<void> => {
    await page.getByRole('cell', { name: '王先生' }).waitFor({ timeout: SLOW });
    await page.getByRole('cell', { name: '李女士' }).waitFor({ state: 'detached', timeout: SLOW });
  };

  it('a click on the unassigned part of a bar, by department, opens the queue with the complaints that have no department yet, and its picker says so in English and in Chinese', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByLabel('By', { exact: true }).click();
    await chooseOption(page, 'Department');
    // One period, one bar of two parts: quality's below, the unassigned one stacked on it (the values in order).
    await waitForOrExplain(page, page.getByRole('img', { name: /Total received: 2$/ }), SLOW);
    await page.getByTestId('received-chart').locator('svg text').filter({ hasText: /^Unassigned$/ }).waitFor({ timeout: SLOW });
    const parts = await bars(page.getByTestId('received-chart'));
    expect(parts).toHaveLength(2);
    await page.mouse.click(parts[0]!.x, parts[0]!.y);
    await addressMatches(page, /#\/\?status=any&department=unassigned&from=\d{4}-\d\d-01T00%3A00%3A00\.000Z&to=\d{4}-\d\d-01T00%3A00%3A00\.000Z$/);
    await onlyTheUnassigned(page);
    // The picker names the choice in words, not the API's: the address's department=unassigned is "No department".
    const filters = page.getByLabel('Filters');
    await filters.getByTitle('No department', { exact: true }).waitFor({ timeout: SLOW });
    await page.getByText('中文', { exact: true }).click();
    const filtersInChinese = page.getByLabel('筛选', { exact: true });
    await filtersInChinese.getByTitle('未分派部门', { exact: true }).waitFor();
    expect(await filtersInChinese.getByTitle('unassigned', { exact: true }).count()).toBe(0);
    // Back on the dashboard, quality's part opens quality's complaints only.
    await page.goBack();
    await page.getByText('English', { exact: true }).click();
    await page.getByLabel('By', { exact: true }).click();
    await chooseOption(page, 'Department');
    await page.getByTestId('received-chart').locator('svg text').filter({ hasText: /^Unassigned$/ }).waitFor({ timeout: SLOW });
    const again = await bars(page.getByTestId('received-chart'));
    await page.mouse.click(again[1]!.x, again[1]!.y);
    await addressMatches(page, /#\/\?status=any&department=quality&from=/);
    await page.getByRole('cell', { name: '李女士' }).waitFor({ timeout: SLOW });
    await page.getByRole('cell', { name: '王先生' }).waitFor({ state: 'detached', timeout: SLOW });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the queue\'s department and assignee pickers offer "No department" and "No assignee", which list the complaints nobody has yet; a code typed still filters', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.supervisor);
    await page.getByRole('cell', { name: '李女士' }).waitFor({ timeout: SLOW });
    await page.getByRole('cell', { name: '王先生' }).waitFor();
    const filters = page.getByLabel('Filters');
    /** Reset (the whole queue back: 李女士's complaint shows), then "No assignee" chosen and applied: the address carries it. */
    const resetThenNoAssignee = async (): Promise<void> => {
      await filters.getByRole('button', { name: 'Reset' }).click();
      await page.getByRole('cell', { name: '李女士' }).waitFor({ timeout: SLOW });
      await filters.getByLabel('Assignee', { exact: true }).click();
      await chooseOption(page, 'No assignee');
      await filters.getByRole('button', { name: 'Apply' }).click();
      await addressMatches(page, /[?&]assignee=unassigned(&|$)/);
    };

    await filters.getByLabel('Department', { exact: true }).click();
    await chooseOption(page, 'No department');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await addressMatches(page, /[?&]department=unassigned(&|$)/);
    await onlyTheUnassigned(page);

    await resetThenNoAssignee();
    expect(page.url()).not.toMatch(/department=/);
    await onlyTheUnassigned(page);

    // A department's code typed and chosen from the list, with Enter and then with a click, and Apply clicked at once:
    // quality's complaint only. The page runs on a slowed processor, as on a loaded machine: the form was written again
    // from the address after each Reset (twice, late), which erased the code chosen in between, so that Apply lost it.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    for (const choose of ['Enter', 'click'] as const) {
      await resetThenNoAssignee();
      await filters.getByRole('button', { name: 'Reset' }).click();
      await page.getByRole('cell', { name: '李女士' }).waitFor({ timeout: SLOW });
      await filters.getByLabel('Department', { exact: true }).fill('quality');
      if (choose === 'Enter') await page.keyboard.press('Enter');
      else await chooseOption(page, 'quality');
      await filters.getByRole('button', { name: 'Apply' }).click();
      await addressMatches(page, /[?&]department=quality(&|$)/);
      await page.getByRole('cell', { name: '王先生' }).waitFor({ state: 'detached', timeout: SLOW });
      await page.getByRole('cell', { name: '李女士' }).waitFor();
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    // The start of "No department" typed over the code chosen, and Enter: that choice, not the text typed as a code.
    await filters.getByLabel('Department', { exact: true }).fill('No dep');
    await page.keyboard.press('Enter');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await addressMatches(page, /[?&]department=unassigned(&|$)/);
    await onlyTheUnassigned(page);
    // A code typed and taken when the field is left, as a plain text field took it.
    await filters.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('cell', { name: '王先生' }).waitFor({ timeout: SLOW });
    await filters.getByLabel('Assignee', { exact: true }).fill('zhao');
    await filters.getByLabel('Customer ID', { exact: true }).click();
    await filters.getByRole('button', { name: 'Apply' }).click();
    await addressMatches(page, /[?&]assignee=zhao(&|$)/);
    await page.getByRole('cell', { name: '王先生' }).waitFor({ state: 'detached', timeout: SLOW });
    await page.getByRole('cell', { name: '李女士' }).waitFor();

    // In Chinese, the same choice in its words.
    await filters.getByRole('button', { name: 'Reset' }).click();
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('cell', { name: '王先生' }).waitFor({ timeout: SLOW });
    const filtersInChinese = page.getByLabel('筛选', { exact: true });
    await filtersInChinese.getByLabel('部门', { exact: true }).fill('未分派');
    await page.keyboard.press('Enter');
    await filtersInChinese.getByRole('button', { name: /^筛\s*选$/ }).click();
    await addressMatches(page, /[?&]department=unassigned(&|$)/);
    await onlyTheUnassigned(page);
    expect(problems).toEqual([]);
    await context.close();
  });
});
