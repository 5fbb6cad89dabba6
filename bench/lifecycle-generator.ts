import {
  DEFAULT_SLA_POLICY, PRODUCT_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, SLA_MONITOR, WORK_ORDER_EVENT_SCHEMA_VERSIONS,
  complaintStreamName, decide, decideProduct, decideServiceNetwork, decideWorkOrder, evolve, evolveProduct, evolveServiceNetwork, evolveWorkOrder,
  ComplaintDomainError, DomainError, initialComplaintState, initialProductState, initialServiceNetworkState, initialWorkOrderState, productStreamName, workOrderStreamName,
  type Actor, type ChargeKind, type ComplaintCommand, type ComplaintEvent, type ComplaintState, type ProductCommand, type ProductEventType, type ProductState,
  type ServiceNetworkCommand, type ServiceNetworkEventType, type ServiceNetworkState, type WorkOrderClock, type WorkOrderCommand, type WorkOrderEventType,
  type WorkOrderState,
} from '@app/domain';
import { chainedEvents } from '@app/complaints/complaint-metadata';
import { chainStart, deterministicUuid } from '@app/event-sourcing';
import type { EventToAppend } from '@app/event-store';

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same history. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends string>(next: () => number, weights: Record<T, number>): T {
  const total = Object.values<number>(weights).reduce((sum, weight) => sum + weight, 0);
  let roll = next() * total;
  for (const [value, weight] of Object.entries<number>(weights)) {
    roll -= weight;
    if (roll <= 0) return value as T;
  }
  return Object.keys(weights)[0] as T;
}

const NAMESPACE = '3b0e2f5a-91c4-4d67-8a2e-6f1d0c9b7e45';
const agent: Actor = { id: 'agent-bench', role: 'agent' };
const supervisor: Actor = { id: 'supervisor-bench', role: 'supervisor' };
const START = Date.parse('2025-01-01T00:00:00.000Z');
const YEAR_MS = 365 * 86_400_000;

export interface GeneratedEvent {
  readonly stream: string;
  readonly at: number;
  readonly event: EventToAppend;
}

/**
 * Lifecycle histories of complaints, about six events each, over ~40,000 customers (some
 * complain repeatedly), with realistic shares of causes, channels, severities, delays, rejections,
 * refusals, escalations, callbacks and reopenings. Every event comes from the real decider.
 */
export function generateComplaints(first: number, count: number, totalComplaints: number, seed = 42): GeneratedEvent[] {
  const output: GeneratedEvent[] = [];
  for (let index = first; index < first + count; index += 1) {
    const next = random(seed * 1_000_003 + index);
    const complaintId = deterministicUuid(NAMESPACE, `complaint-${index}`);
    const stream = complaintStreamName(complaintId);
    let state: ComplaintState = initialComplaintState;
    let previousHash = chainStart(stream);
    let time = START + Math.floor((index / totalComplaints) * YEAR_MS + next() * 3_600_000);
    let step = 0;
    const minutes = (mean: number) => Math.max(1, Math.round(-Math.log(1 - next()) * mean)) * 60_000;
    const run = (type: ComplaintCommand['type'], data: object, actor: Actor = agent): boolean => {
      const command = { type, complaintId, at: new Date(time).toISOString(), actor, data } as ComplaintCommand;
      let events: ComplaintEvent[];
      try {
        events = decide(command, state);
      } catch (error) {
        return refused(error);
      }
      const commandId = deterministicUuid(NAMESPACE, `${complaintId}:${step++}`);
      const chained = chainedEvents(events, { commandId, commandType: type, correlationId: commandId, causationId: commandId, actor, occurredAt: command.at }, previousHash);
      previousHash = chained.headHash;
      for (const event of chained.events) output.push({ stream, at: time, event });
      state = events.reduce(evolve, state);
      return true;
    };
    const customer = next() < 0.3 ? `cust-${Math.floor(next() * 4000)}` : `cust-${4000 + Math.floor(next() * 36000)}`;
    run('ReceiveComplaint', {
      customerId: customer, segment: pick(next, { 'private-car': 50, taxi: 15, fleet: 15, 'long-haul-truck': 10, motorcycle: 5, 'drum-buyer': 5 }),
      channel: pick(next, { phone: 40, web: 25, 'in-person': 15, 'mobile-app': 10, email: 5, 'social-media': 5 }),
      cause: pick(next, { service: 35, 'product-quality': 25, price: 15, 'quantity-metering': 10, integrity: 5, safety: 3, other: 7 }),
      behaviour: pick(next, { 'passive-grumbling': 50, 'negative-publicity': 20, 'angry-venting': 25, 'extreme-conflict': 5 }),
      purpose: pick(next, { suggestion: 20, criticism: 60, accusation: 20 }),
      severity: pick(next, { low: 20, medium: 55, high: 20, critical: 5 }),
      description: 'Generated complaint for the benchmark.', onSiteRequired: next() < 0.1, policy: DEFAULT_SLA_POLICY,
    });
    if (next() < 0.85) { time += minutes(60); run('ApologiseForComplaint', { statement: '非常抱歉', channel: 'phone' }); }
    time += minutes(120);
    if (next() < 0.2) {
      run('RejectComplaint', { reason: 'not well-founded' }, supervisor);
      if (next() < 0.1) { time += minutes(2880); run('ReopenComplaint', { reason: 'customer disputes' }, supervisor); }
      continue;
    }
    run('ValidateComplaint', { reason: 'well-founded' }, supervisor);
    time += minutes(60);
    run('AssignComplaint', { department: pick(next, { 'station-ops': 40, quality: 25, billing: 20, logistics: 15 }), assignee: `handler-${Math.floor(next() * 200)}` }, supervisor);
    if (next() < 0.1) { time += minutes(600); run('RecordOnSiteVisit', { notes: 'visited' }); }
    for (let round = 0; round < 2; round += 1) {
      time += minutes(round === 0 ? 1440 : 720);
      const accepted = next() < 0.9;
      run('ResolveComplaint', { resolutionClass: pick(next, { immediate: 50, 'short-term': 40, 'not-solvable-now': 10 }), remedy: pick(next, { refund: 30, explanation: 30, repair: 15, replacement: 10, voucher: 10, compensation: 5 }), customerAccepted: accepted });
      if (!accepted) { time += minutes(240); run('EscalateComplaint', { to: 'regional-manager', reason: 'solution refused' }, supervisor); }
      if (next() > 0.85) break;
      time += minutes(1440);
      const satisfaction = Number(pick(next, { 5: 40, 4: 30, 3: 15, 2: 10, 1: 5 }));
      run('RecordCallback', { outcome: satisfaction > 2 ? 'satisfied' : 'unsatisfied', satisfaction });
      if (satisfaction > 2 || next() > 0.5) break;
      time += minutes(1440);
      run('ReopenComplaint', { reason: 'customer not satisfied' }, supervisor);
    }
  }
  return output;
}

/*
 * A generated repair history (issue 18). The CFPB data and the seeds hold no repairs, so the
 * after-sales read models and the benchmark get a plausible, generated one: a service network of six
 * stations in Liaoning with five engineers each, a registered product per order (some not registered,
 * some out of warranty), and repair work orders after seed 002's flow with realistic shares of remote
 * fixes, failed visits, late arrivals (breaches recorded as the SLA monitor would), quotes confirmed or
 * refused, fees, surveys, repeat repairs and cancellations. Every event comes from the real deciders;
 * none of it is real data.
 */
const REPAIR_NAMESPACE = '8f4c2a1e-6b3d-4e59-a7c8-1d2e3f4a5b6c';
const REPAIR_START = Date.parse('2025-01-01T00:00:00.000Z');
const networkAdmin: Actor = { id: 'admin-bench', role: 'admin' };
const desk: Actor = { id: 'agent-bench', role: 'agent' };
const monitor: Actor = SLA_MONITOR;

/** Stations with their region (administrative division code) and names. */
export const GENERATED_STATIONS: ReadonlyArray<{ readonly code: string; readonly region: string; readonly zh: string; readonly en: string }> = [
  { code: 'shenyang-station', region: '210100', zh: '沈阳服务站', en: 'Shenyang service station' },
  { code: 'dalian-station', region: '210200', zh: '大连服务站', en: 'Dalian service station' },
  { code: 'anshan-station', region: '210300', zh: '鞍山服务站', en: 'Anshan service station' },
  { code: 'dandong-station', region: '210600', zh: '丹东服务站', en: 'Dandong service station' },
  { code: 'jinzhou-station', region: '210700', zh: '锦州服务站', en: 'Jinzhou service station' },
  { code: 'yingkou-station', region: '210800', zh: '营口服务站', en: 'Yingkou service station' },
];
const ENGINEERS_PER_STATION = 5;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const engineerIdOf = (station: number, index: number) => `eng-${GENERATED_STATIONS[station]!.code.replace('-station', '')}-${index + 1}`;

interface Generated<E> {
  readonly stream: string;
  readonly output: GeneratedEvent[];
  previousHash: string;
  step: number;
  state: E;
}

/** Decides a command on a stream kept in memory and chains what it yields; false when the decider refuses it. */
/**
 * A step the decider refuses did not happen (a reopen past its window, a second fee): false. Anything
 * else thrown is a mistake of the generator (a command missing what its decider needs) and stops it,
 * rather than quietly leaving a kind of step out of every history.
 */
function refused(error: unknown): false {
  if (error instanceof DomainError || error instanceof ComplaintDomainError) return false;
  throw error;
}

function decideOn<C extends { type: string }, E extends { type: string; data: object }, S>(
  target: Generated<S>, decideFn: (command: C, state: S) => E[], evolveFn: (state: S, event: E) => S, command: C, actor: Actor, at: number,
  schemaVersionOf: (type: string) => number, idPrefix: string,
): boolean {
  let events: E[];
  try {
    events = decideFn(command, target.state);
  } catch (error) {
    return refused(error);
  }
  const commandId = deterministicUuid(REPAIR_NAMESPACE, `${idPrefix}:${target.step++}`);
  const reason = 'data' in command && typeof (command.data as { reason?: unknown }).reason === 'string' ? { reason: (command.data as { reason: string }).reason } : {};
  const chained = chainedEvents(events, { commandId, commandType: command.type, correlationId: commandId, causationId: commandId, actor, occurredAt: new Date(at).toISOString(), ...reason }, target.previousHash, schemaVersionOf);
  target.previousHash = chained.headHash;
  for (const event of chained.events) target.output.push({ stream: target.stream, at, event });
  target.state = events.reduce(evolveFn, target.state);
  return true;
}

/** The service network of the generated history, registered two months before its first report. */
export function generateServiceNetwork(start = REPAIR_START): { events: GeneratedEvent[]; network: ServiceNetworkState } {
  const target: Generated<ServiceNetworkState> = { stream: SERVICE_NETWORK_STREAM, output: [], previousHash: chainStart(SERVICE_NETWORK_STREAM), step: 0, state: initialServiceNetworkState };
  let at = start - 60 * 86_400_000;
  const run = (command: ServiceNetworkCommand) => {
    if (!decideOn(target, decideServiceNetwork, evolveServiceNetwork, command, networkAdmin, at, (type) => SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS[type as ServiceNetworkEventType], 'service-network')) {
      throw new Error(`the generated service network was refused: ${command.type}`);
    }
    at += 60_000;
  };
  const command = <T extends ServiceNetworkCommand['type']>(type: T, data: Extract<ServiceNetworkCommand, { type: T }>['data']) => ({ type, at: new Date(at).toISOString(), actor: networkAdmin, data }) as ServiceNetworkCommand;
  run(command('RegisterServiceUnit', { code: 'ln-centre', kind: 'centre', name: { 'zh-CN': '辽宁客服中心', en: 'Liaoning customer service centre' }, regions: ['210000'], reason: '一个中心（生成的数据）' }));
  GENERATED_STATIONS.forEach((station, stationIndex) => {
    run(command('RegisterServiceUnit', { code: station.code, kind: 'station', name: { 'zh-CN': station.zh, en: station.en }, parent: 'ln-centre', regions: [station.region], reason: 'generated network' }));
    for (let index = 0; index < ENGINEERS_PER_STATION; index += 1) {
      run(command('AddEngineer', {
        engineerId: engineerIdOf(stationIndex, index), name: `${SURNAMES[(stationIndex * 3 + index) % SURNAMES.length]}工${index + 1}`, station: station.code,
        skills: index % 2 === 0 ? ['dispenser', 'electrical'] : ['dispenser', 'pump'], reason: 'generated network',
      }));
    }
  });
  return { events: target.output, network: target.state };
}

export interface RepairGeneration {
  /** When the first order is reported (default 2025-01-01). */
  readonly start?: number;
  /** Over how long the orders are reported (default a year). */
  readonly spanMs?: number;
  /** Events after this moment are left out (the repairs still open then stay open). */
  readonly until?: number;
  readonly seed?: number;
}

/**
 * Work orders `first` … `first + count − 1` of `totalOrders` spread over the span, each with the
 * registration of its product (when it is registered) and every event its repair produced, in order.
 * `network` is generateServiceNetwork's; the same arguments give the same events.
 */
export function generateRepairs(first: number, count: number, totalOrders: number, network: ServiceNetworkState, options: RepairGeneration = {}): GeneratedEvent[] {
  const start = options.start ?? REPAIR_START;
  const span = options.spanMs ?? YEAR_MS;
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const output: GeneratedEvent[] = [];
  for (let index = first; index < first + count; index += 1) {
    const next = random((options.seed ?? 11) * 1_000_003 + index);
    const minutes = (mean: number) => Math.max(1, Math.round(-Math.log(1 - next()) * mean)) * 60_000;
    const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
    const workOrderId = deterministicUuid(REPAIR_NAMESPACE, `work-order-${index}`);
    const stationIndex = Math.floor(next() * GENERATED_STATIONS.length);
    const station = GENERATED_STATIONS[stationIndex]!;
    const engineerId = engineerIdOf(stationIndex, Math.floor(next() * ENGINEERS_PER_STATION));
    const customerId = next() < 0.4 ? `cust-${Math.floor(next() * 4000)}` : `cust-${4000 + Math.floor(next() * 36000)}`;
    let time = start + Math.floor((index / totalOrders) * span + next() * 3_600_000);

    // The product: most are registered, installed up to 30 months before the fault, with 12 or 24 months of warranty.
    const serialNumber = `GEN-TQ2240-${String(index).padStart(7, '0')}`;
    const productTarget: Generated<ProductState> = { stream: productStreamName(serialNumber), output, previousHash: chainStart(productStreamName(serialNumber)), step: 0, state: initialProductState };
    if (next() < 0.9) {
      const installed = new Date(time - between(20, 700) * 86_400_000);
      const covers: ChargeKind[] = next() < 0.5 ? ['parts', 'labour', 'on-site'] : ['parts', 'labour'];
      decideOn(productTarget, decideProduct, evolveProduct, {
        type: 'RegisterProduct', serialNumber, at: installed.toISOString(), actor: desk,
        data: { model: next() < 0.7 ? 'TQ-2240 税控加油机' : 'TQ-3360 潜油泵', customerId, installedOn: installed.toISOString().slice(0, 10), warrantyMonths: next() < 0.7 ? 12 : 24, covers },
      } as ProductCommand, desk, installed.getTime(), (type) => PRODUCT_EVENT_SCHEMA_VERSIONS[type as ProductEventType], serialNumber);
    }

    const target: Generated<WorkOrderState> = { stream: workOrderStreamName(workOrderId), output: [], previousHash: chainStart(workOrderStreamName(workOrderId)), step: 0, state: initialWorkOrderState };
    const run = (type: WorkOrderCommand['type'], data: object, actor: Actor = desk): boolean => decideOn(
      target, decideWorkOrder, evolveWorkOrder, { type, workOrderId, at: new Date(time).toISOString(), actor, data } as WorkOrderCommand, actor, time,
      (eventType) => WORK_ORDER_EVENT_SCHEMA_VERSIONS[eventType as WorkOrderEventType], workOrderId,
    );
    const engineer: Actor = { id: engineerId, role: 'agent' };
    const deadlineOf = (clock: WorkOrderClock): number | null => {
      const { state } = target;
      if (state.status === 'none') return null;
      const deadline = clock === 'first-contact' ? state.sla.firstContactDue : clock === 'on-site' ? state.cycle.onSiteDue : state.cycle.completionDue;
      return Date.parse(deadline);
    };
    /** The SLA monitor notices a deadline that passes before the step: its breach comes first, a little after the deadline. */
    const stepAt = (clock: WorkOrderClock, at: number) => {
      const deadline = deadlineOf(clock);
      if (deadline !== null && at > deadline + 60_000) {
        // Never before what the order already holds: the stream's events stay in time order.
        time = Math.max(time, deadline) + between(1, 5) * 1000;
        run('RecordWorkOrderSlaBreach', { clock }, monitor);
      }
      time = at;
    };

    run('ReportFault', {
      customerId, contact: { name: '客户', phone: '+86 400 000 0000' }, address: `${station.zh}辖区 加油站`, region: station.region,
      product: { model: 'TQ-2240 税控加油机', serialNumber }, faultDescription: pick(next, { 'Nozzle stops early.': 40, 'Display blank.': 25, 'Pump noisy.': 20, 'Leak at the hose.': 15 }),
      channel: pick(next, { phone: 60, 'mobile-app': 20, web: 10, 'in-person': 10 }), priority: pick(next, { low: 15, medium: 60, high: 20, critical: 5 }),
      policy: DEFAULT_SLA_POLICY,
    });
    time += minutes(20);
    run('DispatchWorkOrder', { stationCode: station.code, engineerId, network }, supervisor);
    if (next() < 0.05) {
      time += minutes(60);
      run('CancelWorkOrder', { reason: 'customer withdrew' }, supervisor);
      output.push(...target.output.filter((event) => event.at <= until));
      continue;
    }
    // Most steps come well within their time limit (a share of it), some late: the limits follow the priority.
    const within = (clock: WorkOrderClock, share: number) => minutes(Math.max(1, (((deadlineOf(clock) ?? time) - time) / 60_000) * share));
    stepAt('first-contact', time + within('first-contact', next() < 0.92 ? 0.3 : 1.5));
    if (next() < 0.15) {
      run('RecordRemoteDiagnosis', { outcome: 'fixed-remotely', findings: 'Reset over the network.' }, engineer);
      time += minutes(30);
      run('RecordSignOff', { signedBy: '客户' }, engineer);
    } else {
      run('RecordCustomerContact', { channel: 'phone', notes: 'visit agreed' }, engineer);
      time += minutes(5);
      const arrival = time + within('on-site', next() < 0.88 ? 0.4 : 1.4);
      run('ScheduleVisit', { scheduledFor: new Date(arrival).toISOString() }, engineer);
      if (next() < 0.1) {
        time = arrival;
        run('RecordFailedVisit', { reason: pick(next, { 'customer-absent': 50, 'part-missing': 35, 'no-access': 15 }), nextVisitAt: new Date(arrival + minutes(720)).toISOString() }, engineer);
        stepAt('on-site', arrival + minutes(720));
      } else stepAt('on-site', arrival);
      run('RecordArrival', {}, engineer);
      time += minutes(30);
      const faultCause = pick(next, { 'product-defect': 60, 'wear-and-tear': 20, installation: 8, 'customer-damage': 7, unknown: 5 });
      run('RecordFindings', { findings: 'Generated findings.', faultCause, product: productTarget.state, ...(faultCause === 'customer-damage' ? { damageReason: 'hose torn off' } : {}) }, engineer);
      const repair = 'repair' in target.state ? target.state.repair : undefined;
      const chargeable = repair?.warranty?.chargeable ?? [];
      let charged = false;
      if (chargeable.length > 0) {
        const amounts: Record<ChargeKind, number> = { parts: between(200, 900) * 100, labour: between(100, 300) * 100, 'on-site': between(50, 150) * 100 };
        time += minutes(10);
        run('QuoteRepair', { lines: chargeable.map((kind) => ({ kind, description: kind, amount: { currency: 'CNY', minorUnits: amounts[kind] } })) }, engineer);
        time += minutes(15);
        // Quote numbers run over the whole order: a repeat repair's quote is not #1.
        const quoteNumber = 'repair' in target.state ? target.state.repair.quote?.number ?? 1 : 1;
        if (next() < 0.85) {
          charged = run('ConfirmQuote', { quoteNumber, confirmedBy: '客户', channel: 'in-person' }, engineer);
        } else {
          const goOn = next() < 0.5;
          run('RefuseQuote', { quoteNumber, reason: 'too expensive', continueWithFreeWork: goOn }, engineer);
          // Refused outright: the order closes there, with no survey to send.
          if (!goOn) {
            output.push(...target.output.filter((event) => event.at <= until));
            continue;
          }
        }
      }
      time += minutes(60);
      run('RecordRepairWork', { description: 'Generated repair.', parts: [{ partNumber: 'PUL-2240-07', name: 'Pulser encoder', quantity: 1 }], chargeable: charged }, engineer);
      if (charged) {
        const quoteTotal = 'repair' in target.state ? target.state.repair.quote?.total : undefined;
        if (quoteTotal) {
          time += minutes(10);
          run('RecordFee', { amount: next() < 0.9 ? quoteTotal : { currency: quoteTotal.currency, minorUnits: Math.round(quoteTotal.minorUnits * 0.9) }, method: pick(next, { 'mobile-payment': 60, card: 20, cash: 10, 'on-account': 10 }) }, engineer);
        }
      }
      time += minutes(20);
      if (next() < 0.05) {
        run('RecordTest', { passed: false, notes: 'still failing' }, engineer);
        time += minutes(60);
        run('RecordRepairWork', { description: 'Adjusted again.', parts: [], chargeable: false }, engineer);
      }
      run('RecordTest', { passed: true }, engineer);
      time += minutes(10);
      run('RecordSignOff', { signedBy: '客户' }, engineer);
    }
    stepAt('completion', time + minutes(20));
    run('HandOverWorkOrder', {}, engineer);
    if (next() < 0.7) {
      time += minutes(1200);
      run('SendSurvey', { surveyId: 'repair-survey', channel: pick(next, { phone: 60, 'mobile-app': 40 }), questions: SURVEY_QUESTIONS }, desk);
      if (next() < 0.6) {
        time += minutes(600);
        const score = () => Number(pick(next, { 5: 45, 4: 30, 3: 12, 2: 8, 1: 5 }));
        run('RecordSurveyAnswer', { answers: SURVEY_QUESTIONS.map((question) => ({ questionId: question.id, score: score() })) }, desk);
      }
    }
    // A repeat repair: the fault comes back within the window; the same engineer fixes it again.
    if (next() < 0.08) {
      time += between(1, 25) * 86_400_000;
      if (run('ReopenWorkOrder', { reason: 'the fault came back', network }, supervisor)) {
        stepAt('on-site', time + minutes(900));
        run('RecordArrival', {}, engineer);
        time += minutes(30);
        run('RecordFindings', { findings: 'Same fault again.', faultCause: 'product-defect', product: productTarget.state }, engineer);
        time += minutes(60);
        run('RecordRepairWork', { description: 'Replaced the board.', parts: [{ partNumber: 'CPU-2240-01', quantity: 1 }], chargeable: false }, engineer);
        time += minutes(20);
        run('RecordTest', { passed: true }, engineer);
        run('RecordSignOff', { signedBy: '客户' }, engineer);
        time += minutes(10);
        run('HandOverWorkOrder', {}, engineer);
      }
    }
    output.push(...target.output.filter((event) => event.at <= until));
  }
  return output.filter((event) => event.at <= until);
}

const SURVEY_QUESTIONS = [{ id: 'speed', text: '维修是否及时？' }, { id: 'quality', text: '维修质量是否满意？' }, { id: 'attitude', text: '工程师服务态度如何？' }];
