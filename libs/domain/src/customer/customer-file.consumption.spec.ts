import { deciderSpecification } from '@app/event-sourcing/testing';
import { DEFAULT_CONSUMPTION_ALERT_POLICY, consumptionDrop, monthsBefore, type ConsumptionAlertPolicy } from './customer-file.consumption';
import { customerFileDecider } from './customer-file.decider';
import { InvalidCustomerFileCommandError, NothingToChangeError } from './customer-file.errors';
import type { CustomerFileEvent } from './customer-file.events';
import { agent, at, customerId, figureRecorded, madeKeyCustomer, opened, recordFigure } from './testing/customer-file.fixtures';

const spec = deciderSpecification(customerFileDecider);
/** A key customer with three months of figures: on average 11,000 litres. */
const keyCustomerWithHistory: CustomerFileEvent[] = [
  opened, madeKeyCustomer, figureRecorded('2025-12', 10000), figureRecorded('2026-01', 12000), figureRecorded('2026-02', 11000),
];

describe('monthly consumption figures', () => {
  it('records the first figure of a month without asking for a reason', () => {
    spec.given([opened]).when(recordFigure('2026-02', 11000)).then([{
      type: 'CustomerFileConsumptionRecorded',
      data: { customerId, recordedAt: at(60), by: agent, period: '2026-02', volume: { amount: 11000, unit: 'litre' }, previous: null, reason: null, personal: null },
    }]);
  });

  it('records a figure of the month that has just begun (the current month, whatever the time zone)', () => {
    spec.given([opened]).when(recordFigure('2026-03', 0)).thenProduces(([event]) => expect(event).toMatchObject({ data: { period: '2026-03', volume: { amount: 0 } } }));
  });

  it.each([
    [{ period: '2026-04' }, 'period-in-future', 'period'],
    [{ period: '2026-13' }, 'invalid-period', 'period'],
    [{ period: '2026-3' }, 'invalid-period', 'period'],
    [{ period: '1899-12' }, 'invalid-period', 'period'],
    [{ volume: { amount: -5, unit: 'litre' as const } }, 'invalid-volume', 'volume.amount'],
    [{ volume: { amount: 5, unit: 'barrel' as 'litre' } }, 'unknown-volumeUnit', 'volume.unit'],
  ])('refuses %p', (overrides, code, field) => {
    spec.given([opened]).when(recordFigure('2026-02', 100, overrides)).thenThrows(InvalidCustomerFileCommandError, (error) => expect(error).toMatchObject({ code, field }));
  });

  it("refuses a unit other than that of the file's first figure", () => {
    spec.given([opened, figureRecorded('2026-01', 12000)]).when(recordFigure('2026-02', 9, { volume: { amount: 9, unit: 'tonne' } })).thenThrows(InvalidCustomerFileCommandError, (error) => {
      expect(error).toMatchObject({ code: 'volume-unit-mismatch', field: 'volume.unit' });
      expect(error.message).toContain('give this one in litre');
    });
  });

  it('refuses the same figure for a month again', () => {
    spec.given([opened, figureRecorded('2026-02', 11000)]).when(recordFigure('2026-02', 11000)).thenThrows(NothingToChangeError);
  });

  it('corrects the figure of a month, keeping the one it replaces', () => {
    spec.given([opened, figureRecorded('2026-02', 11000)]).when(recordFigure('2026-02', 10500, { reason: 'card statement arrived' })).thenProduces(([event]) => {
      expect(event).toMatchObject({ data: { period: '2026-02', volume: { amount: 10500 }, previous: { amount: 11000, unit: 'litre' }, reason: 'card statement arrived' } });
    });
  });

  it('asks why when a figure is corrected', () => {
    spec.given([opened, figureRecorded('2026-02', 11000)]).when(recordFigure('2026-02', 10500)).thenThrows(InvalidCustomerFileCommandError, (error) => {
      expect(error).toMatchObject({ code: 'reason-required', field: 'reason' });
      expect(error.message).toContain('11000 litre');
    });
  });

  it('refuses an alert policy it cannot apply, saying what is wrong with it', () => {
    const policy: ConsumptionAlertPolicy = { ...DEFAULT_CONSUMPTION_ALERT_POLICY, dropShare: 30 };
    spec.given([opened]).when(recordFigure('2026-02', 1, { policy })).thenThrows(InvalidCustomerFileCommandError, (error) => {
      expect(error).toMatchObject({ code: 'invalid-policy', field: 'policy' });
      expect(error.message).toContain('between 0 and 1');
    });
  });
});

describe("the alert on a key customer's consumption drop (seed 003: 客户加油量异常)", () => {
  it('raises the alert when the month falls by more than the share against the recent average', () => {
    spec.given(keyCustomerWithHistory).when(recordFigure('2026-03', 6000)).then([
      figureRecorded('2026-03', 6000, 60),
      {
        type: 'CustomerFileConsumptionDropDetected',
        data: {
          customerId, detectedAt: at(60), by: agent, period: '2026-03', volume: { amount: 6000, unit: 'litre' },
          recentAverage: { amount: 11000, unit: 'litre' }, comparedPeriods: ['2025-12', '2026-01', '2026-02'], drop: 0.4545,
          policy: DEFAULT_CONSUMPTION_ALERT_POLICY, personal: null,
        },
      },
    ]);
  });

  it('raises none for a drop of exactly the share (30 % below 10,000 is 7,000)', () => {
    const flat = [opened, madeKeyCustomer, figureRecorded('2026-01', 10000), figureRecorded('2026-02', 10000)];
    spec.given(flat).when(recordFigure('2026-03', 7000)).thenProduces((events) => expect(events.map((event) => event.type)).toEqual(['CustomerFileConsumptionRecorded']));
    spec.given(flat).when(recordFigure('2026-03', 6999)).thenProduces((events) => expect(events).toHaveLength(2));
  });

  it('raises none for a customer that is not a key customer', () => {
    spec.given(keyCustomerWithHistory.filter((event) => event !== madeKeyCustomer)).when(recordFigure('2026-03', 100)).thenProduces((events) => expect(events).toHaveLength(1));
  });

  it('raises none with fewer figures in the window than the policy asks for', () => {
    spec.given([opened, madeKeyCustomer, figureRecorded('2026-02', 11000)]).when(recordFigure('2026-03', 100)).thenProduces((events) => expect(events).toHaveLength(1));
  });

  it('compares only the months of the window, leaving out months without a figure', () => {
    const history = [opened, madeKeyCustomer, figureRecorded('2025-06', 90000), figureRecorded('2026-01', 10000), figureRecorded('2026-02', 12000)];
    spec.given(history).when(recordFigure('2026-03', 7000)).thenProduces(([, alert]) => {
      expect(alert).toMatchObject({ data: { comparedPeriods: ['2026-01', '2026-02'], recentAverage: { amount: 11000 } } });
    });
  });

  it('raises none for a back-filled month older than the latest figure', () => {
    spec.given([...keyCustomerWithHistory, figureRecorded('2026-03', 11000)]).when(recordFigure('2025-11', 100)).thenProduces((events) => expect(events).toHaveLength(1));
  });

  it('raises one alert per month: a correction that still drops raises no second one', () => {
    const alerted = customerFileDecider.decide(recordFigure('2026-03', 6000), keyCustomerWithHistory.reduce(customerFileDecider.evolve, customerFileDecider.initialState));
    spec.given([...keyCustomerWithHistory, ...alerted]).when(recordFigure('2026-03', 5000, { reason: 'pump log' })).thenProduces((events) => {
      expect(events.map((event) => event.type)).toEqual(['CustomerFileConsumptionRecorded']);
    });
  });

  it('follows the policy in force: a tighter threshold raises it for a smaller drop', () => {
    const policy: ConsumptionAlertPolicy = { version: 'tight-2026', dropShare: 0.1, windowMonths: 2, minimumMonths: 1 };
    spec.given(keyCustomerWithHistory).when(recordFigure('2026-03', 9900, { policy })).thenProduces(([, alert]) => {
      expect(alert).toMatchObject({ type: 'CustomerFileConsumptionDropDetected', data: { comparedPeriods: ['2026-01', '2026-02'], drop: 0.1391, policy } });
    });
  });
});

describe('corrections move the alert: it is judged on the corrected series (issue 18)', () => {
  /** Issue 18's key customer: 30,000 / 32,000 / 31,000 litres, and a typo of 1.5 litres in the latest month. */
  const steady = [opened, madeKeyCustomer, figureRecorded('2025-12', 30000), figureRecorded('2026-01', 32000), figureRecorded('2026-02', 31000)];
  const fold = (events: CustomerFileEvent[]) => events.reduce(customerFileDecider.evolve, customerFileDecider.initialState);
  const decided = (history: CustomerFileEvent[], command: ReturnType<typeof recordFigure>) => [...history, ...customerFileDecider.decide(command, fold(history))];
  const withTypo = decided(steady, recordFigure('2026-03', 1.5));
  const types = (events: CustomerFileEvent[]) => events.map((event) => event.type);

  it('raises the alert for the typo', () => {
    expect(types(withTypo).slice(-2)).toEqual(['CustomerFileConsumptionRecorded', 'CustomerFileConsumptionDropDetected']);
  });

  it('clears the alert when the correction removes the drop, naming the correction as its cause', () => {
    spec.given(withTypo).when(recordFigure('2026-03', 31000, { reason: 'typo: 31000 on the delivery notes' })).then([
      {
        type: 'CustomerFileConsumptionRecorded',
        data: { customerId, recordedAt: at(60), by: agent, period: '2026-03', volume: { amount: 31000, unit: 'litre' }, previous: { amount: 1.5, unit: 'litre' }, reason: 'typo: 31000 on the delivery notes', personal: null },
      },
      {
        type: 'CustomerFileConsumptionDropCleared',
        data: {
          customerId, clearedAt: at(60), by: agent, period: '2026-03', volume: { amount: 31000, unit: 'litre' }, recentAverage: { amount: 31000, unit: 'litre' },
          cause: { period: '2026-03', volume: { amount: 31000, unit: 'litre' }, previous: { amount: 1.5, unit: 'litre' }, reason: 'typo: 31000 on the delivery notes' },
          policyVersion: 'seed-default-v1', personal: null,
        },
      },
    ]);
  });

  it('leaves the cleared month without an open alert, so a later drop of that month raises one again', () => {
    const cleared = decided(withTypo, recordFigure('2026-03', 31000, { reason: 'typo' }));
    const state = fold(cleared);
    expect(state).toMatchObject({ status: 'active', alertedPeriods: [], openAlerts: [] });
    spec.given(cleared).when(recordFigure('2026-03', 100, { reason: 'the notes were wrong after all' })).thenProduces((events) => {
      expect(types(events)).toEqual(['CustomerFileConsumptionRecorded', 'CustomerFileConsumptionDropDetected']);
      expect(events[1]).toMatchObject({ data: { period: '2026-03', volume: { amount: 100 }, recentAverage: { amount: 31000 } } });
    });
  });

  it('raises the alert when a normal latest month is corrected into a drop', () => {
    spec.given(decided(steady, recordFigure('2026-03', 30500))).when(recordFigure('2026-03', 100, { reason: 'meter read again' })).thenProduces((events) => {
      expect(types(events)).toEqual(['CustomerFileConsumptionRecorded', 'CustomerFileConsumptionDropDetected']);
    });
  });

  it('clears the latest month\'s alert when a compared month is corrected down to what it was', () => {
    const inflated = [opened, madeKeyCustomer, figureRecorded('2026-01', 30000), figureRecorded('2026-02', 320000)];
    const alerted = decided(inflated, recordFigure('2026-03', 31000));
    expect(types(alerted).at(-1)).toBe('CustomerFileConsumptionDropDetected');
    spec.given(alerted).when(recordFigure('2026-02', 32000, { reason: 'one zero too many' })).thenProduces((events) => {
      expect(types(events)).toEqual(['CustomerFileConsumptionRecorded', 'CustomerFileConsumptionDropCleared']);
      expect(events[1]).toMatchObject({ data: { period: '2026-03', volume: { amount: 31000 }, recentAverage: { amount: 31000 }, cause: { period: '2026-02', previous: { amount: 320000 } } } });
    });
  });

  it('raises the latest month\'s alert when a compared month is corrected up into a drop', () => {
    const history = decided([opened, madeKeyCustomer, figureRecorded('2026-01', 30000), figureRecorded('2026-02', 3200)], recordFigure('2026-03', 12000));
    expect(types(history).at(-1)).toBe('CustomerFileConsumptionRecorded');
    spec.given(history).when(recordFigure('2026-02', 32000, { reason: 'one zero too few' })).thenProduces((events) => {
      expect(types(events)).toEqual(['CustomerFileConsumptionRecorded', 'CustomerFileConsumptionDropDetected']);
      expect(events[1]).toMatchObject({ data: { period: '2026-03', volume: { amount: 12000 }, recentAverage: { amount: 31000 } } });
    });
  });

  it('judges a correction by the policy the alert was raised under, not the one in force now', () => {
    const tight: ConsumptionAlertPolicy = { version: 'tight-2026', dropShare: 0.1, windowMonths: 3, minimumMonths: 2 };
    const alerted = decided(steady, recordFigure('2026-03', 20000, { policy: tight }));
    expect(types(alerted).at(-1)).toBe('CustomerFileConsumptionDropDetected');
    // 26,000 is 16 % below 31,000: still a drop under the alert's 10 %, though not under today's 30 %.
    spec.given(alerted).when(recordFigure('2026-03', 26000, { reason: 'late delivery note' })).thenProduces((events) => expect(types(events)).toEqual(['CustomerFileConsumptionRecorded']));
  });

  it('leaves an alert alone when the corrected month is outside its window', () => {
    spec.given(withTypo).when(recordFigure('2025-11', 900000, { reason: 'archive figure' })).thenProduces((events) => expect(types(events)).toEqual(['CustomerFileConsumptionRecorded']));
  });

  describe('an alert a correction cleared comes back when a correction brings the drop back (issue 18)', () => {
    const detected = (events: CustomerFileEvent[]) => events.flatMap((event) => (event.type === 'CustomerFileConsumptionDropDetected' ? [event.data.period] : []));

    it('alerts a month again when it is corrected back into its drop, though a newer month is on record', () => {
      const cleared = decided([...withTypo, figureRecorded('2026-04', 30000)], recordFigure('2026-03', 31000, { reason: 'typo' }));
      expect(types(cleared).at(-1)).toBe('CustomerFileConsumptionDropCleared');
      expect(fold(cleared)).toMatchObject({ alertedPeriods: [], clearedAlertPeriods: ['2026-03'] });
      spec.given(cleared).when(recordFigure('2026-03', 1.5, { reason: 'the delivery notes were wrong, the tank log is right' })).thenProduces((events) => {
        expect(types(events)).toEqual(['CustomerFileConsumptionRecorded', 'CustomerFileConsumptionDropDetected']);
        expect(events[1]).toMatchObject({ data: { period: '2026-03', volume: { amount: 1.5 }, recentAverage: { amount: 31000 } } });
      });
    });

    it('alerts every cleared month again when a compared month is corrected back and forth', () => {
      const inflated = [opened, madeKeyCustomer, figureRecorded('2025-12', 30000), figureRecorded('2026-01', 320000)];
      const alerted = decided(decided(inflated, recordFigure('2026-02', 31000)), recordFigure('2026-03', 30000));
      expect(detected(alerted)).toEqual(['2026-02', '2026-03']);
      const cleared = decided(alerted, recordFigure('2026-01', 32000, { reason: 'one zero too many' }));
      expect(fold(cleared)).toMatchObject({ alertedPeriods: [], clearedAlertPeriods: ['2026-02', '2026-03'] });
      spec.given(cleared).when(recordFigure('2026-01', 320000, { reason: 'the invoice says 320,000 after all' })).thenProduces((events) => {
        expect(detected(events)).toEqual(['2026-02', '2026-03']);
      });
    });

    it('keeps an alert raised again open until its own clearance, and forgets the month among the cleared ones', () => {
      const cleared = decided([...withTypo, figureRecorded('2026-04', 30000)], recordFigure('2026-03', 31000, { reason: 'typo' }));
      const again = decided(cleared, recordFigure('2026-03', 1.5, { reason: 'tank log' }));
      expect(fold(again)).toMatchObject({ alertedPeriods: ['2026-03'], clearedAlertPeriods: [] });
      // A correction that still drops records nothing more; the alert stays open.
      spec.given(again).when(recordFigure('2026-03', 2, { reason: 'rounding' })).thenProduces((events) => expect(types(events)).toEqual(['CustomerFileConsumptionRecorded']));
    });

    it('still alerts no back-filled month that was never alerted', () => {
      spec.given([...steady, figureRecorded('2026-03', 30000)]).when(recordFigure('2026-01', 100, { reason: 'archive figure' })).thenProduces((events) => expect(detected(events)).toEqual([]));
    });
  });

  it('clears an older month\'s alert too, once a newer month is on record', () => {
    const later = [...withTypo, figureRecorded('2026-04', 30000)];
    spec.given(later).when(recordFigure('2026-03', 31000, { reason: 'typo' })).thenProduces((events) => {
      expect(types(events)).toEqual(['CustomerFileConsumptionRecorded', 'CustomerFileConsumptionDropCleared']);
    });
  });
});

describe('consumption arithmetic', () => {
  it.each([
    ['2026-03', 3, ['2025-12', '2026-01', '2026-02']],
    ['2026-01', 1, ['2025-12']],
    ['2026-12', 2, ['2026-10', '2026-11']],
    ['2000-02', 14, ['1998-12', '1999-01', '1999-02', '1999-03', '1999-04', '1999-05', '1999-06', '1999-07', '1999-08', '1999-09', '1999-10', '1999-11', '1999-12', '2000-01']],
  ])('the months before %s (%i) are %p', (period, count, expected) => {
    expect(monthsBefore(period, count)).toEqual(expected);
  });

  it('sees no drop when the recent average is zero', () => {
    expect(consumptionDrop([{ period: '2026-02', volume: { amount: 0, unit: 'litre' } }], '2026-03', 0, { ...DEFAULT_CONSUMPTION_ALERT_POLICY, minimumMonths: 1 })).toBeNull();
  });
});
