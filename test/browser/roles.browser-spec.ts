import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_SLA_POLICY, type Role } from '@app/domain';
import { waitFor } from '../e2e/support/eventually';
import { newComplaint, newWorkOrder, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, chooseOption, ensureConsoleBuilt, type AxeViolation, launch, personOn, signIn, screenshot, seriousAccessibilityViolations, waitForOrExplain, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(120_000);

/** What a customer said at length: the board shows its first words, the whole of it on hover. */
const LONG_DESCRIPTION = '加油机显示40升，但油箱只加进了约35升；客户当场要求退还差价，并要求站长出面说明计量是否合格，否则将向市场监督管理局投诉。';


/** Each screen's violations, one line each, so that a failure names them. */
const summary = (found: Record<string, readonly AxeViolation[]>) => Object.fromEntries(Object.entries(found)
  .map(([screen, violations]) => [screen, violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`)]));

describeInBrowser('the console by role: navigation, the dispatch boards and the auditor\'s view', () => {
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe('on a desk with complaints and repairs to dispatch', () => {
    let app: RunningApp;
    /** The complaints of the board, by what makes them show up where. */
    const ids: Record<'received' | 'validated' | 'breached' | 'escalated' | 'refused', string> = { received: '', validated: '', breached: '', escalated: '', refused: '' };
    const workOrders: Record<'dispatched' | 'reported', string> = { dispatched: '', reported: '' };

    const call = async (method: string, path: string, role: Role, body?: unknown): Promise<{ status: number; body: any }> => { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
      const response = await app.request(method, path, { role, ...(body === undefined ? {} : { body }) });
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response;
    };
    const receive = async (overrides: Record<string, unknown> = {}): Promise<string> => (await call('POST', '/complaints', 'agent', { ...newComplaint, ...overrides })).body.id;

    beforeAll(async () => {
      // First reply within an hour (at risk: due within the board's 2 hours), and within a second for a critical one (breached while the test runs).
      app = await startApp(undefined, {
        consoleDir: CONSOLE_DIR,
        slaPolicy: { ...DEFAULT_SLA_POLICY, version: 'board-test', bySeverity: { high: { firstReply: 'PT1H' }, critical: { firstReply: 'PT1S' } } },
        slaMonitorIntervalMs: 200,
      });
      ids.received = await receive({ customerId: 'cust-30001', customerName: '赵女士', description: LONG_DESCRIPTION });
      ids.validated = await receive({ customerId: 'cust-30002', customerName: '钱先生' });
      await call('POST', `/complaints/${ids.validated}/validate`, 'supervisor', { reason: '加油记录证实' });
      ids.breached = await receive({ customerId: 'cust-30003', customerName: '孙先生', severity: 'critical' });
      ids.escalated = await receive({ customerId: 'cust-30004', customerName: '李女士' });
      await call('POST', `/complaints/${ids.escalated}/validate`, 'supervisor', { reason: '属实' });
      await call('POST', `/complaints/${ids.escalated}/assign`, 'supervisor', { department: 'station-ops', assignee: 'zhang.wei' });
      await call('POST', `/complaints/${ids.escalated}/escalate`, 'supervisor', { to: 'regional-manager', reason: '超出站点权限' });
      ids.refused = await receive({ customerId: 'cust-30005', customerName: '周先生' });
      await call('POST', `/complaints/${ids.refused}/validate`, 'supervisor', { reason: '属实' });
      await call('POST', `/complaints/${ids.refused}/assign`, 'supervisor', { department: 'billing', assignee: 'wang.fang' });
      await call('POST', `/complaints/${ids.refused}/resolve`, 'supervisor', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
      await call('POST', `/complaints/${ids.refused}/callback`, 'agent', { outcome: 'unsatisfied', satisfaction: 1 });

      // The service network, a product under warranty, and two fault reports: one dispatched to 丹东服务站 and 王工, one not yet.
      await call('POST', '/service-network/units', 'admin', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' });
      await call('POST', '/service-network/units', 'admin', {
        code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station for Dandong',
      });
      await call('POST', '/service-network/engineers', 'admin', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' });
      await call('POST', '/products', 'admin', { serialNumber: 'TQ2240-000731', model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn: '2026-01-15', warrantyMonths: 12, covers: ['parts', 'labour', 'on-site'] });
      workOrders.dispatched = (await call('POST', '/work-orders', 'agent', newWorkOrder)).body.id;
      await call('POST', `/work-orders/${workOrders.dispatched}/dispatch`, 'agent', { stationCode: 'dandong-station', engineerId: 'eng-wang' });
      workOrders.reported = (await call('POST', '/work-orders', 'agent', { ...newWorkOrder, faultDescription: '3 号枪显示屏不亮。' })).body.id;

      // The read models have caught up with all of it, and the critical complaint's first reply is breached.
      await waitFor('the breach', () => call('GET', '/sla/breaches?open=true', 'supervisor'), (answer) => answer.body.items.some((item: { complaintId: string }) => item.complaintId === ids.breached), { everyMs: 100 });
      await waitFor('the refused solution', () => call('GET', '/complaints?status=follow-up-required', 'supervisor'), (answer) => answer.body.items.length === 1, { everyMs: 100 });
      await waitFor('the work-order board', () => call('GET', '/work-orders/board', 'supervisor'), (answer) => answer.body.items.length === 2 && answer.body.items.some((item: { engineerId: string | null }) => item.engineerId === 'eng-wang'), { everyMs: 100 });
    });

    afterAll(async () => {
      await app?.stop();
      if (app) removeDataDir(app.dataDir);
    });

    it('shows each role only the screens it may use, and nothing at the address of the others', async () => {
      const expected: Record<'agent' | 'supervisor' | 'analyst' | 'auditor', string[]> = {
        agent: ['My queue', 'New complaint', 'Work orders', 'Surveys'],
        supervisor: ['My queue', 'New complaint', 'Dashboard', 'Dispatch board', 'Work orders', 'Surveys', 'Service network'],
        analyst: ['My queue', 'Dashboard', 'Work orders', 'Surveys'],
        auditor: ['My queue', 'Dashboard', 'Work orders', 'Surveys', 'Audit'],
      };
      for (const [role, links] of Object.entries(expected) as Array<[keyof typeof expected, string[]]>) {
        const { context, page, problems } = await personOn(browser);
        await signIn(page, app, TOKENS[role]);
        const navigation = page.getByRole('navigation');
        await navigation.getByRole('link', { name: 'My queue' }).waitFor();
        expect({ role, links: await navigation.getByRole('link').allInnerTexts() }).toEqual({ role, links });
        if (role !== 'auditor') {
          await page.goto(`${app.baseUrl}/#/audit`);
          await page.getByText('There is nothing at this address.').waitFor();
        }
        if (role !== 'supervisor') {
          await page.goto(`${app.baseUrl}/#/dispatch`);
          await page.getByText('There is nothing at this address.').waitFor();
        }
        expect(problems).toEqual([]);
        await context.close();
      }
    });

    it('gives a supervisor the dispatch board with counts, each row opening its complaint, and assigns from it with the service network\'s pickers', async () => {
      const supervisor = await personOn(browser);
      const admin = await personOn(browser);
      await signIn(supervisor.page, app, TOKENS.supervisor);
      await signIn(admin.page, app, TOKENS.admin);
      const { page } = supervisor;
      await page.getByRole('navigation').getByRole('link', { name: 'Dispatch board' }).click();

      // Received or well-founded, not assigned: the received one, the well-founded one, the critical one.
      await page.getByRole('tab', { name: 'Unassigned (3)' }).waitFor();
      await page.getByRole('tab', { name: 'Breached (1)' }).waitFor();
      await page.getByRole('tab', { name: 'Escalated (1)' }).waitFor();
      await page.getByRole('tab', { name: 'Solution refused (1)' }).waitFor();
      // The clocks due within 2 hours, as the API counts them: the received one's first reply (within the hour) among them.
      const atRisk = (await call('GET', '/sla/at-risk', 'supervisor')).body.items as Array<{ complaintId: string }>;
      expect(atRisk.map((item) => item.complaintId)).toContain(ids.received);
      await page.getByRole('tab', { name: `At risk (${atRisk.length})` }).click();
      await page.getByRole('region', { name: 'Running clocks due within 2 hours' }).getByRole('link', { name: new RegExp(`cust-30001 · ${ids.received.slice(0, 8)}`) }).waitFor();
      await page.getByRole('tab', { name: 'Unassigned (3)' }).click();

      const unassigned = page.getByRole('region', { name: 'Complaints received or judged well-founded, not assigned yet' });
      for (const name of ['赵女士', '钱先生', '孙先生']) await unassigned.getByRole('link', { name }).waitFor();
      // Rows of one customer are told apart: each names its complaint as its page's heading does (a link to it) and starts what the customer said, the whole on hover.
      const zhao = unassigned.getByRole('row', { name: /赵女士/ });
      await zhao.getByRole('link', { name: ids.received.slice(0, 8), exact: true }).waitFor();
      await zhao.getByText(`${LONG_DESCRIPTION.slice(0, 40)}…`, { exact: true }).hover();
      await page.getByRole('tooltip').getByText(LONG_DESCRIPTION, { exact: true }).waitFor();
      await page.mouse.move(0, 0);
      await page.getByRole('tooltip').waitFor({ state: 'hidden' });
      await unassigned.getByRole('row', { name: /钱先生/ }).getByText(String(newComplaint.description), { exact: true }).waitFor();
      // A received complaint is not assigned yet: its row says what comes first instead of an empty cell; the well-founded one offers Assign.
      await unassigned.getByRole('row', { name: /赵女士/ }).getByText('Judge it well-founded first (on its page)', { exact: true }).waitFor();
      await unassigned.getByRole('row', { name: /钱先生/ }).getByRole('button', { name: /^Assign/ }).waitFor();
      await screenshot(page, 'dispatch-board');

      await page.getByRole('tab', { name: 'Breached (1)' }).click();
      const breached = page.getByRole('region', { name: 'Clocks breached, the step still missing' });
      await breached.getByText('First reply overdue by').waitFor();
      await breached.getByRole('link', { name: new RegExp(`cust-30003 · ${ids.breached.slice(0, 8)}`) }).waitFor();

      await page.getByRole('tab', { name: 'Escalated (1)' }).click();
      const escalated = page.getByRole('region', { name: 'Open complaints that were escalated' });
      await escalated.getByRole('link', { name: '李女士' }).waitFor();
      await escalated.getByText('station-ops / zhang.wei').waitFor();
      await escalated.getByRole('link', { name: ids.escalated.slice(0, 8), exact: true }).click();
      await page.getByRole('heading', { name: `Complaint ${ids.escalated.slice(0, 8)}` }).waitFor();
      await page.goBack();
      await page.getByRole('tab', { name: 'Escalated (1)' }).click();

      await page.getByRole('tab', { name: 'Solution refused (1)' }).click();
      const refused = page.getByRole('region', { name: 'Complaints whose solution the customer refused (follow-up required)' });
      await refused.getByText('Follow-up required').waitFor();
      await refused.getByRole('link', { name: '周先生' }).click();
      await page.getByRole('heading', { name: `Complaint ${ids.refused.slice(0, 8)}` }).waitFor();
      await page.goBack();

      // Assign the well-founded one: the department and the handler picked from the service network.
      await page.getByRole('tab', { name: 'Unassigned (3)' }).click();
      await page.getByRole('button', { name: `Assign complaint ${ids.validated.slice(0, 8)}` }).click();
      const dialog = page.getByRole('dialog', { name: `Assign complaint ${ids.validated.slice(0, 8)}` });
      await dialog.getByLabel('Department code').fill('dandong');
      await chooseOption(page, 'Dandong service station (dandong-station)');
      await dialog.getByLabel('Handler').click();
      await chooseOption(page, '王工 (eng-wang)');
      await dialog.getByLabel('Reason').fill('丹东片区');
      await screenshot(page, 'dispatch-assign');
      await dialog.getByRole('button', { name: 'Record' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await waitForOrExplain(page, page.getByRole('tab', { name: 'Unassigned (2)' }), 15_000);
      expect(await page.getByRole('region', { name: 'Complaints received or judged well-founded, not assigned yet' }).getByRole('link', { name: '钱先生' }).count()).toBe(0);

      const stored = await call('GET', `/complaints/${ids.validated}`, 'supervisor');
      expect(stored.body.assignment).toEqual({ department: 'dandong-station', assignee: 'eng-wang' });
      const events = await call('GET', `/complaints/${ids.validated}/events`, 'auditor');
      expect(events.body.events.at(-1)).toMatchObject({ type: 'ComplaintAssigned', data: { reason: '丹东片区' }, metadata: { actor: { id: 'supervisor-e2e', role: 'supervisor' } } });

      // The admin's board, opened after the assignment, counts it too.
      await admin.page.getByRole('navigation').getByRole('link', { name: 'Dispatch board' }).click();
      await admin.page.getByRole('tab', { name: 'Unassigned (2)' }).waitFor();
      expect([...supervisor.problems, ...admin.problems]).toEqual([]);
      await supervisor.context.close();
      await admin.context.close();
    });

    it('shows the work-order dispatch board by station and engineer, each order with its status and SLA deadline', async () => {
      const { context, page, problems } = await personOn(browser);
      await signIn(page, app, TOKENS.agent);
      await page.getByRole('navigation').getByRole('link', { name: 'Work orders' }).click();
      const board = (await call('GET', '/work-orders/board', 'agent')).body.items as Array<{ id: string; nextDeadlineClock: string; nextDeadlineAt: string }>;
      const dispatched = board.find((item) => item.id === workOrders.dispatched)!;
      const reported = board.find((item) => item.id === workOrders.reported)!;

      const atWang = page.getByRole('region', { name: 'Dandong service station (dandong-station) — 王工 (eng-wang)' });
      await atWang.getByText('王工 (eng-wang): 1').waitFor();
      const wangRow = atWang.getByRole('row', { name: new RegExp(workOrders.dispatched.slice(0, 8)) });
      await wangRow.getByText('Dispatched', { exact: true }).waitFor();
      expect(await wangRow.locator('time').getAttribute('datetime')).toBe(dispatched.nextDeadlineAt);
      await wangRow.getByText(new RegExp(`${({ 'first-contact': 'First contact', 'on-site': 'On site', completion: 'Completion', survey: 'Survey' } as Record<string, string>)[dispatched.nextDeadlineClock]} in `)).waitFor();

      const waiting = page.getByRole('region', { name: 'Not dispatched yet — No engineer' });
      const waitingRow = waiting.getByRole('row', { name: new RegExp(workOrders.reported.slice(0, 8)) });
      await waitingRow.getByText('Reported', { exact: true }).waitFor();
      expect(await waitingRow.locator('time').getAttribute('datetime')).toBe(reported.nextDeadlineAt);
      await screenshot(page, 'work-order-board');

      // In 中文 too.
      await page.getByText('中文', { exact: true }).click();
      await page.getByRole('region', { name: '丹东服务站 (dandong-station) — 王工 (eng-wang)' }).getByText('已派工').waitFor();
      expect(problems).toEqual([]);
      await context.close();
    });

    it('has no serious or critical accessibility violations on the boards, also at 768 px', async () => {
      const { context, page } = await personOn(browser, { width: 768 });
      await signIn(page, app, TOKENS.supervisor);
      const found: Record<string, AxeViolation[]> = {};
      await page.goto(`${app.baseUrl}/#/dispatch`);
      await page.getByRole('link', { name: '赵女士' }).waitFor();
      found['dispatch'] = await seriousAccessibilityViolations(page);
      await screenshot(page, 'dispatch-board-768');
      await page.goto(`${app.baseUrl}/#/work-orders`);
      await page.getByText('王工 (eng-wang): 1').waitFor();
      found['work-orders'] = await seriousAccessibilityViolations(page);
      expect(summary(found)).toEqual({ dispatch: [], 'work-orders': [] });
      await context.close();
    });

    it('offers a supervisor limited to departments only its own units to assign to (the API refuses another: 403)', async () => {
      const token = (await call('POST', '/access/tokens', 'admin', { principalId: 'sup-dandong', role: 'supervisor', departments: ['dandong-station'], reason: 'supervisor of the Dandong station' })).body.token as string;
      const asLimited = async (path: string, body: unknown) => {
        const response = await app.request('POST', path, { token, body });
        if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
        return response.body;
      };
      // It sees the complaints it received itself until they are assigned.
      const own = (await asLimited('/complaints', { ...newComplaint, customerId: 'cust-30006', customerName: '吴先生' })).id as string;
      await asLimited(`/complaints/${own}/validate`, { reason: '站点核实' });
      const { context, page, problems } = await personOn(browser);
      await signIn(page, app, token);
      await page.getByRole('navigation').getByRole('link', { name: 'Dispatch board' }).click();
      await page.getByRole('button', { name: `Assign complaint ${own.slice(0, 8)}` }).click();
      const dialog = page.getByRole('dialog', { name: `Assign complaint ${own.slice(0, 8)}` });
      // Both units' labels hold an "e": only its own station is offered.
      await dialog.getByLabel('Department code').fill('e');
      const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
      await open.getByTitle('Dandong service station (dandong-station)', { exact: true }).waitFor();
      expect(await open.getByTitle('Customer service centre (cs-centre)', { exact: true }).count()).toBe(0);
      await dialog.getByLabel('Department code').fill('dandong');
      await chooseOption(page, 'Dandong service station (dandong-station)');
      await dialog.getByLabel('Handler').click();
      await chooseOption(page, '王工 (eng-wang)');
      await dialog.getByLabel('Reason').fill('本站处理');
      await dialog.getByRole('button', { name: 'Record' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const stored = await call('GET', `/complaints/${own}`, 'supervisor');
      expect(stored.body.assignment).toEqual({ department: 'dandong-station', assignee: 'eng-wang' });
      expect(problems).toEqual([]);
      await context.close();
    });
  });

  describe('an auditor, on a store edited behind the API\'s back', () => {
    let app: RunningApp | undefined;

    afterAll(async () => {
      await app?.stop();
      if (app) removeDataDir(app.dataDir);
    });

    it('reads the decisions, a complaint\'s trail in plain words and the access history, and catches the edit when verifying', async () => {
      const first = await startApp(undefined, { consoleDir: CONSOLE_DIR });
      app = first;
      const received = await first.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      const id = received.body.id as string;
      expect((await first.request('POST', `/complaints/${id}/validate`, { role: 'supervisor', body: { reason: '计量记录证实少加' } })).status).toBe(200);
      expect((await first.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'li.na', role: 'agent', reason: '浦东新员工' } })).status).toBe(201);

      const before = await personOn(browser);
      await signIn(before.page, first, TOKENS.auditor);
      await before.page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
      await before.page.getByRole('button', { name: 'Verify', exact: true }).click();
      await before.page.getByText(/^Intact: 4 events in 3 streams/).waitFor();
      await screenshot(before.page, 'audit-verify-intact');

      // The decisions, newest first, in words; the trail of the complaint from there.
      await before.page.getByRole('tab', { name: 'Decisions' }).click();
      await before.page.getByRole('cell', { name: 'Judged the complaint well-founded: 计量记录证实少加' }).waitFor();
      await before.page.getByRole('button', { name: `Trail of complaint ${id.slice(0, 8)}` }).first().click();
      const trail = before.page.getByRole('region', { name: 'A complaint\'s decision trail' });
      await trail.getByRole('cell', { name: /^Received the complaint \(channel Phone, cause Quantity \/ metering, severity High\)/ }).waitFor();
      await before.page.getByText(`Intact: the chain of complaint-${id} holds, 2 events.`).waitFor();
      await before.page.getByText('中文', { exact: true }).click();
      await before.page.getByRole('region', { name: '投诉的决定轨迹' }).getByRole('cell', { name: '判定投诉成立：计量记录证实少加' }).waitFor();
      await before.page.getByText('English', { exact: true }).click();

      await before.page.getByRole('tab', { name: 'Access-control history' }).click();
      const grant = before.page.getByRole('row', { name: /Token issued/ });
      await grant.getByText('li.na · Agent').waitFor();
      await grant.getByText('浦东新员工').waitFor();
      await before.page.getByText('Intact: the chain of access-control holds, 1 event.').waitFor();
      await screenshot(before.page, 'audit-access');
      expect(before.problems).toEqual([]);
      await before.context.close();

      // The intruder stops the server, rewrites the reason of the judgement in the SQLite file, and starts it again.
      await first.stop();
      const db = new Database(join(first.dataDir, 'events.sqlite'));
      const edited = db.prepare("UPDATE events SET data = json_set(data, '$.reason', '没有证据') WHERE type = 'ComplaintValidated'").run();
      expect(edited.changes).toBe(1);
      db.close();
      app = await startApp(first.dataDir, { consoleDir: CONSOLE_DIR });
      const answer = await app.request('GET', `/audit/verify?stream=complaint-${id}`, { role: 'auditor' });
      expect(answer.body).toMatchObject({ ok: false, revision: 1, expected: expect.any(String), found: expect.any(String) });

      const { context, page, problems } = await personOn(browser);
      await signIn(page, app, TOKENS.auditor);
      await page.goto(`${app.baseUrl}/#/audit`);
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      await page.getByRole('alert').getByText(/^Broken: \d+ findings? not acknowledged\./).waitFor();
      const changed = page.getByRole('row', { name: /Event changed/ });
      await changed.getByRole('cell', { name: /position 3$/ }).waitFor();
      await screenshot(page, 'audit-verify-broken');

      // The stream's own chain: where it breaks, the hash expected and the one found.
      await page.getByRole('row', { name: /Stream chain broken/ }).getByRole('button', { name: 'Check this stream' }).click();
      const verdict = page.getByRole('alert').filter({ hasText: `Broken: the chain of complaint-${id} breaks at revision 1.` });
      await verdict.waitFor();
      expect(await verdict.getByRole('row', { name: /Expected hash/ }).innerText()).toContain(answer.body.expected);
      expect(await verdict.getByRole('row', { name: /Found hash/ }).innerText()).toContain(answer.body.found);
      await screenshot(page, 'audit-verify-stream');

      // The trail says the same, beside the edited words.
      await page.goto(`${app.baseUrl}/#/audit?tab=trail&complaint=${id}`);
      await page.getByRole('cell', { name: 'Judged the complaint well-founded: 没有证据' }).waitFor();
      await page.getByText(`Broken: the chain of complaint-${id} breaks at revision 1.`).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    });

    it('has no serious or critical accessibility violations on the auditor\'s view, also at 768 px', async () => {
      const { context, page } = await personOn(browser, { width: 768 });
      await signIn(page, app!, TOKENS.auditor);
      await page.goto(`${app!.baseUrl}/#/audit`);
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      await page.getByRole('row', { name: /Event changed/ }).waitFor();
      const found: Record<string, AxeViolation[]> = {};
      found['verify'] = await seriousAccessibilityViolations(page);
      await page.getByRole('tab', { name: 'Decisions' }).click();
      await page.getByRole('cell', { name: /^Judged the complaint well-founded/ }).waitFor();
      found['decisions'] = await seriousAccessibilityViolations(page);
      await page.getByRole('tab', { name: 'Access-control history' }).click();
      await page.getByText('li.na · Agent').waitFor();
      found['access'] = await seriousAccessibilityViolations(page);
      await screenshot(page, 'audit-768');
      expect(summary(found)).toEqual({ verify: [], decisions: [], access: [] });
      await context.close();
    });
  });
});
