import type { Decider } from '@app/event-sourcing';
import { assertNever } from '../assert-never';
import type { Words } from '../decision-words';
import { DomainError } from '../domain-error';
import { upcastEventData } from '../event-versions';
import type { Actor } from '../principal';
import type { Channel } from '../taxonomy';
import type { SurveyQuestionRequest } from './survey.commands';
import { surveyQuestions } from './survey.decide';

/**
 * A survey campaign (调查活动, issue 18): satisfaction surveys sent at once to the customers of a
 * segment. The campaign's own stream (`survey-campaign-<id>`) records what it selected; each survey
 * goes through the survey's own SendSatisfactionSurvey decision (one open survey per subject holds)
 * and carries the campaign's id.
 */

/** The customer files' segment dimensions (市场细分) a campaign filters on, as the customer-file list does. */
export const CAMPAIGN_SEGMENT_DIMENSIONS = ['consumerKind', 'usage', 'driverType', 'locality', 'settlement'] as const;
export type CampaignSegmentDimension = (typeof CAMPAIGN_SEGMENT_DIMENSIONS)[number];
export type CampaignSegments = Partial<Record<CampaignSegmentDimension, string>>;

/** How many customers one campaign may reach when the application sets nothing else (SURVEY_CAMPAIGN_LIMIT). */
export const DEFAULT_SURVEY_CAMPAIGN_LIMIT = 5000;

/** A customer the segment matched, and the complaint its survey asks about (its latest called back or closed one; null: none). */
export interface CampaignSelection {
  readonly customerId: string;
  readonly complaintId: string | null;
}

export interface RunSurveyCampaign {
  readonly type: 'RunSurveyCampaign';
  readonly campaignId: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: {
    readonly segments: CampaignSegments;
    /** The channel every survey of the campaign is sent by. */
    readonly channel: Channel;
    readonly reason: string;
    readonly questions?: readonly SurveyQuestionRequest[];
    /** What the application found: every customer on file in the segment (looked up before the decision). */
    readonly selected: readonly CampaignSelection[];
    /** The most customers one campaign may reach: the application's setting. */
    readonly limit: number;
  };
}

/**
 * Why a selected customer got no survey: a code of the survey's refusals, `no-subject` (no complaint called back or closed),
 * `merged` (its survivor has this campaign's survey already) or `erased` (erased after the selection, checked at sending).
 */
export const CAMPAIGN_SKIP_REASONS = ['no-subject', 'survey-already-open', 'subject-not-ready', 'unknown-complaint', 'merged', 'erased'] as const;
export type CampaignSkipReason = (typeof CAMPAIGN_SKIP_REASONS)[number];
export type CampaignSkipCounts = Partial<Record<CampaignSkipReason, number>>;

/** Every selected customer was handled (sent or skipped): recorded after the sends, by the run or by the completion of one cut short. */
export interface CompleteSurveyCampaign {
  readonly type: 'CompleteSurveyCampaign';
  readonly campaignId: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: {
    readonly sent: number;
    readonly skipped: CampaignSkipCounts;
  };
}
export type SurveyCampaignCommand = RunSurveyCampaign | CompleteSurveyCampaign;

export interface SurveyCampaignRun {
  readonly type: 'SurveyCampaignRun';
  readonly data: {
    readonly campaignId: string;
    readonly runAt: string;
    readonly by: Actor;
    readonly segments: CampaignSegments;
    /** null: recorded before campaigns named their channel (schema version 1). */
    readonly channel: Channel | null;
    readonly reason: string;
    readonly questions: readonly SurveyQuestionRequest[] | null;
    /** The customers the segment matched, each with the complaint surveyed (null: none to survey). */
    readonly selected: readonly CampaignSelection[];
  };
}
/** The campaign's sends are done: what it sent and skipped (the selected customers, each counted once). */
export interface SurveyCampaignCompleted {
  readonly type: 'SurveyCampaignCompleted';
  readonly data: {
    readonly campaignId: string;
    readonly completedAt: string;
    readonly matched: number;
    readonly sent: number;
    readonly skipped: CampaignSkipCounts;
  };
}
export type SurveyCampaignEvent = SurveyCampaignRun | SurveyCampaignCompleted;
export type SurveyCampaignEventType = SurveyCampaignEvent['type'];
export const SURVEY_CAMPAIGN_EVENT_TYPES: readonly SurveyCampaignEventType[] = ['SurveyCampaignRun', 'SurveyCampaignCompleted'];
export const SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS: Readonly<Record<SurveyCampaignEventType, number>> = { SurveyCampaignRun: 2, SurveyCampaignCompleted: 1 };

/** A stored campaign event in today's shape; applied on every read. Version 1 of SurveyCampaignRun named no channel. */
export function upcastSurveyCampaignEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): SurveyCampaignEvent {
  return {
    type,
    data: upcastEventData({ versions: SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS, upcasters: { SurveyCampaignRun: { 1: (v1) => ({ ...v1, channel: null }) } } }, type, data, schemaVersion),
  } as SurveyCampaignEvent;
}

export const SURVEY_CAMPAIGN_STREAM_PREFIX = 'survey-campaign-';
export const surveyCampaignStreamName = (campaignId: string): string => `${SURVEY_CAMPAIGN_STREAM_PREFIX}${campaignId}`;

/** `run`: recorded, its sends under way (or cut short by a crash); `completed`: every selected customer handled. */
export type SurveyCampaignState =
  | { readonly status: 'none' }
  | (SurveyCampaignRun['data'] & { readonly status: 'run'; readonly completion: null })
  | (SurveyCampaignRun['data'] & { readonly status: 'completed'; readonly completion: Omit<SurveyCampaignCompleted['data'], 'campaignId' | 'matched'> });
export const initialSurveyCampaignState: SurveyCampaignState = { status: 'none' };

export const SURVEY_CAMPAIGN_CONFLICT_CODES = ['campaign-exists', 'campaign-not-run'] as const;
export const INVALID_SURVEY_CAMPAIGN_CODES = ['campaign-segment-required', 'campaign-too-large', 'campaign-reason-required', 'campaign-counts-mismatch'] as const;

/** A campaign id already run: 409, nothing written. */
export class SurveyCampaignConflictError extends DomainError {
  readonly code = 'campaign-exists';
  readonly kind = 'conflict' as const;
  readonly command = 'RunSurveyCampaign';
  constructor(readonly campaignId: string, runAt: string) {
    super(`Survey campaign ${campaignId} was run at ${runAt}.`);
  }
}

/** A completion of a campaign that was never run: 409, nothing written. */
export class SurveyCampaignNotRunError extends DomainError {
  readonly code = 'campaign-not-run';
  readonly kind = 'conflict' as const;
  readonly command = 'CompleteSurveyCampaign';
  constructor(readonly campaignId: string) {
    super(`Survey campaign ${campaignId} was never run: there is nothing to complete.`);
  }
}

/** The campaign itself breaks a rule: 400, nothing written. */
export class InvalidSurveyCampaignError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(readonly code: (typeof INVALID_SURVEY_CAMPAIGN_CODES)[number], readonly field: string, message: string) {
    super(message);
  }
}

export function decideSurveyCampaign(command: SurveyCampaignCommand, state: SurveyCampaignState): SurveyCampaignEvent[] {
  switch (command.type) {
    case 'RunSurveyCampaign': {
      if (state.status !== 'none') throw new SurveyCampaignConflictError(command.campaignId, state.runAt);
      const { segments, selected, limit, questions } = command.data;
      const given = Object.fromEntries(Object.entries(segments).filter(([, code]) => code !== undefined && code !== '')) as CampaignSegments;
      if (Object.keys(given).length === 0) {
        throw new InvalidSurveyCampaignError('campaign-segment-required', 'segments', `Name the segment: at least one of ${CAMPAIGN_SEGMENT_DIMENSIONS.join(', ')} (codes as GET /customers/files?segment.<dimension>= takes them).`);
      }
      const reason = command.data.reason.trim();
      if (reason === '') throw new InvalidSurveyCampaignError('campaign-reason-required', 'reason', 'Say why the campaign is run.');
      // Each survey asks them: a list the survey would refuse is refused here, before anything is written.
      if (questions !== undefined) surveyQuestions(questions);
      if (selected.length > limit) {
        throw new InvalidSurveyCampaignError('campaign-too-large', 'segments', `The segment matches more customers than a campaign may reach (at most ${limit}): narrow it with another dimension.`);
      }
      return [{
        type: 'SurveyCampaignRun',
        data: { campaignId: command.campaignId, runAt: command.at, by: command.actor, segments: given, channel: command.data.channel, reason, questions: questions ?? null, selected },
      }];
    }
    case 'CompleteSurveyCampaign': {
      if (state.status === 'none') throw new SurveyCampaignNotRunError(command.campaignId);
      // Completed once: a second completion (a retry, the one at start) records nothing.
      if (state.status === 'completed') return [];
      const { sent, skipped } = command.data;
      const counted = sent + Object.values(skipped).reduce((sum, count) => sum + (count ?? 0), 0);
      if (counted !== state.selected.length) {
        throw new InvalidSurveyCampaignError('campaign-counts-mismatch', 'sent', `The counts name ${counted} customers, but the campaign selected ${state.selected.length}: each selected customer is sent a survey or skipped, once.`);
      }
      return [{ type: 'SurveyCampaignCompleted', data: { campaignId: command.campaignId, completedAt: command.at, matched: state.selected.length, sent, skipped } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveSurveyCampaign(state: SurveyCampaignState, event: SurveyCampaignEvent): SurveyCampaignState {
  switch (event.type) {
    case 'SurveyCampaignRun':
      return state.status === 'none' ? { ...event.data, status: 'run', completion: null } : state;
    case 'SurveyCampaignCompleted': {
      if (state.status !== 'run') return state;
      const { completedAt, sent, skipped } = event.data;
      return { ...state, status: 'completed', completion: { completedAt, sent, skipped } };
    }
    default:
      return assertNever(event);
  }
}

export const surveyCampaignDecider: Decider<SurveyCampaignCommand, SurveyCampaignEvent, SurveyCampaignState> = {
  decide: decideSurveyCampaign,
  evolve: evolveSurveyCampaign,
  initialState: initialSurveyCampaignState,
};

/** The decision a campaign event records, in plain words, for auditors. */
export function surveyCampaignDecisionWords(event: SurveyCampaignEvent): Words {
  switch (event.type) {
    case 'SurveyCampaignRun': {
      const { campaignId, segments, selected } = event.data;
      const segment = Object.entries(segments).map(([dimension, code]) => `${dimension}=${code}`).join(', ');
      const subjects = selected.filter((selection) => selection.complaintId !== null).length;
      return {
        'zh-CN': `发起满意度调查活动 ${campaignId}（客户细分 ${segment}）：匹配 ${selected.length} 位客户，其中 ${subjects} 位有已回访的投诉`,
        en: `Ran survey campaign ${campaignId} for the segment ${segment}: ${selected.length} customer${selected.length === 1 ? '' : 's'} matched, ${subjects} with a called-back complaint`,
      };
    }
    case 'SurveyCampaignCompleted': {
      const { campaignId, sent, skipped } = event.data;
      const skips = Object.values(skipped).reduce((sum, count) => sum + (count ?? 0), 0);
      return {
        'zh-CN': `调查活动 ${campaignId} 发送完毕：发出 ${sent} 份问卷，跳过 ${skips} 位客户`,
        en: `Survey campaign ${campaignId} finished sending: ${sent} survey${sent === 1 ? '' : 's'} sent, ${skips} customer${skips === 1 ? '' : 's'} skipped`,
      };
    }
    default:
      return assertNever(event);
  }
}
