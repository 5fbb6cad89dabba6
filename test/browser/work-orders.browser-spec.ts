import type { Browser, Locator, Page } from 'playwright-core';
import type { Role } from '@app/domain';
import { newComplaint, newWorkOrder, removeDataDir, startApp, TOKENS, type RunningApp } from '../e2e/support/test-app';
import { CONSOLE_DIR, chooseOption, ensureConsoleBuilt, launch, personOn, signIn, screenshot, sceneSetter, seriousAccessibilityViolations, waitForOrExplain, whyNoBrowser } from './support/browser';
import { oneHeavySuiteAtATime } from '../support/heavy-suites';

oneHeavySuiteAtATime();

const missing = whyNoBrowser();
if (missing) console.warn(`Browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

jest.setTimeout(120_000);

/** Out of its warranty since 2025-01-15: every repair of it is quoted and paid for. */
const EXPIRED = 'TQ2240-000100';

describeInBrowser('work orders in the console: the fees of each repair cycle, an engineer who leaves, and what may be done with an order', () => {
  let app: RunningApp;
  let browser: Browser;
  const ids = { paid: '', heldFirst: '', heldSecond: '' };

  const { call, position } = sceneSetter(() => app);
  const act = (id: string, verb: string, body: object, role: Role = 'admin') => call('POST', `/work-orders/${id}/${verb}`, role, body);
  const report = async (): Promise<string> => (await call('POST', '/work-orders', 'agent', { ...newWorkOrder, product: { model: 'TQ-2240 税控加油机', serialNumber: EXPIRED } })).body.id;

  /** The first three cells of each row of a table in `region`, its header first. */
  const firstCells = async (region: Locator): Promise<string[][]> =>
    (await region.getByRole('row').allInnerTexts()).map((row) => row.split(/\s*\t\s*|\n/).filter((cell) => cell !== '').slice(0, 3));

  /** On site, found worn, quoted, confirmed by the customer, the chargeable work done and its fee charged. */
  async function paidRepairCycle(id: string, lines: ReadonlyArray<{ kind: string; description: string; minorUnits: number }>): Promise<void> {
    await act(id, 'arrive', {});
    await act(id, 'findings', { findings: 'Pulser encoder worn.', faultCause: 'wear-and-tear' });
    await act(id, 'quote', { lines: lines.map(({ minorUnits, ...line }) => ({ ...line, amount: { currency: 'CNY', minorUnits } })) });
    // The customer answers the quote they were shown: the order's numbers run on across its repair cycles.
    const quoteNumber = (await call('GET', `/work-orders/${id}`, 'admin')).body.repair.quote.number as number;
    await act(id, 'confirm-quote', { quoteNumber, confirmedBy: '李先生', channel: 'phone' }, 'agent');
    await act(id, 'work', { description: 'Replaced the pulser encoder.', chargeable: true });
    await act(id, 'fee', { amount: { currency: 'CNY', minorUnits: lines.reduce((sum, line) => sum + line.minorUnits, 0) }, method: 'cash' });
  }

  /** The work-order page's actions: each one's button, why a refused one is refused, its form opened and recorded. */
  function actionsOn(page: Page) {
    const actions = page.getByRole('region', { name: 'Actions' });
    const describedBy = async (button: Locator) => page.locator(`[id="${await button.getAttribute('aria-describedby')}"]`).innerText();
    /** Opens an action's form from its button; its dialog. */
    const form = async (action: string) => {
      await actions.getByRole('button', { name: action, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: action });
      await dialog.getByRole('button', { name: 'Record' }).waitFor();
      return dialog;
    };
    /** Waits for the form's `count` field errors, saying what the dialog showed if they do not come. */
    const fieldErrors = async (dialog: Locator, count: number) => {
      await dialog.getByText('Required.').nth(count - 1).waitFor()
        .catch(async (error: unknown) => { throw new Error(`${String(error)}\nThe dialog says: ${await dialog.innerText().catch(() => '(gone)')}`); });
      expect(await dialog.getByText('Required.').count()).toBe(count);
    };
    /** Records the form; the next action's button is enabled once the page shows the order as it is now. */
    const record = async (dialog: Locator) => {
      await dialog.getByRole('button', { name: 'Record' }).click();
      // A refusal stays in the dialog: say what it says rather than time out silently.
      await dialog.waitFor({ state: 'hidden' }).catch(async (error: unknown) => { throw new Error(`${String(error)}\nThe dialog says: ${await dialog.innerText()}`); });
    };
    return { actions, describedBy, fieldErrors, form, record };
  }

  /** A repair reported, dispatched to 王工 and 王工 on site (with the findings when `withFindings`): its id. */
  async function onSite(withFindings: boolean): Promise<string> {
    const id = await report();
    await act(id, 'dispatch', { stationCode: 'dandong-station', engineerId: 'eng-wang' }, 'agent');
    await act(id, 'arrive', {});
    if (withFindings) await act(id, 'findings', { findings: 'Pulser encoder worn.', faultCause: 'wear-and-tear' });
    return id;
  }

  /** 王工's own token, limited to his station. */
  const wangToken = async () => (await call('POST', '/access/tokens', 'admin', { principalId: 'eng-wang', role: 'engineer', departments: ['dandong-station'], reason: 'engineer of Dandong' })).body.token as string;

  /** A person signed in with `token` on the order's page. */
  async function onOrderPage(token: string, id: string) {
    const person = await personOn(browser);
    await signIn(person.page, app, token);
    await person.page.goto(`${app.baseUrl}/#/work-orders/${id}`);
    await waitForOrExplain(person.page, person.page.getByRole('heading', { name: `Work order ${id.slice(0, 8)}` }));
    return person;
  }

  /** The order's events as the auditor reads them, oldest first. */
  const eventsOf = async (id: string) => (await call('GET', `/work-orders/${id}/events`, 'auditor')).body.events as Array<{ type: string; data: Record<string, unknown> }>;

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startApp(undefined, { consoleDir: CONSOLE_DIR });
    browser = await launch();
    await call('POST', '/service-network/units', 'admin', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' });
    await call('POST', '/service-network/units', 'admin', {
      code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station for Dandong',
    });
    await call('POST', '/service-network/engineers', 'admin', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' });
    await call('POST', '/service-network/engineers', 'admin', { engineerId: 'eng-zhou', name: '周工', station: 'dandong-station', skills: ['pump'], reason: 'hired' });
    await call('POST', '/products', 'admin', { serialNumber: EXPIRED, model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn: '2024-01-15', warrantyMonths: 12, covers: ['parts', 'labour'] });

    // A repair paid for (¥780.00), handed over, reopened by the customer and paid for again (¥4.00) in its second cycle: still open.
    ids.paid = await report();
    await act(ids.paid, 'dispatch', { stationCode: 'dandong-station', engineerId: 'eng-wang' }, 'agent');
    await paidRepairCycle(ids.paid, [
      { kind: 'parts', description: 'Pulser encoder PUL-2240-07', minorUnits: 48000 },
      { kind: 'labour', description: '2 h', minorUnits: 20000 },
      { kind: 'on-site', description: 'Call-out', minorUnits: 10000 },
    ]);
    await act(ids.paid, 'test', { passed: true });
    await act(ids.paid, 'sign-off', { signedBy: '李先生' });
    await act(ids.paid, 'hand-over', {});
    await act(ids.paid, 'reopen', { reason: '同一喷枪又在 20 升处停机。' }, 'agent');
    await paidRepairCycle(ids.paid, [{ kind: 'on-site', description: 'Call-out', minorUnits: 400 }]);

    // Two orders 周工 still holds.
    for (const key of ['heldFirst', 'heldSecond'] as const) {
      ids[key] = await report();
      await act(ids[key], 'dispatch', { stationCode: 'dandong-station', engineerId: 'eng-zhou' }, 'agent');
    }
    // The board holds all three before the browser reads it.
    expect((await call('GET', `/work-orders/board?minPosition=${position()}`, 'agent')).body.items).toHaveLength(3);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  it('an agent opens a reopened, twice-paid repair from the board and sees the fee of each repair cycle, in English and in 中文', async () => {
    const fees = (await call('GET', `/work-orders/${ids.paid}`, 'agent')).body.feesCharged as Array<{ cycle: number; amount: { currency: string; minorUnits: number }; quoteNumber: number }>;
    expect(fees.map(({ cycle, amount, quoteNumber }) => ({ cycle, amount, quoteNumber }))).toEqual([
      { cycle: 1, amount: { currency: 'CNY', minorUnits: 78000 }, quoteNumber: 1 },
      { cycle: 2, amount: { currency: 'CNY', minorUnits: 400 }, quoteNumber: 2 },
    ]);

    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.agent);
    await page.getByRole('navigation').getByRole('link', { name: 'Work orders' }).click();
    await page.getByRole('link', { name: ids.paid.slice(0, 8) }).click();
    await waitForOrExplain(page, page.getByRole('heading', { name: `Work order ${ids.paid.slice(0, 8)}` }));

    const section = page.getByRole('region', { name: 'Fees charged' });
    await section.getByRole('row', { name: /CN¥780\.00/ }).waitFor();
    expect(await firstCells(section)).toEqual([
      ['Repair cycle', 'Amount', 'Quote'],
      ['1', 'CN¥780.00', 'Quote 1'],
      ['2', 'CN¥4.00', 'Quote 2'],
    ]);
    await section.getByText('Total charged: CN¥784.00').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'work-order-fees');

    await page.getByText('中文', { exact: true }).click();
    const zhSection = page.getByRole('region', { name: '收费记录' });
    await zhSection.getByText('合计收费：¥784.00').waitFor();
    expect(await firstCells(zhSection)).toEqual([
      ['维修轮次', '金额', '报价'],
      ['1', '¥780.00', '第 1 次报价'],
      ['2', '¥4.00', '第 2 次报价'],
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin deactivates an engineer who still holds two orders, after a confirmation with a reason, and follows the list to each order', async () => {
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.admin);
    await page.getByRole('navigation').getByRole('link', { name: 'Service network' }).click();
    const engineers = page.getByRole('region', { name: 'Engineers' });
    await engineers.getByRole('row', { name: /王工 \(eng-wang\)/ }).getByText('Active').waitFor();
    await engineers.getByRole('button', { name: 'Deactivate 周工 (eng-zhou)' }).click();

    // No reason: the form says so, and nothing is written.
    const dialog = page.getByRole('dialog', { name: 'Deactivate 周工 (eng-zhou)?' });
    await dialog.getByText('their token acts on no work order').waitFor();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await dialog.getByText('Required.').waitFor();
    const zhou = async () => ((await call('GET', '/service-network', 'admin')).body.engineers as Array<{ id: string; active: boolean }>).find((engineer) => engineer.id === 'eng-zhou');
    expect(await zhou()).toMatchObject({ active: true });

    await dialog.getByLabel('Reason').fill('离职');
    const answered = page.waitForResponse((response) => response.url().endsWith('/service-network/engineers/eng-zhou/deactivate'));
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    // The API's answer: what 周工 still holds, which the screen lists.
    const held = ((await (await answered).json()).openWorkOrders as Array<{ id: string }>).map((order) => order.id).sort();
    expect(held).toEqual([ids.heldFirst, ids.heldSecond].sort());
    await dialog.waitFor({ state: 'hidden' });
    const outcome = page.getByRole('region', { name: '周工 (eng-zhou) was deactivated' });
    await waitForOrExplain(page, outcome);
    await outcome.getByText('Still held by 周工 (eng-zhou), to redispatch to an active engineer (2):').waitFor();
    const links = outcome.getByRole('link', { name: /^Work order / });
    expect((await links.allInnerTexts()).sort()).toEqual([ids.heldFirst, ids.heldSecond].map((id) => `Work order ${id.slice(0, 8)}`).sort());
    expect(await outcome.getByRole('listitem').allInnerTexts()).toEqual(expect.arrayContaining([`Work order ${ids.heldFirst.slice(0, 8)} · Dispatched`]));
    await engineers.getByRole('row', { name: /周工 \(eng-zhou\)/ }).getByText(/^Deactivated /).waitFor();
    expect(await engineers.getByRole('button', { name: 'Deactivate 周工 (eng-zhou)' }).count()).toBe(0);
    expect(await zhou()).toMatchObject({ active: false });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'engineer-deactivated');

    await outcome.getByRole('link', { name: `Work order ${ids.heldSecond.slice(0, 8)}` }).click();
    await page.getByRole('heading', { name: `Work order ${ids.heldSecond.slice(0, 8)}` }).waitFor();
    await page.getByText('周工 (eng-zhou)').waitFor();
    await page.getByText('No fee charged on this order.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a supervisor redispatches an order the engineer who left still holds from its page, sees why other actions are refused, decides again after a 412, and cancels another', async () => {
    // 周工 has left (the test before deactivates him from the console; run alone, this one does it through the API).
    const engineers = (await call('GET', '/service-network', 'admin')).body.engineers as Array<{ id: string; active: boolean }>;
    if (engineers.find((engineer) => engineer.id === 'eng-zhou')?.active) await call('POST', '/service-network/engineers/eng-zhou/deactivate', 'admin', { reason: '离职' });
    const { context, page, problems } = await personOn(browser);
    await signIn(page, app, TOKENS.supervisor);
    await page.goto(`${app.baseUrl}/#/work-orders/${ids.heldFirst}`);
    await waitForOrExplain(page, page.getByRole('heading', { name: `Work order ${ids.heldFirst.slice(0, 8)}` }));
    const actions = page.getByRole('region', { name: 'Actions' });
    // No complaint is linked to this order: the page says so rather than leave the section out.
    await page.getByRole('region', { name: 'Linked complaints' }).getByText('No complaint is linked to this order.').waitFor();

    // Refused by the API, each with its reason: the role (arrival is the engineer's), the state (dispatched already: a redispatch moves it).
    const arrive = actions.getByRole('button', { name: 'Arrived on site' });
    expect(await arrive.isDisabled()).toBe(true);
    const describedBy = async (button: Locator) => page.locator(`[id="${await button.getAttribute('aria-describedby')}"]`).innerText();
    expect(await describedBy(arrive)).toBe('Your role (Supervisor) may not do this.');
    const dispatch = actions.getByRole('button', { name: 'Dispatch', exact: true });
    expect(await dispatch.isDisabled()).toBe(true);
    expect(await describedBy(dispatch)).toBe('Not now: the order is already dispatched: moving it is a redispatch, with a reason.');
    await dispatch.hover({ force: true });
    await page.getByRole('tooltip').getByText('Not now: the order is already dispatched').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Redispatch to 王工, picked from the station's active engineers (周工 has left: not offered).
    await actions.getByRole('button', { name: 'Redispatch' }).click();
    const dialog = page.getByRole('dialog', { name: 'Redispatch' });
    await dialog.getByRole('button', { name: 'Record' }).click();
    // The three field errors come after the form's validation: wait for the third before counting them.
    await dialog.getByText('Required.').nth(2).waitFor();
    expect(await dialog.getByText('Required.').count()).toBe(3);
    await dialog.getByLabel('Station').fill('dandong');
    await chooseOption(page, 'Dandong service station (dandong-station)');
    await dialog.getByLabel('Engineer').click();
    expect(await page.getByTitle('周工 (eng-zhou)', { exact: true }).count()).toBe(0);
    await chooseOption(page, '王工 (eng-wang)');
    await dialog.getByLabel('Reason').fill('周工离职，改派王工。');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Meanwhile an admin escalates the order: the redispatch was decided on an older revision.
    await call('POST', `/work-orders/${ids.heldFirst}/escalate`, 'admin', { to: 'cs-centre', reason: 'customer waiting' });
    await dialog.getByRole('button', { name: 'Record' }).click();
    const conflict = page.getByRole('dialog', { name: 'Someone else changed this work order' });
    await conflict.getByText('You decided on revision 1; it is now at revision 2 (Dispatched).', { exact: false }).waitFor();
    await conflict.getByRole('button', { name: 'Reload and decide again' }).click();
    const again = page.getByRole('dialog', { name: 'Redispatch' });
    expect(await again.getByLabel('Engineer').inputValue()).toBe('eng-wang');
    expect(await again.getByLabel('Reason').inputValue()).toBe('周工离职，改派王工。');
    await again.getByRole('button', { name: 'Record' }).click();
    await page.getByText('王工 (eng-wang)').waitFor();
    expect((await call('GET', `/work-orders/${ids.heldFirst}`, 'auditor')).body).toMatchObject({ revision: 3, dispatch: { engineerId: 'eng-wang', stationCode: 'dandong-station' } });

    // In 中文 the buttons and the reasons follow.
    await page.getByText('中文', { exact: true }).click();
    const zhActions = page.getByRole('region', { name: '操作' });
    await zhActions.getByRole('button', { name: '改派' }).waitFor();
    expect(await describedBy(zhActions.getByRole('button', { name: '到达现场' }))).toBe('您的角色（主管）不能执行此操作。');
    await page.getByText('English', { exact: true }).click();

    // Cancel another order with its reason: it closes, and every action but a link is then refused as not open.
    const complaintId = (await call('POST', '/complaints', 'agent', newComplaint)).body.id as string;
    await act(ids.heldSecond, 'link-complaint', { complaintId }, 'supervisor');
    await page.goto(`${app.baseUrl}/#/work-orders/${ids.heldSecond}`);
    await page.getByRole('heading', { name: `Work order ${ids.heldSecond.slice(0, 8)}` }).waitFor();
    await actions.getByRole('button', { name: 'Cancel the order' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel the order' });
    await cancel.getByLabel('Reason').fill('客户已更换加油机。');
    await cancel.getByRole('button', { name: 'Record' }).click();
    await page.getByRole('heading', { name: /Cancelled/ }).waitFor();
    // One line says so instead of a list of refused actions with the same reason; the list is one click away.
    await actions.getByText('The order is cancelled: no other action applies to it.', { exact: true }).waitFor();
    await actions.getByRole('button', { name: 'Link a complaint' }).waitFor();
    expect(await actions.getByRole('button', { name: 'Customer contact' }).count()).toBe(0);
    await actions.getByRole('button', { name: /^Why each other action is refused/ }).click();
    expect(await describedBy(actions.getByRole('button', { name: 'Customer contact' }))).toBe('Not now: the order is closed or cancelled (a closed one is reopened if the fault returns).');
    expect((await call('GET', `/work-orders/${ids.heldSecond}`, 'auditor')).body).toMatchObject({ status: 'cancelled' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'work-order-actions');
    // The complaint linked to it, a link to its page.
    await page.getByRole('region', { name: 'Linked complaints' }).getByRole('link', { name: `Complaint ${complaintId.slice(0, 8)}` }).click();
    await page.getByRole('heading', { name: `Complaint ${complaintId.slice(0, 8)}` }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an engineer walks a repair out of warranty from quote to hand-over on its page: the quote number goes with the confirmation, a refused step says why, and a 412 keeps what was typed', async () => {
    const id = await onSite(true);

    const { context, page, problems } = await onOrderPage(await wangToken(), id);
    const { actions, describedBy, fieldErrors, form, record } = actionsOn(page);
    const order = async () => (await call('GET', `/work-orders/${id}`, 'auditor')).body;

    // The quote: a line of the one currency, its amount typed as the customer reads it.
    const quote = await form('Quote');
    await quote.getByRole('button', { name: 'Record' }).click();
    await fieldErrors(quote, 3);
    await quote.getByLabel('Kind 1').click();
    await chooseOption(page, 'Parts');
    await quote.getByLabel('Description 1').fill('Pulser encoder PUL-2240-07');
    await quote.getByLabel('Amount 1').fill('480.005');
    await quote.getByText('An amount such as 128.50').waitFor();
    await quote.getByLabel('Amount 1').fill('480');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await record(quote);
    expect((await order()).repair.quote).toMatchObject({ number: 1, total: { currency: 'CNY', minorUnits: 48000 }, status: 'pending' });

    // The customer confirms the quote they were shown: its number is filled in and sent.
    const confirm = await form('Quote confirmed');
    expect(await confirm.getByLabel('Quote number').inputValue()).toBe('1');
    await confirm.getByLabel('Confirmed by (the customer)').fill('李先生');
    await confirm.getByLabel('Channel').click();
    await chooseOption(page, 'Phone');
    await record(confirm);
    expect((await order()).repair.quote).toMatchObject({ number: 1, status: 'confirmed' });

    // The work with its part, chargeable under the quote, and its fee.
    const work = await form('Work and parts');
    await work.getByLabel('Work done').fill('Replaced the pulser encoder.');
    await work.getByRole('button', { name: 'Add a part' }).click();
    await work.getByLabel('Part number 1').fill('PUL-2240-07');
    await work.getByLabel('Quantity 1').fill('1');
    await work.getByRole('radiogroup', { name: 'Chargeable under the confirmed quote' }).getByRole('radio', { name: 'Yes' }).check();
    await record(work);
    const fee = await form('Fee');
    await fee.getByLabel('Amount', { exact: true }).fill('480.00');
    await fee.getByLabel('Payment method').click();
    await chooseOption(page, 'Cash');
    await record(fee);

    // Not signed before the test passes: the page says why.
    const signOff = actions.getByRole('button', { name: 'Customer sign-off' });
    expect(await signOff.isDisabled()).toBe(true);
    expect(await describedBy(signOff)).toBe('Not now: the test and commissioning have not passed.');
    const test = await form('Test');
    await test.getByRole('radiogroup', { name: 'Test passed' }).getByRole('radio', { name: 'Yes' }).check();
    await record(test);

    // The sign-off, decided on revision 9 while the desk records a call with the customer: a 412, and what was typed is kept.
    const signing = await form('Customer sign-off');
    await signing.getByLabel('Signed by (the customer)').fill('李先生');
    const decidedOn = (await order()).revision as number;
    await act(id, 'contact', { channel: 'phone', notes: '客户询问进度。' }, 'agent');
    await signing.getByRole('button', { name: 'Record' }).click();
    const conflict = page.getByRole('dialog', { name: 'Someone else changed this work order' });
    await conflict.getByText(`You decided on revision ${decidedOn}; it is now at revision ${decidedOn + 1}`, { exact: false }).waitFor();
    await conflict.getByRole('button', { name: 'Reload and decide again' }).click();
    const again = page.getByRole('dialog', { name: 'Customer sign-off' });
    expect(await again.getByLabel('Signed by (the customer)').inputValue()).toBe('李先生');
    await record(again);

    // In 中文 the form's words follow: the hand-over closes the order.
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('region', { name: '操作' }).getByRole('button', { name: '交接', exact: true }).click();
    const handOver = page.getByRole('dialog', { name: '交接' });
    await handOver.getByLabel('备注').fill('已交站长。');
    await handOver.getByRole('button', { name: '提交' }).click();
    await page.getByRole('heading', { name: /已关闭/ }).waitFor();
    // Closed, and nothing left for the engineer: one line, not the list of every action refused.
    await page.getByRole('region', { name: '操作' }).getByText('工单已关闭，目前没有可执行的操作。', { exact: true }).waitFor();
    expect(await page.getByRole('region', { name: '操作' }).getByRole('button', { name: '到达现场' }).count()).toBe(0);
    await page.getByRole('region', { name: '关联投诉' }).getByText('本工单没有关联的投诉。').waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('region', { name: 'Actions' }).getByText('The order is closed: no action applies to it now.', { exact: true }).waitFor();
    const closed = await order();
    expect(closed).toMatchObject({ status: 'closed', feesCharged: [{ cycle: 1, amount: { currency: 'CNY', minorUnits: 48000 }, quoteNumber: 1 }] });
    const events = await eventsOf(id);
    expect(events.find((event) => event.type === 'WorkOrderQuoteConfirmed')?.data).toMatchObject({ quoteNumber: 1 });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'work-order-walked-to-hand-over');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the desk records a quote the customer refused (a reason is required), sends the survey of the order it closed and records the answer, each from its form', async () => {
    const id = await onSite(true);
    await act(id, 'quote', { lines: [{ kind: 'parts', description: 'Pulser encoder PUL-2240-07', amount: { currency: 'CNY', minorUnits: 48000 } }] });

    const { context, page, problems } = await onOrderPage(TOKENS.agent, id);
    const { fieldErrors, form, record } = actionsOn(page);

    // The customer refuses quote 1 (filled in): sent without a reason or an answer on free work, the form names both and nothing is recorded.
    const refuse = await form('Quote refused');
    expect(await refuse.getByLabel('Quote number').inputValue()).toBe('1');
    const before = (await eventsOf(id)).length;
    await refuse.getByRole('button', { name: 'Record' }).click();
    await fieldErrors(refuse, 2);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await eventsOf(id)).toHaveLength(before);
    await refuse.getByLabel('Reason').fill('客户认为报价太高。');
    await refuse.getByRole('radiogroup', { name: 'Go on with the free part of the repair' }).getByRole('radio', { name: 'No' }).check();
    await record(refuse);
    await page.getByRole('heading', { name: /Closed/ }).waitFor();
    expect((await eventsOf(id)).find((event) => event.type === 'WorkOrderQuoteRefused')?.data).toMatchObject({
      quoteNumber: 1, total: { currency: 'CNY', minorUnits: 48000 }, reason: '客户认为报价太高。', continueWithFreeWork: false, by: expect.objectContaining({ role: 'agent' }),
    });
    expect((await call('GET', `/work-orders/${id}`, 'auditor')).body).toMatchObject({ status: 'closed', feesCharged: [] });

    // The order refused closes: its survey, two questions by phone.
    const survey = await form('Send the survey');
    await survey.getByLabel('Survey code').fill('repair-2026');
    await survey.getByLabel('Channel').click();
    await chooseOption(page, 'Phone');
    await survey.getByLabel('Question code 1').fill('speed');
    await survey.getByLabel('Question 1', { exact: true }).fill('维修是否及时？');
    await survey.getByRole('button', { name: 'Add a question' }).click();
    await survey.getByLabel('Question code 2').fill('price');
    await survey.getByLabel('Question 2', { exact: true }).fill('报价是否清楚？');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await record(survey);
    expect((await eventsOf(id)).find((event) => event.type === 'WorkOrderSurveySent')?.data).toMatchObject({
      surveyId: 'repair-2026', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }, { id: 'price', text: '报价是否清楚？' }],
    });

    // The customer's answer, a score for each question: the form starts with a row per question of the survey sent,
    // its code and words shown and not to be changed, so that only the scores and comments are typed.
    const answer = await form('Survey answer');
    const asked = async (n: number) => {
      const [code, words] = [answer.getByLabel(`Question code ${n}`), answer.getByLabel(`Question ${n}`, { exact: true })];
      return { code: await code.inputValue(), words: await words.inputValue(), editable: await code.isEditable() || await words.isEditable() };
    };
    expect([await asked(1), await asked(2)]).toEqual([
      { code: 'speed', words: '维修是否及时？', editable: false }, { code: 'price', words: '报价是否清楚？', editable: false },
    ]);
    expect(await answer.getByLabel('Question code 3').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await answer.getByLabel('Score 1 (1–5)').fill('4');
    await answer.getByLabel('Score 2 (1–5)').fill('2');
    await answer.getByLabel('Comment 2').fill('报价偏高');
    await record(answer);
    expect((await eventsOf(id)).find((event) => event.type === 'WorkOrderSurveyAnswered')?.data).toMatchObject({
      surveyId: 'repair-2026', answers: [{ questionId: 'speed', score: 4 }, { questionId: 'price', score: 2 }],
    });
    // Answered: the order is closed and nothing is left to do but link a complaint; the refusals are one click away.
    await actionsOn(page).actions.getByText('The order is closed: no other action applies to it now.', { exact: true }).waitFor();
    await actionsOn(page).actions.getByRole('button', { name: /^Why each other action is refused/ }).click();
    await actionsOn(page).actions.getByRole('button', { name: 'Survey answer' }).and(page.locator('[disabled]')).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'work-order-survey-answered');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an engineer records a failed visit on site from its form: why, and the next visit in their own time zone', async () => {
    const id = await onSite(false);

    const { context, page, problems } = await onOrderPage(await wangToken(), id);
    const { form, record } = actionsOn(page);

    // Tomorrow at 10:00 in Shanghai, the engineer's time zone, typed as their clock reads it.
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 24 * 3600_000));
    const failed = await form('Failed visit');
    await failed.getByLabel('Why the visit failed').click();
    await chooseOption(page, 'Part missing');
    await failed.getByLabel('Notes').fill('缺少脉冲编码器，需从沈阳调货。');
    await failed.getByLabel('Next visit at (your local time)').fill(`${tomorrow}T10:00`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await record(failed);
    const visitFailed = (await eventsOf(id)).find((event) => event.type === 'WorkOrderVisitFailed')?.data;
    expect(visitFailed).toMatchObject({ visitNumber: 1, reason: 'part-missing', notes: '缺少脉冲编码器，需从沈阳调货。', nextVisit: { visitNumber: 2 }, by: expect.objectContaining({ id: 'eng-wang' }) });
    expect(Date.parse((visitFailed?.['nextVisit'] as { scheduledFor: string }).scheduledFor)).toBe(Date.parse(`${tomorrow}T10:00:00+08:00`));
    expect((await call('GET', `/work-orders/${id}`, 'auditor')).body).toMatchObject({ status: 'visit-scheduled' });
    expect(problems).toEqual([]);
    await context.close();
  });
});
