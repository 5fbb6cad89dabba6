import {
  DEFAULT_SLA_POLICY, cycleDeadlines, decideWarranty, foldProduct, surveyDeadline, workOrderSlaTermsAt, type Actor, type ClosureOutcome, type FailedVisitReason,
  type FaultCause, type Money, type OpenWorkOrderStatus, type ProductEvent, type ProductState, type ServiceNetworkEvent, type Severity, type SlaPolicy,
  type WorkOrderClock, type WorkOrderEvent,
} from '@app/domain';

/**
 * Builders of after-sales events for read-model specs and end-to-end tests. Times are minutes after
 * T0 (2026-03-02T08:00Z, the complaint fixtures' clock); the events are shaped as the deciders write
 * them, with the SLA terms of the default policy.
 */
export const T0 = Date.parse('2026-03-02T08:00:00.000Z');
export const at = (minutes: number, origin = T0): string => new Date(origin + minutes * 60_000).toISOString();
export const cny = (minorUnits: number): Money => ({ currency: 'CNY', minorUnits });

export const deskAgent: Actor = { id: 'agent-1', role: 'agent' };
export const dispatcher: Actor = { id: 'supervisor-1', role: 'supervisor' };
const admin: Actor = { id: 'admin-1', role: 'admin' };
const monitor: Actor = { id: 'system:sla-monitor', role: 'system' };

/** The service network: the centre, two stations, three engineers (two at Dandong, one at Dalian). */
export function serviceNetworkHistory(origin = T0): ServiceNetworkEvent[] {
  const by = admin;
  const registeredAt = at(-60 * 24 * 30, origin);
  return [
    { type: 'ServiceUnitRegistered', data: { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, parent: null, regions: ['210000'], registeredAt, by, reason: '一个中心' } },
    { type: 'ServiceUnitRegistered', data: { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], registeredAt, by, reason: 'station' } },
    { type: 'ServiceUnitRegistered', data: { code: 'dalian-station', kind: 'station', name: { 'zh-CN': '大连服务站', en: 'Dalian service station' }, parent: 'cs-centre', regions: ['210200'], registeredAt, by, reason: 'station' } },
    { type: 'EngineerAdded', data: { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], addedAt: registeredAt, by, reason: 'hired' } },
    { type: 'EngineerAdded', data: { engineerId: 'eng-zhao', name: '赵工', station: 'dandong-station', skills: ['pump'], addedAt: registeredAt, by, reason: 'hired' } },
    { type: 'EngineerAdded', data: { engineerId: 'eng-liu', name: '刘工', station: 'dalian-station', skills: ['electrical'], addedAt: registeredAt, by, reason: 'hired' } },
  ];
}

export const STATIONS: Readonly<Record<string, { readonly name: { 'zh-CN': string; en: string }; readonly engineers: Readonly<Record<string, string>> }>> = {
  'dandong-station': { name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, engineers: { 'eng-wang': '王工', 'eng-zhao': '赵工' } },
  'dalian-station': { name: { 'zh-CN': '大连服务站', en: 'Dalian service station' }, engineers: { 'eng-liu': '刘工' } },
};

/** A dispenser registered on 2026-01-15 with 12 months covering parts, labour and the call-out (`covers`). */
export function productRegistered(serialNumber: string, customerId: string, options: { installedOn?: string; covers?: ReadonlyArray<'parts' | 'labour' | 'on-site'>; origin?: number } = {}): ProductEvent {
  const installedOn = options.installedOn ?? '2026-01-15';
  return {
    type: 'ProductRegistered',
    data: {
      serialNumber, model: 'TQ-2240 税控加油机', customerId, installedOn, warranty: { startsOn: installedOn, months: 12, covers: [...(options.covers ?? ['parts', 'labour', 'on-site'])] },
      registeredAt: at(-60 * 24 * 45, options.origin), by: deskAgent, reason: null,
    },
  };
}

export interface WorkOrderOptions {
  readonly customerId?: string;
  readonly minutes?: number;
  readonly priority?: Severity;
  readonly serialNumber?: string;
  readonly reportedBy?: Actor;
  readonly policy?: SlaPolicy;
  readonly linkedComplaintId?: string | null;
  /** The clock the minutes count from (default T0). */
  readonly origin?: number;
}

type Data<T extends WorkOrderEvent['type']> = Extract<WorkOrderEvent, { type: T }>['data'];

/** The events of one work order, each built at `minutes` after the origin. */
export function workOrder(workOrderId: string, options: WorkOrderOptions = {}) {
  const origin = options.origin ?? T0;
  const time = (minutes: number) => at(minutes, origin);
  const reportedAt = time(options.minutes ?? 0);
  const priority = options.priority ?? 'medium';
  const sla = workOrderSlaTermsAt(options.policy ?? DEFAULT_SLA_POLICY, priority, reportedAt);
  const serialNumber = options.serialNumber ?? 'TQ2240-000731';
  const engineer: Actor = { id: 'eng-wang', role: 'agent' };
  const base = { workOrderId };
  const event = <T extends WorkOrderEvent['type']>(type: T, data: Omit<Data<T>, 'workOrderId'>): WorkOrderEvent => ({ type, data: { ...base, ...data } } as unknown as WorkOrderEvent);
  const reported = event('WorkOrderReported', {
    reportedAt, reportedBy: options.reportedBy ?? deskAgent, customerId: options.customerId ?? 'cust-001',
    personal: { contact: { name: '李先生', phone: '+86 415 000 0000' }, address: '丹东市振兴区 加油站 3 号岛' }, region: '210600', product: { model: 'TQ-2240 税控加油机', serialNumber }, faultDescription: 'Nozzle 2 stops after 20 litres.',
    channel: 'phone', priority, linkedComplaintId: options.linkedComplaintId ?? null, sla, repeatRepairWindow: 'P30D',
  });
  return {
    reported,
    sla,
    contacted: (minutes: number) => event('WorkOrderCustomerContacted', { contactedAt: time(minutes), by: deskAgent, channel: 'phone', notes: null, firstContact: true }),
    dispatched: (minutes: number, station = 'dandong-station', engineerId = 'eng-wang', previous: { stationCode: string; engineerId: string } | null = null) => event('WorkOrderDispatched', {
      dispatchedAt: time(minutes), by: dispatcher, station: { code: station, name: STATIONS[station]?.name ?? { 'zh-CN': station, en: station } },
      engineer: { id: engineerId, name: STATIONS[station]?.engineers[engineerId] ?? engineerId }, reason: previous ? 'redispatch' : null, previous,
    }),
    diagnosed: (minutes: number, outcome: 'fixed-remotely' | 'on-site-needed') => event('WorkOrderRemotelyDiagnosed', { diagnosedAt: time(minutes), by: engineer, outcome, findings: 'Checked over the network.' }),
    scheduled: (minutes: number, visitNumber: number, forMinutes: number) => event('WorkOrderVisitScheduled', {
      scheduledAt: time(minutes), by: engineer, visitNumber, scheduledFor: time(forMinutes), rescheduled: false, reason: null,
    }),
    arrived: (minutes: number, visitNumber = 1, engineerId = 'eng-wang') => event('WorkOrderEngineerArrived', {
      arrivedAt: time(minutes), by: engineer, visitNumber, scheduledFor: null, engineerId, notes: null,
    }),
    failed: (minutes: number, visitNumber: number, nextForMinutes: number, reason: FailedVisitReason = 'customer-absent') => event('WorkOrderVisitFailed', {
      failedAt: time(minutes), by: engineer, visitNumber, reason, notes: null, nextVisit: { visitNumber: visitNumber + 1, scheduledFor: time(nextForMinutes) },
    }),
    /** Findings and the warranty decision the decider computes with them, judged on the report's day. */
    findings: (minutes: number, faultCause: FaultCause, product: ProductState): WorkOrderEvent[] => {
      const damageReason = faultCause === 'customer-damage' ? 'Hose torn off by a lorry.' : null;
      return [
        event('WorkOrderFindingsRecorded', { recordedAt: time(minutes), by: engineer, findings: 'Pulser encoder worn.', faultCause, damageReason }),
        event('WorkOrderWarrantyAssessed', { assessedAt: time(minutes), by: engineer, decision: decideWarranty(product, reportedAt.slice(0, 10), faultCause, damageReason) }),
      ];
    },
    quoted: (minutes: number, total: Money, quoteNumber = 1) => event('WorkOrderQuoted', {
      quotedAt: time(minutes), by: engineer, quoteNumber, lines: [{ kind: 'parts', description: 'Pulser encoder', amount: total }], total, replaces: null,
    }),
    confirmed: (minutes: number, total: Money, quoteNumber = 1) => event('WorkOrderQuoteConfirmed', { confirmedAt: time(minutes), by: engineer, quoteNumber, total, personal: { confirmedBy: '李先生' }, channel: 'in-person' }),
    refused: (minutes: number, total: Money, continueWithFreeWork = false, quoteNumber = 1) => event('WorkOrderQuoteRefused', {
      refusedAt: time(minutes), by: engineer, quoteNumber, total, reason: 'Too expensive.', continueWithFreeWork,
    }),
    work: (minutes: number, chargeable = false) => event('WorkOrderRepairWorkRecorded', {
      recordedAt: time(minutes), by: engineer, description: 'Replaced the pulser encoder.', parts: [{ partNumber: 'PUL-2240-07', name: 'Pulser encoder', quantity: 1 }],
      chargeable, quoteNumber: chargeable ? 1 : null,
    }),
    fee: (minutes: number, amount: Money) => event('WorkOrderFeeCharged', { chargedAt: time(minutes), by: engineer, quoteNumber: 1, amount, method: 'mobile-payment', receiptNumber: 'R-0001' }),
    tested: (minutes: number, passed = true) => event('WorkOrderTested', { testedAt: time(minutes), by: engineer, passed, notes: null }),
    signedOff: (minutes: number) => event('WorkOrderSignedOff', { signedOffAt: time(minutes), by: engineer, personal: { signedBy: '李先生' }, remarks: null }),
    closed: (minutes: number, outcome: ClosureOutcome = 'repaired', cycle = 1) => event('WorkOrderClosed', {
      closedAt: time(minutes), by: engineer, outcome, notes: null, cycle, surveyDue: outcome === 'quote-refused' ? null : surveyDeadline(sla, time(minutes)),
    }),
    surveySent: (minutes: number, surveyId = 'repair-2026') => event('WorkOrderSurveySent', {
      sentAt: time(minutes), by: deskAgent, surveyId, channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }, { id: 'quality', text: '维修质量是否满意？' }],
    }),
    surveyAnswered: (minutes: number, scores: readonly number[], surveyId = 'repair-2026') => event('WorkOrderSurveyAnswered', {
      answeredAt: time(minutes), by: deskAgent, surveyId, answers: scores.map((score, index) => ({ questionId: index === 0 ? 'speed' : 'quality', score })), personal: null,
    }),
    cancelled: (minutes: number, previousStatus: OpenWorkOrderStatus = 'dispatched') => event('WorkOrderCancelled', { cancelledAt: time(minutes), by: dispatcher, reason: 'Customer withdrew.', previousStatus }),
    reopened: (minutes: number, cycle: number, previousClosedMinutes: number) => event('WorkOrderReopened', {
      reopenedAt: time(minutes), by: dispatcher, reason: 'The fault came back.', cycle, previousClosedAt: time(previousClosedMinutes), ...cycleDeadlines(sla, time(minutes)),
    }),
    escalated: (minutes: number, level = 1, clock: WorkOrderClock | null = null) => event('WorkOrderEscalated', {
      escalatedAt: time(minutes), by: dispatcher, to: 'regional-manager', level, reason: 'Deadline at risk.', trigger: clock ? 'sla-at-risk' : 'authority', clock,
      deadline: clock === null ? null : clock === 'first-contact' ? sla.firstContactDue : clock === 'on-site' ? sla.onSiteDue : sla.completionDue,
    }),
    linked: (minutes: number, complaintId: string) => event('WorkOrderLinkedToComplaint', { linkedAt: time(minutes), by: deskAgent, complaintId, reason: null }),
    breached: (clock: WorkOrderClock, minutes: number, cycle = 1, deadline?: string) => event('WorkOrderSlaBreached', {
      clock, deadline: deadline ?? (clock === 'first-contact' ? sla.firstContactDue : clock === 'on-site' ? sla.onSiteDue : sla.completionDue), cycle, detectedAt: time(minutes), by: monitor,
    }),
  };
}

/** The product states a warranty is judged on: covered in full, covering parts and labour only, expired. */
export const coveredProduct = (serialNumber = 'TQ2240-000731'): ProductState => foldProduct([productRegistered(serialNumber, 'cust-001')]);
export const partlyCoveredProduct = (serialNumber = 'TQ2240-000731'): ProductState => foldProduct([productRegistered(serialNumber, 'cust-001', { covers: ['parts', 'labour'] })]);
export const expiredProduct = (serialNumber = 'TQ2240-000731'): ProductState => foldProduct([productRegistered(serialNumber, 'cust-001', { installedOn: '2024-01-15' })]);

/** A whole repair in warranty: reported, dispatched, contacted, on site within 18 h, fixed free, signed, closed at 20 h. */
export function freeRepair(workOrderId: string, options: WorkOrderOptions = {}): WorkOrderEvent[] {
  const order = workOrder(workOrderId, options);
  const m = options.minutes ?? 0;
  return [
    order.reported, order.dispatched(m + 20), order.scheduled(m + 45, 1, m + 18 * 60), order.arrived(m + 18 * 60), ...order.findings(m + 18 * 60 + 30, 'product-defect', coveredProduct(options.serialNumber)),
    order.work(m + 19 * 60), order.tested(m + 19 * 60 + 40), order.signedOff(m + 19 * 60 + 50), order.closed(m + 20 * 60),
  ];
}
