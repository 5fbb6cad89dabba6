import { deciderSpecification } from '@app/event-sourcing/testing';
import { SHANGHAI_OFFICE_CALENDAR } from '../business-calendar';
import type { Money } from '../money';
import type { ProductState } from '../product';
import { DEFAULT_SLA_POLICY } from '../sla-policy';
import {
  at, chargeableRepairHistory, chargeableWork, closed, cny, command, coveredProduct, dispatched, engineer, expiredProduct, feeCharged, findingsCustomerDamage,
  findingsExpired, findingsInWarranty, findingsPartlyCovered, fixedRemotely, freeRepairHistory, freeWork, onSiteHistory, partlyCoveredProduct, quoteConfirmed,
  quoted, reported, signedOff, signedOffHistory, testFailed, testPassed, workOrderId,
} from './testing/work-order.fixtures';
import type { QuoteRepair, WorkOrderCommand } from './work-order.commands';
import { workOrderDecider } from './work-order.decider';
import { IllegalWorkOrderTransitionError, InvalidWorkOrderCommandError } from './work-order.errors';
import type { WorkOrderEvent } from './work-order.events';
import { foldWorkOrder } from './work-order.evolve';
import { workOrderSlaTermsAt } from './work-order.sla-terms';

const spec = deciderSpecification(workOrderDecider);
const recordFindings = (product: ProductState, faultCause: 'product-defect' | 'customer-damage' = 'product-defect', damageReason?: string) =>
  command('RecordFindings', { findings: 'Pulser encoder worn.', faultCause, product, ...(damageReason === undefined ? {} : { damageReason }) }, 18 * 60 + 30);
const quoteLines: QuoteRepair['data']['lines'] = [
  { kind: 'parts', description: 'Pulser encoder', amount: cny(48_000) },
  { kind: 'labour', description: '2 h', amount: cny(20_000) },
  { kind: 'on-site', description: 'Call-out', amount: cny(10_000) },
];
const quote = (lines: QuoteRepair['data']['lines'] = quoteLines) => command('QuoteRepair', { lines }, 18 * 60 + 40);
const confirm = command('ConfirmQuote', { quoteNumber: 1, confirmedBy: '李先生', channel: 'in-person' }, 18 * 60 + 50);
const refuse = (continueWithFreeWork: boolean) => command('RefuseQuote', { quoteNumber: 1, reason: '价格太高', continueWithFreeWork }, 18 * 60 + 50);
const work = (chargeable: boolean) => command('RecordRepairWork', {
  description: 'Replaced the pulser encoder, calibrated nozzle 2.', parts: [{ partNumber: 'PUL-2240-07', name: 'Pulser encoder', quantity: 1 }], chargeable,
}, 19 * 60);
const fee = (amount: Money = cny(78_000)) => command('RecordFee', { amount, method: 'mobile-payment', receiptNumber: 'R-0001' }, 19 * 60 + 30);
const test = (passed: boolean) => command('RecordTest', { passed, notes: passed ? '20 L test measure within tolerance' : 'still stops at 20 L' }, 19 * 60 + 40);
const signOff = command('RecordSignOff', { signedBy: '李先生' }, 19 * 60 + 50);
const handOver = command('HandOverWorkOrder', {}, 20 * 60);
const expiredQuoted = [...onSiteHistory, ...findingsExpired, quoted];
const partlyCoveredQuote: WorkOrderEvent = {
  type: 'WorkOrderQuoted',
  data: { workOrderId, quotedAt: at(18 * 60 + 40), by: engineer, quoteNumber: 1, lines: [{ kind: 'on-site', description: 'Call-out', amount: cny(10_000) }], total: cny(10_000), replaces: null },
};

describe('work order: the repair on site', () => {
  describe('findings and the warranty decision', () => {
    it('records the findings with the warranty decision computed from the registry: free within the warranty', () => {
      spec.given(onSiteHistory).when(recordFindings(coveredProduct)).then(findingsInWarranty);
    });

    it.each<[string, ProductState, 'product-defect' | 'customer-damage', string, string[]]>([
      ['a repair after the warranty ended', expiredProduct, 'product-defect', 'expired', ['parts', 'labour', 'on-site']],
      ['a call-out the warranty does not cover', partlyCoveredProduct, 'product-defect', 'in-warranty', ['on-site']],
      ['damage the customer caused', coveredProduct, 'customer-damage', 'customer-damage', ['parts', 'labour', 'on-site']],
      ['a product the registry does not know', { status: 'none' }, 'product-defect', 'not-registered', ['parts', 'labour', 'on-site']],
    ])('makes %s chargeable', (_name, product, cause, verdict, chargeable) => {
      spec.given(onSiteHistory).when(recordFindings(product, cause, 'hose torn off')).thenProduces(([, assessed]) => {
        expect(assessed).toMatchObject({ type: 'WorkOrderWarrantyAssessed', data: { decision: { verdict, chargeable, judgedOn: '2026-03-02' } } });
      });
    });

    it('records customer damage with its reason', () => {
      spec.given(onSiteHistory).when(recordFindings(coveredProduct, 'customer-damage', 'Nozzle hose torn off by a lorry.')).then(findingsCustomerDamage);
    });

    it('refuses customer damage without a reason', () => {
      spec.given(onSiteHistory).when(recordFindings(coveredProduct, 'customer-damage')).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code: 'damage-reason-required', field: 'damageReason' }));
    });

    it('refuses a damage reason of invisible characters alone: it would make a repair within warranty chargeable (issue 19)', () => {
      spec.given(onSiteHistory).when(recordFindings(coveredProduct, 'customer-damage', '\u200b\u2060')).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code: 'damage-reason-required', field: 'damageReason' }));
    });

    it('refuses findings that say nothing', () => {
      spec.given(onSiteHistory).when({ ...recordFindings(coveredProduct), data: { findings: ' ', faultCause: 'unknown', product: coveredProduct } })
        .thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('findings-required'));
    });

    it('refuses a registry record of another serial number', () => {
      const other: ProductState = coveredProduct.status === 'registered' ? { ...coveredProduct, serialNumber: 'TQ2240-000999' } : coveredProduct;
      spec.given(onSiteHistory).when(recordFindings(other)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code: 'product-mismatch', field: 'product' }));
    });

    it('judges the warranty on the day of the report in the business time zone', () => {
      // Reported 2027-01-14 17:00 UTC: still the 14th in UTC (the last covered day), already the 15th in Shanghai.
      const reportedAt = '2027-01-14T17:00:00.000Z';
      const inShanghai = { ...DEFAULT_SLA_POLICY, calendar: SHANGHAI_OFFICE_CALENDAR };
      const reportedLate = (policy: typeof DEFAULT_SLA_POLICY): WorkOrderEvent => ({
        type: 'WorkOrderReported', data: { ...(reported.data as Extract<WorkOrderEvent, { type: 'WorkOrderReported' }>['data']), reportedAt, sla: workOrderSlaTermsAt(policy, 'medium', reportedAt) },
      });
      const product: ProductState = coveredProduct;
      spec.given([reportedLate(DEFAULT_SLA_POLICY), ...onSiteHistory.slice(1)]).when(recordFindings(product)).thenProduces(([, assessed]) => {
        expect(assessed?.type === 'WorkOrderWarrantyAssessed' && assessed.data.decision).toMatchObject({ judgedOn: '2027-01-14', verdict: 'in-warranty' });
      });
      spec.given([reportedLate(inShanghai), ...onSiteHistory.slice(1)]).when(recordFindings(product)).thenProduces(([, assessed]) => {
        expect(assessed?.type === 'WorkOrderWarrantyAssessed' && assessed.data.decision).toMatchObject({ judgedOn: '2027-01-15', verdict: 'expired' });
      });
    });

    it('takes new findings before anything rests on them, and refuses them once work or a quote does', () => {
      spec.given([...onSiteHistory, ...findingsInWarranty]).when(recordFindings(expiredProduct)).thenProduces((events) => expect(events.map((event) => event.type)).toEqual(['WorkOrderFindingsRecorded', 'WorkOrderWarrantyAssessed']));
      spec.given(freeRepairHistory).when(recordFindings(expiredProduct)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('findings-locked'));
      spec.given(expiredQuoted).when(recordFindings(coveredProduct)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('findings-locked'));
    });
  });

  describe('work done and parts used', () => {
    it('refuses work before the findings', () => {
      spec.given(onSiteHistory).when(work(false)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('findings-not-recorded'));
    });

    it('records free work with the parts used', () => {
      spec.given([...onSiteHistory, ...findingsInWarranty]).when(work(false)).then([freeWork]);
    });

    it.each([
      [{ partNumber: 'PUL 07', quantity: 1 }, 'invalid-part-number', 'parts[0].partNumber'],
      [{ partNumber: 'PUL-07', quantity: 0 }, 'invalid-quantity', 'parts[0].quantity'],
      [{ partNumber: 'PUL-07', quantity: 1.5 }, 'invalid-quantity', 'parts[0].quantity'],
    ])('refuses a part %o', (part, code, field) => {
      spec.given([...onSiteHistory, ...findingsInWarranty]).when(command('RecordRepairWork', { description: 'd', parts: [part], chargeable: false }))
        .thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field }));
    });

    it('refuses work that says nothing', () => {
      spec.given([...onSiteHistory, ...findingsInWarranty]).when(command('RecordRepairWork', { description: '', parts: [], chargeable: false }))
        .thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('description-required'));
    });

    it('refuses chargeable work when the warranty covers everything', () => {
      spec.given([...onSiteHistory, ...findingsInWarranty]).when(work(true)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('covered-by-warranty'));
    });

    it('refuses chargeable work before the customer confirmed the quote: with no quote, and with one still pending', () => {
      spec.given([...onSiteHistory, ...findingsExpired]).when(work(true)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('quote-not-confirmed'));
      spec.given(expiredQuoted).when(work(true)).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('quote-not-confirmed');
        expect(error.message).toMatch(/No chargeable work before the customer has confirmed the quote/);
      });
    });

    it('records chargeable work under the confirmed quote', () => {
      spec.given([...expiredQuoted, quoteConfirmed]).when(work(true)).then([chargeableWork]);
    });
  });

  describe('quotes', () => {
    it('quotes what the warranty leaves chargeable, totalled in integer minor units', () => {
      spec.given([...onSiteHistory, ...findingsExpired]).when(quote()).then([quoted]);
    });

    it('quotes the call-out alone when the warranty covers parts and labour, and refuses a labour line there', () => {
      spec.given([...onSiteHistory, ...findingsPartlyCovered]).when(quote([quoteLines[2]!])).then([partlyCoveredQuote]);
      spec.given([...onSiteHistory, ...findingsPartlyCovered]).when(quote([quoteLines[1]!])).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('charge-covered-by-warranty');
        expect(error.message).toMatch(/labour/);
      });
    });

    it('refuses a quote when the warranty covers everything, or before the findings', () => {
      spec.given([...onSiteHistory, ...findingsInWarranty]).when(quote()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('covered-by-warranty'));
      spec.given(onSiteHistory).when(quote()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('warranty-not-assessed'));
    });

    it.each<[string, QuoteRepair['data']['lines'], string, string]>([
      ['no line', [], 'quote-empty', 'lines'],
      ['an amount with a fraction of a fen', [{ kind: 'parts', description: 'p', amount: cny(480.5) }], 'invalid-money', 'lines[0].amount'],
      ['a negative amount', [{ kind: 'parts', description: 'p', amount: cny(-100) }], 'invalid-money', 'lines[0].amount'],
      ['an unknown currency', [{ kind: 'parts', description: 'p', amount: { currency: 'RMB', minorUnits: 100 } }], 'invalid-money', 'lines[0].amount'],
      ['a zero line', [{ kind: 'parts', description: 'p', amount: cny(0) }], 'invalid-amount', 'lines[0].amount'],
      ['a line above 10^12 minor units', [{ kind: 'parts', description: 'p', amount: cny(Number.MAX_SAFE_INTEGER) }], 'invalid-money', 'lines[0].amount'],
      ['lines that add up above 10^12 minor units', [{ kind: 'parts', description: 'p', amount: cny(10 ** 12) }, { kind: 'labour', description: 'l', amount: cny(1) }], 'invalid-money', 'lines'],
      ['two currencies', [{ kind: 'parts', description: 'p', amount: cny(100) }, { kind: 'labour', description: 'l', amount: { currency: 'HKD', minorUnits: 100 } }], 'mixed-currencies', 'lines'],
      ['a line with no description', [{ kind: 'parts', description: ' ', amount: cny(100) }], 'description-required', 'lines[0].description'],
    ])('refuses a quote with %s', (_name, lines, code, field) => {
      spec.given([...onSiteHistory, ...findingsExpired]).when(quote(lines)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field }));
    });

    it('replaces a pending quote with a new one', () => {
      spec.given(expiredQuoted).when(quote([quoteLines[0]!])).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'WorkOrderQuoted', data: { quoteNumber: 2, replaces: 1, total: cny(48_000) } });
      });
    });

    it('refuses a new quote once the customer confirmed one', () => {
      spec.given([...expiredQuoted, quoteConfirmed]).when(quote()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('quote-already-confirmed'));
    });

    it('records the customer\'s confirmation', () => {
      spec.given(expiredQuoted).when(confirm).then([quoteConfirmed]);
    });

    it('refuses a confirmation with no quote pending, or with no one named', () => {
      spec.given([...onSiteHistory, ...findingsExpired]).when(confirm).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('no-pending-quote'));
      spec.given([...expiredQuoted, quoteConfirmed]).when(confirm).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('no-pending-quote'));
      spec.given(expiredQuoted).when({ ...confirm, data: { quoteNumber: 1, confirmedBy: '', channel: 'phone' } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('confirmed-by-required'));
    });

    describe('an answer names the quote the customer was shown', () => {
      const requoted: WorkOrderEvent = {
        type: 'WorkOrderQuoted',
        data: { workOrderId, quotedAt: at(18 * 60 + 45), by: engineer, quoteNumber: 2, lines: [{ kind: 'parts', description: 'Whole pump', amount: cny(4_800_000) }], total: cny(4_800_000), replaces: 1 },
      };
      const answers: Array<[string, (quoteNumber: number) => WorkOrderCommand]> = [
        ['confirmation', (quoteNumber) => ({ ...confirm, data: { ...confirm.data, quoteNumber } })],
        ['refusal', (quoteNumber) => { const refusal = refuse(false); return { ...refusal, data: { ...refusal.data, quoteNumber } }; }],
      ];

      it.each(answers)('refuses a %s of a quote a later quote replaced (409 quote-superseded), naming the current one', (_name, answer) => {
        spec.given([...expiredQuoted, requoted]).when(answer(1)).thenThrows(IllegalWorkOrderTransitionError, (error) => {
          expect(error.code).toBe('quote-superseded');
          expect(error.message).toMatch(/^Quote #1 was replaced by quote #2 \(CNY 48000\.00\), which is the one waiting for the customer: .* quoteNumber 2\./);
        });
      });

      it.each(answers)('refuses a %s of a quote the order does not have (400 unknown-quote)', (_name, answer) => {
        for (const quoteNumber of [3, 0, 1.5]) {
          spec.given([...expiredQuoted, requoted]).when(answer(quoteNumber)).thenThrows(InvalidWorkOrderCommandError, (error) => {
            expect({ code: error.code, field: error.field }).toEqual({ code: 'unknown-quote', field: 'quoteNumber' });
          });
        }
      });

      it('confirms the current quote when the answer names it', () => {
        spec.given([...expiredQuoted, requoted]).when({ ...confirm, data: { ...confirm.data, quoteNumber: 2 } }).thenProduces(([confirmed]) => {
          expect(confirmed).toMatchObject({ type: 'WorkOrderQuoteConfirmed', data: { quoteNumber: 2, total: cny(4_800_000) } });
        });
      });
    });

    it('closes the order without chargeable work when the customer refuses the quote', () => {
      spec.given(expiredQuoted).when(refuse(false)).then([
        { type: 'WorkOrderQuoteRefused', data: { workOrderId, refusedAt: at(18 * 60 + 50), by: engineer, quoteNumber: 1, total: cny(78_000), reason: '价格太高', continueWithFreeWork: false } },
        { type: 'WorkOrderClosed', data: { workOrderId, closedAt: at(18 * 60 + 50), by: engineer, outcome: 'quote-refused', notes: '价格太高', cycle: 1, surveyDue: null } },
      ]);
    });

    it('goes on with free work only when the customer refuses the quote but wants that', () => {
      spec.given(expiredQuoted).when(refuse(true)).thenProduces((events) => {
        expect(events).toEqual([{
          type: 'WorkOrderQuoteRefused', data: { workOrderId, refusedAt: at(18 * 60 + 50), by: engineer, quoteNumber: 1, total: cny(78_000), reason: '价格太高', continueWithFreeWork: true },
        }]);
        const given = [...expiredQuoted, ...events];
        spec.given(given).when(work(true)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('quote-not-confirmed'));
        spec.given(given).when(work(false)).thenProduces(([done]) => expect(done?.type === 'WorkOrderRepairWorkRecorded' && done.data.chargeable).toBe(false));
        spec.given(given).when(fee()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('quote-not-confirmed'));
      });
    });

    it('refuses a refusal without a reason, or with no quote pending', () => {
      spec.given(expiredQuoted).when({ ...refuse(false), data: { quoteNumber: 1, reason: '', continueWithFreeWork: false } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('reason-required'));
      spec.given([...expiredQuoted, quoteConfirmed]).when(refuse(false)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('no-pending-quote'));
    });
  });

  describe('the fee', () => {
    it('records the fee charged under the confirmed quote', () => {
      spec.given(chargeableRepairHistory).when(fee()).then([feeCharged]);
    });

    it('accepts a fee below the quote (a discount)', () => {
      spec.given(chargeableRepairHistory).when(fee(cny(70_000))).thenProduces(([event]) => expect(event?.type === 'WorkOrderFeeCharged' && event.data.amount).toEqual(cny(70_000)));
    });

    it('refuses a fee on an in-warranty repair whose cause is not customer damage', () => {
      spec.given(freeRepairHistory).when(fee()).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error).toMatchObject({ code: 'fee-on-warranty-repair', kind: 'conflict' });
        expect(error.message).toMatch(/in warranty/);
      });
    });

    it('charges for damage the customer caused within the warranty period, once the quote is confirmed and the work done', () => {
      const confirmed = [...onSiteHistory, ...findingsCustomerDamage, quoted, quoteConfirmed];
      spec.given(confirmed).when(fee()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('no-chargeable-work'));
      spec.given([...confirmed, chargeableWork]).when(fee()).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderFeeCharged'));
    });

    it('charges the call-out the warranty does not cover', () => {
      const quoteConfirmedCallOut: WorkOrderEvent = { ...quoteConfirmed, data: { ...quoteConfirmed.data, total: cny(10_000) } } as WorkOrderEvent;
      spec.given([...onSiteHistory, ...findingsPartlyCovered, partlyCoveredQuote, quoteConfirmedCallOut, chargeableWork]).when(fee(cny(10_000)))
        .thenProduces(([event]) => expect(event?.type === 'WorkOrderFeeCharged' && event.data.amount).toEqual(cny(10_000)));
    });

    it('refuses a fee before the quote is confirmed, or before the findings', () => {
      spec.given(expiredQuoted).when(fee()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('quote-not-confirmed'));
      spec.given(onSiteHistory).when(fee()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('warranty-not-assessed'));
    });

    it('refuses a fee above the confirmed quote', () => {
      spec.given(chargeableRepairHistory).when(fee(cny(78_001))).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('fee-exceeds-quote');
        expect(error.message).toContain('CNY 780.01');
      });
    });

    it.each([
      [{ currency: 'CNY', minorUnits: 780.5 }, 'invalid-money'],
      [{ currency: 'USD', minorUnits: 100 }, 'currency-mismatch'],
      [{ currency: 'CNY', minorUnits: 0 }, 'invalid-amount'],
      [{ currency: 'CNY', minorUnits: Number.MAX_SAFE_INTEGER }, 'invalid-money'],
    ])('refuses a fee of %o', (amount, code) => {
      spec.given(chargeableRepairHistory).when(fee(amount)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field: 'amount' }));
    });

    it('says the bound when a fee is above 10^12 minor units, before comparing it with the quote', () => {
      spec.given(chargeableRepairHistory).when(fee(cny(10 ** 12 + 1))).thenThrows(InvalidWorkOrderCommandError, (error) => {
        expect(error).toMatchObject({ code: 'invalid-money', field: 'amount' });
        expect(error.message).toContain('at most 1000000000000 minor units (CNY 10000000000.00)');
      });
    });

    it('refuses a second fee', () => {
      spec.given([...chargeableRepairHistory, feeCharged]).when(fee()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('fee-already-charged'));
    });

    it('refuses a fee on a remote fix, which has no warranty decision to charge under', () => {
      spec.given([reported, dispatched, fixedRemotely]).when(fee()).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('warranty-not-assessed'));
    });
  });

  describe('test and commissioning, sign-off and hand-over', () => {
    it('refuses a test before any work', () => {
      spec.given([...onSiteHistory, ...findingsInWarranty]).when(test(true)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('no-work-recorded'));
    });

    it('records a passed test and a failed one', () => {
      spec.given(freeRepairHistory).when(test(true)).then([testPassed]);
      spec.given(freeRepairHistory).when(test(false)).then([testFailed]);
    });

    it('refuses the sign-off before the test passed: none yet, a failed one, or new work since the pass', () => {
      spec.given(freeRepairHistory).when(signOff).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('test-not-passed'));
      spec.given([...freeRepairHistory, testFailed]).when(signOff).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('test-not-passed'));
      spec.given([...freeRepairHistory, testPassed, freeWork]).when(signOff).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('test-not-passed'));
    });

    it('records the customer\'s sign-off after a passed test', () => {
      spec.given([...freeRepairHistory, testPassed]).when(signOff).then([signedOff]);
    });

    it('takes the customer\'s confirmation of a remote fix with no test on site', () => {
      spec.given([reported, dispatched, fixedRemotely]).when(signOff).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderSignedOff'));
    });

    it('refuses the sign-off while a quote waits for the customer, or with no one signing', () => {
      const pendingAfterFreeWork = [...onSiteHistory, ...findingsExpired, freeWork, testPassed, quoted];
      spec.given(pendingAfterFreeWork).when(signOff).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('quote-pending'));
      spec.given([...freeRepairHistory, testPassed]).when({ ...signOff, data: { signedBy: ' ' } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('signed-by-required'));
      spec.given([...freeRepairHistory, testPassed]).when({ ...signOff, data: { signedBy: '\u200b\u2060' } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('signed-by-required'));
    });

    it('refuses the hand-over before the sign-off', () => {
      spec.given([...freeRepairHistory, testPassed]).when(handOver).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-signed-off'));
    });

    it('hands over, closing the order with the survey due 48 h later', () => {
      spec.given(signedOffHistory).when(handOver).then([closed]);
    });

    it('closes a remote fix as fixed remotely', () => {
      const remoteSignOff: WorkOrderEvent = { type: 'WorkOrderSignedOff', data: { workOrderId, signedOffAt: at(60), by: engineer, personal: { signedBy: '李先生' }, remarks: null } };
      spec.given([reported, dispatched, fixedRemotely, remoteSignOff]).when(handOver).thenProduces(([event]) => {
        expect(event?.type === 'WorkOrderClosed' && event.data.outcome).toBe('fixed-remotely');
      });
    });

    it('refuses the hand-over of chargeable work with no fee recorded, and takes the fee after the sign-off', () => {
      const signed = [...chargeableRepairHistory, testPassed, signedOff];
      spec.given(signed).when(handOver).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('fee-not-recorded'));
      spec.given(signed).when(fee()).thenProduces((events) => {
        spec.given([...signed, ...events]).when(handOver).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderClosed'));
      });
    });

    it('refuses a second sign-off, a cancel, new work and a visit once signed', () => {
      spec.given(signedOffHistory).when(signOff).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-signed-off'));
      spec.given(signedOffHistory).when(command('CancelWorkOrder', { reason: 'r' })).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-signed-off'));
      spec.given(signedOffHistory).when(work(false)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-signed-off'));
      spec.given(signedOffHistory).when(command('ScheduleVisit', { scheduledFor: at(30 * 60) }, 20 * 60)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-signed-off'));
    });

    it('refuses to cancel an order once a fee is charged', () => {
      spec.given([...chargeableRepairHistory, feeCharged]).when(command('CancelWorkOrder', { reason: 'r' })).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('fee-already-charged'));
    });
  });
});

describe('work order evolve through a repair', () => {
  it('folds a chargeable repair into a closed order with its quote, work, fee and test', () => {
    const state = foldWorkOrder([...chargeableRepairHistory, feeCharged, testPassed, signedOff, closed]);
    expect(state).toMatchObject({
      status: 'closed', closure: { outcome: 'repaired', surveyDue: at(68 * 60) }, survey: null, quoteCount: 1, visitCount: 1,
      repair: { quote: { number: 1, status: 'confirmed', total: cny(78_000) }, fee: { amount: cny(78_000) }, lastTest: { passed: true }, warranty: { verdict: 'expired' } },
    });
  });
});
