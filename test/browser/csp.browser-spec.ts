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

  it('Ant Design\'s component styles come from the build\'s style sheet: at run time the page writes only the design tokens (CSS variables)', async () => {
    const { context, page, problems } = await personOn(browser, { locale: 'en-US' });
    await page.goto(app.baseUrl);
    await page.getByLabel(/访问令牌|Access token/).fill(TOKENS.supervisor);
    await page.getByRole('button', { name: /登录|Sign in/ }).click();
    await waitForOrExplain(page, page.getByRole('cell', { name: /王先生/ }).first());
    await page.getByRole('form', { name: /筛选|Filters/ }).waitFor();
    // The rules of the styles Ant Design's CSS-in-JS wrote (data-css-hash), each with a declaration other than a custom property.
    const generated = await page.evaluate<string[]>(`(() => [...document.querySelectorAll('style[data-css-hash]')]
      .flatMap((style) => [...style.sheet.cssRules])
      .filter((rule) => !(rule instanceof CSSStyleRule) || [...rule.style].some((name) => !name.startsWith('--')))
      .map((rule) => rule.cssText.slice(0, 100)))()`);
    expect(generated).toEqual([]);
    const sheets = await page.evaluate<string[]>(`[...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => new URL(link.href).pathname)`);
    expect(sheets).toEqual([expect.stringMatching(/^\/assets\/.+\.css$/)]);
    // The table is drawn by that sheet: its header cells have Ant Design's padding, not the browser's.
    expect(await page.getByRole('columnheader', { name: 'Next deadline' }).evaluate('(cell) => getComputedStyle(cell).paddingTop')).not.toBe('1px');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the queue and the dispatch board (their tables) and a dialog (its scroll lock measures the scrollbar) log no refusal; every style carries the nonce', async () => {
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
