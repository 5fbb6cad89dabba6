import { deciderSpecification } from '@app/event-sourcing/testing';
import { foldServiceNetwork } from '../service-network';
import { admin, network, networkHistory } from '../service-network/testing/service-network.fixtures';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../sla-policy';
import {
  agent, arrived, at, closedHistory, command, diagnosedOnSiteNeeded, dispatch, dispatched, engineer, fixedRemotely, onSiteHistory, reportFault,
  reported, supervisor, visitScheduled, workOrderId,
} from './testing/work-order.fixtures';
import type { WorkOrderCommand } from './work-order.commands';
import { workOrderDecider } from './work-order.decider';
import {
  IllegalWorkOrderTransitionError, InvalidWorkOrderCommandError, WorkOrderAlreadyExistsError, WorkOrderNotFoundError,
} from './work-order.errors';
import type { WorkOrderEvent } from './work-order.events';
import { foldWorkOrder } from './work-order.evolve';

const spec = deciderSpecification(workOrderDecider);
const contact = command('RecordCustomerContact', { channel: 'phone', notes: '已致电客户，约明早上门' }, 15, agent);
const diagnose = command('RecordRemoteDiagnosis', { outcome: 'on-site-needed', findings: 'Pulser does not count past 20 L.' }, 40);
const fixRemotely = command('RecordRemoteDiagnosis', { outcome: 'fixed-remotely', findings: 'Preset limit reset over the network.' }, 40);
const schedule = command('ScheduleVisit', { scheduledFor: at(18 * 60) }, 45);
const arrive = command('RecordArrival', {}, 18 * 60);
const failVisit = command('RecordFailedVisit', { reason: 'customer-absent', notes: 'station closed', nextVisitAt: at(26 * 60) }, 18 * 60 + 5);
const cancel = command('CancelWorkOrder', { reason: 'the customer replaced the dispenser' }, 30, supervisor);
const escalate = command('EscalateWorkOrder', { to: 'branch-manager', reason: 'the part must come from the factory' }, 30, supervisor);
const link = command('LinkComplaint', { complaintId: '7d4c2a8e-0b6f-4c1a-9f3e-2a1b3c4d5e6f', reason: 'the customer complained about the delay' }, 30, agent);
const findings = command('RecordFindings', { findings: 'f', faultCause: 'product-defect', product: { status: 'none' } }, 18 * 60 + 30);
const work = command('RecordRepairWork', { description: 'w', parts: [], chargeable: false }, 19 * 60);
const test = command('RecordTest', { passed: true }, 19 * 60 + 40);
const signOff = command('RecordSignOff', { signedBy: '李先生' }, 19 * 60 + 50);
const handOver = command('HandOverWorkOrder', {}, 20 * 60);
const quote = command('QuoteRepair', { lines: [{ kind: 'labour', description: 'l', amount: { currency: 'CNY', minorUnits: 100 } }] }, 18 * 60 + 40);
const fee = command('RecordFee', { amount: { currency: 'CNY', minorUnits: 100 }, method: 'cash' }, 19 * 60 + 30);
const everyCommandButReport: WorkOrderCommand[] = [
  contact, dispatch(), diagnose, schedule, arrive, failVisit, findings, quote, command('ConfirmQuote', { quoteNumber: 1, confirmedBy: 'c', channel: 'phone' }),
  command('RefuseQuote', { quoteNumber: 1, reason: 'r', continueWithFreeWork: false }), work, fee, test, signOff, handOver,
  command('SendSurvey', { surveyId: 's', channel: 'phone', questions: [{ id: 'q', text: 't' }] }), command('RecordSurveyAnswer', { answers: [{ questionId: 'q', score: 5 }] }),
  cancel, command('ReopenWorkOrder', { reason: 'r', network }), escalate, link, command('RecordWorkOrderSlaBreach', { clock: 'first-contact' }),
];

describe('work order decider', () => {
  describe('with no work order yet', () => {
    it('records the reported fault with the deadlines of the policy in force', () => {
      spec.given([]).when(reportFault()).then([reported]);
    });

    it('runs the seed\'s clocks from the report: first contact 2 h, on site 24 h, completion 72 h; a 30-day repeat-repair window', () => {
      spec.given([]).when(reportFault()).thenProduces(([event]) => {
        if (event?.type !== 'WorkOrderReported') throw new Error('expected WorkOrderReported');
        expect(event.data.sla).toMatchObject({ policyVersion: 'seed-default-v1', firstContactDue: at(120), onSiteDue: at(24 * 60), completionDue: at(72 * 60) });
        expect(event.data).toMatchObject({ priority: 'medium', repeatRepairWindow: 'P30D', linkedComplaintId: null });
      });
    });

    it('tightens the deadlines for a critical repair, links the complaint it answers and keeps a configured window', () => {
      spec.given([]).when(reportFault({ priority: 'critical', complaintId: 'c-1', repeatRepairWindow: 'P14D' })).thenProduces(([event]) => {
        if (event?.type !== 'WorkOrderReported') throw new Error('expected WorkOrderReported');
        expect(event.data.sla).toMatchObject({ firstContactDue: at(30), onSiteDue: at(4 * 60), completionDue: at(24 * 60) });
        expect(event.data).toMatchObject({ linkedComplaintId: 'c-1', repeatRepairWindow: 'P14D' });
      });
    });

    it.each<[string, Parameters<typeof reportFault>[0], string, string]>([
      ['a serial number not in canonical form', { product: { model: 'm', serialNumber: 'tq2240-000731' } }, 'invalid-serial-number', 'product.serialNumber'],
      ['a region that is not a plain code', { region: 'Dan dong' }, 'invalid-region', 'region'],
      ['no fault description', { faultDescription: ' ' }, 'description-required', 'faultDescription'],
      ['a policy with a bad duration', { policy: { ...DEFAULT_SLA_POLICY, onSite: '1 day' } as SlaPolicy }, 'invalid-policy', 'policy'],
      ['a repeat-repair window in months', { repeatRepairWindow: 'P1M' }, 'invalid-repeat-window', 'repeatRepairWindow'],
      ['an empty repeat-repair window', { repeatRepairWindow: 'PT0S' }, 'invalid-repeat-window', 'repeatRepairWindow'],
      ['a repeat-repair window of 27,000 years', { repeatRepairWindow: 'P9999999D' }, 'invalid-repeat-window', 'repeatRepairWindow'],
      ['a repeat-repair window a day longer than a leap year', { repeatRepairWindow: 'P367D' }, 'invalid-repeat-window', 'repeatRepairWindow'],
    ])('refuses %s', (_name, overrides, code, field) => {
      spec.given([]).when(reportFault(overrides)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field, kind: 'invalid' }));
    });

    it('takes a repeat-repair window up to a year, and says the bound when one is longer', () => {
      spec.given([]).when(reportFault({ repeatRepairWindow: 'P366D' })).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderReported'));
      spec.given([]).when(reportFault({ repeatRepairWindow: 'P9999999D' })).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.message).toContain('at most a year (P366D)'));
    });

    it.each(everyCommandButReport)('refuses $type: the work order does not exist', (cmd) => {
      spec.given([]).when(cmd).thenThrows(WorkOrderNotFoundError, (error) => expect(error).toMatchObject({ workOrderId, kind: 'not-found' }));
    });
  });

  describe('texts that show nothing (issue 19: notes of spaces alone were recorded), whichever way the command comes', () => {
    const BLANKS = ['   ', '\u00a0\u3000', '\u200b\u2060', '\ufeff'];
    const cases: Array<[string, (text: string) => WorkOrderCommand, WorkOrderEvent[]]> = [
      ['address', (text) => reportFault({ address: text }), []],
      ['contact.name', (text) => reportFault({ contact: { name: text, phone: '+86 415 000 0000' } }), []],
      ['notes', (text) => command('RecordCustomerContact', { channel: 'phone', notes: text }, 15, agent), [reported]],
      ['notes', (text) => command('RecordArrival', { notes: text }, 18 * 60), [reported]],
      ['notes', (text) => command('RecordTest', { passed: true, notes: text }, 19 * 60 + 40), [reported]],
      ['remarks', (text) => command('RecordSignOff', { signedBy: '李先生', remarks: text }, 19 * 60 + 50), [reported]],
      ['notes', (text) => command('HandOverWorkOrder', { notes: text }, 20 * 60), [reported]],
      ['parts[0].name', (text) => command('RecordRepairWork', { description: 'w', parts: [{ partNumber: 'P-1', name: text, quantity: 1 }], chargeable: false }, 19 * 60), [reported]],
      ['answers[0].comment', (text) => command('RecordSurveyAnswer', { answers: [{ questionId: 'q', score: 5, comment: text }] }), [reported]],
    ];
    it.each(cases)('refuses %s of spaces or invisible characters alone with blank-text naming the field', (field, withText, history) => {
      for (const blank of BLANKS) {
        spec.given(history).when(withText(blank)).thenThrows(InvalidWorkOrderCommandError, (error) => expect([error.code, error.field]).toEqual(['blank-text', field]));
      }
    });
    it('takes notes that say something', () => {
      spec.given([reported]).when(command('RecordCustomerContact', { channel: 'phone', notes: ' 已致电 ' }, 15, agent)).thenProduces((events) => expect(events.map((event) => event.type)).toContain('WorkOrderCustomerContacted'));
    });
  });

  describe('when reported', () => {
    it('refuses a second report with the same id', () => {
      spec.given([reported]).when(reportFault()).thenThrows(WorkOrderAlreadyExistsError, (error) => expect(error.kind).toBe('conflict'));
    });

    it('records the first contact with the customer', () => {
      spec.given([reported]).when(contact).then([{
        type: 'WorkOrderCustomerContacted', data: { workOrderId, contactedAt: at(15), by: agent, channel: 'phone', notes: '已致电客户，约明早上门', firstContact: true },
      }]);
    });

    it('marks a later contact as not the first', () => {
      spec.given([reported, dispatched, diagnosedOnSiteNeeded]).when(contact).thenProduces(([event]) => {
        expect(event?.type === 'WorkOrderCustomerContacted' && event.data.firstContact).toBe(false);
      });
    });

    it('dispatches it to a service station and one of its engineers, as the directory names them', () => {
      spec.given([reported]).when(dispatch()).then([dispatched]);
    });

    it('dispatches to an engineer named in another letter case or width as the directory\'s engineer, recorded in its spelling', () => {
      spec.given([reported]).when(dispatch({ engineerId: 'ＥＮＧ-Wang' })).then([dispatched]);
    });

    it('dispatches to a station named in another letter case or width as the directory\'s station, recorded in its spelling (as engineer ids)', () => {
      spec.given([reported]).when(dispatch({ stationCode: 'DANDONG-Ｓtation' })).then([dispatched]);
    });

    it('refuses an unknown station with the close codes and where the stations are listed', () => {
      spec.given([reported]).when(dispatch({ stationCode: 'dandong-statoin' })).thenThrows(InvalidWorkOrderCommandError, (error) => {
        expect(error).toMatchObject({ code: 'unknown-station', field: 'stationCode' });
        expect(error.message).toBe('No service unit with code dandong-statoin in the service network (did you mean dandong-station?). GET /service-network lists the stations and their engineers.');
      });
    });

    it.each<[string, Parameters<typeof dispatch>[0], string, string]>([
      ['a station the network does not have', { stationCode: 'jinzhou-station' }, 'unknown-station', 'stationCode'],
      ['the centre, which is no service point', { stationCode: 'cs-centre' }, 'not-a-service-point', 'stationCode'],
      ['an engineer the network does not have', { engineerId: 'eng-nobody' }, 'unknown-engineer', 'engineerId'],
      ['an engineer of another unit', { engineerId: 'eng-liu' }, 'engineer-not-at-station', 'engineerId'],
      ['an engineer no longer active', {
        network: foldServiceNetwork([...networkHistory, { type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: at(5), by: admin, reason: 'left' } }]),
      }, 'engineer-inactive', 'engineerId'],
    ])('refuses to dispatch to %s (400)', (_name, overrides, code, field) => {
      spec.given([reported]).when(dispatch(overrides)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code, field, kind: 'invalid' }));
    });

    it.each([diagnose, schedule, arrive, failVisit, findings, work, test, signOff, quote, fee, handOver])('refuses $type: no on-site work before dispatch', (cmd) => {
      spec.given([reported]).when(cmd).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error).toMatchObject({ code: 'not-dispatched', command: cmd.type, currentStatus: 'reported', kind: 'conflict' });
        expect(error.message).toMatch(/dispatch/);
      });
    });

    it('cancels it with a reason', () => {
      spec.given([reported]).when(cancel).then([{
        type: 'WorkOrderCancelled', data: { workOrderId, cancelledAt: at(30), by: supervisor, reason: 'the customer replaced the dispenser', previousStatus: 'reported' },
      }]);
    });

    it('refuses to cancel without a reason', () => {
      spec.given([reported]).when({ ...cancel, data: { reason: '' } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('reason-required'));
    });

    it('escalates to level 1 beyond the handler\'s authority', () => {
      spec.given([reported]).when(escalate).then([{
        type: 'WorkOrderEscalated',
        data: { workOrderId, escalatedAt: at(30), by: supervisor, to: 'branch-manager', level: 1, reason: 'the part must come from the factory', trigger: 'authority', clock: null, deadline: null },
      }]);
    });

    it('links a complaint, once', () => {
      spec.given([reported]).when(link).then([{
        type: 'WorkOrderLinkedToComplaint',
        data: { workOrderId, linkedAt: at(30), by: agent, complaintId: '7d4c2a8e-0b6f-4c1a-9f3e-2a1b3c4d5e6f', reason: 'the customer complained about the delay' },
      }]);
      const reportedWithLink = { ...reported, data: { ...reported.data, linkedComplaintId: link.data.complaintId } } as WorkOrderEvent;
      spec.given([reportedWithLink]).when(link).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-linked'));
      spec.given([reported]).when({ ...link, data: { complaintId: '' } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('complaint-id-required'));
    });
  });

  describe('when dispatched', () => {
    it('records a remote diagnosis that needs a visit', () => {
      spec.given([reported, dispatched]).when(diagnose).then([diagnosedOnSiteNeeded]);
      expect(foldWorkOrder([reported, dispatched, diagnosedOnSiteNeeded]).status).toBe('dispatched');
    });

    it('records a remote fix, which goes straight to the customer\'s confirmation', () => {
      spec.given([reported, dispatched]).when(fixRemotely).then([fixedRemotely]);
      expect(foldWorkOrder([reported, dispatched, fixedRemotely]).status).toBe('fixed-remotely');
    });

    it('refuses a remote diagnosis that says nothing', () => {
      spec.given([reported, dispatched]).when({ ...diagnose, data: { ...diagnose.data, findings: '' } })
        .thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('findings-required'));
    });

    it('schedules the first visit', () => {
      spec.given([reported, dispatched]).when(schedule).then([visitScheduled]);
    });

    it('refuses a visit in the past, or at a time that is not one', () => {
      spec.given([reported, dispatched]).when(command('ScheduleVisit', { scheduledFor: at(30) }, 45)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code: 'visit-in-past', field: 'scheduledFor' }));
      spec.given([reported, dispatched]).when(command('ScheduleVisit', { scheduledFor: 'tomorrow morning' }, 45)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('invalid-time'));
    });

    it('schedules a visit up to a year (366 days) ahead, and refuses one further ahead (a mistyped year)', () => {
      const yearAhead = new Date(Date.parse(at(45)) + 366 * 24 * 3_600_000).toISOString();
      spec.given([reported, dispatched]).when(command('ScheduleVisit', { scheduledFor: yearAhead }, 45)).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderVisitScheduled'));
      const justBeyond = new Date(Date.parse(yearAhead) + 60_000).toISOString();
      for (const far of [justBeyond, '2999-03-03T09:00:00+08:00', '9999-12-31T23:59:00Z', '9999-12-31']) {
        spec.given([reported, dispatched]).when(command('ScheduleVisit', { scheduledFor: far }, 45)).thenThrows(InvalidWorkOrderCommandError, (error) => {
          expect(error).toMatchObject({ code: 'visit-too-far-ahead', field: 'scheduledFor', kind: 'invalid' });
          expect(error.message).toMatch(/at most a year ahead/);
        });
      }
    });

    it('refuses a visit in year 0001 or 0099 as in the past', () => {
      for (const early of ['0001-03-03T09:00:00Z', '0099-03-03T09:00:00+08:00']) {
        spec.given([reported, dispatched]).when(command('ScheduleVisit', { scheduledFor: early }, 45)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('visit-in-past'));
      }
    });

    it('records the time of a visit in UTC whatever offset it was given in', () => {
      spec.given([reported, dispatched]).when(command('ScheduleVisit', { scheduledFor: '2026-03-03T10:00:00+08:00' }, 45)).thenProduces(([event]) => {
        expect(event?.type === 'WorkOrderVisitScheduled' && event.data.scheduledFor).toBe('2026-03-03T02:00:00.000Z');
      });
    });

    it('records an arrival nobody scheduled as a visit of its own (18 h after the report with no contact before: the first-contact breach with it)', () => {
      spec.given([reported, dispatched]).when(arrive).then([{
        type: 'WorkOrderSlaBreached', data: { workOrderId, clock: 'first-contact', deadline: at(2 * 60), cycle: 1, detectedAt: at(18 * 60), by: engineer },
      }, {
        type: 'WorkOrderEngineerArrived', data: { workOrderId, arrivedAt: at(18 * 60), by: engineer, visitNumber: 1, scheduledFor: null, engineerId: 'eng-wang', notes: null },
      }]);
    });

    it('redispatches with a reason, recording the dispatch it replaces', () => {
      spec.given([reported, dispatched]).when(dispatch({ stationCode: 'dalian-branch', engineerId: 'eng-liu', reason: 'needs an electrician' })).thenProduces(([event]) => {
        expect(event).toMatchObject({
          type: 'WorkOrderDispatched',
          data: { station: { code: 'dalian-branch' }, engineer: { id: 'eng-liu', name: '刘工' }, reason: 'needs an electrician', previous: { stationCode: 'dandong-station', engineerId: 'eng-wang' } },
        });
      });
    });

    it('refuses a redispatch without a reason, or to the same engineer', () => {
      spec.given([reported, dispatched]).when(dispatch({ stationCode: 'dalian-branch', engineerId: 'eng-liu' })).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('reason-required'));
      spec.given([reported, dispatched]).when(dispatch({ reason: 'again' })).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-dispatched'));
      // The same engineer in another spelling is the same person (found by an attacker: it wrote a second dispatch).
      spec.given([reported, dispatched]).when(dispatch({ engineerId: 'ENG-Wang', reason: 'again' })).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('already-dispatched');
        expect(error.message).toContain('already with eng-wang at dandong-station');
      });
    });

    it('refuses a failed visit when no visit is scheduled', () => {
      spec.given([reported, dispatched]).when(failVisit).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('no-visit'));
    });

    it.each([findings, work, test])('refuses $type while the engineer is not on site', (cmd) => {
      spec.given([reported, dispatched]).when(cmd).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error).toMatchObject({ code: 'not-on-site', currentStatus: 'dispatched' }));
    });

    it('refuses the sign-off and the hand-over before any test has passed', () => {
      spec.given([reported, dispatched]).when(signOff).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('test-not-passed'));
      spec.given([reported, dispatched]).when(handOver).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-signed-off'));
    });
  });

  describe('when a visit is scheduled', () => {
    const given = [reported, dispatched, visitScheduled];

    it('reschedules it with a reason, keeping its number', () => {
      spec.given(given).when(command('ScheduleVisit', { scheduledFor: at(20 * 60), reason: '客户要求改期' }, 60)).then([{
        type: 'WorkOrderVisitScheduled', data: { workOrderId, scheduledAt: at(60), by: engineer, visitNumber: 1, scheduledFor: at(20 * 60), rescheduled: true, reason: '客户要求改期' },
      }]);
    });

    it('refuses to reschedule without a reason', () => {
      spec.given(given).when(command('ScheduleVisit', { scheduledFor: at(20 * 60) }, 60)).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('reason-required'));
    });

    it('records the engineer\'s arrival', () => {
      spec.given(given).when(arrive).then([arrived]);
    });

    it('records a failed visit, which schedules the next one', () => {
      spec.given(given).when(failVisit).then([{
        type: 'WorkOrderVisitFailed',
        data: { workOrderId, failedAt: at(18 * 60 + 5), by: engineer, visitNumber: 1, reason: 'customer-absent', notes: 'station closed', nextVisit: { visitNumber: 2, scheduledFor: at(26 * 60) } },
      }]);
      const failed: WorkOrderEvent = { type: 'WorkOrderVisitFailed', data: { workOrderId, failedAt: at(18 * 60 + 5), by: engineer, visitNumber: 1, reason: 'customer-absent', notes: null, nextVisit: { visitNumber: 2, scheduledFor: at(26 * 60) } } };
      expect(foldWorkOrder([...given, failed])).toMatchObject({ status: 'visit-scheduled', visit: { number: 2, scheduledFor: at(26 * 60) }, visitCount: 2 });
    });

    it('refuses a next visit more than a year ahead of the failed one', () => {
      spec.given(given).when(command('RecordFailedVisit', { reason: 'customer-absent', nextVisitAt: '9999-12-31T09:00:00+08:00' }, 18 * 60 + 5))
        .thenThrows(InvalidWorkOrderCommandError, (error) => expect(error).toMatchObject({ code: 'visit-too-far-ahead', field: 'nextVisitAt' }));
    });

    it('still takes a remote fix before anyone went out', () => {
      spec.given(given).when(fixRemotely).then([fixedRemotely]);
    });

    it('refuses a remote diagnosis once an engineer has been on site in this repair', () => {
      const partMissing: WorkOrderEvent = { type: 'WorkOrderVisitFailed', data: { workOrderId, failedAt: at(18 * 60 + 30), by: engineer, visitNumber: 1, reason: 'part-missing', notes: null, nextVisit: { visitNumber: 2, scheduledFor: at(40 * 60) } } };
      spec.given([...onSiteHistory, partMissing]).when(fixRemotely).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-visited'));
    });
  });

  describe('when the engineer is on site', () => {
    it.each([schedule, arrive, diagnose])('refuses $type', (cmd) => {
      spec.given(onSiteHistory).when(cmd).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-on-site'));
    });

    it('records a failed visit for a missing part, scheduling the next one and keeping the arrival for the on-site clock', () => {
      const missing = command('RecordFailedVisit', { reason: 'part-missing', nextVisitAt: at(40 * 60) }, 18 * 60 + 30);
      spec.given(onSiteHistory).when(missing).thenProduces((events) => {
        expect(events).toEqual([{
          type: 'WorkOrderVisitFailed',
          data: { workOrderId, failedAt: at(18 * 60 + 30), by: engineer, visitNumber: 1, reason: 'part-missing', notes: null, nextVisit: { visitNumber: 2, scheduledFor: at(40 * 60) } },
        }]);
        expect(foldWorkOrder([...onSiteHistory, ...events])).toMatchObject({ status: 'visit-scheduled', repair: { arrivedAt: at(18 * 60) } });
      });
    });

    it('redispatches to another engineer, who schedules their own visit', () => {
      spec.given(onSiteHistory).when(dispatch({ stationCode: 'dalian-branch', engineerId: 'eng-liu', reason: 'electrical fault' })).thenProduces((events) => {
        expect(foldWorkOrder([...onSiteHistory, ...events])).toMatchObject({ status: 'dispatched', dispatch: { engineerId: 'eng-liu' }, repair: { arrivedAt: at(18 * 60) } });
      });
    });
  });

  describe('when fixed remotely', () => {
    const given = [reported, dispatched, fixedRemotely];

    it.each([schedule, arrive])('refuses $type: the fault is fixed', (cmd) => {
      spec.given(given).when(cmd).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('already-fixed'));
    });

    it('refuses a redispatch', () => {
      spec.given(given).when(dispatch({ engineerId: 'eng-liu', stationCode: 'dalian-branch', reason: 'r' })).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-dispatchable'));
    });

    it('refuses the hand-over before the customer confirmed the fix', () => {
      spec.given(given).when(handOver).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-signed-off'));
    });

    it('can still be cancelled', () => {
      spec.given(given).when(cancel).thenProduces(([event]) => expect(event?.type === 'WorkOrderCancelled' && event.data.previousStatus).toBe('fixed-remotely'));
    });
  });

  describe('when cancelled', () => {
    const cancelled: WorkOrderEvent = { type: 'WorkOrderCancelled', data: { workOrderId, cancelledAt: at(30), by: supervisor, reason: 'r', previousStatus: 'dispatched' } };
    const given = [reported, dispatched, cancelled];

    it.each([contact, dispatch({ reason: 'r' }), schedule, arrive, cancel, findings, work])('refuses $type', (cmd) => {
      spec.given(given).when(cmd).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error).toMatchObject({ code: 'not-open', currentStatus: 'cancelled' }));
    });

    it('refuses an escalation', () => {
      spec.given(given).when(escalate).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-escalatable'));
    });

    it('refuses a reopen, telling to open a new order', () => {
      spec.given(given).when(command('ReopenWorkOrder', { reason: 'r', network })).thenThrows(IllegalWorkOrderTransitionError, (error) => {
        expect(error.code).toBe('not-reopenable');
        expect(error.message).toMatch(/new work order/);
      });
    });

    it('still takes a link to a complaint', () => {
      spec.given(given).when(link).thenProduces(([event]) => expect(event?.type).toBe('WorkOrderLinkedToComplaint'));
    });
  });

  describe('escalation', () => {
    it('escalates a clock at risk, recording its deadline', () => {
      spec.given([reported, dispatched]).when({ ...escalate, data: { ...escalate.data, clock: 'on-site' } }).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'WorkOrderEscalated', data: { trigger: 'sla-at-risk', clock: 'on-site', deadline: at(24 * 60), level: 1 } });
      });
    });

    it('refuses an at-risk escalation for a clock already met or not running', () => {
      spec.given(onSiteHistory).when({ ...escalate, data: { ...escalate.data, clock: 'on-site' } }).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('clock-met'));
      spec.given(onSiteHistory).when({ ...escalate, data: { ...escalate.data, clock: 'survey' } }).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('clock-not-running'));
    });

    it('only goes up, by whole levels', () => {
      const escalated: WorkOrderEvent = { type: 'WorkOrderEscalated', data: { workOrderId, escalatedAt: at(30), by: supervisor, to: 'm', level: 2, reason: 'r', trigger: 'authority', clock: null, deadline: null } };
      spec.given([reported, escalated]).when({ ...escalate, data: { ...escalate.data, level: 2 } }).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('escalation-level-not-higher'));
      spec.given([reported, escalated]).when(escalate).thenProduces(([event]) => expect(event?.type === 'WorkOrderEscalated' && event.data.level).toBe(3));
      spec.given([reported]).when({ ...escalate, data: { ...escalate.data, level: 1.5 } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('invalid-level'));
    });

    it('refuses an escalation to no one or for no reason', () => {
      spec.given([reported]).when({ ...escalate, data: { ...escalate.data, to: '' } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('escalation-target-required'));
      spec.given([reported]).when({ ...escalate, data: { ...escalate.data, reason: ' ' } }).thenThrows(InvalidWorkOrderCommandError, (error) => expect(error.code).toBe('reason-required'));
    });

    it('refuses to escalate a closed order', () => {
      spec.given(closedHistory).when(escalate).thenThrows(IllegalWorkOrderTransitionError, (error) => expect(error.code).toBe('not-escalatable'));
    });
  });
});

describe('work order evolve', () => {
  it('never throws on history that would not be decided today', () => {
    expect(foldWorkOrder([dispatched]).status).toBe('none');
    expect(foldWorkOrder([reported, arrived])).toMatchObject({ status: 'on-site', dispatch: { engineerId: 'unknown' } });
    expect(foldWorkOrder([reported, visitScheduled, fixedRemotely]).status).toBe('fixed-remotely');
  });

  it('holds only JSON values: the service network given to a dispatch (maps) stays out of it', () => {
    const state = foldWorkOrder([reported, dispatched]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
