import type { Browser } from 'playwright-core';
import { COMPLAINT_ACTIONS } from '@app/domain';
import { newComplaint, removeDataDir, startApp, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, ensureConsoleBuilt, launch, personOn, screenshot, seriousAccessibilityViolations, signIn, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(90_000);

describeInBrowser('an agent the service network has deactivated, in the console', () => {
  let app: RunningApp;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  let complaintId = '';

  const admin = async (path: string, body: unknown) => {
    const response = await app.request('POST', path, { role: 'admin', body });
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    await admin('/service-network/units', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' });
    await admin('/service-network/units', { code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', reason: '质量投诉归口' });
    for (const [agentId, name] of [['zhou.min', '周敏'], ['sun.li', '孙丽']] as const) {
      await admin('/service-network/agents', { agentId, name, units: ['quality-dept'], reason: '新员工入职' });
      tokens[agentId] = (await admin('/access/tokens', { principalId: agentId, role: 'agent', reason: 'agent of the quality department' })).body.token as string;
    }
    complaintId = (await app.request('POST', '/complaints', { token: tokens['zhou.min']!, body: newComplaint })).body.id as string;
    await admin('/service-network/agents/zhou.min/deactivate', { reason: '离职' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  it('tells the agent at sign-in, in Chinese and in English, and shows every action of the complaint disabled with the reason', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, tokens['zhou.min']!, '中文');
    const alert = page.getByRole('alert').filter({ hasText: '您已在服务网络中被停用' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('请由主管将您的工作改派给在职客服');
    await page.getByRole('banner').getByText('已停用', { exact: true }).waitFor();

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'You have been deactivated in the service network' }).waitFor();
    await page.getByRole('banner').getByText('Deactivated', { exact: true }).waitFor();

    await page.goto(`${app.baseUrl}/#/complaints/${complaintId}`);
    const actions = page.getByRole('list', { name: 'Actions' });
    const apologise = actions.getByRole('button', { name: 'Apologise' });
    await apologise.waitFor();
    expect(await apologise.isDisabled()).toBe(true);
    const reason = 'Not for you: you have been deactivated in the service network; a supervisor reassigns the complaint to an active agent.';
    expect(await actions.getByText(reason).count()).toBeGreaterThanOrEqual(5);
    // Nothing is offered: every action (but the tags, which have their own control) is in the list of refused ones, disabled.
    expect(await actions.getByRole('button').count()).toBe(COMPLAINT_ACTIONS.length - 1);
    expect(await actions.getByRole('button', { disabled: false }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deactivated-agent');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows an active agent of the same desk neither the alert nor the reason, and their actions enabled', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, tokens['sun.li']!);
    await page.goto(`${app.baseUrl}/#/complaints/${complaintId}`);
    const apologise = page.getByRole('button', { name: 'Apologise' });
    await apologise.waitFor();
    expect(await apologise.isDisabled()).toBe(false);
    expect(await page.getByText('You have been deactivated in the service network').count()).toBe(0);
    expect(await page.getByText('Not for you:').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
