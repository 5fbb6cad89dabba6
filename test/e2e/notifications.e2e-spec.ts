import { DEFAULT_SLA_POLICY } from '@app/domain';
import { parseStaffDirectory } from '@app/notifications';
import { newComplaint, removeDataDir, startApp, type RunningApp } from './support/test-app';
import { ContractChecker } from './support/openapi-contract';
import { recipientsOf, SmtpReceiver } from './support/smtp-receiver';

/**
 * Customer and staff notifications over HTTP (docs/adr/0017): the real app sends e-mail to a real SMTP
 * server in this process, which parses what it receives; the complaint's trail shows each send.
 */
describe('notifications', () => {
  jest.setTimeout(60_000);
  const smtp = new SmtpReceiver();
  let app: RunningApp;

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    app = await startApp(undefined, {
      notifications: {
        enabled: true, smtpUrl, from: 'Complaint Desk <desk@example.com>', intervalMs: 100, retryDelaysMs: [100, 200],
        staff: parseStaffDirectory('dept:station-ops=ops@example.com,user:zhang.wei=zhang.wei@example.com'),
        messages: { timeZone: 'Asia/Shanghai', staffLanguage: 'zh-CN', surveyUrl: null, consoleUrl: 'https://desk.example.com' },
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
    await smtp.stop();
  });

  const receive = async (body: Record<string, unknown>) => {
    const received = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, ...body } });
    expect(received.status).toBe(201);
    return received.body.id as string;
  };
  type TrailEntry = { stream: string; type: string; decision: { 'zh-CN': string; en: string }; data: Record<string, unknown>; actor: unknown; causedBy: unknown };
  /** The complaint's trail once `count` notification events are on it. */
  const trailWith = async (id: string, count: number) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const trail = await app.request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
      expect(trail.status).toBe(200);
      const notifications = (trail.body.entries as TrailEntry[]).filter((entry) => entry.stream === `notification-${id}`);
      if (notifications.length >= count) return { trail: trail.body, notifications };
      if (Date.now() > deadline) throw new Error(`the trail of ${id} has ${notifications.length} notifications, not ${count}: ${JSON.stringify(notifications)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('acknowledges a complaint by e-mail in Chinese by default, with its number and promised times, and the trail shows the send', async () => {
    const id = await receive({ email: 'wang.li@example.com' });
    const reference = id.slice(0, 8).toUpperCase();
    const mail = await smtp.waitFor((message) => recipientsOf(message).includes('wang.li@example.com'), 'to wang.li@example.com');
    expect(mail.subject).toBe(`您的投诉已受理（编号 ${reference}）`);
    expect(mail.from?.value).toEqual([{ name: 'Complaint Desk', address: 'desk@example.com' }]);
    expect(mail.text).toContain(`投诉编号 ${id}`);
    expect(mail.text).toMatch(/我们将在 .+ 前与您联系，并在 .+ 前给您答复/);
    expect(mail.headers.get('content-language')).toBe('zh-CN');
    expect(mail.headers.get('x-complaint-desk-notification')).toMatch(new RegExp(`:acknowledgement:email$`));

    // The e-mail and the text message (no phone: skipped), each on the complaint's notification stream, after the receipt.
    const { trail, notifications } = await trailWith(id, 2);
    expect(trail.notificationsVerification).toMatchObject({ ok: true });
    // The trail with notifications keeps its documented (closed) schema.
    const contract = new ContractChecker((await app.request('GET', '/docs-json', { role: null })).body);
    contract.check('GET /complaints/{id}/trail', await app.request('GET', `/complaints/${id}/trail`, { role: 'auditor' }));
    expect(trail.entries[0]).toMatchObject({ stream: `complaint-${id}`, type: 'ComplaintReceived' });
    const sent = notifications.find((entry) => entry.type === 'NotificationSent')!;
    expect(sent).toMatchObject({
      actor: { id: 'system:notifier', role: 'system' }, causedBy: { revision: 0, type: 'ComplaintReceived' },
      data: { audience: 'customer', template: 'acknowledgement', channel: 'email', language: 'zh-CN', to: ['w***@example.com'], subject: mail.subject, messageId: mail.messageId },
      decision: { 'zh-CN': '已通过电子邮件向客户发送受理确认 (w***@example.com)', en: 'Sent the acknowledgement of receipt to the customer by e-mail (w***@example.com)' },
    });
    expect(JSON.stringify(notifications)).not.toContain('wang.li@example.com');
    expect(notifications.find((entry) => entry.type === 'NotificationSkipped')).toMatchObject({ data: { channel: 'sms', reason: 'no-address', to: [] } });
  });

  it('writes in English to a customer whose language is en, and tells them of the resolution and invites them to the survey', async () => {
    const id = await receive({ email: 'alex@example.com', language: 'en' });
    const reference = id.slice(0, 8).toUpperCase();
    const mail = await smtp.waitFor((message) => recipientsOf(message).includes('alex@example.com'), 'to alex@example.com');
    expect(mail.subject).toBe(`We have received your complaint (ref. ${reference})`);
    expect(mail.text).toContain(`its number is ${id}`);
    expect(mail.headers.get('content-language')).toBe('en');
    for (const [action, body] of [
      ['validate', { reason: 'checked' }], ['assign', { department: 'station-ops', assignee: 'zhang.wei' }],
      ['resolve', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }], ['callback', { outcome: 'satisfied', satisfaction: 5 }],
    ] as const) expect((await app.request('POST', `/complaints/${id}/${action}`, { body })).status).toBe(200);
    const resolved = await smtp.waitFor((message) => message.subject === `Your complaint (ref. ${reference}) has been resolved`, 'about the resolution');
    expect(resolved.text).toContain('has been resolved: Refund');
    // The invitation comes from the survey, not from the callback: once, naming the survey to answer.
    const sent = await app.request('POST', '/surveys', { role: 'agent', body: { subject: { kind: 'complaint', id }, channel: 'email' } });
    expect(sent.status).toBe(201);
    const surveyId = sent.body.id as string;
    const survey = await smtp.waitFor((message) => message.subject === `How did we do? (complaint ref. ${reference})`, 'with the survey invitation');
    expect(recipientsOf(survey)).toEqual(['alex@example.com']);
    expect(survey.text).toContain(`Please rate how we handled your complaint (complaint ${id})`);
    expect(survey.text).toContain('1. Service attitude');
    expect(survey.text).toContain(`reply to this message with the survey number ${surveyId} and a score for each question`);
    expect(survey.headers.get('x-complaint-desk-notification')).toMatch(/:survey-invitation:email$/);
    const { notifications } = await trailWith(id, 6); // acknowledgement and resolution (e-mail, text), assignment (staff), invitation (e-mail: the survey's channel)
    expect(notifications.filter((entry) => entry.data['template'] === 'survey-invitation')).toEqual([
      expect.objectContaining({ type: 'NotificationSent', data: expect.objectContaining({ channel: 'email', surveyId, to: ['a***@example.com'], language: 'en', trigger: expect.objectContaining({ type: 'SatisfactionSurveySent' }) }) }),
    ]);
    expect(smtp.messages.filter((message) => message.subject?.startsWith('How did we do?') && recipientsOf(message).includes('alex@example.com'))).toHaveLength(1);
  });

  it('sends no survey invitation of a campaign to a customer who opted out of its channel: the survey is recorded, its invitation skipped (opted-out)', async () => {
    const customerId = `cust-campaign-optout-${Date.now()}`;
    const opened = await app.request('POST', '/customers', { role: 'supervisor', body: { customerId, category: 'fixed', reason: 'r', name: '摩托车行', segments: { driverType: 'motorcycle' } } });
    expect(opened.status).toBe(201);
    const id = await receive({ customerId, email: 'moto@example.com' });
    for (const [action, body] of [
      ['validate', { reason: 'checked' }], ['assign', { department: 'station-ops', assignee: 'zhang.wei' }],
      ['resolve', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }], ['callback', { outcome: 'satisfied', satisfaction: 5 }],
    ] as const) expect((await app.request('POST', `/complaints/${id}/${action}`, { body })).status).toBe(200);
    const optOut = await app.request('POST', `/customers/${customerId}/notification-opt-out`, { role: 'agent', body: { channel: 'email', optedOut: true, reason: 'asked on the phone' } });
    expect(optOut.status).toBe(200);
    const at = optOut.body.position as number;
    expect((await app.request('GET', `/complaints?minPosition=${at}`, { role: 'admin' })).status).toBe(200);
    expect((await app.request('GET', `/customers/files?minPosition=${at}`, { role: 'admin' })).status).toBe(200);
    const run = await app.request('POST', '/surveys/campaigns', { role: 'supervisor', body: { segments: { driverType: 'motorcycle' }, channel: 'email', reason: '摩托车客户回访' } });
    expect([run.status, run.body.sent]).toEqual([201, 1]);
    const deadline = Date.now() + 15_000;
    let invitation: TrailEntry | undefined;
    while (!invitation && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      invitation = (await trailWith(id, 1)).notifications.find((entry) => entry.data['template'] === 'survey-invitation');
    }
    expect(invitation).toMatchObject({ type: 'NotificationSkipped', data: { channel: 'email', reason: 'opted-out', to: [] } });
    expect(smtp.messages.filter((message) => recipientsOf(message).includes('moto@example.com') && /:survey-invitation:/.test(String(message.headers.get('x-complaint-desk-notification'))))).toEqual([]);
  });

  it('records a skipped e-mail when the complaint has no address for it, and texts the phone through the logging sender', async () => {
    const id = await receive({ phone: '13800138000' });
    const { notifications } = await trailWith(id, 2);
    expect(notifications.find((entry) => entry.data['channel'] === 'email')).toMatchObject({
      type: 'NotificationSkipped', data: { template: 'acknowledgement', reason: 'no-address', to: [] },
      decision: { en: 'Did not send the acknowledgement of receipt to the customer by e-mail: no address for the channel' },
    });
    expect(notifications.find((entry) => entry.data['channel'] === 'sms')).toMatchObject({
      type: 'NotificationSent', data: { to: ['138****8000'], subject: null, messageId: expect.stringMatching(/^log:/) },
    });
  });

  it('respects a customer\'s opt-out, per channel or of all, recording each spared send as skipped (opted-out); opting back in restores them', async () => {
    const customerId = `cust-optout-${Date.now()}`;
    const contact = { customerId, email: 'opt.out@example.com', phone: '13900139000' };
    const first = await receive(contact);
    await trailWith(first, 2);
    const optOut = async (channel: string, optedOut: boolean) => {
      const response = await app.request('POST', `/customers/${customerId}/notification-opt-out`, { role: 'agent', body: { channel, optedOut, reason: 'asked on the phone' } });
      expect([response.status, response.body]).toEqual([200, expect.objectContaining({ id: customerId })]);
    };
    const outcomes = async (id: string) => Object.fromEntries((await trailWith(id, 2)).notifications.map((entry) => [entry.data['channel'], [entry.type, entry.data['reason'] ?? null]]));

    await optOut('email', true);
    const second = await receive(contact);
    expect(await outcomes(second)).toEqual({ email: ['NotificationSkipped', 'opted-out'], sms: ['NotificationSent', null] });
    const { notifications } = await trailWith(second, 2);
    expect(notifications.find((entry) => entry.data['channel'] === 'email')).toMatchObject({
      data: { to: [] }, decision: { en: 'Did not send the acknowledgement of receipt to the customer by e-mail: the customer opted out of it' },
    });

    await optOut('all', true);
    const third = await receive(contact);
    expect(await outcomes(third)).toEqual({ email: ['NotificationSkipped', 'opted-out'], sms: ['NotificationSkipped', 'opted-out'] });
    // Refused when it changes nothing.
    const again = await app.request('POST', `/customers/${customerId}/notification-opt-out`, { role: 'agent', body: { channel: 'sms', optedOut: true, reason: 'again' } });
    expect([again.status, again.body.code]).toEqual([409, 'nothing-changed']);
    const bad = await app.request('POST', `/customers/${customerId}/notification-opt-out`, { role: 'agent', body: { channel: 'fax', optedOut: 'yes', reason: 'r' } });
    expect([bad.status, bad.body.errors.map((error: { field: string }) => error.field).sort()]).toEqual([400, ['channel', 'optedOut']]);

    await optOut('all', false);
    const fourth = await receive(contact);
    expect(await outcomes(fourth)).toEqual({ email: ['NotificationSent', null], sms: ['NotificationSent', null] });
    expect(smtp.messages.filter((message) => recipientsOf(message).includes('opt.out@example.com'))).toHaveLength(2);

    // The file's own history records each change, by whom and why.
    const history = await app.request('GET', `/customers/${customerId}/events`, { role: 'auditor' });
    const changes = (history.body.events as Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>).filter((event) => event.type === 'CustomerFileNotificationOptOutChanged');
    expect(changes.map((event) => [event.data['channel'], event.data['optedOutOf'], event.data['optedOut'], event.metadata['reason'], (event.metadata['actor'] as { role: string }).role])).toEqual([
      ['email', true, ['email'], 'asked on the phone', 'agent'], ['all', true, ['email', 'sms'], 'asked on the phone', 'agent'], ['all', false, [], 'asked on the phone', 'agent'],
    ]);
    expect((await app.request('GET', `/customers/${customerId}/file`, { role: 'agent' })).body).toMatchObject({ notificationOptOut: [] });
  });

  it('takes the opt-out of a customer erased and come back: the file keeps it, and the new complaint\'s messages are spared', async () => {
    const customerId = `cust-erased-optout-${Date.now()}`;
    const contact = { customerId, email: 'came.back@example.com', phone: '13900139001' };
    await trailWith(await receive(contact), 2);
    const erased = await app.request('POST', `/customers/${customerId}/erase`, { role: 'admin', body: { ground: 'consent-withdrawn', reason: 'asked to be forgotten' } });
    expect(erased.status).toBe(200);
    await trailWith(await receive(contact), 2);
    const optOut = await app.request('POST', `/customers/${customerId}/notification-opt-out`, { role: 'agent', body: { channel: 'all', optedOut: true, reason: 'asked again not to be written to' } });
    expect(optOut.status).toBe(200);
    const after = await receive(contact);
    const { notifications } = await trailWith(after, 2);
    expect(notifications.map((entry) => [entry.data['channel'], entry.type, entry.data['reason']]).sort()).toEqual([['email', 'NotificationSkipped', 'opted-out'], ['sms', 'NotificationSkipped', 'opted-out']]);
  });

  it('follows a chain of merges to the last survivor\'s opt-out (a merged into b, b into c)', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((suffix) => `cust-chain-${suffix}-${Date.now()}`) as [string, string, string];
    for (const id of [a, b, c]) {
      expect((await app.request('POST', '/customers', { role: 'supervisor', body: { customerId: id, category: 'fixed', reason: 'on file', name: '顺达物流' } })).status).toBe(201);
    }
    for (const [from, into] of [[a, b], [b, c]] as const) {
      expect((await app.request('POST', `/customers/${from}/merge`, { role: 'supervisor', body: { survivorId: into, reason: 'the same company' } })).status).toBe(200);
    }
    expect((await app.request('POST', `/customers/${c}/notification-opt-out`, { role: 'agent', body: { channel: 'all', optedOut: true, reason: 'asked not to be written to' } })).status).toBe(200);
    const complaint = await receive({ customerId: a, email: 'chain@example.com', phone: '13900139002' });
    const { notifications } = await trailWith(complaint, 2);
    expect(notifications.map((entry) => [entry.data['channel'], entry.type, entry.data['reason']]).sort()).toEqual([['email', 'NotificationSkipped', 'opted-out'], ['sms', 'NotificationSkipped', 'opted-out']]);
  });

  it('e-mails the handler and the department on an assignment, and the trail names them masked', async () => {
    const id = await receive({});
    expect((await app.request('POST', `/complaints/${id}/validate`, { body: { reason: 'checked' } })).status).toBe(200);
    expect((await app.request('POST', `/complaints/${id}/assign`, { body: { department: 'station-ops', assignee: 'zhang.wei' } })).status).toBe(200);
    const reference = id.slice(0, 8).toUpperCase();
    const mail = await smtp.waitFor((message) => message.subject === `[投诉 ${reference}] 已指派给 zhang.wei（station-ops）`, 'about the assignment');
    expect(recipientsOf(mail).sort()).toEqual(['ops@example.com', 'zhang.wei@example.com']);
    expect(mail.text).toContain(`https://desk.example.com/complaints/${id}`);
    const { notifications } = await trailWith(id, 3);
    expect(notifications.find((entry) => entry.data['template'] === 'staff-assigned')).toMatchObject({
      type: 'NotificationSent', data: { audience: 'staff', channel: 'email', to: ['z***@example.com', 'o***@example.com'] }, causedBy: { type: 'ComplaintAssigned' },
    });
  });
});

describe('notifications without an SMTP server', () => {
  jest.setTimeout(60_000);
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(undefined, {
      notifications: { enabled: true, smtpUrl: null, from: 'desk@example.com', intervalMs: 100, staff: new Map(), messages: {} },
    });
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
  });

  it('records the e-mail as skipped (the channel is not configured), not as an error', async () => {
    const received = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, email: 'wang.li@example.com' } });
    expect(received.status).toBe(201);
    const id = received.body.id as string;
    const deadline = Date.now() + 15_000;
    let email: unknown;
    while (!email && Date.now() < deadline) {
      const trail = await app.request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
      email = (trail.body.entries as Array<{ data: Record<string, unknown> }>).find((entry) => entry.data['channel'] === 'email');
      if (!email) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(email).toMatchObject({ type: 'NotificationSkipped', data: { reason: 'channel-not-configured', to: ['w***@example.com'] } });
  });
});

describe('staff e-mails on SLA warnings and breaches', () => {
  jest.setTimeout(60_000);
  const smtp = new SmtpReceiver();
  let app: RunningApp;
  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    // First reply within 6 s, warned 3 s ahead (time to assign it first); the monitor looks every 100 ms.
    app = await startApp(undefined, {
      slaPolicy: { ...DEFAULT_SLA_POLICY, version: 'notify-test', firstReply: 'PT6S', answer: 'PT1H', callback: 'PT1H', bySeverity: {} },
      slaMonitorIntervalMs: 100, slaWarnBefore: { 'first-reply': 'PT3S' },
      notifications: {
        enabled: true, smtpUrl, from: 'desk@example.com', intervalMs: 100,
        staff: parseStaffDirectory('dept:station-ops=ops@example.com,user:zhang.wei=zhang.wei@example.com'), messages: { staffLanguage: 'en' },
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeDataDir(app.dataDir);
    await smtp.stop();
  });

  it('tells the handler and the department that the first reply is due soon, then that it was missed', async () => {
    const received = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, severity: 'medium' } });
    const id = received.body.id as string;
    expect((await app.request('POST', `/complaints/${id}/validate`, { body: { reason: 'checked' } })).status).toBe(200);
    expect((await app.request('POST', `/complaints/${id}/assign`, { body: { department: 'station-ops', assignee: 'zhang.wei' } })).status).toBe(200);
    const reference = id.slice(0, 8).toUpperCase();
    const warning = await smtp.waitFor((message) => message.subject === `[Complaint ${reference}] first reply deadline coming up`, 'with the warning');
    expect(recipientsOf(warning).sort()).toEqual(['ops@example.com', 'zhang.wei@example.com']);
    const breach = await smtp.waitFor((message) => message.subject === `[Complaint ${reference}] first reply deadline missed`, 'about the breach');
    expect(breach.text).toContain(`The first reply deadline of complaint ${id}`);
  });
});
