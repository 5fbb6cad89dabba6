import { deciderSpecification } from '@app/event-sourcing/testing';
import type { Actor } from '../principal';
import { InvalidSurveyCommandError } from './survey.errors';
import {
  InvalidSurveyCampaignError, SurveyCampaignConflictError, SurveyCampaignNotRunError, evolveSurveyCampaign, initialSurveyCampaignState, surveyCampaignDecider,
  surveyCampaignDecisionWords, upcastSurveyCampaignEvent, type CompleteSurveyCampaign, type RunSurveyCampaign, type SurveyCampaignCompleted, type SurveyCampaignRun,
} from './survey-campaign';

const spec = deciderSpecification(surveyCampaignDecider);
const supervisor: Actor = { id: 'sup-zhao', role: 'supervisor' };
const campaignId = '5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50';
const T0 = '2026-03-02T08:00:00.000Z';
const selected = [{ customerId: 'cust-001', complaintId: 'c-2026-0001' }, { customerId: 'cust-002', complaintId: null }];

const run = (data: Partial<RunSurveyCampaign['data']> = {}): RunSurveyCampaign => ({
  type: 'RunSurveyCampaign', campaignId, at: T0, actor: supervisor,
  data: { segments: { usage: 'enterprise-vehicle' }, channel: 'phone', reason: '车队客户季度回访', selected, limit: 5000, ...data },
});
const campaignRun: SurveyCampaignRun = {
  type: 'SurveyCampaignRun',
  data: { campaignId, runAt: T0, by: supervisor, segments: { usage: 'enterprise-vehicle' }, channel: 'phone', reason: '车队客户季度回访', questions: null, selected },
};
const T1 = '2026-03-02T08:00:05.000Z';
const complete = (data: Partial<CompleteSurveyCampaign['data']> = {}): CompleteSurveyCampaign => ({
  type: 'CompleteSurveyCampaign', campaignId, at: T1, actor: supervisor, data: { sent: 1, skipped: { 'no-subject': 1 }, ...data },
});
const campaignCompleted: SurveyCampaignCompleted = { type: 'SurveyCampaignCompleted', data: { campaignId, completedAt: T1, matched: 2, sent: 1, skipped: { 'no-subject': 1 } } };

describe('survey campaign decider', () => {
  it('records the segment, the reason and what it selected: each matched customer with the complaint its survey asks about', () => {
    spec.given([]).when(run()).then([campaignRun]);
  });

  it('keeps the questions asked, and only the dimensions given', () => {
    spec.given([]).when(run({ segments: { usage: 'enterprise-vehicle', locality: undefined, settlement: '' }, questions: [{ id: 'overall' }] })).thenProduces(([event]) => {
      expect((event as SurveyCampaignRun | undefined)?.data).toMatchObject({ segments: { usage: 'enterprise-vehicle' }, questions: [{ id: 'overall' }] });
      expect(Object.keys((event as SurveyCampaignRun | undefined)?.data.segments ?? {})).toEqual(['usage']);
    });
  });

  it('runs a campaign that matched nobody (nothing to send, but recorded)', () => {
    spec.given([]).when(run({ selected: [] })).thenProduces(([event]) => expect((event as SurveyCampaignRun | undefined)?.data.selected).toEqual([]));
  });

  it('reaches exactly the limit', () => {
    spec.given([]).when(run({ limit: 2 })).thenProduces(([event]) => expect((event as SurveyCampaignRun | undefined)?.data.selected).toHaveLength(2));
  });

  it('refuses a campaign beyond the limit (400, the count and the limit named)', () => {
    spec.given([]).when(run({ limit: 1 })).thenThrows(InvalidSurveyCampaignError, (error) => {
      expect(error).toMatchObject({ code: 'campaign-too-large', kind: 'invalid', field: 'segments' });
      expect(error.message).toContain('at most 1');
    });
  });

  it('refuses a campaign without a segment dimension', () => {
    spec.given([]).when(run({ segments: {} })).thenThrows(InvalidSurveyCampaignError, (error) => {
      expect(error).toMatchObject({ code: 'campaign-segment-required', field: 'segments' });
    });
  });

  it('refuses a campaign without a reason', () => {
    spec.given([]).when(run({ reason: '  ' })).thenThrows(InvalidSurveyCampaignError, (error) => {
      expect(error).toMatchObject({ code: 'campaign-reason-required', field: 'reason' });
    });
  });

  it('refuses questions a survey would refuse, before anything is written', () => {
    spec.given([]).when(run({ questions: [{ id: 'own' }] })).thenThrows(InvalidSurveyCommandError, (error) => {
      expect(error).toMatchObject({ code: 'survey-question-text-required', field: 'questions[0].text' });
    });
    spec.given([]).when(run({ questions: [{ id: 'overall' }, { id: 'overall' }] })).thenThrows(InvalidSurveyCommandError, (error) => {
      expect(error).toMatchObject({ code: 'duplicate-survey-question' });
    });
  });

  it('says in words what the campaign decided, for the audit trail', () => {
    expect(surveyCampaignDecisionWords(campaignRun)).toEqual({
      'zh-CN': `发起满意度调查活动 ${campaignId}（客户细分 usage=enterprise-vehicle）：匹配 2 位客户，其中 1 位有已回访的投诉`,
      en: `Ran survey campaign ${campaignId} for the segment usage=enterprise-vehicle: 2 customers matched, 1 with a called-back complaint`,
    });
  });

  describe('completion (every selected customer handled: after the run, or after a crash part-way)', () => {
    it('given a run campaign, records that its sends are done, with the counts', () => {
      spec.given([campaignRun]).when(complete()).then([campaignCompleted]);
    });

    it('records nothing when the campaign was completed already (a second completion, after a retry or at start)', () => {
      spec.given([campaignRun, campaignCompleted]).when(complete({ sent: 0, skipped: {} })).then([]);
    });

    it('refuses to complete a campaign that was never run (409)', () => {
      spec.given([]).when(complete()).thenThrows(SurveyCampaignNotRunError, (error) => {
        expect(error).toMatchObject({ code: 'campaign-not-run', kind: 'conflict' });
      });
    });

    it('refuses counts that do not add up to the selection', () => {
      spec.given([campaignRun]).when(complete({ sent: 2 })).thenThrows(InvalidSurveyCampaignError, (error) => {
        expect(error).toMatchObject({ code: 'campaign-counts-mismatch' });
      });
    });

    it('folds into a completed campaign that keeps its selection', () => {
      const state = [campaignRun, campaignCompleted].reduce(evolveSurveyCampaign, initialSurveyCampaignState);
      expect(state).toMatchObject({ status: 'completed', selected, channel: 'phone', completion: { completedAt: T1, sent: 1, skipped: { 'no-subject': 1 } } });
    });

    it('says in words what the completion recorded', () => {
      expect(surveyCampaignDecisionWords(campaignCompleted)).toEqual({
        'zh-CN': `调查活动 ${campaignId} 发送完毕：发出 1 份问卷，跳过 1 位客户`,
        en: `Survey campaign ${campaignId} finished sending: 1 survey sent, 1 customer skipped`,
      });
    });

    it('reads a campaign recorded before campaigns named their channel as one without a channel', () => {
      const { channel: _channel, ...v1 } = campaignRun.data;
      expect(upcastSurveyCampaignEvent('SurveyCampaignRun', { ...v1 }, () => 1).data).toMatchObject({ channel: null });
      expect(upcastSurveyCampaignEvent('SurveyCampaignRun', { ...campaignRun.data }, () => 2).data).toMatchObject({ channel: 'phone' });
    });
  });

  it('refuses to run a campaign id twice (409)', () => {
    spec.given([campaignRun]).when(run()).thenThrows(SurveyCampaignConflictError, (error) => {
      expect(error).toMatchObject({ code: 'campaign-exists', kind: 'conflict' });
      expect(error.message).toContain(T0);
    });
  });
});
