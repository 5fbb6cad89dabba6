import type { Browser, Page } from 'playwright-core';
import { signedOffRepair } from '../e2e/support/repair-steps';
import { newComplaint, newWorkOrder, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, chooseOption, ensureConsoleBuilt, type AxeViolation, launch, personOn, signIn, screenshot, sceneSetter, seriousAccessibilityViolations, waitForOrExplain, whyNoBrowser } from './support/browser';

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(120_000);

/** Generous: a loaded two-core machine builds the charts slowly. */
const SLOW = 30_000;

describeInBrowser('satisfaction surveys and complaint tags in the console', () => {
  let app: RunningApp;
  let browser: Browser;
  const ids = { answered: '', unanswered: '', survey: '' };

  const { call, position } = sceneSetter(() => app);

  /** A complaint taken through to its callback, ready for a survey. */
  const calledBack = async (customerId: string, department: string): Promise<string> => {
    const id = (await call('POST', '/complaints', 'agent', { ...newComplaint, customerId })).body.id as string;
    await call('POST', `/complaints/${id}/apologise`, 'agent', { statement: '抱歉', channel: 'phone' });
    await call('POST', `/complaints/${id}/validate`, 'supervisor', { reason: '属实' });
    await call('POST', `/complaints/${id}/assign`, 'supervisor', { department, assignee: 'zhao' });
    await call('POST', `/complaints/${id}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    await call('POST', `/complaints/${id}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 4 });
    return id;
  };

  /** Two complaints' surveys in station-ops: one answered (attitude 5, overall 4), one not yet; the second complaint a duplicate of the first. */
  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    ids.answered = await calledBack('cust-survey-1', 'station-ops');
    ids.unanswered = await calledBack('cust-survey-2', 'station-ops');
    ids.survey = (await call('POST', '/surveys', 'agent', { subject: { kind: 'complaint', id: ids.answered }, channel: 'phone' })).body.id;
    await call('POST', '/surveys', 'agent', { subject: { kind: 'complaint', id: ids.unanswered }, channel: 'email' });
    await call('POST', `/surveys/${ids.survey}/answer`, 'agent', { answers: [{ questionId: 'attitude', score: 5 }, { questionId: 'overall', score: 4 }], comment: '满意' });
    await call('POST', `/complaints/${ids.unanswered}/related`, 'agent', { complaintId: ids.answered, relation: 'duplicate-of', reason: '同一次加油' });
    // The read models hold all of it before the browser reads them.
    expect((await call('GET', `/stats/surveys?minPosition=${position()}`, 'analyst')).body.totals).toMatchObject({ sent: 2, answered: 1 });
    expect((await call('GET', `/surveys?minPosition=${position()}`, 'analyst')).body.items).toHaveLength(2);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  it('shows an analyst the surveys with their scores, filters them, and charts the figures', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
    const list = page.getByRole('region', { name: 'Surveys' });
    const answered = list.getByRole('row', { name: /cust-survey-1/ });
    await waitForOrExplain(page, answered);
    await answered.getByText('Answered', { exact: true }).waitFor();
    await answered.getByRole('cell', { name: '4.5', exact: true }).waitFor();
    await answered.getByText('Service attitude 5').waitFor();
    await answered.getByText('Overall satisfaction 4').waitFor();
    const unanswered = list.getByRole('row', { name: /cust-survey-2/ });
    await unanswered.getByText('Sent', { exact: true }).waitFor();

    // The chart says its figures in words: both surveys sent in station-ops this month, one answered with a mean of 4.5.
    const chart = page.getByRole('img', { name: /^Mean score \(1–5\) per period/ });
    await waitForOrExplain(page, chart, SLOW);
    const words = await chart.getAttribute('aria-label');
    expect(words).toContain('sent 2, answered 1, response rate 50 %, mean 4.5');
    expect(words).toMatch(/station-ops, [A-Z][a-z]{2} \d{4}\*: sent 2, answered 1, mean 4\.5/);

    // Only the answered ones.
    await page.getByLabel('Status', { exact: true }).click();
    await chooseOption(page, 'Answered');
    await page.getByRole('button', { name: 'Apply' }).click();
    await unanswered.waitFor({ state: 'detached' });
    await answered.waitFor();
    expect(await list.getByRole('row').count()).toBe(2); // the header and the answered survey

    // The filtered list as CSV: the answered survey only.
    const saving = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).first().click();
    const chunks: Buffer[] = [];
    for await (const chunk of (await (await saving).createReadStream())) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv).toContain(ids.survey);
    expect(csv).not.toContain('cust-survey-2');

    // Its subject opens the complaint.
    await answered.getByRole('link', { name: `Open complaint ${ids.answered.slice(0, 8)}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Complaint ${ids.answered.slice(0, 8)}`) }).waitFor();
    await screenshot(page, 'surveys');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('marks the period not over yet (this month, by the server\'s clock) on the figures\' axis and in their text alternative, and says what the mark means, in English and in Chinese', async () => {
    // The surveys were sent moments ago: their month has not ended, and the API says so.
    const figures = (await call('GET', `/stats/surveys?interval=month&minPosition=${position()}`, 'analyst')).body.rows as Array<{ period: string; partial: boolean }>;
    expect(figures.map((row) => row.partial)).toEqual([true]);
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
    const chart = page.getByRole('img', { name: /^Mean score \(1–5\) per period: .*; station-ops, / });
    await waitForOrExplain(page, chart, SLOW);
    expect(await chart.getAttribute('aria-label')).toMatch(/; station-ops, [A-Z][a-z]{2} \d{4}\*: sent 2, answered 1, mean 4\.5/);
    const axisLabels = async () => (await page.getByTestId('survey-scores-chart').locator('svg text').allTextContents()).map((text) => text.trim()).filter((text) => /\d{4}/.test(text));
    expect(await axisLabels()).toEqual([expect.stringMatching(/^[A-Z][a-z]{2} \d{4}\*$/)]);
    // One note under the figures says what the mark means, and the chart names it as its description.
    const note = page.getByText(/^\* Partial period: /);
    await note.waitFor();
    expect(await note.count()).toBe(1);
    const noteId = await note.getAttribute('id');
    expect(noteId).toBeTruthy();
    expect(await page.getByTestId('survey-scores-chart').getAttribute('aria-describedby')).toBe(noteId);

    await page.getByText('中文', { exact: true }).click();
    await waitForOrExplain(page, page.getByRole('img', { name: /^各周期平均得分（1–5）.*; station-ops，\d{4}年\d{1,2}月\*：发送 2，答复 1，平均 4\.5/ }), SLOW);
    expect(await axisLabels()).toEqual([expect.stringMatching(/^\d{4}年\d{1,2}月\*$/)]);
    await page.getByText(/^\* 不完整周期：/).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an agent add and remove a tag on a complaint, kept after a reload, and links the original of a duplicate', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.agent);
    await page.goto(`${app.baseUrl}/#/complaints/${ids.unanswered}`);
    const linked = page.getByRole('list', { name: 'Linked complaints' });
    await waitForOrExplain(page, linked);
    await linked.getByText('Duplicate of', { exact: true }).waitFor();

    const tags = page.getByRole('list', { name: 'Tags' });
    await page.getByText('No tags.').waitFor();
    await page.getByLabel('New tag').fill('Metering');
    await page.getByRole('button', { name: 'Add tag' }).click();
    // Folded to one form by the API.
    await tags.getByText('metering').waitFor();
    await page.reload();
    await waitForOrExplain(page, tags.getByText('metering'));
    expect((await call('GET', `/complaints/${ids.unanswered}`, 'agent')).body.tags).toEqual(['metering']);

    // A tag the API refuses says why, and changes nothing.
    await page.getByLabel('New tag').fill('two words');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('alert').filter({ hasText: /letters/ }).waitFor();
    expect((await call('GET', `/complaints/${ids.unanswered}`, 'agent')).body.tags).toEqual(['metering']);

    // A refusal is said once, in the language picked: the console's words for its code, not the API's English detail
    // under a Chinese prefix, nor that detail again as the field's message (a Cyrillic е among Latin letters).
    await page.getByText('中文', { exact: true }).click();
    await page.getByLabel('新标签').fill('mеtering');
    await page.getByRole('button', { name: '添加标签' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: '标签混用了外形相似的文字' });
    await waitForOrExplain(page, refusal);
    expect(await page.getByRole('alert').allInnerTexts()).toEqual([expect.stringMatching(/^未执行：标签混用了外形相似的文字（如拉丁字母与西里尔字母）；中文与拉丁字母可以混用。/)]);
    expect(await page.getByText(/mixes scripts/).count()).toBe(0);
    expect((await call('GET', `/complaints/${ids.unanswered}`, 'agent')).body.tags).toEqual(['metering']);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Not done: a tag mixes scripts that look alike' }).waitFor();

    await page.getByRole('button', { name: 'Remove tag metering' }).click();
    await page.getByText('No tags.').waitFor();
    expect((await call('GET', `/complaints/${ids.unanswered}`, 'agent')).body.tags).toEqual([]);

    // The original opens from its link, and lists its duplicate, which opens from there.
    await linked.getByRole('link', { name: `Complaint ${ids.answered.slice(0, 8)}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Complaint ${ids.answered.slice(0, 8)}`) }).waitFor();
    const duplicates = page.getByRole('list', { name: 'Its duplicates' });
    await waitForOrExplain(page, duplicates);
    expect(await duplicates.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining(`Its duplicate`)]);
    await duplicates.getByRole('link', { name: `Complaint ${ids.unanswered.slice(0, 8)}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Complaint ${ids.unanswered.slice(0, 8)}`) }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the campaign filter\'s hint in the language picked, switched while it shows', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
    await page.getByLabel('Campaign ID').fill('spring 2026!');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitForOrExplain(page, page.getByText('A campaign ID as its campaign gave it: letters, digits and . _ - @ :, at most 100.'));
    await page.getByText('中文', { exact: true }).click();
    await page.getByText('请输入调查活动给出的编号：字母、数字及 . _ - @ :，最多 100 个字符。').waitFor();
    expect(await page.getByText(/A campaign ID as its campaign gave it/).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows an analyst the tags without a way to change them', async () => {
    await call('POST', `/complaints/${ids.answered}/tags`, 'agent', { add: ['油品'] });
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.goto(`${app.baseUrl}/#/complaints/${ids.answered}`);
    await waitForOrExplain(page, page.getByRole('list', { name: 'Tags' }).getByText('油品'));
    expect(await page.getByLabel('New tag').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove tag/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('names departments and stations as the directory does, and a work order\'s survey opens the work order', async () => {
    // The directory, registered after the complaints were assigned to station-ops: the screen names the code it now knows.
    await call('POST', '/service-network/units', 'admin', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' });
    await call('POST', '/service-network/units', 'admin', { code: 'station-ops', kind: 'department', name: { 'zh-CN': '站务部', en: 'Station operations' }, parent: 'cs-centre', reason: '业务部门' });
    await call('POST', '/service-network/units', 'admin', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station' });
    await call('POST', '/service-network/engineers', 'admin', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' });
    await call('POST', '/products', 'admin', { serialNumber: newWorkOrder.product.serialNumber, model: newWorkOrder.product.model, customerId: newWorkOrder.customerId, installedOn: '2026-01-15', warrantyMonths: 120, covers: ['parts', 'labour', 'on-site'] });
    const wang = { token: (await call('POST', '/access/tokens', 'admin', { principalId: 'eng-wang', role: 'engineer', departments: ['dandong-station'], reason: 'engineer of dandong-station' })).body.token as string };
    const ok = async (method: string, path: string, who: 'agent' | { readonly token: string }, body?: unknown, status = 200) => {
      const response = await app.request(method, path, { ...(typeof who === 'string' ? { role: who } : { token: who.token }), ...(body === undefined ? {} : { body }) });
      if (response.status !== status) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response;
    };
    const order = await signedOffRepair(ok, wang, newWorkOrder);
    await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
    await call('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'phone' });
    expect((await call('GET', `/surveys?minPosition=${position()}`, 'analyst')).body.items).toHaveLength(3);

    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
    const list = page.getByRole('region', { name: 'Surveys' });
    const complaintRow = list.getByRole('row', { name: /cust-survey-1/ });
    await waitForOrExplain(page, complaintRow.getByRole('cell', { name: 'Station operations (station-ops)', exact: true }));
    const orderRow = list.getByRole('row', { name: new RegExp(newWorkOrder.customerId) });
    await orderRow.getByRole('cell', { name: 'Dandong service station (dandong-station)', exact: true }).waitFor();

    // The figures by department and by station say the names too.
    const chart = page.getByRole('img', { name: /^Mean score \(1–5\) per period/ });
    await waitForOrExplain(page, chart.and(page.getByRole('img', { name: /Station operations \(station-ops\), / })), SLOW);
    await page.getByLabel('By', { exact: true }).click();
    await chooseOption(page, 'Station');
    await waitForOrExplain(page, page.getByRole('img', { name: /Dandong service station \(dandong-station\), / }), SLOW);

    // The work order's subject opens the work order.
    await orderRow.getByRole('link', { name: `Open work order ${order.slice(0, 8)}` }).click();
    await waitForOrExplain(page, page.getByRole('heading', { name: `Work order ${order.slice(0, 8)}` }));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('names the engineers in the figures by engineer, with their id beside the name, in English and in 中文', async () => {
    // The test before registers 王工 (eng-wang) and sends a survey of the repair he did; the complaints' surveys have no engineer.
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.analyst);
    await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
    await page.getByRole('img', { name: /^Mean score \(1–5\) per period/ }).waitFor({ timeout: SLOW });
    await page.getByLabel('By', { exact: true }).click();
    await chooseOption(page, 'Engineer');
    const chart = page.getByRole('img', { name: /王工 \(eng-wang\), / });
    await waitForOrExplain(page, chart, SLOW);
    const words = await chart.getAttribute('aria-label');
    expect(words).toMatch(/; 王工 \(eng-wang\), [A-Z][a-z]{2} \d{4}\*: sent 1, answered 0, mean —/);
    expect(words).toMatch(/; No engineer \(complaints, campaigns\), [A-Z][a-z]{2} \d{4}\*: sent 2, answered 1, mean 4\.5/);
    expect(words).not.toMatch(/; (eng-wang|none|unassigned), /);
    // By station: the complaints' surveys, sent with no station, are named so, not by the statistics' word.
    await page.getByLabel('By', { exact: true }).click();
    await chooseOption(page, 'Station');
    const byStation = page.getByRole('img', { name: /No station \(complaints, campaigns\), / });
    await waitForOrExplain(page, byStation, SLOW);
    expect(await byStation.getAttribute('aria-label')).not.toMatch(/; unassigned, /);
    await page.getByLabel('By', { exact: true }).click();
    await chooseOption(page, 'Engineer');
    await waitForOrExplain(page, chart, SLOW);

    await page.getByText('中文', { exact: true }).click();
    const zhChart = page.getByRole('img', { name: /王工 \(eng-wang\)，/ });
    await waitForOrExplain(page, zhChart, SLOW);
    expect(await zhChart.getAttribute('aria-label')).toMatch(/; 无工程师（投诉、调查活动），\d{4}年\d{1,2}月\*：发送 2，答复 1，平均 4\.5/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('has no serious or critical accessibility violations on the surveys screen, also at 768 px', async () => {
    const found: Record<string, AxeViolation[]> = {};
    for (const width of [1280, 768]) {
      const { context, page } = await personOn(browser, { width });
      await signIn(page, app, TOKENS.analyst);
      await page.goto(`${app.baseUrl}/#/surveys`);
      await page.getByRole('region', { name: 'Surveys' }).getByRole('row', { name: /cust-survey-1/ }).waitFor();
      await page.getByRole('img', { name: /^Mean score/ }).waitFor({ timeout: SLOW });
      found[`surveys-${width}`] = (await seriousAccessibilityViolations(page));
      await context.close();
    }
    const summary = Object.fromEntries(Object.entries(found).map(([screen, violations]) => [screen, violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`)]));
    expect(summary).toEqual({ 'surveys-1280': [], 'surveys-768': [] });
  });
});
