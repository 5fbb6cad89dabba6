import { CLOCK_WORDS, taxonomyLabel, type CustomerLanguage, type ExistingComplaint } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { OutboxEntry } from './notification-plan';
import { NOTIFICATION_TEMPLATES } from './notification-templates';
import { renderTemplate } from './template-renderer';

/** What the words of a message depend on besides the complaint (NOTIFY_* settings). */
export interface MessageSettings {
  /** The time zone deadlines are written in (default Asia/Shanghai). */
  readonly timeZone: string;
  /** The last line of a customer's message: who writes. */
  readonly signature: Readonly<Record<CustomerLanguage, string>>;
  /** Where the customer rates the handling (the complaint id is added as ?complaint=); none: they reply with a number. */
  readonly surveyUrl: string | null;
  /** The console's address, for the link in staff e-mails; none: no link. */
  readonly consoleUrl: string | null;
  /** The language of staff e-mails. */
  readonly staffLanguage: CustomerLanguage;
}

export const DEFAULT_MESSAGE_SETTINGS: MessageSettings = {
  timeZone: 'Asia/Shanghai',
  signature: { 'zh-CN': '客户服务中心', en: 'Customer Service' },
  surveyUrl: null,
  consoleUrl: null,
  staffLanguage: 'zh-CN',
};

export interface ComposedMessage {
  readonly language: CustomerLanguage;
  readonly subject: string;
  readonly text: string;
}

/** The language of a customer's messages: the one their contact details name, else zh-CN. */
export function customerLanguage(complaint: ExistingComplaint): CustomerLanguage {
  return complaint.contact.language === 'en' ? 'en' : 'zh-CN';
}

/** An instant in the settings' time zone, in the reader's language ("2026年3月1日 16:00 (GMT+8)"). */
export function formatInstant(instant: string, language: CustomerLanguage, timeZone: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const format = new Intl.DateTimeFormat(language, { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  return format.format(date);
}

/** The variables of a template: what the complaint and the event that caused it say, in the reader's language. */
export function messageVariables(entry: OutboxEntry, complaint: ExistingComplaint, trigger: RecordedEvent, language: CustomerLanguage, settings: MessageSettings): Record<string, string> {
  const at = (instant: unknown) => (typeof instant === 'string' ? formatInstant(instant, language, settings.timeZone) : '—');
  const data = trigger.data;
  const surveyHow = settings.surveyUrl
    ? `${settings.surveyUrl}${settings.surveyUrl.includes('?') ? '&' : '?'}complaint=${encodeURIComponent(complaint.id)}`
    : (language === 'en' ? 'reply to this message with a number from 1 to 5.' : '请直接回复本消息，写下 1 到 5 的分数。');
  const clock = typeof data['clock'] === 'string' ? (CLOCK_WORDS[data['clock']]?.[language] ?? data['clock']) : '—';
  return {
    complaintId: complaint.id,
    reference: complaint.id.slice(0, 8).toUpperCase(),
    signature: settings.signature[language],
    receivedAt: at(complaint.receivedAt),
    firstReplyDue: at(complaint.sla.firstReplyDue),
    answerDue: at(complaint.sla.answerDue),
    reason: typeof data['reason'] === 'string' ? data['reason'] : '—',
    remedy: taxonomyLabel('remedy', typeof data['remedy'] === 'string' ? data['remedy'] : null)[language],
    surveyHow,
    assignee: String(data['assignee'] ?? ('assignment' in complaint ? complaint.assignment.assignee : '—')),
    department: String(data['department'] ?? ('assignment' in complaint ? complaint.assignment.department : '—')),
    to: String(data['to'] ?? '—'),
    level: String(data['level'] ?? '—'),
    clock,
    deadline: at(data['deadline']),
    link: settings.consoleUrl ? `${settings.consoleUrl.replace(/\/+$/, '')}/complaints/${complaint.id}` : '',
    // Unused by a template is harmless; a template naming a variable not here fails its test.
    template: entry.template,
  };
}

/** The subject and text of one send, in the language of its reader. */
export function composeMessage(entry: OutboxEntry, complaint: ExistingComplaint, trigger: RecordedEvent, settings: MessageSettings): ComposedMessage {
  const language = entry.audience === 'customer' ? customerLanguage(complaint) : settings.staffLanguage;
  const template = NOTIFICATION_TEMPLATES[entry.template][language];
  const variables = messageVariables(entry, complaint, trigger, language, settings);
  return { language, subject: renderTemplate(template.subject, variables), text: renderTemplate(template.text, variables).trimEnd() };
}
