import { deciderSpecification } from '@app/event-sourcing/testing';
import type { WorkOrderClock } from '../after-sales-taxonomy';
import { SHANGHAI_OFFICE_CALENDAR } from '../business-calendar';
import { SLA_MONITOR } from '../principal';
import { DEFAULT_SLA_POLICY } from '../sla-policy';
import {
  arrived, at, closed, closedHistory, command, dispatched, fixedRemotely, onSiteHistory, reported, signedOffHistory, surveySent, visitScheduled, workOrderId,
} from './testing/work-order.fixtures';
import { workOrderDecider } from './work-order.decider';
import { IllegalWorkOrderTransitionError } from './work-order.errors';
import { WORK_ORDER_EVENT_TYPES, type WorkOrderEvent } from './work-order.events';
import { foldWorkOrder } from './work-order.evolve';
import { workOrderClockDeadline, workOrderClockMet, workOrderClocksAtRisk, workOrderClockStepsOf } from './work-order.sla';
import { workOrderSlaTermsAt } from './work-order.sla-terms';
import type { ExistingWorkOrder } from './work-order.state';

const spec = deciderSpecification(workOrderDecider);
const breach = (clock: WorkOrderClock, minutes: number) => command('RecordWorkOrderSlaBreach', { clock }, minutes, SLA_MONITOR);
const existing = (events: WorkOrderEvent[]): ExistingWorkOrder => {
  const state = foldWorkOrder(events);
  if (state.status === 'none') throw new Error('no work order');
  return state;
};
const HOUR = 60;
const DAY = 24 * HOUR;
const cancelled: WorkOrderEvent = { type: 'WorkOrderCancelled', data: { workOrderId, cancelledAt: at(30), by: SLA_MONITOR, reason: 'r', previousStatus: 'dispatched' } };
const reopened: WorkOrderEvent = {
  type: 'WorkOrderReopened',
  data: { workOrderId, reopenedAt: at(5 * DAY), by: SLA_MONITOR, reason: 'r', cycle: 2, previousClosedAt: at(20 * HOUR), onSiteDue: at(6 * DAY), completionDue: at(8 * DAY) },
};

describe('work order SLA clocks', () => {
  describe('deadlines and steps over the state (table)', () => {
    it.each<[string, WorkOrderEvent[], WorkOrderClock, string | null, boolean]>([
      ['first contact, just reported', [reported], 'first-contact', at(2 * HOUR), false],
      ['first contact, met by an agreed visit', [reported, dispatched, visitScheduled], 'first-contact', at(2 * HOUR), true],
      ['on site, before anyone went', [reported, dispatched, visitScheduled], 'on-site', at(DAY), false],
      ['on site, met by the arrival', onSiteHistory, 'on-site', at(DAY), true],
      ['on site, made unnecessary by a remote fix', [reported, dispatched, fixedRemotely], 'on-site', at(DAY), true],
      ['completion, signed but not handed over', signedOffHistory, 'completion', at(3 * DAY), false],
      ['completion, met by the hand-over', closedHistory, 'completion', at(3 * DAY), true],
      ['survey, before the hand-over', signedOffHistory, 'survey', null, false],
      ['survey, after the hand-over', closedHistory, 'survey', at(20 * HOUR + 2 * DAY), false],
      ['survey, met when sent', [...closedHistory, surveySent], 'survey', at(20 * HOUR + 2 * DAY), true],
      ['any clock of a cancelled order', [reported, dispatched, cancelled], 'on-site', null, false],
      ['on site, in a repeat repair', [...closedHistory, reopened], 'on-site', at(6 * DAY), false],
      ['completion, in a repeat repair', [...closedHistory, reopened], 'completion', at(8 * DAY), false],
      ['first contact, kept across a repeat repair', [...closedHistory, reopened], 'first-contact', at(2 * HOUR), true],
    ])('%s', (_name, events, clock, deadline, met) => {
      const state = existing(events);
      expect(workOrderClockDeadline(state, clock)).toBe(deadline);
      expect(workOrderClockMet(state, clock)).toBe(met);
    });

    it('names the clock steps of each event, the rule the read models follow', () => {
      expect(workOrderClockStepsOf(arrived)).toEqual([{ clock: 'first-contact', at: at(18 * HOUR) }, { clock: 'on-site', at: at(18 * HOUR) }]);
      expect(workOrderClockStepsOf(fixedRemotely)).toEqual([{ clock: 'first-contact', at: at(40) }, { clock: 'on-site', at: at(40) }]);
      expect(workOrderClockStepsOf(closed)).toEqual([{ clock: 'completion', at: at(20 * HOUR) }]);
      expect(workOrderClockStepsOf(surveySent)).toEqual([{ clock: 'survey', at: at(21 * HOUR) }]);
      expect(workOrderClockStepsOf(reported)).toEqual([]);
      expect(WORK_ORDER_EVENT_TYPES).toHaveLength(24);
    });
  });

  describe('breaches recorded by the monitor through the decider', () => {
    it('records a first-contact breach once two hours pass without contact', () => {
      spec.given([reported]).when(breach('first-contact', 2 * HOUR + 1)).then([{
        type: 'WorkOrderSlaBreached', data: { workOrderId, clock: 'first-contact', deadline: at(2 * HOUR), cycle: 1, detectedAt: at(2 * HOUR + 1), by: SLA_MONITOR },
      }]);
    });

    it('records a breach detected exactly at the deadline, and refuses one before it', () => {
      spec.given([reported]).when(breach('first-contact', 2 * HOUR)).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderSlaBreached'));
      spec.given([reported]).when(breach('first-contact', 2 * HOUR - 1)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('deadline-not-passed'));
    });

    it('records the on-site breach 24 hours after the report without an arrival (报修后24小时内到达现场)', () => {
      spec.given([reported, dispatched, visitScheduled]).when(breach('on-site', DAY)).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'WorkOrderSlaBreached', data: { clock: 'on-site', deadline: at(DAY) } });
      });
    });

    it('refuses a breach whose step happened, whose clock does not run, or that is recorded already', () => {
      spec.given(onSiteHistory).when(breach('on-site', 2 * DAY)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('clock-met'));
      spec.given(signedOffHistory).when(breach('survey', 10 * DAY)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('clock-not-running'));
      spec.given([reported, dispatched, cancelled]).when(breach('completion', 10 * DAY)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('clock-not-running'));
      const recorded: WorkOrderEvent = { type: 'WorkOrderSlaBreached', data: { workOrderId, clock: 'completion', deadline: at(3 * DAY), cycle: 1, detectedAt: at(3 * DAY), by: SLA_MONITOR } };
      spec.given([reported, dispatched, recorded]).when(breach('completion', 4 * DAY)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('breach-already-recorded'));
    });

    it('runs the survey clock from the hand-over and stops it when the survey is sent', () => {
      spec.given(closedHistory).when(breach('survey', 20 * HOUR + 2 * DAY)).thenProduces(([event]) => expect(event?.type === 'WorkOrderSlaBreached' && event.data.deadline).toBe(at(20 * HOUR + 2 * DAY)));
      spec.given([...closedHistory, surveySent]).when(breach('survey', 20 * HOUR + 3 * DAY)).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('clock-met'));
    });

    it('gives a repeat repair its own on-site clock, whose breach can be recorded again', () => {
      const firstBreach: WorkOrderEvent = { type: 'WorkOrderSlaBreached', data: { workOrderId, clock: 'on-site', deadline: at(DAY), cycle: 1, detectedAt: at(DAY), by: SLA_MONITOR } };
      const lateFirstCycle = [reported, dispatched, firstBreach, visitScheduled, arrived, ...closedHistory.slice(4)];
      spec.given([...lateFirstCycle, reopened]).when(breach('on-site', 6 * DAY)).thenProduces(([event]) => {
        expect(event).toMatchObject({ data: { clock: 'on-site', deadline: at(6 * DAY), cycle: 2 } });
      });
    });

    it('sets no survey clock under a policy without a callback duration', () => {
      const { callback: _omitted, ...withoutCallback } = DEFAULT_SLA_POLICY;
      const sla = workOrderSlaTermsAt({ ...withoutCallback, bySeverity: {} }, 'medium', at(0));
      const reportedWithout = { ...reported, data: { ...reported.data, sla } } as WorkOrderEvent;
      spec.given([reportedWithout, ...signedOffHistory.slice(1)]).when(command('HandOverWorkOrder', {}, 20 * HOUR)).thenProduces(([event]) => {
        expect(event?.type === 'WorkOrderClosed' && event.data.surveyDue).toBeNull();
      });
    });
  });

  describe('a late step that beats the monitor records its breach itself', () => {
    const arrive = (minutes: number) => command('RecordArrival', {}, minutes);
    const SECOND = 1 / 60;

    it('records the on-site breach with an arrival 0.76 s after the deadline, before the arrival, detected at its time', () => {
      spec.given([reported, dispatched, visitScheduled]).when(arrive(DAY + 0.76 * SECOND)).thenProduces((events) => {
        expect(events.map((event) => event.type)).toEqual(['WorkOrderSlaBreached', 'WorkOrderEngineerArrived']);
        expect(events[0]).toEqual({ type: 'WorkOrderSlaBreached', data: { workOrderId, clock: 'on-site', deadline: at(DAY), cycle: 1, detectedAt: at(DAY + 0.76 * SECOND), by: expect.objectContaining({ id: 'eng-wang' }) } });
      });
    });

    it('records none for a step at the deadline or before it, none the monitor recorded already, and one per late clock', () => {
      spec.given([reported, dispatched, visitScheduled]).when(arrive(DAY)).thenProduces((events) => expect(events.map((event) => event.type)).toEqual(['WorkOrderEngineerArrived']));
      const recorded: WorkOrderEvent = { type: 'WorkOrderSlaBreached', data: { workOrderId, clock: 'on-site', deadline: at(DAY), cycle: 1, detectedAt: at(DAY), by: SLA_MONITOR } };
      spec.given([reported, dispatched, visitScheduled, recorded]).when(arrive(DAY + 1)).thenProduces((events) => expect(events.map((event) => event.type)).toEqual(['WorkOrderEngineerArrived']));
      // No contact before a late arrival: both the first-contact and the on-site clocks are late.
      spec.given([reported, dispatched]).when(arrive(DAY + 1)).thenProduces((events) => {
        expect(events.map((event) => event.type === 'WorkOrderSlaBreached' ? event.data.clock : event.type)).toEqual(['first-contact', 'on-site', 'WorkOrderEngineerArrived']);
      });
    });

    it('folds to an order whose breaches name the clock, as the statistics count it', () => {
      spec.given([reported, dispatched, visitScheduled]).when(arrive(DAY + 1)).thenProduces((events) => {
        expect(existing([reported, dispatched, visitScheduled, ...events]).breaches).toEqual(['on-site']);
      });
    });
  });

  describe('business calendars', () => {
    it('pauses the clocks outside office hours, as for complaints', () => {
      // Friday 2026-03-06 17:30 Shanghai (09:30Z): 1 h left that day, 1 h on Monday → first contact due 10:00 Monday (02:00Z).
      const sla = workOrderSlaTermsAt({ ...DEFAULT_SLA_POLICY, calendar: SHANGHAI_OFFICE_CALENDAR }, 'medium', '2026-03-06T09:30:00.000Z');
      expect(sla.firstContactDue).toBe('2026-03-09T02:00:00.000Z');
      expect(sla.calendar.id).toBe('cn-office-hours');
      expect(Date.parse(sla.onSiteDue)).toBeGreaterThan(Date.parse(sla.firstContactDue));
    });
  });

  describe('clocks at risk, for escalation', () => {
    it('lists the running clocks due within the window, and overdue ones with a negative time left', () => {
      const state = existing([reported, dispatched, visitScheduled]);
      expect(workOrderClocksAtRisk(state, at(23 * HOUR), 2 * HOUR * 60_000)).toEqual([
        { clock: 'on-site', deadline: at(DAY), dueInMs: HOUR * 60_000, breachRecorded: false },
      ]);
      expect(workOrderClocksAtRisk(existing([reported]), at(3 * HOUR), 0)).toEqual([
        { clock: 'first-contact', deadline: at(2 * HOUR), dueInMs: -HOUR * 60_000, breachRecorded: false },
      ]);
    });

    it('leaves out met clocks and a cancelled order', () => {
      expect(workOrderClocksAtRisk(existing(onSiteHistory), at(23 * HOUR), 2 * HOUR * 60_000)).toEqual([]);
      expect(workOrderClocksAtRisk(existing([reported, dispatched, cancelled]), at(23 * HOUR), DAY * 60_000)).toEqual([]);
    });
  });
});
