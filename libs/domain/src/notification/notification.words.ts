import { assertNever } from '../assert-never';
import type { Words } from '../decision-words';
import type { NotificationChannel, NotificationEvent, NotificationSkipReason, NotificationTemplate } from './notification.events';

export const TEMPLATE_WORDS: Record<NotificationTemplate, Words> = {
  acknowledgement: { 'zh-CN': '受理确认', en: 'acknowledgement of receipt' },
  rejected: { 'zh-CN': '投诉不成立说明', en: 'explanation that the complaint is not well-founded' },
  resolved: { 'zh-CN': '解决方案通知', en: 'solution notice' },
  reopened: { 'zh-CN': '重新处理通知', en: 'notice that the complaint is reopened' },
  'survey-invitation': { 'zh-CN': '满意度调查邀请', en: 'satisfaction survey invitation' },
  'staff-assigned': { 'zh-CN': '指派通知', en: 'assignment notice' },
  'staff-escalated': { 'zh-CN': '升级通知', en: 'escalation notice' },
  'staff-at-risk': { 'zh-CN': '时限预警', en: 'SLA warning' },
  'staff-breached': { 'zh-CN': '超时通知', en: 'SLA breach notice' },
};

const CHANNEL_WORDS: Record<NotificationChannel, Words> = {
  email: { 'zh-CN': '电子邮件', en: 'e-mail' },
  sms: { 'zh-CN': '短信', en: 'SMS' },
  wechat: { 'zh-CN': '微信', en: 'WeChat' },
};

const SKIP_WORDS: Record<NotificationSkipReason, Words> = {
  'no-address': { 'zh-CN': '没有该渠道的联系方式', en: 'no address for the channel' },
  'channel-not-configured': { 'zh-CN': '该渠道未配置', en: 'the channel is not configured' },
  'no-recipient': { 'zh-CN': '没有配置收件人', en: 'no recipient is configured' },
  'opted-out': { 'zh-CN': '客户已退订该渠道的通知', en: 'the customer opted out of it' },
};

/** A notification event in plain words, for the trail (who was told what, through which channel). */
export function notificationWords(event: NotificationEvent): Words {
  const { template, channel, to, audience } = event.data;
  const what = TEMPLATE_WORDS[template];
  const how = CHANNEL_WORDS[channel];
  const whom = { 'zh-CN': audience === 'customer' ? '客户' : '员工', en: audience === 'customer' ? 'the customer' : 'staff' };
  const list = to.length > 0 ? ` (${to.join(', ')})` : '';
  switch (event.type) {
    case 'NotificationSent':
      return { 'zh-CN': `已通过${how['zh-CN']}向${whom['zh-CN']}发送${what['zh-CN']}${list}`, en: `Sent the ${what.en} to ${whom.en} by ${how.en}${list}` };
    case 'NotificationSkipped': {
      const why = SKIP_WORDS[event.data.reason];
      return { 'zh-CN': `未通过${how['zh-CN']}向${whom['zh-CN']}发送${what['zh-CN']}：${why['zh-CN']}`, en: `Did not send the ${what.en} to ${whom.en} by ${how.en}: ${why.en}` };
    }
    case 'NotificationFailed':
      return {
        'zh-CN': `通过${how['zh-CN']}向${whom['zh-CN']}发送${what['zh-CN']}失败（尝试 ${event.data.attempts} 次）${list}`,
        en: `Could not send the ${what.en} to ${whom.en} by ${how.en} (${event.data.attempts} attempts)${list}`,
      };
    default:
      return assertNever(event);
  }
}
