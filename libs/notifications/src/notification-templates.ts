import type { CustomerLanguage, NotificationTemplate } from '@app/domain';

export interface MessageTemplate {
  /** The e-mail subject (texts by SMS or WeChat have none). */
  readonly subject: string;
  readonly text: string;
}

/**
 * The words of every notification, in both languages. The customer's templates never quote what the
 * customer wrote nor their contact details: the rendered text is recorded on the notification stream
 * (what the customer was told), which must hold no personal data.
 */
export const NOTIFICATION_TEMPLATES: Readonly<Record<NotificationTemplate, Readonly<Record<CustomerLanguage, MessageTemplate>>>> = {
  acknowledgement: {
    'zh-CN': {
      subject: '您的投诉已受理（编号 {{reference}}）',
      text: '尊敬的客户：\n\n您的投诉已于 {{receivedAt}} 受理，投诉编号 {{complaintId}}。\n我们将在 {{firstReplyDue}} 前与您联系，并在 {{answerDue}} 前给您答复。\n\n感谢您的反馈。\n{{signature}}',
    },
    en: {
      subject: 'We have received your complaint (ref. {{reference}})',
      text: 'Dear customer,\n\nWe received your complaint on {{receivedAt}}; its number is {{complaintId}}.\nWe will contact you by {{firstReplyDue}} and give you an answer by {{answerDue}}.\n\nThank you for telling us.\n{{signature}}',
    },
  },
  rejected: {
    'zh-CN': {
      subject: '关于您的投诉（编号 {{reference}}）的处理结果',
      text: '尊敬的客户：\n\n经核实，您的投诉（编号 {{complaintId}}）不成立。原因：{{reason}}\n如有异议，请回复本邮件或致电我们，我们将重新处理。\n{{signature}}',
    },
    en: {
      subject: 'About your complaint (ref. {{reference}})',
      text: 'Dear customer,\n\nWe looked into your complaint {{complaintId}} and found it not well-founded: {{reason}}\nIf you disagree, reply to this message or call us and we will look at it again.\n{{signature}}',
    },
  },
  resolved: {
    'zh-CN': {
      subject: '您的投诉（编号 {{reference}}）已处理',
      text: '尊敬的客户：\n\n您的投诉（编号 {{complaintId}}）已处理完毕，处理方式：{{remedy}}。\n我们会在近期回访，听取您的意见。\n{{signature}}',
    },
    en: {
      subject: 'Your complaint (ref. {{reference}}) has been resolved',
      text: 'Dear customer,\n\nYour complaint {{complaintId}} has been resolved: {{remedy}}.\nWe will call you soon to hear what you think of it.\n{{signature}}',
    },
  },
  reopened: {
    'zh-CN': {
      subject: '您的投诉（编号 {{reference}}）已重新处理',
      text: '尊敬的客户：\n\n您的投诉（编号 {{complaintId}}）已重新进入处理流程，我们会尽快与您联系。\n{{signature}}',
    },
    en: {
      subject: 'Your complaint (ref. {{reference}}) is being handled again',
      text: 'Dear customer,\n\nYour complaint {{complaintId}} is being handled again; we will contact you soon.\n{{signature}}',
    },
  },
  // The survey's own variables (surveyVariables): sent from SatisfactionSurveySent, for a complaint or a work order.
  'survey-invitation': {
    'zh-CN': {
      subject: '请为我们的服务打分（{{aboutNumber}} {{reference}}）',
      text: '尊敬的客户：\n\n感谢您的配合。请为{{about}}（{{aboutNumber}} {{subjectId}}）打分，每题 1–5 分（5 分为非常满意）：\n{{questions}}\n\n{{surveyHow}}\n请在 {{expiresAt}} 前作答。\n{{signature}}',
    },
    en: {
      subject: 'How did we do? ({{aboutNumber}} ref. {{reference}})',
      text: 'Dear customer,\n\nPlease rate {{about}} ({{aboutNumber}} {{subjectId}}), from 1 to 5 for each question (5: very satisfied):\n{{questions}}\n\n{{surveyHow}}\nPlease answer by {{expiresAt}}.\n{{signature}}',
    },
  },
  'staff-assigned': {
    'zh-CN': { subject: '[投诉 {{reference}}] 已指派给 {{assignee}}（{{department}}）', text: '投诉 {{complaintId}} 已指派给 {{department}} 的 {{assignee}}。\n首次回复时限：{{firstReplyDue}}；答复时限：{{answerDue}}。\n{{link}}' },
    en: { subject: '[Complaint {{reference}}] assigned to {{assignee}} ({{department}})', text: 'Complaint {{complaintId}} is assigned to {{assignee}} in {{department}}.\nFirst reply due {{firstReplyDue}}; answer due {{answerDue}}.\n{{link}}' },
  },
  'staff-escalated': {
    'zh-CN': { subject: '[投诉 {{reference}}] 升级至 {{to}}（第 {{level}} 级）', text: '投诉 {{complaintId}} 已升级至 {{to}}（第 {{level}} 级）。原因：{{reason}}\n{{link}}' },
    en: { subject: '[Complaint {{reference}}] escalated to {{to}} (level {{level}})', text: 'Complaint {{complaintId}} is escalated to {{to}} (level {{level}}): {{reason}}\n{{link}}' },
  },
  'staff-at-risk': {
    'zh-CN': { subject: '[投诉 {{reference}}] {{clock}}时限即将到期', text: '投诉 {{complaintId}} 的{{clock}}时限将于 {{deadline}} 到期，尚未完成。\n{{link}}' },
    en: { subject: '[Complaint {{reference}}] {{clock}} deadline coming up', text: 'The {{clock}} deadline of complaint {{complaintId}} is {{deadline}}, and the step has not been taken yet.\n{{link}}' },
  },
  'staff-breached': {
    'zh-CN': { subject: '[投诉 {{reference}}] {{clock}}已超时', text: '投诉 {{complaintId}} 的{{clock}}时限（{{deadline}}）已过，尚未完成。\n{{link}}' },
    en: { subject: '[Complaint {{reference}}] {{clock}} deadline missed', text: 'The {{clock}} deadline of complaint {{complaintId}} ({{deadline}}) has passed without the step.\n{{link}}' },
  },
};
