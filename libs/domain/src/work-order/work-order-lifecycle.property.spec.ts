import fc from 'fast-check';
import { afterSalesCodes } from '../after-sales-taxonomy';
import { moneyProblem, type Money } from '../money';
import { SLA_MONITOR, type Actor } from '../principal';
import type { ProductState } from '../product';
import { taxonomyCodes } from '../taxonomy';
import { coveredProduct, expiredProduct, network, partlyCoveredProduct, reportFault, T0, workOrderId } from './testing/work-order.fixtures';
import type { WorkOrderCommand } from './work-order.commands';
import { decideWorkOrder } from './work-order.decide';
import { WorkOrderDomainError } from './work-order.errors';
import type { WorkOrderEvent } from './work-order.events';
import { evolveWorkOrder, foldWorkOrder } from './work-order.evolve';
import { hasChargeableWork, type ExistingWorkOrder, type WorkOrderState } from './work-order.state';

/** A command as a function of the time it is sent at (visits are scheduled after it). */
type Step = (at: string) => WorkOrderCommand;
const actor: Actor = { id: 'eng-wang', role: 'agent' };
const plus = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();
/** A step that a failing run prints as the command it sends, not as its source. */
const named = (description: string, build: Step): Step => Object.assign(build, { [fc.toStringMethod]: () => description });
/** Big looked-up values in a command, in a few words. */
const shown = (key: string, value: unknown): unknown => {
  if (key === 'network') return 'the fixture network';
  if (key !== 'product') return value;
  const state = value as ProductState;
  return state.status === 'registered' ? `${state.warranty.months} months from ${state.warranty.startsOn} covering ${state.warranty.covers.join('+')}` : 'not registered';
};
const commandText = (type: string, data: object): string => `${type} ${JSON.stringify(data, shown)}`;
const step = <T extends WorkOrderCommand['type']>(type: T, data: Extract<WorkOrderCommand, { type: T }>['data'], by: Actor = actor): Step =>
  named(commandText(type, data), (at) => ({ type, workOrderId, at, actor: by, data }) as WorkOrderCommand);
/** A step whose command depends on when it is sent (a visit some time after it). */
const later = (description: string, build: (at: string) => Step): Step => named(description, (at) => build(at)(at));

const text = fc.constantFrom('r1', '原因', ' ');
const money: fc.Arbitrary<Money> = fc.oneof(
  fc.integer({ min: 0, max: 200_000 }).map((minorUnits) => ({ currency: 'CNY', minorUnits })),
  fc.constantFrom({ currency: 'USD', minorUnits: 100 }, { currency: 'CNY', minorUnits: 100.5 }),
);
const product: fc.Arbitrary<ProductState> = fc.constantFrom(coveredProduct, partlyCoveredProduct, expiredProduct, { status: 'none' } as const);
const chargeKind = fc.constantFrom(...afterSalesCodes('chargeKind'));
const channel = fc.constantFrom(...taxonomyCodes('channel'));

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ station: fc.constantFrom('dandong-station', 'dalian-branch', 'cs-centre'), engineer: fc.constantFrom('eng-wang', 'eng-liu'), reason: fc.option(text, { nil: undefined }) })
    .map(({ station, engineer, reason }) => step('DispatchWorkOrder', { stationCode: station, engineerId: engineer, network, ...(reason === undefined ? {} : { reason }) })) },
  { weight: 1, arbitrary: channel.map((via) => step('RecordCustomerContact', { channel: via })) },
  { weight: 2, arbitrary: fc.constantFrom('fixed-remotely' as const, 'on-site-needed' as const).map((outcome) => step('RecordRemoteDiagnosis', { outcome, findings: 'f' })) },
  { weight: 3, arbitrary: fc.record({ inMinutes: fc.integer({ min: -60, max: 3000 }), reason: fc.option(text, { nil: undefined }) })
    .map(({ inMinutes, reason }) => later(`ScheduleVisit in ${inMinutes} min${reason === undefined ? '' : ` (${reason})`}`, (at) => step('ScheduleVisit', { scheduledFor: plus(at, inMinutes), ...(reason === undefined ? {} : { reason }) }))) },
  { weight: 4, arbitrary: fc.constant(step('RecordArrival', {})) },
  { weight: 1, arbitrary: fc.constantFrom(...afterSalesCodes('failedVisitReason')).map((reason) => later(`RecordFailedVisit ${reason}, next in 600 min`, (at) => step('RecordFailedVisit', { reason, nextVisitAt: plus(at, 600) }))) },
  { weight: 4, arbitrary: fc.record({ product, cause: fc.constantFrom(...afterSalesCodes('faultCause')), damageReason: fc.option(text, { nil: undefined }) })
    .map(({ product: state, cause, damageReason }) => step('RecordFindings', { findings: 'f', faultCause: cause, product: state, ...(damageReason === undefined ? {} : { damageReason }) })) },
  { weight: 3, arbitrary: fc.array(fc.record({ kind: chargeKind, description: fc.constant('d'), amount: money }), { maxLength: 3 }).map((lines) => step('QuoteRepair', { lines })) },
  { weight: 2, arbitrary: fc.constant(step('ConfirmQuote', { quoteNumber: 1, confirmedBy: '李先生', channel: 'in-person' })) },
  { weight: 1, arbitrary: fc.boolean().map((continueWithFreeWork) => step('RefuseQuote', { quoteNumber: 1, reason: 'r', continueWithFreeWork })) },
  { weight: 4, arbitrary: fc.record({ chargeable: fc.boolean(), quantity: fc.constantFrom(1, 2, 0) })
    .map(({ chargeable, quantity }) => step('RecordRepairWork', { description: 'w', parts: [{ partNumber: 'PN-1', quantity }], chargeable })) },
  { weight: 2, arbitrary: money.map((amount) => step('RecordFee', { amount, method: 'cash' })) },
  { weight: 4, arbitrary: fc.boolean().map((passed) => step('RecordTest', { passed })) },
  { weight: 3, arbitrary: fc.constant(step('RecordSignOff', { signedBy: '李先生' })) },
  { weight: 3, arbitrary: fc.constant(step('HandOverWorkOrder', {})) },
  { weight: 1, arbitrary: fc.constant(step('SendSurvey', { surveyId: 's1', channel: 'phone', questions: [{ id: 'q1', text: 't' }, { id: 'q2', text: 't' }] })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 6 }).map((score) => step('RecordSurveyAnswer', { answers: [{ questionId: 'q1', score }] })) },
  { weight: 1, arbitrary: text.map((reason) => step('CancelWorkOrder', { reason })) },
  { weight: 1, arbitrary: text.map((reason) => step('ReopenWorkOrder', { reason, network })) },
  { weight: 1, arbitrary: fc.record({ level: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), clock: fc.option(fc.constantFrom(...afterSalesCodes('workOrderClock')), { nil: undefined }) })
    .map(({ level, clock }) => step('EscalateWorkOrder', { to: 'manager', reason: 'r', ...(level === undefined ? {} : { level }), ...(clock === undefined ? {} : { clock }) })) },
  { weight: 1, arbitrary: fc.constantFrom('c1', 'c2').map((complaintId) => step('LinkComplaint', { complaintId })) },
  { weight: 1, arbitrary: fc.constantFrom(...afterSalesCodes('workOrderClock')).map((clock) => step('RecordWorkOrderSlaBreach', { clock }, SLA_MONITOR)) },
);
/**
 * A repair done the right way, varied (product, cause, remote fix or not, a failed test …): random
 * commands are slipped in before each of its steps, so the runs reach every status and still meet
 * every command out of place.
 */
const happyPath: fc.Arbitrary<Step[]> = fc.record({
  product, damage: fc.boolean(), remote: fc.boolean(), failFirstTest: fc.boolean(), refuseQuote: fc.boolean(), reopen: fc.boolean(),
}).map(({ product: state, damage, remote, failFirstTest, refuseQuote, reopen }): Step[] => {
  const lines = (state === partlyCoveredProduct && !damage ? (['on-site'] as const) : (['parts', 'labour', 'on-site'] as const))
    .map((kind) => ({ kind, description: kind, amount: { currency: 'CNY', minorUnits: 26_000 } }));
  const repair: Step[] = remote
    ? [step('RecordRemoteDiagnosis', { outcome: 'fixed-remotely', findings: 'f' })]
    : [
      step('RecordRemoteDiagnosis', { outcome: 'on-site-needed', findings: 'f' }),
      later('ScheduleVisit in 120 min', (at) => step('ScheduleVisit', { scheduledFor: plus(at, 120) })),
      step('RecordArrival', {}),
      step('RecordFindings', { findings: 'f', faultCause: damage ? 'customer-damage' : 'product-defect', damageReason: 'dropped', product: state }),
      step('QuoteRepair', { lines }),
      refuseQuote ? step('RefuseQuote', { quoteNumber: 1, reason: 'r', continueWithFreeWork: true }) : step('ConfirmQuote', { quoteNumber: 1, confirmedBy: '李先生', channel: 'in-person' }),
      step('RecordRepairWork', { description: 'w', parts: [{ partNumber: 'PN-1', quantity: 1 }], chargeable: !refuseQuote }),
      step('RecordRepairWork', { description: 'free check', parts: [], chargeable: false }),
      ...(failFirstTest ? [step('RecordTest', { passed: false })] : []),
      step('RecordTest', { passed: true }),
    ];
  return [
    step('RecordCustomerContact', { channel: 'phone' }),
    step('DispatchWorkOrder', { stationCode: 'dandong-station', engineerId: 'eng-wang', network }),
    ...repair,
    step('RecordSignOff', { signedBy: '李先生' }),
    step('RecordFee', { amount: { currency: 'CNY', minorUnits: 26_000 }, method: 'cash' }),
    step('HandOverWorkOrder', {}),
    step('SendSurvey', { surveyId: 's1', channel: 'phone', questions: [{ id: 'q1', text: 't' }] }),
    step('RecordSurveyAnswer', { answers: [{ questionId: 'q1', score: 4 }] }),
    ...(reopen ? [step('ReopenWorkOrder', { reason: 'back again', network })] : []),
  ];
});
/** Slots for random commands: one before each step of the longest path (18 steps). */
const MAX_PATH = 20;
const stepsArbitrary: fc.Arbitrary<Step[]> = fc.tuple(happyPath, fc.array(fc.array(stepArbitrary, { maxLength: 2 }), { minLength: MAX_PATH, maxLength: MAX_PATH }))
  .map(([path, noise]) => path.flatMap((next, index) => [...(noise[index] ?? []), next]));

/** Minutes between two commands: mostly a working pace, sometimes days (breaches, a fault coming back after the window). */
const pause = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 180 }) }, { weight: 1, arbitrary: fc.integer({ min: 1440, max: 50_000 }) });

/** What the state must look like in every status: exactly the facts that status has. */
function expectShape(state: ExistingWorkOrder): void {
  const has = (key: string) => key in state;
  const afterDispatch = ['dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely', 'signed-off', 'closed'].includes(state.status);
  expect(has('repair')).toBe(afterDispatch);
  expect(has('dispatch')).toBe(afterDispatch || state.status === 'cancelled');
  expect(has('visit')).toBe(state.status === 'visit-scheduled' || state.status === 'on-site');
  expect(has('signOff')).toBe(state.status === 'signed-off');
  expect(has('closure') && has('survey')).toBe(state.status === 'closed');
  expect(has('cancellation')).toBe(state.status === 'cancelled');
}

/** The rules, checked on what each accepted command wrote against the state it was decided on. */
function expectRulesKept(before: ExistingWorkOrder, events: readonly WorkOrderEvent[]): void {
  for (const event of events) {
    for (const amount of moneyIn(event)) expect(moneyProblem(amount)).toBeUndefined();
    const repair = 'repair' in before ? before.repair : undefined;
    switch (event.type) {
      case 'WorkOrderVisitScheduled':
      case 'WorkOrderEngineerArrived':
      case 'WorkOrderFindingsRecorded':
      case 'WorkOrderRepairWorkRecorded':
      case 'WorkOrderTested':
        // No on-site work before dispatch.
        expect(before.status).not.toBe('reported');
        if (event.type === 'WorkOrderRepairWorkRecorded' && event.data.chargeable) expect(repair?.quote?.status).toBe('confirmed');
        break;
      case 'WorkOrderFeeCharged':
        expect(repair?.quote?.status).toBe('confirmed');
        expect(repair && hasChargeableWork(repair)).toBe(true);
        expect(repair?.warranty?.chargeable.length).toBeGreaterThan(0);
        expect(event.data.amount.currency).toBe(repair?.quote?.total.currency);
        expect(event.data.amount.minorUnits).toBeLessThanOrEqual(repair?.quote?.total.minorUnits ?? -1);
        break;
      case 'WorkOrderSignedOff':
        expect(before.status === 'fixed-remotely' || (before.status === 'on-site' && before.repair.lastTest?.passed === true)).toBe(true);
        break;
      case 'WorkOrderClosed':
        if (event.data.outcome !== 'quote-refused') {
          expect(before.status).toBe('signed-off');
          if (repair && hasChargeableWork(repair)) expect(repair.fee).not.toBeNull();
        }
        break;
      default:
        break;
    }
  }
}

function moneyIn(event: WorkOrderEvent): Money[] {
  switch (event.type) {
    case 'WorkOrderQuoted':
      return [event.data.total, ...event.data.lines.map((line) => line.amount)];
    case 'WorkOrderQuoteConfirmed':
    case 'WorkOrderQuoteRefused':
      return [event.data.total];
    case 'WorkOrderFeeCharged':
      return [event.data.amount];
    default:
      return [];
  }
}

describe('work order lifecycle properties', () => {
  it('any command sequence keeps the rules, refuses only with domain errors, and folding the stored JSON gives the same state', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(stepsArbitrary.chain((path) => fc.tuple(fc.constant(path), fc.array(pause, { minLength: path.length, maxLength: path.length }))), ([path, pauses]) => {
        const steps = path.map((next, index) => [next, pauses[index] ?? 1] as const);
        let at = T0;
        const history: WorkOrderEvent[] = [...decideWorkOrder(reportFault(), { status: 'none' })];
        let state: WorkOrderState = foldWorkOrder(history);
        const levels: number[] = [];
        for (const [next, minutes] of steps) {
          at = plus(at, minutes);
          if (state.status === 'none') throw new Error('the order was reported');
          let events: WorkOrderEvent[];
          try {
            events = decideWorkOrder(next(at), state);
          } catch (error) {
            // Refusals are domain errors only, and they write nothing.
            expect(error).toBeInstanceOf(WorkOrderDomainError);
            continue;
          }
          expect(events.length).toBeGreaterThan(0);
          expectRulesKept(state, events);
          for (const event of events) if (event.type === 'WorkOrderEscalated') levels.push(event.data.level);
          history.push(...events);
          state = events.reduce(evolveWorkOrder, state);
          if (state.status === 'none') throw new Error('an order never disappears');
          expectShape(state);
          reached.add(state.status);
        }
        expect(levels).toEqual([...levels].sort((a, b) => a - b));
        expect(new Set(levels).size).toBe(levels.length);
        // Events are stored as JSON: what is read back folds to the state the decider saw.
        const stored = JSON.parse(JSON.stringify(history)) as WorkOrderEvent[];
        expect(foldWorkOrder(stored)).toEqual(state);
      }),
      { numRuns: 250 },
    );
    // The runs went through every status, so the properties were checked in each.
    expect([...reached].sort()).toEqual(['cancelled', 'closed', 'dispatched', 'fixed-remotely', 'on-site', 'reported', 'signed-off', 'visit-scheduled']);
  });
});
