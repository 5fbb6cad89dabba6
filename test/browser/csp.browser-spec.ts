import type { Browser, Page } from 'playwright-core';
import { newComplaint, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, ensureConsoleBuilt, launch, personOn, waitForOrExplain, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(90_000);

/**
 * The console's Content-Security-Policy admits only the <style> elements that carry the page's nonce. Ant Design's own
 * styles get it from ConfigProvider; the styles its components add through rc-util (a table's scrollbar measure, a
 * dialog's scroll lock) must carry it too: Chromium refuses, and logs, every one that does not (personOn reports them).
 */
describeInBrowser('the console under its Content-Security-Policy', () => {
  let app: RunningApp;
  let browser: Browser;
  let id = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    const received = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
    id = received.body.id as string;
    expect((await app.request('POST', `/complaints/${id}/validate`, { role: 'supervisor', body: { reason: '属实' } })).status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  /** Every <style> of the page, with whether it carries the nonce of the page's policy. */
  const styles = (page: Page) => page.evaluate<Array<{ nonced: boolean; text: string }>>(`(() => {
    const nonce = document.querySelector('meta[name="csp-nonce"]').content;
    return [...document.querySelectorAll('style')].map((style) => ({ nonced: style.nonce === nonce, text: (style.textContent || '').slice(0, 60) }));
  })()`);

  it('the queue and the dispatch board (their tables measure the scrollbar) and a dialog log no refusal; every style carries the nonce', async () => {
    const { context, page, problems } = await personOn(browser);
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
    });
    const answer = await page.goto(app.baseUrl);
    expect(answer?.headers()['content-security-policy']).toMatch(/style-src 'self' 'nonce-[^']+'/);
    await page.getByLabel(/访问令牌|Access token/).fill(TOKENS.supervisor);
    await page.getByRole('button', { name: /登录|Sign in/ }).click();
    await page.getByRole('navigation').waitFor();
    await page.getByText('English', { exact: true }).click();
    await waitForOrExplain(page, page.getByRole('cell', { name: /王先生/ }).first());

    await page.getByRole('navigation').getByRole('link', { name: 'Dispatch board' }).click();
    await page.getByRole('button', { name: `Assign complaint ${id.slice(0, 8)}` }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect((await styles(page)).filter((style) => !style.nonced)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    expect(refusals).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
