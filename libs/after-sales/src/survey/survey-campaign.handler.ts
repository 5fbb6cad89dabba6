import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Injectable } from '@nestjs/common';
import {
  SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS, SurveyConflictError, decideSurveyCampaign, evolveSurveyCampaign, initialSurveyCampaignState, surveyCampaignStreamName,
  upcastSurveyCampaignEvent, type CampaignSegments, type CampaignSelection, type SendSatisfactionSurvey, type SurveyCampaignCommand,
  type SurveyCampaignEvent, type SurveyCampaignState,
} from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { EventStore } from '@app/event-store';
import { AggregateCommandExecutor, Clock, type CommandContext, type CommandOutcome, type LoadedStream } from '@app/complaints';
import { UnknownComplaintError } from '../linked-complaint';
import { loadStream } from '../stream-loader';
import { SendSatisfactionSurveyCommand, SendSatisfactionSurveyHandler, SurveySettings } from './survey.handlers';

/** Reads a campaign's stream (survey-campaign-<id>) and folds it. */
@Injectable()
export class SurveyCampaignRepository {
  constructor(private readonly eventStore: EventStore) {}

  load(campaignId: string): Promise<LoadedStream<SurveyCampaignState>> {
    return loadStream(this.eventStore, surveyCampaignStreamName(campaignId), { initialState: initialSurveyCampaignState, evolve: evolveSurveyCampaign, upcast: upcastSurveyCampaignEvent });
  }
}

/** Handles one campaign command (read + fold, decide, append; see StreamCommandExecutor). */
@Injectable()
export class SurveyCampaignCommandExecutor extends AggregateCommandExecutor<SurveyCampaignCommand, SurveyCampaignEvent, SurveyCampaignState> {
  constructor(eventStore: EventStore, repository: SurveyCampaignRepository, clock: Clock) {
    super(eventStore, clock, {
      kind: 'survey campaign',
      streamName: surveyCampaignStreamName,
      load: (id) => repository.load(id),
      decide: (command, state) => decideSurveyCampaign(command, state),
      schemaVersionOf: (type) => SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS[type as SurveyCampaignEvent['type']],
    }, (command) => command.campaignId);
  }
}

export interface RunSurveyCampaignRequest {
  readonly segments: CampaignSegments;
  readonly channel: SendSatisfactionSurvey['data']['channel'];
  readonly questions?: SendSatisfactionSurvey['data']['questions'];
  readonly reason: string;
}

/**
 * `selected`: what the application found before the decision (at most the limit and one more, so a
 * segment beyond the limit is refused without reading it all): the customers on file in the segment
 * that the actor reaches, each with its latest complaint called back or closed.
 */
export class RunSurveyCampaignCommand {
  constructor(readonly data: RunSurveyCampaignRequest, readonly selected: readonly CampaignSelection[], readonly context: CommandContext) {}
}

/** Why a matched customer got no survey: a code of the survey's refusals, or `no-subject` (no complaint called back or closed). */
export type CampaignSkipReason = 'no-subject' | 'survey-already-open' | 'subject-not-ready' | 'unknown-complaint';

export interface SurveyCampaignOutcome extends CommandOutcome {
  readonly campaignId: string;
  readonly matched: number;
  readonly sent: number;
  readonly skipped: Partial<Record<CampaignSkipReason, number>>;
}

/** Namespace of the campaign ids and of its surveys' command ids, derived from the campaign's command id. */
const CAMPAIGN_NAMESPACE = 'e3a9c6b1-7d24-4f8e-9b05-2c6d1a8f4e73';

/**
 * Runs a survey campaign: records it on its own stream (the limit is the decider's), then sends one
 * survey per selected customer through the survey's own decision (SendSatisfactionSurveyHandler), so
 * the one-open-survey rule holds; a refused send is skipped and counted by its code. Each send's
 * command id derives from the campaign's, so a retried campaign (same command id) finds what it
 * wrote and answers the same counts.
 */
@CommandHandler(RunSurveyCampaignCommand)
export class RunSurveyCampaignHandler implements ICommandHandler<RunSurveyCampaignCommand, SurveyCampaignOutcome> {
  constructor(
    private readonly executor: SurveyCampaignCommandExecutor,
    private readonly campaigns: SurveyCampaignRepository,
    private readonly send: SendSatisfactionSurveyHandler,
    private readonly settings: SurveySettings,
  ) {}

  async execute({ data, selected, context }: RunSurveyCampaignCommand): Promise<SurveyCampaignOutcome> {
    const campaignId = deterministicUuid(CAMPAIGN_NAMESPACE, `campaign\n${context.commandId}`);
    const recorded = await this.executor.execute({
      type: 'RunSurveyCampaign', campaignId,
      data: { segments: data.segments, reason: data.reason, ...(data.questions === undefined ? {} : { questions: data.questions }), selected, limit: this.settings.campaignLimit },
    }, context);
    // The surveys go to the customers the campaign recorded: on a retry (same command id, after a crash
    // part-way) that is the first run's selection, not what the read models select now.
    const { state } = await this.campaigns.load(campaignId);
    if (state.status !== 'run') throw new Error(`survey campaign ${campaignId} was recorded but cannot be read back`);
    const recordedSelection = state.selected;
    let sent = 0;
    let position = recorded.position;
    const skipped: Partial<Record<CampaignSkipReason, number>> = {};
    const { expectedRevision: _pinned, ...base } = context;
    const skip = (reason: CampaignSkipReason) => { skipped[reason] = (skipped[reason] ?? 0) + 1; };
    for (const { customerId, complaintId } of recordedSelection) {
      if (complaintId === null) {
        skip('no-subject');
        continue;
      }
      const commandId = deterministicUuid(CAMPAIGN_NAMESPACE, `survey\n${context.commandId}\n${customerId}`);
      try {
        const outcome = await this.send.execute(new SendSatisfactionSurveyCommand({
          subject: { kind: 'complaint', id: complaintId }, channel: data.channel, reason: data.reason, campaignId,
          ...(data.questions === undefined ? {} : { questions: data.questions }),
        }, { ...base, commandId, causationId: context.commandId }));
        sent += 1;
        position = Math.max(position, outcome.position);
      } catch (error) {
        if (error instanceof SurveyConflictError && (error.code === 'survey-already-open' || error.code === 'subject-not-ready')) skip(error.code);
        else if (error instanceof UnknownComplaintError) skip('unknown-complaint');
        else throw error;
      }
    }
    return { id: campaignId, revision: recorded.revision, position, campaignId, matched: recordedSelection.length, sent, skipped };
  }
}

export const SURVEY_CAMPAIGN_PROVIDERS = [SurveyCampaignRepository, SurveyCampaignCommandExecutor, RunSurveyCampaignHandler];
