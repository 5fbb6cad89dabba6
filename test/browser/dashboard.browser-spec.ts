import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { Clock } from '@app/complaints';
import { newComplaint, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, chooseOption, ensureConsoleBuilt, launch, personOn, screenshot, waitForOrExplain, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(120_000);

/** The API's time stands still unless the test moves it: the complaints fall in March and April 2026. */
class MovableClock extends Clock {
  at = new Date('2026-03-02T02:00:00.000Z');
  override now(): Date {
    return this.at;
  }
  advance(hours: number): void {
    this.at = new Date(this.at.getTime() + hours * 3_600_000);
  }
}

/** Generous: a loaded two-core machine builds the charts slowly. */
const SLOW = 30_000;

describeInBrowser('the analyst dashboard in a browser, on a known history', () => {
  const clock = new MovableClock();
  let app: RunningApp;
  let browser: Browser;
  let position = 0;

  const post = async (path: string, role: 'agent' | 'supervisor', body: object): Promise<string> => {
    const answer = await app.request('POST', path, { role, body });
    expect({ path, status: answer.status }).toEqual({ path, status: answer.status < 300 ? answer.status : 200 });
    position = Math.max(position, answer.body.position);
    return answer.body.id as string;
  };

  /**
   * March: 王先生's metering complaint, first reply after 2 h, resolved 12 h after receipt by quality, called back satisfied (4).
   * April: 李女士's price complaint, first reply after 1 h, resolved 20 days later by station-ops: its answer deadline breached.
   */
  beforeAll(async () => {
    ensureConsoleBuilt();
    // The clock jumps days: the monitors wait, so the late step is what records the breach.
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR, slaMonitorIntervalMs: 3_600_000 }, { clock });
    browser = await launch();
    const march = await post('/complaints', 'agent', { ...newComplaint, customerId: 'cust-dash-1', customerName: '王先生', cause: 'quantity-metering' });
    clock.advance(2);
    await post(`/complaints/${march}/apologise`, 'agent', { statement: '抱歉', channel: 'phone' });
    await post(`/complaints/${march}/validate`, 'supervisor', { reason: '属实' });
    await post(`/complaints/${march}/assign`, 'supervisor', { department: 'quality', assignee: 'zhao' });
    clock.advance(10);
    await post(`/complaints/${march}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    await post(`/complaints/${march}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 4 });

    clock.at = new Date('2026-04-06T02:00:00.000Z');
    const april = await post('/complaints', 'agent', { ...newComplaint, customerId: 'cust-dash-2', customerName: '李女士', cause: 'price' });
    clock.advance(1);
    await post(`/complaints/${april}/apologise`, 'agent', { statement: '抱歉', channel: 'phone' });
    await post(`/complaints/${april}/validate`, 'supervisor', { reason: '属实' });
    await post(`/complaints/${april}/assign`, 'supervisor', { department: 'station-ops', assignee: 'li.na' });
    clock.advance(20 * 24);
    await post(`/complaints/${april}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    // The read models hold all of it before the browser reads them.
    expect((await app.request('GET', `/stats/complaints?minPosition=${position}`, { role: 'analyst' })).status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  const signInAnalyst = async (page: Page): Promise<void> => {
    await page.goto(app.baseUrl);
    await page.getByLabel(/访问令牌|Access token/).fill(TOKENS.analyst);
    await page.getByRole('button', { name: /登录|Sign in/ }).click();
    await page.getByRole('navigation').waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('link', { name: 'Dashboard' }).click();
  };

  /** The marks of a chart's plot (bars, cells): its SVG paths below the legend, tall enough to be data, left to right. */
  const marks = async (chart: Locator): Promise<Array<{ x: number; y: number }>> => {
    const svg = await chart.locator('svg').first().boundingBox();
    const boxes = await Promise.all((await chart.locator('svg path').all()).map((path) => path.boundingBox()));
    return boxes
      .filter((box): box is NonNullable<typeof box> => box !== null && box.height > 20 && box.width > 5 && box.y > svg!.y + 36)
      .sort((a, b) => a.x - b.x)
      .map((box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 }));
  };

  it('shows the reply and resolution percentiles, the SLA heat map and the least loyal customers for that history', async () => {
    const { context, page, problems } = await personOn(browser);
    await signInAnalyst(page);
    // The data behind each chart, as its text alternative says it (not pixels).
    // Waited for with its data: the chart is on the page (its label empty) before the statistics answer.
    const durations = page.getByRole('img', { name: /^Time to first reply and to resolution.*: .*\d{4} First reply/ });
    await waitForOrExplain(page, durations, SLOW);
    // The percentiles are of the complaints of the busiest value (a tie: the first in order, price): 1 h to the first reply, 20 days (480 h) to the resolution.
    expect(await durations.getAttribute('aria-label')).toMatch(/Price: .*Apr 2026\* First reply p50 1, First reply p90 1, Resolution p50 4[78]\d(\.\d)?, Resolution p90 4[78]\d/);
    await page.getByLabel('Of', { exact: true }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('Quantity / metering', { exact: true }).click();
    const metering = page.getByRole('img', { name: /^Time to first reply and to resolution.*Quantity \/ metering: / });
    await metering.waitFor({ timeout: SLOW });
    // Percentiles from sketches are within ±1 %: 12 h may read 11.9 or 12.1.
    expect(await metering.getAttribute('aria-label')).toMatch(/Mar 2026 First reply p50 2, First reply p90 2, Resolution p50 1[12](\.\d)?, Resolution p90 1[12](\.\d)?;/);

    const heatMap = page.getByRole('img', { name: /^SLA compliance by department × period \(%\): .+ %/ });
    await waitForOrExplain(page, heatMap, SLOW);
    const cells = await heatMap.getAttribute('aria-label');
    expect(cells).toContain('quality, Mar 2026: 100 %');
    expect(cells).toMatch(/station-ops, Apr 2026\*: 0 % \(0 met, [1-9]\d* breached\)/);

    const leastLoyal = page.getByRole('region', { name: 'Least loyal customers' });
    await leastLoyal.getByRole('button', { name: /李女士/ }).waitFor({ timeout: SLOW });
    await leastLoyal.getByRole('button', { name: /王先生/ }).waitFor();
    const tierChart = page.getByRole('img', { name: /^Customers by loyalty — Tier: .*[1-9]/ });
    await waitForOrExplain(page, tierChart, SLOW);
    const tiers = await tierChart.getAttribute('aria-label');
    const counted = [...tiers!.matchAll(/ (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(counted).toBe(2);
    await screenshot(page, 'dashboard-analyst');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the reply and resolution percentiles of all complaints per period, whatever the value shown beside them', async () => {
    const { context, page, problems } = await personOn(browser);
    await signInAnalyst(page);
    const overall = page.getByRole('img', { name: /^All complaints: time to first reply and to resolution.*Apr 2026/ });
    await waitForOrExplain(page, overall, SLOW);
    // March holds only 王先生's complaint (2 h, 12 h), April only 李女士's (1 h, 20 days): each period's own, whatever its cause.
    expect(await overall.getAttribute('aria-label')).toMatch(
      /Mar 2026 First reply p50 2, First reply p90 2, Resolution p50 1[12](\.\d)?, Resolution p90 1[12](\.\d)?; Apr 2026\* First reply p50 1, First reply p90 1, Resolution p50 4[78]\d(\.\d)?, Resolution p90 4[78]\d/,
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a click on a bar opens the queue filtered by its value and period; a click on a heat-map cell by its department and period', async () => {
    const { context, page, problems } = await personOn(browser);
    await signInAnalyst(page);
    const received = page.getByTestId('received-chart');
    await waitForOrExplain(page, page.getByRole('img', { name: /Total received: 2$/ }), SLOW);
    // Two periods, one complaint in each: the March bar (Quantity / metering) is the leftmost.
    const bars = await marks(received);
    expect(bars.length).toBeGreaterThanOrEqual(2);
    await page.mouse.click(bars[0]!.x, bars[0]!.y);
    await page.waitForURL(/#\/\?status=any&cause=quantity-metering&from=2026-03-01T00%3A00%3A00\.000Z&to=2026-04-01T00%3A00%3A00\.000Z$/, { timeout: SLOW });
    await page.getByRole('cell', { name: '王先生' }).waitFor({ timeout: SLOW });
    // The unfiltered page shown before may linger while the filtered one loads: 李女士 goes.
    await page.getByRole('cell', { name: '李女士' }).waitFor({ state: 'detached', timeout: SLOW });
    // The filter shows in the form (every status: the bar counts them all), and the back button returns to the dashboard.
    await page.getByLabel('Filters').getByTitle('Quantity / metering').waitFor();
    // The period too, as the days it covers (the picker loads beside the queue, not before it).
    const days = page.getByLabel('Filters').getByPlaceholder(/^(Start|End) date$/);
    await days.nth(1).waitFor({ timeout: SLOW });
    expect(await days.nth(0).inputValue()).toBe('2026-03-01');
    expect(await days.nth(1).inputValue()).toMatch(/^2026-0[34]-\d\d$/);
    await page.goBack();
    const heatMap = page.getByTestId('compliance-heatmap');
    await waitForOrExplain(page, page.getByRole('img', { name: /^SLA compliance by department × period/ }), SLOW);
    // The cell of station-ops in April: in the column of the April label, on the row of the station-ops label.
    await heatMap.scrollIntoViewIfNeeded();
    const april = await heatMap.locator('svg text').filter({ hasText: /^Apr 2026\*$/ }).boundingBox();
    const stationOps = await heatMap.locator('svg text').filter({ hasText: /^station-ops$/ }).boundingBox();
    await page.mouse.click(april!.x + april!.width / 2, stationOps!.y + stationOps!.height / 2);
    await page.waitForURL(/#\/\?status=any&department=station-ops&from=2026-04-01/, { timeout: SLOW });
    await page.getByRole('cell', { name: '李女士' }).waitFor({ timeout: SLOW });
    expect(problems).toEqual([]);
    await context.close();
  });

  /** Every text of a chart's SVG (axis labels, the colour scale's, the cells'), with its box. */
  const texts = async (chart: Locator): Promise<Array<{ text: string; x: number; y: number; width: number; height: number }>> => {
    const found = [];
    for (const text of await chart.locator('svg text').all()) {
      const box = await text.boundingBox();
      const content = (await text.textContent())?.trim() ?? '';
      if (box && content !== '' && box.width > 0) found.push({ text: content, ...box });
    }
    return found;
  };

  it('draws the heat map\'s labels apart and whole, at 768 px and per week too: no label over another, none cut at the edge', async () => {
    const { context, page, problems } = await personOn(browser, { width: 768 });
    await signInAnalyst(page);
    const heatMap = page.getByTestId('compliance-heatmap');
    for (const interval of ['Month', 'Week', 'Day']) {
      if (interval !== 'Month') {
        await page.getByLabel('Per', { exact: true }).click();
        await chooseOption(page, interval);
      }
      await waitForOrExplain(page, page.getByRole('img', { name: /^SLA compliance by department × period.*station-ops/ }), SLOW);
      await heatMap.scrollIntoViewIfNeeded();
      const svg = (await heatMap.locator('svg').first().boundingBox())!;
      const found = await texts(heatMap);
      expect(found.map((label) => label.text)).toEqual(expect.arrayContaining(['quality', 'station-ops', 'Unassigned']));
      const overlaps = found.flatMap((a, index) => found.slice(index + 1)
        .filter((b) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5)
        .map((b) => `${interval}: "${a.text}" over "${b.text}"`));
      expect(overlaps).toEqual([]);
      const cut = found.filter((label) => label.x < svg.x - 0.5 || label.x + label.width > svg.x + svg.width + 0.5).map((label) => `${interval}: "${label.text}"`);
      expect(cut).toEqual([]);
    }
    await screenshot(page, 'dashboard-heatmap-768');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a click on the unassigned row opens the complaints received in that period, whatever their department now', async () => {
    const { context, page, problems } = await personOn(browser);
    await signInAnalyst(page);
    const heatMap = page.getByTestId('compliance-heatmap');
    await waitForOrExplain(page, page.getByRole('img', { name: /^SLA compliance by department × period.*Unassigned, Mar 2026/ }), SLOW);
    await heatMap.scrollIntoViewIfNeeded();
    const march = await heatMap.locator('svg text').filter({ hasText: /^Mar 2026$/ }).boundingBox();
    const unassigned = await heatMap.locator('svg text').filter({ hasText: /^Unassigned$/ }).boundingBox();
    await page.mouse.click(march!.x + march!.width / 2, unassigned!.y + unassigned!.height / 2);
    await page.waitForURL(/#\/\?status=any&from=2026-03-01T00%3A00%3A00\.000Z&to=2026-04-01T00%3A00%3A00\.000Z$/, { timeout: SLOW });
    await page.getByRole('cell', { name: '王先生' }).waitFor({ timeout: SLOW });
    await page.getByRole('cell', { name: '李女士' }).waitFor({ state: 'detached', timeout: SLOW });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('marks the period not over yet (April, by the server\'s clock) on every axis, in every text alternative and in the heat map, not an ended one, and says what the mark means, in English and in Chinese', async () => {
    const { context, page, problems } = await personOn(browser);
    await signInAnalyst(page);
    const overall = page.getByRole('img', { name: /^All complaints: time to first reply and to resolution.*Apr 2026/ });
    await waitForOrExplain(page, overall, SLOW);
    const heatMap = page.getByRole('img', { name: /^SLA compliance by department × period \(%\): .+ %/ });
    await waitForOrExplain(page, heatMap, SLOW);
    const axisLabels = async (testId: string) => (await texts(page.getByTestId(testId))).map((label) => label.text).filter((text) => /\d{4}/.test(text));
    for (const chart of ['received-chart', 'overall-durations-chart', 'durations-chart', 'compliance-heatmap']) {
      expect({ chart, labels: await axisLabels(chart) }).toEqual({ chart, labels: ['Mar 2026', 'Apr 2026*'] });
    }
    expect(await overall.getAttribute('aria-label')).toMatch(/: Mar 2026 First reply .*; Apr 2026\* First reply /);
    expect(await page.getByTestId('durations-chart').getAttribute('aria-label')).toMatch(/: Mar 2026 First reply .*; Apr 2026\* First reply /);
    const cells = await heatMap.getAttribute('aria-label');
    expect(cells).toMatch(/station-ops, Apr 2026\*: 0 %/);
    expect(cells).toContain('quality, Mar 2026: 100 %');
    expect(cells).not.toContain('Mar 2026*');
    // One note under the charts says what the mark means; every chart with periods points to it as its description.
    const note = page.getByText(/^\* Partial period: /);
    await note.waitFor();
    expect(await note.count()).toBe(1);
    const noteId = await note.getAttribute('id');
    expect(noteId).toBeTruthy();
    for (const chart of ['received-chart', 'overall-durations-chart', 'durations-chart', 'compliance-heatmap']) {
      expect({ chart, describedBy: await page.getByTestId(chart).getAttribute('aria-describedby') }).toEqual({ chart, describedBy: noteId });
    }

    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('img', { name: /^全部投诉：.*2026年3月 首次回复 .*; 2026年4月\* 首次回复 / }).waitFor({ timeout: SLOW });
    await page.getByRole('img', { name: /^各部门按周期的 SLA 达标率（%）.*station-ops，2026年4月\*：0%/ }).waitFor({ timeout: SLOW });
    for (const chart of ['received-chart', 'compliance-heatmap']) {
      expect({ chart, labels: await axisLabels(chart) }).toEqual({ chart, labels: ['2026年3月', '2026年4月*'] });
    }
    await page.getByText(/^\* 不完整周期：/).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('downloads the heat map as CSV, and shows every label in Chinese after the switch', async () => {
    const { context, page, problems } = await personOn(browser);
    await signInAnalyst(page);
    const heatMap = page.getByRole('img', { name: /^SLA compliance by department × period/ });
    await waitForOrExplain(page, heatMap, SLOW);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: SLOW }),
      page.getByRole('button', { name: 'Download CSV' }).nth(1).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/sla-compliance.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(csv[0]).toBe('period,value,met,breached,compliancePercent,partial');
    // March is over by the page's clock (late April): whole; April is not: partial.
    expect(csv).toContain(csv.find((line) => line.startsWith('2026-03-01,quality,') && line.endsWith(',0,100,false')));
    expect(csv.some((line) => /^2026-04-01,station-ops,0,[1-9]\d*,0,true$/.test(line))).toBe(true);

    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('img', { name: /^各部门按周期的 SLA 达标率（%）.*station-ops，2026年4月\*：0%/ }).waitFor({ timeout: SLOW });
    // The clocks that ran before any assignment are a row of their own, named in the language picked, not by the API's code.
    await page.getByRole('img', { name: /^各部门按周期的 SLA 达标率（%）.*未分派，2026年3月/ }).waitFor({ timeout: SLOW });
    expect(await page.getByTestId('compliance-heatmap').locator('svg text').filter({ hasText: /^unassigned$/i }).count()).toBe(0);
    await page.getByTestId('compliance-heatmap').locator('svg text').filter({ hasText: /^未分派$/ }).waitFor();
    await page.getByRole('img', { name: /^客户忠诚度分布 — 等级: 忠诚客户 \d+, 满意客户 \d+, 流失风险 \d+, 不满客户 \d+$/ }).waitFor();
    await page.getByRole('img', { name: /^首次回复与解决用时，小时（p50 \/ p90） — 价格: .*2026年4月\* 首次回复 p50 1/ }).waitFor();
    await page.getByRole('region', { name: '忠诚度最低的客户' }).getByRole('columnheader', { name: '因素' }).waitFor();
    await screenshot(page, 'dashboard-zh');
    expect(problems).toEqual([]);
    await context.close();
  });
});
