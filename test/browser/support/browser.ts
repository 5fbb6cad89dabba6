import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Role } from '@app/domain';
import type { RunningApp } from '../../e2e/support/test-app';

/** Debian's chromium (apt-get install chromium; .ci/run does it), or CHROMIUM_PATH. Playwright's own browser download is not used. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const ROOT = resolve(__dirname, '../../..');
export const CONSOLE_DIR = join(ROOT, 'dist/console');
/** Screenshots of the main views: test artifacts, ignored by git. */
export const ARTIFACTS_DIR = join(ROOT, 'test-results/browser');

/** Why the browser tests cannot run here, or null when they can. */
export function whyNoBrowser(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package: apt-get install -y chromium; or set CHROMIUM_PATH)`;
}

/** The console's build, made now when there is none (npm test and npm run test:browser build it first). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(CONSOLE_DIR, 'index.html'))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(ROOT, 'apps/console/vite.config.mts')], {
    // Built as npm run build:console builds it: jest's NODE_ENV=test would make a development bundle, over the size budget.
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' },
  });
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * A person's browser: its own storage, a time zone and language, and a record of what the page
 * reported (uncaught errors, and Content-Security-Policy refusals, which must not happen).
 */
export async function personOn(browser: Browser, options: { timezoneId?: string; locale?: string; width?: number; reducedMotion?: 'reduce' | 'no-preference' } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  // Less motion, as a person may ask of their system: a dialog is there at once, so a click right after it opens lands on
  // its button (while it zoomed in, a click on a loaded machine could land beside it, and the form never validated).
  const context = await browser.newContext({
    timezoneId: options.timezoneId ?? 'Asia/Shanghai', locale: options.locale ?? 'zh-CN', viewport: { width: options.width ?? 1280, height: 900 }, reducedMotion: options.reducedMotion ?? 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Every <style> the page adds must carry the CSP nonce, and Chromium must refuse nothing. Chromium's refusal message
  // does not say which style it refused, so the page reports its nonce-less styles itself (added before any of its
  // scripts, as an init script): a failure names the style.
  // Page code as text: this file is type-checked for Node, without the DOM's types.
  await page.addInitScript({
    content: `(() => {
      const report = (node) => {
        if (node instanceof HTMLStyleElement && !node.nonce) console.warn('style without nonce: ' + (node.textContent || '').trim().slice(0, 80));
      };
      const append = Node.prototype.appendChild;
      const insert = Node.prototype.insertBefore;
      Node.prototype.appendChild = function (node) { report(node); return append.call(this, node); };
      Node.prototype.insertBefore = function (node, child) { report(node); return insert.call(this, node, child); };
    })();`,
  });
  trackRequests(page);
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('style without nonce: ') || (message.type() === 'error' && /Content Security Policy/i.test(text))) problems.push(`CSP: ${text}`);
  });
  return { context, page, problems };
}

/** Signs in as a person would: the token pasted into the form, then the console in English (or kept in 中文). */
export async function signIn(page: Page, app: { readonly baseUrl: string }, token: string, language: 'English' | '中文' = 'English'): Promise<void> {
  await page.goto(app.baseUrl);
  await page.getByLabel(/访问令牌|Access token/).fill(token);
  await page.getByRole('button', { name: /登录|Sign in/ }).click();
  await page.getByRole('navigation').waitFor();
  if (language === 'English') await page.getByText('English', { exact: true }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: readonly string[] }>;
}

/**
 * axe-core run in the page (evaluated through the DevTools protocol, so the page's CSP, which allows
 * no inline script, stays as it is): the serious and critical violations of WCAG 2.1 A and AA.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Colours are judged at rest: no pointer over a button, and no transition or animation running (a
  // primary button fading from its hover colour was measured half-way on a busy machine).
  await page.mouse.move(0, 0);
  // Polled from here, one evaluation at a time through the DevTools protocol: waitForFunction polls
  // inside the page by evaluating a string, which the console's CSP refuses (an EvalError, which had
  // made this wait end at once whenever an animation was running, and showed up as a page error).
  const restBy = Date.now() + 10_000;
  while (!(await page.evaluate<boolean>("document.getAnimations().every((animation) => animation.playState !== 'running')")) && Date.now() < restBy) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  })()`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/**
 * Waits for what a step should show; when it does not come, the error says what the page showed
 * instead (its alerts and address), so a failure in CI explains itself. The patience is the step's own:
 * a command that writes several streams, each made durable before it answers, is slower on a busy machine.
 */
export async function waitForOrExplain(page: Page, locator: Locator, timeout = 10_000): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (error) {
    const alerts = await page.getByRole('alert').allInnerTexts().catch(() => []);
    throw new Error(`${(error as Error).message}\n  the page was at ${page.url()} and showed ${alerts.length === 0 ? 'no alert' : `the alerts: ${alerts.map((text) => JSON.stringify(text)).join(', ')}`}`
      + `\n  its requests of the last ${Math.round((timeout + 5_000) / 1000)} s: ${describeRequests(page, timeout + 5_000)}`);
  }
}

interface TrackedRequest {
  readonly method: string;
  readonly url: string;
  readonly startedAt: number;
  endedAt?: number;
  outcome?: string;
}

const trackedRequests = new WeakMap<Page, TrackedRequest[]>();

/** Keeps what the page asked the API and how each request ended, for waitForOrExplain to tell. */
function trackRequests(page: Page): void {
  const requests: TrackedRequest[] = [];
  const byRequest = new WeakMap<object, TrackedRequest>();
  trackedRequests.set(page, requests);
  page.on('request', (request) => {
    if (!['fetch', 'xhr'].includes(request.resourceType())) return;
    const tracked: TrackedRequest = { method: request.method(), url: new URL(request.url()).pathname + new URL(request.url()).search, startedAt: Date.now() };
    byRequest.set(request, tracked);
    requests.push(tracked);
    if (requests.length > 200) requests.shift();
  });
  page.on('requestfinished', (request) => {
    const tracked = byRequest.get(request);
    if (!tracked) return;
    tracked.endedAt = Date.now();
    void request.response().then((response) => { tracked.outcome = String(response?.status() ?? 'no answer'); }, () => { tracked.outcome = 'no answer'; });
  });
  page.on('requestfailed', (request) => {
    const tracked = byRequest.get(request);
    if (!tracked) return;
    tracked.endedAt = Date.now();
    tracked.outcome = `failed: ${request.failure()?.errorText ?? 'unknown'}`;
  });
}

function describeRequests(page: Page, withinMs: number): string {
  const now = Date.now();
  const recent = (trackedRequests.get(page) ?? []).filter((request) => request.endedAt === undefined || now - request.endedAt <= withinMs);
  if (recent.length === 0) return 'none';
  return recent.map((request) => `${request.method} ${request.url} ${request.endedAt === undefined
    ? `still waiting after ${now - request.startedAt} ms`
    : `${request.outcome ?? 'answered'} in ${request.endedAt - request.startedAt} ms`}`).join('; ');
}

/**
 * Clicks an option of the Ant Design list that is open now, by the label a person reads, and waits
 * for the list to close (a click meant for what is under it waits until it has gone). Only the open
 * list is searched: a closed list, or the page behind a dialog, may show the same words.
 */
export async function chooseOption(page: Page, option: string): Promise<void> {
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  // A click that lands while the list is still sliding open can be lost on a busy machine: click again, twice at most.
  for (let attempt = 1; ; attempt += 1) {
    await open.getByTitle(option, { exact: true }).last().click();
    try {
      await open.first().waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (error) {
      if ((await open.count()) === 0) return;
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Setting the scene through the API: `call` fails the test on any refusal (naming the route and the problem) and
 * keeps the furthest log position a command returned, for a read that must see all of it (`?minPosition=`).
 */
export function sceneSetter(app: () => RunningApp) {
  let position = 0;
  const call = async (method: string, path: string, role: Role, body?: unknown): Promise<{ status: number; body: any }> => { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
    const response = await app().request(method, path, { role, ...(body === undefined ? {} : { body }) });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    position = Math.max(position, response.body?.position ?? 0);
    return response;
  };
  return { call, position: () => position };
}
