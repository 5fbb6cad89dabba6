import type { Browser, Locator, Page } from 'playwright-core';
import { removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, ensureConsoleBuilt, launch, personOn, sceneSetter, screenshot, seriousAccessibilityViolations, signIn, waitForOrExplain, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(90_000);

/** The text of each cell, row by row (the header row first). */
const cellsOf = async (table: Locator): Promise<string[][]> =>
  Promise.all((await table.getByRole('row').all()).map((row) => row.getByRole('columnheader').or(row.getByRole('cell')).allInnerTexts()));

/** What has the focus, by its label or its words. */
const focused = (page: Page): Promise<string> =>
  page.evaluate<string>("(() => { const element = document.activeElement; return element ? (element.getAttribute('aria-label') ?? element.innerText ?? '').trim() : ''; })()");

/** Whether the boxes share one line: each starts above where every other ends. */
const onOneLine = (boxes: ReadonlyArray<{ y: number; height: number }>): boolean =>
  Math.max(...boxes.map((box) => box.y)) < Math.min(...boxes.map((box) => box.y + box.height));

describeInBrowser('the service network and the header, in the console', () => {
  let app: RunningApp;
  let browser: Browser;
  const { call } = sceneSetter(() => app);

  /** Seed 002's structure, in small: a centre, a branch with a station under it, a station under the centre, and a department (a desk, not a workshop). */
  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    const unit = (body: Record<string, unknown>) => call('POST', '/service-network/units', 'admin', { reason: '服务体系', ...body });
    await unit({ code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' } });
    await unit({ code: 'dalian-branch', kind: 'branch', name: { 'zh-CN': '大连分公司', en: 'Dalian branch' }, parent: 'cs-centre', regions: ['210200'] });
    await unit({ code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600', '210681'] });
    await unit({ code: 'zhuanghe-station', kind: 'station', name: { 'zh-CN': '庄河服务站', en: 'Zhuanghe service station' }, parent: 'dalian-branch', regions: ['210283'] });
    await unit({ code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre' });
    const engineer = (engineerId: string, name: string, station: string) => call('POST', '/service-network/engineers', 'admin', { engineerId, name, station, skills: ['dispenser'], reason: 'hired' });
    await engineer('eng-wang', '王工', 'dandong-station');
    await engineer('eng-zhou', '周工', 'dandong-station');
    await engineer('eng-li', '李工', 'dalian-branch');
    await call('POST', '/service-network/engineers/eng-zhou/deactivate', 'admin', { reason: '离职' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  it('shows an admin the centre, branches and stations with the engineers of each, in English and in 中文', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.admin);
    await page.getByRole('navigation').getByRole('link', { name: 'Service network' }).click();
    const points = page.getByRole('region', { name: 'Service points' });
    const dandong = points.getByRole('row', { name: /Dandong service station \(dandong-station\)/ });
    await waitForOrExplain(page, dandong);
    // The centre, the branch followed by its station, then the station under the centre; the department is a desk: not here.
    expect(await cellsOf(points)).toEqual([
      ['Unit', 'Kind', 'Reports to', 'Regions served (division codes)', 'Engineers'],
      ['Customer service centre (cs-centre)', 'Customer service centre', '—', '—', 'No engineer yet.'],
      ['Dalian branch (dalian-branch)', 'Branch', 'Customer service centre (cs-centre)', '210200', 'Engineers: 1, active: 1\n李工 (eng-li)'],
      ['Zhuanghe service station (zhuanghe-station)', 'Service station', 'Dalian branch (dalian-branch)', '210283', 'No engineer yet.'],
      ['Dandong service station (dandong-station)', 'Service station', 'Customer service centre (cs-centre)', '210600, 210681', 'Engineers: 2, active: 1\n王工 (eng-wang)\n周工 (eng-zhou), deactivated'],
    ]);
    expect(await points.getByRole('list', { name: 'Engineers of Dandong service station (dandong-station)' }).getByRole('listitem').allInnerTexts())
      .toEqual(['王工 (eng-wang)', '周工 (eng-zhou), deactivated']);
    // Every engineer is still listed below, with the action.
    await page.getByRole('region', { name: 'Engineers', exact: true }).getByRole('button', { name: 'Deactivate 王工 (eng-wang)' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'service-network');

    await page.getByText('中文', { exact: true }).click();
    const zhPoints = page.getByRole('region', { name: '服务网点', exact: true });
    await zhPoints.getByRole('row', { name: /丹东服务站 \(dandong-station\)/ }).waitFor();
    expect((await cellsOf(zhPoints)).slice(0, 1)).toEqual([['网点', '类型', '上级', '服务区域（行政区划代码）', '工程师']]);
    expect((await cellsOf(zhPoints)).at(-1)).toEqual(['丹东服务站 (dandong-station)', '服务站', '客服中心 (cs-centre)', '210600, 210681', '工程师 2 名，在岗 1 名\n王工 (eng-wang)\n周工 (eng-zhou)（已停用）']);
    expect((await cellsOf(zhPoints))[3]).toEqual(['庄河服务站 (zhuanghe-station)', '服务站', '大连分公司 (dalian-branch)', '210283', '尚无工程师。']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("keeps an admin's header on one line at 1280 px, in 中文 and in English, with the account's menu behind their name", async () => {
    /** The header's height, and whether its links and controls share one line, for an admin at this width in this language. */
    const measure = async (page: Page, language: '中文' | 'English', width: number) => {
      await signIn(page, app, TOKENS.admin, language);
      const header = page.getByRole('banner');
      await header.getByRole('link', { name: language === '中文' ? '审计' : 'Audit' }).waitFor();
      await header.getByText('admin-e2e').waitFor();
      const boxes = await Promise.all([
        ...(await header.getByRole('link').all()),
        header.getByText('English', { exact: true }),
        header.getByText('admin-e2e'),
      ].map(async (locator) => (await locator.boundingBox())!));
      return { height: (await header.boundingBox())!.height, oneLine: onOneLine(boxes), links: (await header.getByRole('link').count()), width };
    };
    const seen: Record<string, { height: number; oneLine: boolean; links: number; width: number }> = {};
    for (const width of [1600, 1280]) {
      for (const language of ['中文', 'English'] as const) {
        const { context, page, problems } = await personOn(browser, { width });
        seen[`${language} ${width}`] = await measure(page, language, width);
        expect(problems).toEqual([]);
        await context.close();
      }
    }
    // Every screen's link (an admin sees all eight), and one line: as high as at 1600 px in 中文, where it always fitted.
    const oneLine = seen['中文 1600']!;
    expect(oneLine).toMatchObject({ oneLine: true, links: 8 });
    expect(seen['中文 1280']).toEqual({ ...oneLine, width: 1280 });
    expect(seen['English 1280']).toEqual({ ...oneLine, width: 1280 });

    // Departments, the time zone and signing out are behind the name (opened over a screen with rows: the empty queue's
    // placeholder text is too pale for axe-core, a finding of its own).
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.admin, '中文');
    await page.getByRole('navigation').getByRole('link', { name: '服务网络' }).click();
    await page.getByRole('region', { name: '服务网点', exact: true }).getByRole('row', { name: /丹东服务站/ }).waitFor();
    const account = page.getByRole('banner').getByRole('button', { name: /admin-e2e/ });
    expect(await account.getAttribute('aria-expanded')).toBe('false');
    await account.click();
    const menu = page.getByRole('region', { name: '账户：部门、时区、退出' });
    await menu.getByText('全部部门').waitFor();
    expect(await account.getAttribute('aria-expanded')).toBe('true');
    await menu.getByLabel('时区', { exact: true }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await menu.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('访问令牌').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("opens the account's menu from the keyboard: Tab goes from the name to the time zone and Sign out, and Escape gives the focus back to the name", async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.admin);
    const account = page.getByRole('banner').getByRole('button', { name: /admin-e2e/ });
    await account.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('region', { name: 'Account: departments, time zone, sign out' });
    await menu.getByText('All departments').waitFor();
    expect(await account.getAttribute('aria-expanded')).toBe('true');
    const controls = await account.getAttribute('aria-controls');
    expect(controls).toBeTruthy();
    expect(await menu.getAttribute('id')).toBe(controls);
    // The menu's controls come right after the name, not after the whole screen (a popover at the end of <body> would).
    const reached: string[] = [];
    for (let press = 0; press < 4 && !reached.includes('Sign out'); press += 1) {
      await page.keyboard.press('Tab');
      reached.push(await focused(page));
    }
    expect(reached).toEqual(['Time zone', 'Sign out']);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect(await account.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(page)).toMatch(/^admin-e2e/);
    expect(await account.getAttribute('aria-haspopup')).toBe('dialog');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("writes an empty table's Ant Design placeholder readably (axe-core's contrast), on a screen that gives it no words of its own: the dashboard's least loyal customers, with no customer yet", async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.admin);
    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
    const leastLoyal = page.getByRole('region', { name: 'Least loyal customers' });
    await waitForOrExplain(page, leastLoyal.getByRole('cell').filter({ hasText: 'No data' }));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
