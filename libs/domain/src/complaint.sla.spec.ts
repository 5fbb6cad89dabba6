import { deciderSpecification } from '@app/event-sourcing/testing';
import { complaintDecider } from './complaint.decider';
import { IllegalTransitionError, InvalidComplaintCommandError } from './complaint.errors';
import type { ComplaintEvent } from './complaint.events';
import { SLA_MONITOR } from './principal';
import { DEFAULT_SLA_POLICY, slaTermsAt } from './sla-policy';
import { agent, assigned, at, command, complaintId, received, rejected, resolvedAccepted, T0, validated } from './testing/complaint.fixtures';

const spec = deciderSpecification(complaintDecider);
const breach = (clock: 'first-reply' | 'answer' | 'on-site' | 'callback', minutes: number) =>
  ({ ...command('RecordSlaBreach', { clock }, minutes), actor: SLA_MONITOR });
const onSite: ComplaintEvent = received.type === 'ComplaintReceived'
  ? { type: 'ComplaintReceived', data: { ...received.data, onSiteRequired: true, sla: slaTermsAt(DEFAULT_SLA_POLICY, 'medium', T0, true) } }
  : received;

describe('SLA breaches in the decider', () => {
  it('records a first-reply breach once the deadline has passed without a reply', () => {
    spec.given([received]).when(breach('first-reply', 121)).then([{
      type: 'SlaBreached', data: { complaintId, clock: 'first-reply', deadline: at(120), detectedAt: at(121), by: SLA_MONITOR },
    }]);
  });

  it('records a breach detected exactly at the deadline', () => {
    spec.given([received]).when(breach('first-reply', 120)).thenProduces(([event]) => expect(event?.type).toBe('SlaBreached'));
  });

  it('refuses a breach before the deadline', () => {
    spec.given([received]).when(breach('first-reply', 119)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('deadline-not-passed'));
  });

  it('refuses a breach when the step happened first (an apology, or a rejection as an answer)', () => {
    const apologised: ComplaintEvent = { type: 'ComplaintApologised', data: { complaintId, apologisedAt: at(30), by: agent, channel: 'phone', statement: 's', firstReply: true } };
    spec.given([received, apologised]).when(breach('first-reply', 200)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-met'));
    spec.given([received, rejected]).when(breach('first-reply', 200)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-met'));
    spec.given([received, rejected]).when(breach('answer', 73 * 60)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-met'));
  });

  it('records each breach once', () => {
    const first: ComplaintEvent = { type: 'SlaBreached', data: { complaintId, clock: 'answer', deadline: at(72 * 60), detectedAt: at(72 * 60 + 1), by: SLA_MONITOR } };
    spec.given([received, first]).when(breach('answer', 80 * 60)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('breach-already-recorded'));
  });

  it('runs the callback clock only after a resolution, from the deadline recorded in it', () => {
    spec.given([received, validated, assigned]).when(breach('callback', 10_000)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-not-running'));
    spec.given([received, validated, assigned, resolvedAccepted]).when(breach('callback', 60 + 48 * 60)).thenProduces(([event]) => {
      expect(event?.type === 'SlaBreached' && event.data.deadline).toBe(at(60 + 48 * 60));
    });
  });

  it('sets no callback deadline under a policy without a callback duration, yet still takes a callback', () => {
    const { callback: _omitted, ...withoutCallback } = DEFAULT_SLA_POLICY;
    const noCallback: ComplaintEvent = received.type === 'ComplaintReceived'
      ? { type: 'ComplaintReceived', data: { ...received.data, sla: slaTermsAt({ ...withoutCallback, bySeverity: {} }, 'medium', T0, false) } }
      : received;
    const resolve = command('ResolveComplaint', { resolutionClass: 'immediate', remedy: 'explanation', customerAccepted: true }, 60);
    spec.given([noCallback, validated, assigned]).when(resolve).thenProduces(([event]) => {
      expect(event?.type === 'ComplaintResolved' && event.data.callbackDue).toBeNull();
    });
    const resolvedWithout: ComplaintEvent = { ...resolvedAccepted, data: { ...resolvedAccepted.data, callbackDue: null } } as ComplaintEvent;
    spec.given([noCallback, validated, assigned, resolvedWithout]).when(breach('callback', 100_000))
      .thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-not-running'));
    spec.given([noCallback, validated, assigned, resolvedWithout]).when(command('RecordCallback', { outcome: 'satisfied', satisfaction: 5 }, 100))
      .thenProduces(([event]) => expect(event?.type).toBe('CallbackDone'));
  });
});

describe('on-site visits', () => {
  it('records a visit for a repair and meets the on-site clock', () => {
    spec.given([onSite, validated, assigned]).when(command('RecordOnSiteVisit', { notes: 'meter replaced' }, 300, agent)).then([{
      type: 'OnSiteVisitRecorded', data: { complaintId, visitedAt: at(300), by: agent, notes: 'meter replaced' },
    }]);
    const visited: ComplaintEvent = { type: 'OnSiteVisitRecorded', data: { complaintId, visitedAt: at(300), by: agent, notes: null } };
    spec.given([onSite, visited]).when(breach('on-site', 25 * 60)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-met'));
  });

  it('breaches the on-site clock 24 hours after receipt without a visit', () => {
    spec.given([onSite, validated]).when(breach('on-site', 24 * 60)).thenProduces(([event]) => expect(event?.type === 'SlaBreached' && event.data.clock).toBe('on-site'));
  });

  it('refuses a visit for a complaint that needs none, and the on-site clock does not run', () => {
    spec.given([received]).when(command('RecordOnSiteVisit', {}, 30, agent)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('on-site-not-required'));
    spec.given([received]).when(breach('on-site', 5000)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-not-running'));
  });
});

describe('SLA warnings (SlaAtRisk) in the decider', () => {
  const warn = (clock: 'first-reply' | 'answer' | 'on-site' | 'callback', minutes: number, leadTime = 'PT30M') =>
    ({ ...command('RecordSlaAtRisk', { clock, leadTime }, minutes), actor: SLA_MONITOR });
  const warned: ComplaintEvent = { type: 'SlaAtRisk', data: { complaintId, clock: 'first-reply', deadline: at(120), leadTime: 'PT30M', warnedAt: at(95), by: SLA_MONITOR } };

  it('records a warning once the deadline is within the lead time, with the deadline and the lead', () => {
    spec.given([received]).when(warn('first-reply', 95)).then([warned]);
    spec.given([received]).when(warn('first-reply', 90)).thenProduces(([event]) => expect(event?.type).toBe('SlaAtRisk'));
  });

  it('refuses a warning while the deadline is further away than the lead time', () => {
    spec.given([received]).when(warn('first-reply', 89)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('not-yet-at-risk'));
  });

  it('refuses a warning at or after the deadline: that is a breach', () => {
    spec.given([received]).when(warn('first-reply', 120)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('deadline-passed'));
  });

  it('warns once per clock, refuses a clock whose step happened or that does not run, and takes only a lead above zero', () => {
    spec.given([received, warned]).when(warn('first-reply', 100)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('at-risk-already-recorded'));
    const apologised: ComplaintEvent = { type: 'ComplaintApologised', data: { complaintId, apologisedAt: at(30), by: agent, channel: 'phone', statement: 's', firstReply: true } };
    spec.given([received, apologised]).when(warn('first-reply', 100)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-met'));
    spec.given([received]).when(warn('callback', 100)).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('clock-not-running'));
    for (const leadTime of ['PT0S', 'soon', '-PT5M']) {
      spec.given([received]).when(warn('first-reply', 100, leadTime)).thenThrows(InvalidComplaintCommandError, (error) => expect([leadTime, error.code]).toEqual([leadTime, 'invalid-policy']));
    }
  });

  it('still records the breach after a warning, and the warning changes no deadline', () => {
    spec.given([received, warned]).when(breach('first-reply', 121)).then([{
      type: 'SlaBreached', data: { complaintId, clock: 'first-reply', deadline: at(120), detectedAt: at(121), by: SLA_MONITOR },
    }]);
    spec.given([received, warned]).when(warn('answer', 72 * 60 - 20)).thenProduces(([event]) => expect(event?.type === 'SlaAtRisk' && event.data.deadline).toBe(at(72 * 60)));
  });
});
