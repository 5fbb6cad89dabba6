import { NOTIFICATION_TEMPLATES as TEMPLATE_NAMES, fold, type ComplaintEvent, type ExistingComplaint } from '@app/domain';
import { assigned, complaintId, received, resolvedAccepted } from '@app/domain/testing/complaint.fixtures';
import { surveySent } from '@app/domain/survey/testing/survey.fixtures';
import type { RecordedEvent } from '@app/event-store';
import { composeMessage, composeSurveyInvitation, customerLanguage, DEFAULT_MESSAGE_SETTINGS, formatInstant, messageVariables, surveyVariables } from './notification-message';
import { planNotifications, type OutboxEntry } from './notification-plan';
import { NOTIFICATION_TEMPLATES } from './notification-templates';
import { customerAddress, maskEmail, maskPhone, parseStaffDirectory, staffAddresses, staffConcerned } from './recipients';
import { placeholdersOf, renderTemplate, TemplateVariableMissingError } from './template-renderer';

const recordedOf = (event: ComplaintEvent, revision: number, stream = `complaint-${complaintId}`): RecordedEvent => ({
  eventId: `event-${revision}`, stream, revision, position: 100 + revision, type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: {}, recordedAt: '2026-03-02T08:00:00.000Z',
});
const contactEvent = (personal: Record<string, string>): ComplaintEvent => ({
  type: 'ComplaintContactRecorded',
  data: { complaintId, recordedAt: '2026-03-02T08:00:00.000Z', by: { id: 'agent-li', role: 'agent' }, reason: null, changed: Object.keys(personal) as never, changes: {}, personal },
});
const complaintWith = (...events: ComplaintEvent[]): ExistingComplaint => fold([received, ...events]) as ExistingComplaint;
const entryFor = (recorded: RecordedEvent, channel = 'email'): OutboxEntry => planNotifications(recorded).find((entry) => entry.channel === channel)!;

describe('the template renderer', () => {
  it('puts each variable in its place, with or without spaces inside the braces', () => {
    expect(renderTemplate('投诉 {{complaintId}}，答复时限 {{ answerDue }}。', { complaintId: 'C-1', answerDue: '3月5日' })).toBe('投诉 C-1，答复时限 3月5日。');
  });

  it('refuses to render a message with a hole: a variable not given is an error that names it', () => {
    expect(() => renderTemplate('Dear {{name}}', {})).toThrow(TemplateVariableMissingError);
    expect(() => renderTemplate('Dear {{name}}', {})).toThrow('name');
  });

  it('interprets nothing else: values are put in as they are, other braces stay', () => {
    expect(renderTemplate('{{a}} {b} {{ }}', { a: '{{b}} <script>' })).toBe('{{b}} <script> {b} {{ }}');
  });

  it('lists the variables a template uses, each once', () => {
    expect(placeholdersOf('{{a}} {{b}} {{ a }}')).toEqual(['a', 'b']);
  });
});

describe('the notification templates', () => {
  const variables = Object.keys(messageVariables(entryFor(recordedOf(received, 0)), complaintWith(), recordedOf(received, 0), 'zh-CN', DEFAULT_MESSAGE_SETTINGS));
  const survey = Object.keys(surveyVariables(surveySent.data, 'zh-CN', DEFAULT_MESSAGE_SETTINGS));

  it.each(TEMPLATE_NAMES.flatMap((name) => (['zh-CN', 'en'] as const).map((language) => [name, language] as const)))('%s in %s uses only variables the notifier gives', (name, language) => {
    const template = NOTIFICATION_TEMPLATES[name][language];
    const given = name === 'survey-invitation' ? survey : variables;
    expect([...placeholdersOf(template.subject), ...placeholdersOf(template.text)].filter((variable) => !given.includes(variable))).toEqual([]);
  });

  it('invites to a survey in the customer\'s language with its questions, its deadline and how to answer: the survey number to quote in a reply', () => {
    const zh = composeSurveyInvitation(surveySent.data, 'zh-CN', DEFAULT_MESSAGE_SETTINGS);
    expect(zh.subject).toBe('请为我们的服务打分（投诉编号 C-2026-0）');
    expect(zh.text).toContain('请为本次投诉的处理（投诉编号 c-2026-0001）打分');
    expect(zh.text).toContain('1. 服务态度\n2. 响应速度\n3. 处理结果\n4. 总体满意度');
    expect(zh.text).toContain(`写明调查编号 ${surveySent.data.surveyId} 和每题的分数`);
    expect(zh.text).toMatch(/请在 2026年4月1日 .*16:00.* 前作答/);
    const en = composeSurveyInvitation({ ...surveySent.data, subject: { kind: 'work-order', id: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' } }, 'en', DEFAULT_MESSAGE_SETTINGS);
    expect(en.subject).toBe('How did we do? (work order ref. 3B9E1F52)');
    expect(en.text).toContain('Please rate our repair service (work order 3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00)');
    expect(en.text).toContain('1. Service attitude\n2. Speed of response');
    expect(en.text).toContain(`reply to this message with the survey number ${surveySent.data.surveyId} and a score for each question (for example "1=5 2=4")`);
  });

  it('links to the answer page when NOTIFY_SURVEY_URL is set, with the survey id in the query', () => {
    const settings = { ...DEFAULT_MESSAGE_SETTINGS, surveyUrl: 'https://survey.example.com/answer?source=mail' };
    expect(composeSurveyInvitation(surveySent.data, 'en', settings).text).toContain(`Answer here: https://survey.example.com/answer?source=mail&survey=${surveySent.data.surveyId}`);
    expect(composeSurveyInvitation(surveySent.data, 'zh-CN', { ...settings, surveyUrl: 'https://survey.example.com/a' }).text).toContain(`请点击链接作答：https://survey.example.com/a?survey=${surveySent.data.surveyId}`);
  });

  it('writes the acknowledgement in Chinese by default, with the complaint number and the promised times in Beijing time', () => {
    const complaint = complaintWith(contactEvent({ email: 'wang.li@example.com' }));
    expect(customerLanguage(complaint)).toBe('zh-CN');
    const message = composeMessage(entryFor(recordedOf(received, 0)), complaint, recordedOf(received, 0), DEFAULT_MESSAGE_SETTINGS);
    expect(message.language).toBe('zh-CN');
    expect(message.subject).toBe(`您的投诉已受理（编号 ${complaintId.slice(0, 8).toUpperCase()}）`);
    // Received 08:00 UTC = 16:00 in Beijing; the default policy's first reply is 2 h later, the answer 72 h later.
    expect(message.text).toContain(`投诉编号 ${complaintId}`);
    expect(message.text).toMatch(/我们将在 2026年3月2日 (GMT\+8 )?18:00( GMT\+8)? 前与您联系，并在 2026年3月5日 (GMT\+8 )?16:00( GMT\+8)? 前给您答复/);
    expect(message.text.endsWith('客户服务中心')).toBe(true);
  });

  it('writes in English to a customer whose contact details say en', () => {
    const complaint = complaintWith(contactEvent({ email: 'wang.li@example.com', language: 'en' }));
    const message = composeMessage(entryFor(recordedOf(received, 0)), complaint, recordedOf(received, 0), DEFAULT_MESSAGE_SETTINGS);
    expect(message.language).toBe('en');
    expect(message.subject).toBe(`We have received your complaint (ref. ${complaintId.slice(0, 8).toUpperCase()})`);
    expect(message.text).toMatch(/We will contact you by March 2, 2026(,| at) 18:00 \S+ and give you an answer by March 5, 2026(,| at) 16:00/);
  });

  it('names the remedy of a resolution in the reader\'s language, and links staff to the console when its address is set', () => {
    const complaint = complaintWith(assigned, resolvedAccepted);
    const resolved = recordedOf(resolvedAccepted, 2);
    expect(composeMessage(entryFor(resolved), complaint, resolved, DEFAULT_MESSAGE_SETTINGS).text).toContain('处理方式：退款');
    const assignment = recordedOf(assigned, 1);
    const staff = composeMessage(entryFor(assignment), complaintWith(assigned), assignment, { ...DEFAULT_MESSAGE_SETTINGS, staffLanguage: 'en', consoleUrl: 'https://desk.example.com/' });
    expect(staff.subject).toBe(`[Complaint ${complaintId.slice(0, 8).toUpperCase()}] assigned to zhang (station-ops)`);
    expect(staff.text).toContain(`https://desk.example.com/complaints/${complaintId}`);
  });
});

describe('who is written to', () => {
  it('masks addresses for the trail', () => {
    expect(maskEmail('wang.li@example.com')).toBe('w***@example.com');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8613800138000')).toBe('+86****8000');
  });

  it('writes to the customer only at an address the complaint has for the channel', () => {
    const complaint = complaintWith(contactEvent({ phone: '13800138000' }));
    expect(customerAddress(complaint, 'email')).toBeNull();
    expect(customerAddress(complaint, 'sms')).toBe('13800138000');
    expect(customerAddress(complaint, 'wechat')).toBeNull();
  });

  it('reads the staff directory setting, several addresses to a key, and says which entry is wrong', () => {
    const directory = parseStaffDirectory(' dept:station-ops=ops@example.com; lead@example.com , user:zhang=zhang@example.com,*=desk@example.com,dept:station-ops=night@example.com');
    expect(directory.get('dept:station-ops')).toEqual(['ops@example.com', 'lead@example.com', 'night@example.com']);
    expect(() => parseStaffDirectory('ops=ops@example.com')).toThrow('"ops=ops@example.com" is not dept:<code>=<address>');
    expect(() => parseStaffDirectory('dept:ops=not-an-address')).toThrow('"not-an-address" is not one');
    expect(() => parseStaffDirectory('user:zhang=')).toThrow('needs e-mail addresses');
  });

  it('tells the new handler and department of an assignment, and the * mailbox, each address once', () => {
    const directory = parseStaffDirectory('dept:station-ops=ops@example.com,user:zhang=zhang@example.com,*=desk@example.com;ops@example.com');
    const concerned = staffConcerned('staff-assigned', complaintWith(assigned), recordedOf(assigned, 1));
    expect(concerned).toEqual(['user:zhang', 'dept:station-ops']);
    expect(staffAddresses(directory, concerned)).toEqual(['zhang@example.com', 'ops@example.com', 'desk@example.com']);
  });

  it('tells the handler and department of a warning or a breach, and nobody but * before there is one', () => {
    const warning = { data: { complaintId, clock: 'first-reply' } };
    expect(staffConcerned('staff-at-risk', complaintWith(assigned), warning)).toEqual(['user:zhang', 'dept:station-ops']);
    expect(staffConcerned('staff-breached', complaintWith(), warning)).toEqual([]);
    expect(staffAddresses(parseStaffDirectory('dept:station-ops=ops@example.com'), [])).toEqual([]);
  });
});

describe('what calls for a notification', () => {
  it('plans an e-mail and a text message to the customer on receipt, one send per channel', () => {
    expect(planNotifications(recordedOf(received, 0)).map((entry) => [entry.id, entry.audience, entry.template, entry.channel, entry.status])).toEqual([
      ['event-0:acknowledgement:email', 'customer', 'acknowledgement', 'email', 'pending'],
      ['event-0:acknowledgement:sms', 'customer', 'acknowledgement', 'sms', 'pending'],
    ]);
  });

  it('plans a staff e-mail on an assignment, and nothing for a decision the customer need not hear of', () => {
    expect(planNotifications(recordedOf(assigned, 1)).map((entry) => [entry.audience, entry.template, entry.channel])).toEqual([['staff', 'staff-assigned', 'email']]);
    expect(planNotifications(recordedOf({ type: 'ComplaintValidated', data: { complaintId, validatedAt: '2026-03-02T08:10:00.000Z', by: { id: 's', role: 'supervisor' }, reason: 'ok', evidence: null } }, 1))).toEqual([]);
  });

  it('plans no survey invitation from the callback: the survey\'s own event sends it', () => {
    const callback = { type: 'CallbackDone', data: { complaintId, calledBackAt: '2026-03-03T08:00:00.000Z', outcome: 'satisfied', satisfaction: 5 } } as unknown as ComplaintEvent;
    expect(planNotifications(recordedOf(callback, 3))).toEqual([]);
  });

  it('plans the survey invitation from SatisfactionSurveySent: a complaint\'s on its notification stream, a work order\'s on the work order\'s', () => {
    const sent = (data: Record<string, unknown>): RecordedEvent => ({ ...recordedOf(received, 0, `survey-${surveySent.data.surveyId}`), type: 'SatisfactionSurveySent', data: { ...surveySent.data, ...data } });
    expect(planNotifications(sent({})).map((entry) => [entry.id, entry.complaintId, entry.surveyId, entry.template, entry.channel])).toEqual([
      ['event-0:survey-invitation:email', 'c-2026-0001', surveySent.data.surveyId, 'survey-invitation', 'email'],
      ['event-0:survey-invitation:sms', 'c-2026-0001', surveySent.data.surveyId, 'survey-invitation', 'sms'],
    ]);
    expect(planNotifications(sent({ channel: 'email' })).map((entry) => entry.channel)).toEqual(['email']);
    const workOrder = planNotifications(sent({ subject: { kind: 'work-order', id: 'wo-1' } }));
    expect(workOrder.map((entry) => [entry.complaintId, entry.workOrderId, entry.audience])).toEqual([[null, 'wo-1', 'customer'], [null, 'wo-1', 'customer']]);
    expect(planNotifications({ ...sent({}), type: 'SatisfactionSurveyAnswered' })).toEqual([]);
  });

  it('plans nothing for the events of other streams', () => {
    expect(planNotifications(recordedOf(received, 0, `notification-${complaintId}`))).toEqual([]);
  });
});

describe('formatInstant', () => {
  it('builds its formatter once per language and time zone, not once per instant', () => {
    const made = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      const first = formatInstant('2026-03-01T08:00:00.000Z', 'en', 'Europe/Oslo');
      for (let minute = 10; minute < 40; minute += 1) formatInstant(`2026-03-01T08:${minute}:00.000Z`, 'en', 'Europe/Oslo');
      expect(made).toHaveBeenCalledTimes(1);
      expect(formatInstant('2026-03-01T08:00:00.000Z', 'zh-CN', 'Europe/Oslo')).not.toBe(first);
      expect(made).toHaveBeenCalledTimes(2);
      expect(first).toBe(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Oslo', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(new Date('2026-03-01T08:00:00.000Z')));
    } finally {
      made.mockRestore();
    }
  });
});
