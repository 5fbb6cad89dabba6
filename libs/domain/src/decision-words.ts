import type { ComplaintEvent } from './complaint.events';
import { TAXONOMY, type TaxonomyName } from './taxonomy';

export interface Words {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** The labels of a taxonomy code, or the code itself in both languages when it is not one (history is shown as written). */
export const taxonomyLabel = (name: TaxonomyName, code: string | null): Words => {
  const labels = code === null ? undefined : (TAXONOMY[name] as Record<string, Words | undefined>)[code];
  return labels ?? { 'zh-CN': code ?? '—', en: code ?? '—' };
};

const CLOCKS: Record<string, Words> = {
  'first-reply': { 'zh-CN': '首次回复', en: 'first reply' },
  answer: { 'zh-CN': '答复', en: 'answer' },
  'on-site': { 'zh-CN': '上门', en: 'on-site visit' },
  callback: { 'zh-CN': '回访', en: 'callback' },
};

/** The decision an event records, in plain words, for auditors. */
export function decisionWords(event: ComplaintEvent): Words {
  switch (event.type) {
    case 'ComplaintReceived': {
      const { channel, cause, severity, sla } = event.data;
      return {
        'zh-CN': `受理投诉（渠道：${taxonomyLabel('channel', channel)['zh-CN']}，原因：${taxonomyLabel('cause', cause)['zh-CN']}，严重程度：${taxonomyLabel('severity', severity)['zh-CN']}），时限政策 ${sla.policyVersion}`,
        en: `Received the complaint (channel ${taxonomyLabel('channel', channel).en}, cause ${taxonomyLabel('cause', cause).en}, severity ${taxonomyLabel('severity', severity).en}) under SLA policy ${sla.policyVersion}`,
      };
    }
    case 'ComplaintValidated':
      return { 'zh-CN': `判定投诉成立：${event.data.reason}`, en: `Judged the complaint well-founded: ${event.data.reason}` };
    case 'ComplaintRejected':
      return { 'zh-CN': `判定投诉不成立：${event.data.reason}`, en: `Judged the complaint not well-founded: ${event.data.reason}` };
    case 'ComplaintAssigned': {
      const { department, assignee, previous } = event.data;
      return {
        'zh-CN': `指派给 ${department} 的 ${assignee}${previous ? `（原为 ${previous.department} 的 ${previous.assignee}）` : ''}`,
        en: `Assigned to ${assignee} in ${department}${previous ? ` (was ${previous.assignee} in ${previous.department})` : ''}`,
      };
    }
    case 'ComplaintApologised':
      return {
        'zh-CN': `向客户道歉（${taxonomyLabel('channel', event.data.channel)['zh-CN']}）${event.data.firstReply ? '，首次回复' : ''}`,
        en: `Apologised to the customer (${taxonomyLabel('channel', event.data.channel).en})${event.data.firstReply ? ', the first reply' : ''}`,
      };
    case 'ComplaintEscalated':
      return {
        'zh-CN': `升级至 ${event.data.to}（第 ${event.data.level} 级${event.data.trigger === 'resolution-refused' ? '，客户拒绝解决方案' : ''}）：${event.data.reason}`,
        en: `Escalated to ${event.data.to} (level ${event.data.level}${event.data.trigger === 'resolution-refused' ? ', the customer refused the solution' : ''}): ${event.data.reason}`,
      };
    case 'ComplaintResolved': {
      const { remedy, resolutionClass, customerAccepted } = event.data;
      return {
        'zh-CN': `处理完毕：${taxonomyLabel('remedy', remedy)['zh-CN']}（${taxonomyLabel('resolutionClass', resolutionClass)['zh-CN']}），客户${customerAccepted ? '接受' : '不接受'}`,
        en: `Resolved: ${taxonomyLabel('remedy', remedy).en} (${taxonomyLabel('resolutionClass', resolutionClass).en}); the customer ${customerAccepted ? 'accepted' : 'refused'}`,
      };
    }
    case 'CallbackDone':
      return {
        'zh-CN': `回访：${taxonomyLabel('callbackOutcome', event.data.outcome)['zh-CN']}，满意度 ${event.data.satisfaction}/5${event.data.satisfied ? '' : '，投诉保持打开'}`,
        en: `Called back: ${taxonomyLabel('callbackOutcome', event.data.outcome).en}, satisfaction ${event.data.satisfaction}/5${event.data.satisfied ? '' : '; the complaint stays open'}`,
      };
    case 'ComplaintReopened':
      return { 'zh-CN': `重新打开：${event.data.reason}`, en: `Reopened: ${event.data.reason}` };
    case 'OnSiteVisitRecorded':
      return { 'zh-CN': `上门服务${event.data.notes ? `：${event.data.notes}` : ''}`, en: `On-site visit${event.data.notes ? `: ${event.data.notes}` : ''}` };
    case 'SlaBreached': {
      const clock = CLOCKS[event.data.clock] ?? { 'zh-CN': event.data.clock, en: event.data.clock };
      return { 'zh-CN': `超出${clock['zh-CN']}时限（截止 ${event.data.deadline}）`, en: `Missed the ${clock.en} deadline (${event.data.deadline})` };
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
