import type { ComplaintEvent, ContactField, CorrectableField } from './complaint.events';
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

export const CLOCK_WORDS: Record<string, Words> = {
  'first-reply': { 'zh-CN': '首次回复', en: 'first reply' },
  answer: { 'zh-CN': '答复', en: 'answer' },
  'on-site': { 'zh-CN': '上门', en: 'on-site visit' },
  callback: { 'zh-CN': '回访', en: 'callback' },
};

const CONTACT_WORDS: Record<ContactField, Words> = {
  phone: { 'zh-CN': '电话', en: 'phone' },
  email: { 'zh-CN': '电子邮箱', en: 'e-mail' },
  address: { 'zh-CN': '地址', en: 'address' },
  preferredChannel: { 'zh-CN': '首选联系渠道', en: 'preferred channel' },
  preferredTime: { 'zh-CN': '方便联系时间', en: 'preferred time' },
  language: { 'zh-CN': '通知语言', en: 'language' },
};

const CORRECTION_WORDS: Record<CorrectableField, Words> = {
  cause: { 'zh-CN': '原因', en: 'cause' },
  behaviour: { 'zh-CN': '行为', en: 'behaviour' },
  purpose: { 'zh-CN': '目的', en: 'purpose' },
  severity: { 'zh-CN': '严重程度', en: 'severity' },
  channel: { 'zh-CN': '渠道', en: 'channel' },
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
      const clock = CLOCK_WORDS[event.data.clock] ?? { 'zh-CN': event.data.clock, en: event.data.clock };
      return { 'zh-CN': `超出${clock['zh-CN']}时限（截止 ${event.data.deadline}）`, en: `Missed the ${clock.en} deadline (${event.data.deadline})` };
    }
    case 'SlaAtRisk': {
      const clock = CLOCK_WORDS[event.data.clock] ?? { 'zh-CN': event.data.clock, en: event.data.clock };
      return { 'zh-CN': `${clock['zh-CN']}时限临近（截止 ${event.data.deadline}）`, en: `The ${clock.en} deadline is near (${event.data.deadline})` };
    }
    case 'ComplaintNoteAdded': {
      // The text is not quoted: the audit trail names the step; the thread holds what was written.
      const { visibility, channel, firstReply } = event.data;
      if (visibility === 'internal') return { 'zh-CN': '添加内部备注', en: 'Added an internal note' };
      return {
        'zh-CN': `回复客户${channel ? `（${taxonomyLabel('channel', channel)['zh-CN']}）` : ''}${firstReply ? '，首次回复' : ''}`,
        en: `Replied to the customer${channel ? ` (${taxonomyLabel('channel', channel).en})` : ''}${firstReply ? ', the first reply' : ''}`,
      };
    }
    case 'ComplaintContactRecorded': {
      // Personal values are named, never quoted (docs/adr/0013).
      const { changed, reason } = event.data;
      const zh = changed.map((field) => CONTACT_WORDS[field]['zh-CN']).join('、');
      const en = changed.map((field) => CONTACT_WORDS[field].en).join(', ');
      return reason === null
        ? { 'zh-CN': `记录联系方式（${zh}）`, en: `Recorded the contact details (${en})` }
        : { 'zh-CN': `更新联系方式（${zh}）：${reason}`, en: `Updated the contact details (${en}): ${reason}` };
    }
    case 'ComplaintCorrected': {
      const { changed, from, to, reason } = event.data;
      const parts = changed.map((field) => {
        const before = taxonomyLabel(field, (from[field] ?? null) as string | null);
        const after = taxonomyLabel(field, (to[field] ?? null) as string | null);
        return { 'zh-CN': `${CORRECTION_WORDS[field]['zh-CN']} ${before['zh-CN']} → ${after['zh-CN']}`, en: `${CORRECTION_WORDS[field].en} ${before.en} → ${after.en}` };
      });
      return {
        'zh-CN': `更正分类（${parts.map((part) => part['zh-CN']).join('；')}）：${reason}`,
        en: `Corrected the classification (${parts.map((part) => part.en).join('; ')}): ${reason}`,
      };
    }
    case 'ComplaintAttachmentAdded': {
      // The file name is personal: named by its kind, type and size, never quoted (docs/adr/0013).
      const { kind, mediaType, size } = event.data;
      const label = taxonomyLabel('attachmentKind', kind);
      return { 'zh-CN': `添加附件：${label['zh-CN']}（${mediaType}，${byteSize(size)}）`, en: `Attached a file: ${label.en} (${mediaType}, ${byteSize(size)})` };
    }
    case 'ComplaintTagged': {
      const { added, removed, reason } = event.data;
      const zh = [...(added.length > 0 ? [`添加 ${added.join('、')}`] : []), ...(removed.length > 0 ? [`移除 ${removed.join('、')}`] : [])].join('；');
      const en = [...(added.length > 0 ? [`added ${added.join(', ')}`] : []), ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : [])].join('; ');
      return { 'zh-CN': `标签：${zh}${reason ? `：${reason}` : ''}`, en: `Tags: ${en}${reason ? `: ${reason}` : ''}` };
    }
    case 'ComplaintRelated': {
      const { relatedId, relation, reason } = event.data;
      return relation === 'duplicate-of'
        ? { 'zh-CN': `标记为投诉 ${relatedId} 的重复投诉：${reason}`, en: `Marked as a duplicate of complaint ${relatedId}: ${reason}` }
        : { 'zh-CN': `关联投诉 ${relatedId}：${reason}`, en: `Linked to related complaint ${relatedId}: ${reason}` };
    }
    case 'ComplaintUnrelated': {
      const { relatedId, relation, reason } = event.data;
      return relation === 'duplicate-of'
        ? { 'zh-CN': `取消标记为投诉 ${relatedId} 的重复投诉：${reason}`, en: `No longer a duplicate of complaint ${relatedId}: ${reason}` }
        : { 'zh-CN': `取消关联投诉 ${relatedId}：${reason}`, en: `Unlinked related complaint ${relatedId}: ${reason}` };
    }
    case 'ComplaintDuplicateLinked': {
      const { duplicateId, reason } = event.data;
      return { 'zh-CN': `投诉 ${duplicateId} 被标记为本投诉的重复投诉：${reason}`, en: `Complaint ${duplicateId} was marked as a duplicate of this one: ${reason}` };
    }
    case 'ComplaintDuplicateUnlinked': {
      const { duplicateId, reason } = event.data;
      return { 'zh-CN': `投诉 ${duplicateId} 不再是本投诉的重复投诉：${reason}`, en: `Complaint ${duplicateId} is no longer a duplicate of this one: ${reason}` };
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** 512 B, 12.3 KiB, 4.0 MiB: the same in both languages. */
function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
