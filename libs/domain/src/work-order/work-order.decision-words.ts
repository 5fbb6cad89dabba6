import { afterSalesLabel, type ChargeKind, type WorkOrderClock } from '../after-sales-taxonomy';
import { assertNever } from '../assert-never';
import { taxonomyLabel, type Words } from '../decision-words';
import { formatMoney } from '../money';
import type { QuoteLine, WorkOrderEvent } from './work-order.events';

const kinds = (list: readonly ChargeKind[], language: keyof Words): string =>
  list.length === 0 ? (language === 'en' ? 'nothing' : '无') : list.map((kind) => lower(afterSalesLabel('chargeKind', kind), language)).join(language === 'en' ? ', ' : '、');

const lower = (label: Words, language: keyof Words): string => (language === 'en' ? label.en.toLowerCase() : label[language]);

const lines = (quoted: readonly QuoteLine[], language: keyof Words): string =>
  quoted.map((line) => `${lower(afterSalesLabel('chargeKind', line.kind), language)} ${formatMoney(line.amount)}`).join(language === 'en' ? ', ' : '、');

const clock = (name: WorkOrderClock): Words => afterSalesLabel('workOrderClock', name);

/** The decision a work-order event records, in plain words, for auditors. */
export function workOrderDecisionWords(event: WorkOrderEvent): Words {
  switch (event.type) {
    case 'WorkOrderReported': {
      const { product, channel, priority, sla } = event.data;
      return {
        'zh-CN': `受理报修：${product.model}（序列号 ${product.serialNumber}），渠道：${taxonomyLabel('channel', channel)['zh-CN']}，优先级：${taxonomyLabel('severity', priority)['zh-CN']}，时限政策 ${sla.policyVersion}`,
        en: `Recorded a repair request for ${product.model} (serial ${product.serialNumber}), channel ${taxonomyLabel('channel', channel).en}, priority ${taxonomyLabel('severity', priority).en}, under SLA policy ${sla.policyVersion}`,
      };
    }
    case 'WorkOrderCustomerContacted': {
      const { channel, firstContact, notes } = event.data;
      return {
        'zh-CN': `联系客户（${taxonomyLabel('channel', channel)['zh-CN']}）${firstContact ? '，首次联系' : ''}${notes ? `：${notes}` : ''}`,
        en: `Contacted the customer (${taxonomyLabel('channel', channel).en})${firstContact ? ', the first contact' : ''}${notes ? `: ${notes}` : ''}`,
      };
    }
    case 'WorkOrderDispatched': {
      const { station, engineer, previous, reason } = event.data;
      return {
        'zh-CN': `派单至 ${station.name['zh-CN']}（${station.code}）的 ${engineer.name}${previous ? `（原为 ${previous.stationCode} 的 ${previous.engineerId}）` : ''}${reason ? `：${reason}` : ''}`,
        en: `Dispatched to ${engineer.name} at ${station.name.en} (${station.code})${previous ? ` (was ${previous.engineerId} at ${previous.stationCode})` : ''}${reason ? `: ${reason}` : ''}`,
      };
    }
    case 'WorkOrderRemotelyDiagnosed': {
      const outcome = afterSalesLabel('remoteOutcome', event.data.outcome);
      return { 'zh-CN': `远程诊断：${outcome['zh-CN']}。${event.data.findings}`, en: `Remote diagnosis: ${outcome.en}. ${event.data.findings}` };
    }
    case 'WorkOrderVisitScheduled': {
      const { visitNumber, scheduledFor, rescheduled, reason } = event.data;
      return {
        'zh-CN': `${rescheduled ? '改约' : '预约'}第 ${visitNumber} 次上门：${scheduledFor}${reason ? `（${reason}）` : ''}`,
        en: `${rescheduled ? 'Rescheduled' : 'Scheduled'} visit ${visitNumber} for ${scheduledFor}${reason ? ` (${reason})` : ''}`,
      };
    }
    case 'WorkOrderEngineerArrived':
      return {
        'zh-CN': `工程师 ${event.data.engineerId} 到达现场（第 ${event.data.visitNumber} 次上门${event.data.scheduledFor === null ? '，未预约' : ''}）`,
        en: `Engineer ${event.data.engineerId} arrived on site (visit ${event.data.visitNumber}${event.data.scheduledFor === null ? ', unscheduled' : ''})`,
      };
    case 'WorkOrderVisitFailed': {
      const { visitNumber, reason, notes, nextVisit } = event.data;
      const why = afterSalesLabel('failedVisitReason', reason);
      return {
        'zh-CN': `第 ${visitNumber} 次上门未能完成：${why['zh-CN']}${notes ? `（${notes}）` : ''}；已预约第 ${nextVisit.visitNumber} 次上门：${nextVisit.scheduledFor}`,
        en: `Visit ${visitNumber} failed: ${why.en}${notes ? ` (${notes})` : ''}; visit ${nextVisit.visitNumber} scheduled for ${nextVisit.scheduledFor}`,
      };
    }
    case 'WorkOrderFindingsRecorded': {
      const { findings, faultCause, damageReason } = event.data;
      const cause = afterSalesLabel('faultCause', faultCause);
      return {
        'zh-CN': `现场检测：${findings}（原因：${cause['zh-CN']}${damageReason ? `，${damageReason}` : ''}）`,
        en: `Findings on site: ${findings} (cause: ${cause.en}${damageReason ? `, ${damageReason}` : ''})`,
      };
    }
    case 'WorkOrderWarrantyAssessed': {
      const { verdict, judgedOn, lastCoveredDay, free, chargeable } = event.data.decision;
      const label = afterSalesLabel('warrantyVerdict', verdict);
      return {
        'zh-CN': `保修判定：${label['zh-CN']}（按 ${judgedOn} 判定${lastCoveredDay ? `，保修至 ${lastCoveredDay}` : ''}）；免费：${kinds(free, 'zh-CN')}；收费：${kinds(chargeable, 'zh-CN')}`,
        en: `Warranty decision: ${label.en} (judged for ${judgedOn}${lastCoveredDay ? `, covered until ${lastCoveredDay}` : ''}); free: ${kinds(free, 'en')}; chargeable: ${kinds(chargeable, 'en')}`,
      };
    }
    case 'WorkOrderQuoted': {
      const { quoteNumber, total, replaces } = event.data;
      return {
        'zh-CN': `报价 #${quoteNumber}：${formatMoney(total)}（${lines(event.data.lines, 'zh-CN')}）${replaces === null ? '' : `，取代报价 #${replaces}`}`,
        en: `Quoted #${quoteNumber}: ${formatMoney(total)} (${lines(event.data.lines, 'en')})${replaces === null ? '' : `, replacing quote #${replaces}`}`,
      };
    }
    case 'WorkOrderQuoteConfirmed': {
      // The customer's name is personal data (docs/adr/0019): the words never quote it.
      const { quoteNumber, total, channel } = event.data;
      return {
        'zh-CN': `客户确认报价 #${quoteNumber}（${formatMoney(total)}，${taxonomyLabel('channel', channel)['zh-CN']}）`,
        en: `The customer confirmed quote #${quoteNumber} (${formatMoney(total)}, ${taxonomyLabel('channel', channel).en})`,
      };
    }
    case 'WorkOrderQuoteRefused': {
      const { quoteNumber, total, reason, continueWithFreeWork } = event.data;
      return {
        'zh-CN': `客户拒绝报价 #${quoteNumber}（${formatMoney(total)}）：${reason}；${continueWithFreeWork ? '仅继续免费维修' : '不进行收费维修，工单关闭'}`,
        en: `The customer refused quote #${quoteNumber} (${formatMoney(total)}): ${reason}; ${continueWithFreeWork ? 'only free work goes on' : 'no chargeable work, the order closes'}`,
      };
    }
    case 'WorkOrderRepairWorkRecorded': {
      const { description, parts, chargeable, quoteNumber } = event.data;
      const used = parts.map((part) => `${part.partNumber} ×${part.quantity}`).join(', ');
      return {
        'zh-CN': `维修作业（${chargeable ? `收费，报价 #${quoteNumber}` : '免费'}）：${description}${used ? `；配件：${used}` : ''}`,
        en: `Work done (${chargeable ? `chargeable under quote #${quoteNumber}` : 'free of charge'}): ${description}${used ? `; parts: ${used}` : ''}`,
      };
    }
    case 'WorkOrderFeeCharged': {
      const { amount, method, receiptNumber } = event.data;
      const how = afterSalesLabel('paymentMethod', method);
      return {
        'zh-CN': `收取服务费 ${formatMoney(amount)}（${how['zh-CN']}${receiptNumber ? `，收据 ${receiptNumber}` : ''}）`,
        en: `Charged ${formatMoney(amount)} (${how.en}${receiptNumber ? `, receipt ${receiptNumber}` : ''})`,
      };
    }
    case 'WorkOrderTested':
      return {
        'zh-CN': `设备调试与上线测试${event.data.passed ? '通过' : '未通过'}${event.data.notes ? `：${event.data.notes}` : ''}`,
        en: `Test and commissioning ${event.data.passed ? 'passed' : 'failed'}${event.data.notes ? `: ${event.data.notes}` : ''}`,
      };
    case 'WorkOrderSignedOff':
      return { 'zh-CN': '客户签字确认', en: 'The customer signed the work order' };
    case 'WorkOrderClosed': {
      const outcome = afterSalesLabel('closureOutcome', event.data.outcome);
      return event.data.outcome === 'quote-refused'
        ? { 'zh-CN': `工单关闭：${outcome['zh-CN']}`, en: `Closed the order: ${outcome.en}` }
        : { 'zh-CN': `完成交接，工单关闭：${outcome['zh-CN']}`, en: `Handed over; the order is closed: ${outcome.en}` };
    }
    case 'WorkOrderSurveySent': {
      const { surveyId, channel, questions } = event.data;
      return {
        'zh-CN': `发送满意度调查 ${surveyId}（${taxonomyLabel('channel', channel)['zh-CN']}，${questions.length} 个问题）`,
        en: `Sent satisfaction survey ${surveyId} (${taxonomyLabel('channel', channel).en}, ${questions.length} question${questions.length === 1 ? '' : 's'})`,
      };
    }
    case 'WorkOrderSurveyAnswered': {
      // The scores only: the comments are the customer's own words, erased with them (docs/adr/0019).
      const scores = event.data.answers.map((answer) => `${answer.questionId} ${answer.score}/5`);
      return { 'zh-CN': `满意度调查回复：${scores.join('、')}`, en: `Survey answered: ${scores.join(', ')}` };
    }
    case 'WorkOrderCancelled':
      return { 'zh-CN': `取消工单：${event.data.reason}`, en: `Cancelled the order: ${event.data.reason}` };
    case 'WorkOrderReopened':
      return {
        'zh-CN': `故障复发，返修（第 ${event.data.cycle} 次维修）：${event.data.reason}`,
        en: `Reopened for a repeat repair (repair ${event.data.cycle}): ${event.data.reason}`,
      };
    case 'WorkOrderEscalated': {
      const { to, level, reason, clock: atRisk } = event.data;
      return {
        'zh-CN': `升级至 ${to}（第 ${level} 级${atRisk ? `，${clock(atRisk)['zh-CN']}时限临近` : ''}）：${reason}`,
        en: `Escalated to ${to} (level ${level}${atRisk ? `, the ${clock(atRisk).en} deadline at risk` : ''}): ${reason}`,
      };
    }
    case 'WorkOrderLinkedToComplaint':
      return {
        'zh-CN': `关联投诉 ${event.data.complaintId}${event.data.reason ? `：${event.data.reason}` : ''}`,
        en: `Linked to complaint ${event.data.complaintId}${event.data.reason ? `: ${event.data.reason}` : ''}`,
      };
    case 'WorkOrderSlaBreached':
      return {
        'zh-CN': `超出${clock(event.data.clock)['zh-CN']}时限（截止 ${event.data.deadline}）`,
        en: `Missed the ${clock(event.data.clock).en} deadline (${event.data.deadline})`,
      };
    default:
      return assertNever(event);
  }
}

/**
 * A work order's decision as a complaint's trail shows it: the link names the order it was linked
 * to, as the order's own trail names the complaint; the other decisions read the same from both.
 */
export function workOrderDecisionWordsForComplaint(event: WorkOrderEvent): Words {
  if (event.type !== 'WorkOrderLinkedToComplaint') return workOrderDecisionWords(event);
  const { workOrderId, reason } = event.data;
  return {
    'zh-CN': `关联工单 ${workOrderId}${reason ? `：${reason}` : ''}`,
    en: `Linked to work order ${workOrderId}${reason ? `: ${reason}` : ''}`,
  };
}
