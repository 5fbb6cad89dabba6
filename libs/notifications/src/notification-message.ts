import { CLOCK_WORDS, taxonomyLabel, type CustomerLanguage, type ExistingComplaint, type SatisfactionSurveySent } from '@app/domain';
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
  /**
   * Where the customer answers a survey (NOTIFY_SURVEY_URL; the survey id is added as ?survey=); none: the
   * invitation tells them to reply with the survey number and their scores, which the desk records.
   */
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
  return instantFormat(language, timeZone).format(date);
}

/** Made once per language and time zone: building an Intl.DateTimeFormat costs far more than formatting with one. */
const INSTANT_FORMATS = new Map<string, Intl.DateTimeFormat>();

function instantFormat(language: CustomerLanguage, timeZone: string): Intl.DateTimeFormat {
  const key = `${language} ${timeZone}`;
  let format = INSTANT_FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    INSTANT_FORMATS.set(key, format);
  }
  return format;
}

/** The variables of a template: what the complaint and the event that caused it say, in the reader's language. */
export function messageVariables(entry: OutboxEntry, complaint: ExistingComplaint, trigger: RecordedEvent, language: CustomerLanguage, settings: MessageSettings): Record<string, string> {
  const at = (instant: unknown) => (typeof instant === 'string' ? formatInstant(instant, language, settings.timeZone) : '—');
  const data = trigger.data;
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

/** The survey's answer link: NOTIFY_SURVEY_URL with ?survey=<id> (or &survey= when it has a query already). */
export function surveyLink(surveyUrl: string, surveyId: string): string {
  return `${surveyUrl}${surveyUrl.includes('?') ? '&' : '?'}survey=${encodeURIComponent(surveyId)}`;
}

/**
 * The variables of a survey invitation: what it asks (each question numbered, in the reader's language),
 * until when, and how to answer — the link when NOTIFY_SURVEY_URL is set, else a reply naming the survey
 * number and a score per question (the desk records it with POST /surveys/{id}/answer).
 */
export function surveyVariables(survey: SatisfactionSurveySent['data'], language: CustomerLanguage, settings: MessageSettings): Record<string, string> {
  const en = language === 'en';
  const questions = survey.questions.map((question, index) => `${index + 1}. ${question.label[language]}`).join('\n');
  const example = survey.questions.slice(0, 2).map((_question, index) => `${index + 1}=${5 - index}`).join(' ');
  const surveyHow = settings.surveyUrl
    ? (en ? `Answer here: ${surveyLink(settings.surveyUrl, survey.surveyId)}` : `请点击链接作答：${surveyLink(settings.surveyUrl, survey.surveyId)}`)
    : (en
      ? `To answer, reply to this message with the survey number ${survey.surveyId} and a score for each question (for example "${example}").`
      : `请直接回复本消息，写明调查编号 ${survey.surveyId} 和每题的分数（例如“${example}”）。`);
  const isComplaint = survey.subject.kind === 'complaint';
  return {
    surveyId: survey.surveyId,
    reference: survey.subject.id.slice(0, 8).toUpperCase(),
    subjectId: survey.subject.id,
    about: isComplaint ? (en ? 'how we handled your complaint' : '本次投诉的处理') : (en ? 'our repair service' : '本次维修服务'),
    aboutNumber: isComplaint ? (en ? 'complaint' : '投诉编号') : (en ? 'work order' : '工单编号'),
    questions,
    expiresAt: formatInstant(survey.expiresAt, language, settings.timeZone),
    surveyHow,
    signature: settings.signature[language],
  };
}

/** The survey invitation, in the customer's language. */
export function composeSurveyInvitation(survey: SatisfactionSurveySent['data'], language: CustomerLanguage, settings: MessageSettings): ComposedMessage {
  const template = NOTIFICATION_TEMPLATES['survey-invitation'][language];
  const variables = surveyVariables(survey, language, settings);
  return { language, subject: renderTemplate(template.subject, variables), text: renderTemplate(template.text, variables).trimEnd() };
}

/** The subject and text of one send, in the language of its reader. */
export function composeMessage(entry: OutboxEntry, complaint: ExistingComplaint, trigger: RecordedEvent, settings: MessageSettings): ComposedMessage {
  const language = entry.audience === 'customer' ? customerLanguage(complaint) : settings.staffLanguage;
  const template = NOTIFICATION_TEMPLATES[entry.template][language];
  const variables = messageVariables(entry, complaint, trigger, language, settings);
  return { language, subject: renderTemplate(template.subject, variables), text: renderTemplate(template.text, variables).trimEnd() };
}
