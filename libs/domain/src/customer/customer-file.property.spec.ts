import fc from 'fast-check';
import { taxonomyCodes } from '../taxonomy';
import type { CustomerFileCommand } from './customer-file.commands';
import { DEFAULT_CONSUMPTION_ALERT_POLICY } from './customer-file.consumption';
import { customerFileDecider } from './customer-file.decider';
import { customerFileDecisionWords } from './customer-file.decision-words';
import { CustomerFileDomainError } from './customer-file.errors';
import type { CustomerFileEvent } from './customer-file.events';
import { foldCustomerFile } from './customer-file.evolve';
import type { CustomerFileState } from './customer-file.state';
import { customerFileCodes } from './customer-file.taxonomy';
import { agent, at, customerId } from './testing/customer-file.fixtures';

/*
 * Personal values carry a marker (PII, or one of two phone numbers); nothing else does. Whatever
 * the commands, no marker may appear in an event outside its `personal` part, nor in the words of
 * the audit trail: that is what lets the next slice encrypt `personal` alone.
 */
const MARKERS = [/pii/i, /13912345678/, /01065529988/];
/** Mostly valid values, sometimes one the decider must refuse. */
const mostly = <T>(valid: readonly T[], invalid: readonly T[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 8 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
const personalText = mostly(['PII 王先生', 'PII 每周一、四上午加油', 'PII 要求每车打印小票'], ['  ']);
const phone = mostly(['139 1234 5678', '010-6552 9988'], ['12345']);
const email = mostly(['PII.wang@Example.com'], ['pii-at-nowhere']);
const reason = mostly(['reviewed with the customer', '核实'], ['']);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const code = <N extends Parameters<typeof customerFileCodes>[0]>(name: N) => fc.constantFrom(...customerFileCodes(name));
const volume = fc.record({ amount: mostly([0, 800, 5000, 9000.5, 12000], [-1]), unit: mostly(['litre' as const], ['tonne' as const]) });
const contactId = fc.constantFrom('contact-1', 'contact-2', 'contact-3');
const day = fc.constantFrom('2025-06-01', '2026-01-10', '2026-02-28', '2026-02-30', '2027-01-31');

type Shape = { type: CustomerFileCommand['type']; data: object };
const shape = <T extends CustomerFileCommand['type']>(type: T, data: fc.Arbitrary<object>): fc.Arbitrary<Shape> => data.map((value) => ({ type, data: value }));

const openArbitrary: fc.Arbitrary<Shape> = fc.oneof(
  shape('OpenCustomerFile', fc.record({
    category: fc.constantFrom('fixed', 'potential'), reason, name: personalText,
    contacts: optional(fc.array(fc.record({ name: personalText, phone: optional(phone), email: optional(email) }), { maxLength: 2 })),
  })),
  shape('OpenCustomerFileAtIntake', fc.record({ complaintId: fc.constantFrom('c-1', 'c-2'), name: optional(personalText), segment: optional(fc.constantFrom(...taxonomyCodes('customerSegment'))) })),
);

/** Closing a file (a merge, an erasure) ends what can happen to it, and a file opens once: those come rarely. */
const rare = (arbitrary: fc.Arbitrary<Shape>) => ({ arbitrary, weight: 1 });
const common = (arbitrary: fc.Arbitrary<Shape>) => ({ arbitrary, weight: 6 });
/** Figures come often, so that months pile up and drops happen. */
const frequent = (arbitrary: fc.Arbitrary<Shape>) => ({ arbitrary, weight: 18 });

const commandArbitrary: fc.Arbitrary<Shape> = fc.oneof(
  rare(openArbitrary),
  common(shape('ReclassifyCustomer', fc.record({ category: fc.constantFrom('fixed', 'floating', 'potential'), reason }))),
  common(shape('UpdateCustomerBasics', fc.record({ reason, name: optional(personalText), address: optional(nullable(personalText)), creditRating: optional(nullable(code('creditRating'))) }, { requiredKeys: ['reason'] }))),
  common(shape('AddCustomerContact', fc.record({ reason, name: personalText, role: optional(personalText), phone: optional(phone), email: optional(email) }, { requiredKeys: ['reason', 'name'] }))),
  common(shape('ChangeCustomerContact', fc.record({ reason, contactId, name: optional(personalText), phone: optional(nullable(phone)), email: optional(nullable(email)), role: optional(nullable(personalText)) }, { requiredKeys: ['reason', 'contactId'] }))),
  common(shape('RemoveCustomerContact', fc.record({ reason, contactId }))),
  common(shape('UpdateCustomerConsumptionProfile', fc.record({
    reason, monthlyVolume: optional(nullable(volume)), refuellingCycleDays: optional(fc.constantFrom(0, 3, 7)), habits: optional(nullable(personalText)), otherNeeds: optional(personalText),
  }, { requiredKeys: ['reason'] }))),
  common(shape('UpdateCustomerContract', fc.record({
    reason, signed: optional(nullable(fc.boolean())), signedOn: optional(nullable(day)), validFrom: optional(day), validUntil: optional(day),
    renewalConditions: optional(fc.constantFrom('提前 30 天书面通知')), amendedOn: optional(day),
  }, { requiredKeys: ['reason'] }))),
  common(shape('UpdateCustomerFacilities', fc.record({ reason, storageTanks: optional(fc.constantFrom(0, 2, -1)), storageCapacity: optional(volume), description: optional(personalText) }, { requiredKeys: ['reason'] }))),
  common(shape('UpdateCustomerOtherChannels', fc.record({
    reason, channels: fc.array(fc.record({ supplier: fc.constantFrom('中石化建国路站', '民营油库'), share: optional(fc.constantFrom(0.2, 0.6, 1.2)) }), { maxLength: 2 }),
  }))),
  common(shape('UpdateCustomerImportance', fc.record({ reason, key: optional(mostly([true], [false])), level: optional(nullable(code('importanceLevel'))) }, { requiredKeys: ['reason'] }))),
  common(shape('UpdateCustomerSegments', fc.record({
    reason, consumerKind: optional(nullable(code('consumerKind'))), usage: optional(nullable(code('usage'))), driverType: optional(nullable(code('driverType'))), settlement: optional(code('settlement')),
  }, { requiredKeys: ['reason'] }))),
  common(shape('RecordCustomerEvaluation', fc.record({ rating: fc.constantFrom(0, 3, 5), comment: optional(personalText) }, { requiredKeys: ['rating'] }))),
  common(shape('LogCustomerVisit', fc.record({
    visitedAt: fc.constantFrom('2026-03-01', '2026-03-02T09:00:00+08:00', '2030-01-01'), channel: fc.constantFrom('phone', 'in-person'), contactId: optional(contactId),
    summary: personalText, nextStep: optional(personalText), nextStepDue: optional(day),
  }, { requiredKeys: ['visitedAt', 'channel', 'summary'] }))),
  frequent(shape('RecordCustomerConsumption', fc.record({
    period: fc.constantFrom('2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-05'), volume, reason: optional(reason), policy: fc.constant(DEFAULT_CONSUMPTION_ALERT_POLICY),
  }, { requiredKeys: ['period', 'volume', 'policy'] }))),
  rare(shape('MergeCustomerFile', fc.record({
    survivorId: mostly(['cust-2'], [customerId]), reason,
    survivor: mostly([{ status: 'active' }], [{ status: 'none' }, { status: 'merged', survivorId: 'cust-3' }, { status: 'erased' }]),
  }))),
  common(shape('RecordAbsorbedCustomerFile', fc.record({ absorbedId: fc.constantFrom('cust-old', customerId), reason }))),
  rare(shape('EraseCustomerPersonalData', fc.record({ ground: fc.constantFrom('consent-withdrawn', 'objection'), reason }))),
);

function clearPartOf(event: CustomerFileEvent): string {
  return JSON.stringify({ ...event.data, personal: null });
}

/** What must hold in every state the decider can reach. */
function expectValid(state: CustomerFileState): void {
  if (state.status !== 'active') return;
  const ids = state.contacts.map((contact) => contact.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const contact of state.contacts) {
    expect(Number(contact.id.replace('contact-', ''))).toBeLessThanOrEqual(state.contactsAdded);
    expect(contact.phone !== null || contact.email !== null).toBe(true);
  }
  const periods = state.figures.map((figure) => figure.period);
  expect(periods).toEqual([...new Set(periods)].sort());
  expect(new Set(state.figures.map((figure) => figure.volume.unit)).size).toBeLessThanOrEqual(1);
  for (const period of state.alertedPeriods) expect(periods).toContain(period);
  for (const figure of state.figures) expect(figure.volume.amount).toBeGreaterThanOrEqual(0);
  const { validFrom, validUntil, signed, signedOn } = state.contract;
  if (validFrom !== null && validUntil !== null) expect(validUntil >= validFrom).toBe(true);
  if (signed === false) expect(signedOn).toBeNull();
}

describe('customer file properties', () => {
  it('any command sequence: refusals are domain errors, states stay valid, nothing personal leaks outside `personal`, and the fold reproduces the state', () => {
    fc.assert(
      fc.property(openArbitrary, fc.array(commandArbitrary, { minLength: 5, maxLength: 40, size: 'max' }), (first, rest) => {
        const shapes = [first, ...rest];
        const events: CustomerFileEvent[] = [];
        let state = customerFileDecider.initialState;
        shapes.forEach((shape, index) => {
          const command = { ...shape, customerId, at: at(index * 7), actor: agent } as CustomerFileCommand;
          let decided: CustomerFileEvent[];
          try {
            decided = customerFileDecider.decide(command, state);
          } catch (error) {
            expect(error).toBeInstanceOf(CustomerFileDomainError);
            return;
          }
          const before = state;
          for (const event of decided) {
            for (const marker of MARKERS) {
              expect(clearPartOf(event)).not.toMatch(marker);
              expect(JSON.stringify(customerFileDecisionWords(event))).not.toMatch(marker);
            }
            if (event.type === 'CustomerFileConsumptionDropDetected') expect(before.status === 'active' && before.importance.key).toBe(true);
            state = customerFileDecider.evolve(state, event);
          }
          if (before.status === 'merged' || before.status === 'erased') expect(decided).toEqual([]);
          if (before.status === 'active' && state.status === 'active' && before.category !== 'potential') expect(state.category).not.toBe('potential');
          events.push(...decided);
          expectValid(state);
        });
        expect(foldCustomerFile(events)).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });
});
