import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Injectable, Logger } from '@nestjs/common';
import {
  SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS, SurveyCampaignNotRunError, SurveyConflictError, decideSurveyCampaign, evolveSurveyCampaign, initialSurveyCampaignState,
  surveyCampaignStreamName, upcastSurveyCampaignEvent, type CampaignSegments, type CampaignSelection, type CampaignSkipCounts, type CampaignSkipReason,
  type DepartmentScope, type SendSatisfactionSurvey, type SurveyCampaignCommand, type SurveyCampaignEvent, type SurveyCampaignState,
} from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { EventStore } from '@app/event-store';
import { AggregateCommandExecutor, Clock, eventsAfter, type CommandContext, type CommandOutcome, type LoadedStream } from '@app/complaints';
import { survivingFileOf } from '../customer-survivor';
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

export type { CampaignSkipReason } from '@app/domain';

export interface SurveyCampaignOutcome extends CommandOutcome {
  readonly campaignId: string;
  readonly matched: number;
  readonly sent: number;
  readonly skipped: CampaignSkipCounts;
}

/** What completing the unfinished campaigns of the log did (at start, before serving). */
export interface SurveyCampaignCompletionReport {
  readonly campaigns: number;
  readonly sent: number;
  /** Campaigns recorded before campaigns named their channel, left as they are (their channel is unknown). */
  readonly withoutChannel: number;
  /** The log position the completion read up to: every campaign recorded up to it is complete (the next start's checkpoint). */
  readonly position: number;
}

/** Namespace of the campaign ids and of its surveys' command ids, derived from the campaign's command id. */
const CAMPAIGN_NAMESPACE = 'e3a9c6b1-7d24-4f8e-9b05-2c6d1a8f4e73';

/**
 * Sends a recorded campaign's surveys and records it completed (SurveyCampaignCompleted), as
 * ErasureCompletion carries out a recorded erasure: right after the run, again on its retry, and
 * for every campaign a crash cut short when the API starts, before it serves (`completeAll`).
 * Each survey's command id derives from the campaign's (its SurveyCampaignRun's command id) and the
 * customer, so a survey sent before the crash is found again and not sent twice (its subject's
 * numbered survey stream holds that command id); the counts of a completed campaign are the ones it
 * recorded.
 */
@Injectable()
export class SurveyCampaignCompletion {
  private readonly logger = new Logger('SurveyCampaignCompletion');

  constructor(
    private readonly executor: SurveyCampaignCommandExecutor,
    private readonly campaigns: SurveyCampaignRepository,
    private readonly send: SendSatisfactionSurveyHandler,
    private readonly events: EventStore,
  ) {}

  /**
   * Completes one campaign. `scope`: the departments of the principal that runs it now (the surveys
   * of complaints outside them are skipped as `unknown-complaint`); a completion at start has none.
   */
  async complete(campaignId: string, scope?: DepartmentScope): Promise<SurveyCampaignOutcome> {
    const { state, events } = await this.campaigns.load(campaignId);
    if (state.status === 'none') throw new SurveyCampaignNotRunError(campaignId);
    const run = events[0]!;
    if (state.status === 'completed') {
      const last = events[events.length - 1]!;
      return { id: campaignId, revision: last.revision, position: last.position, campaignId, matched: state.selected.length, sent: state.completion.sent, skipped: state.completion.skipped };
    }
    if (state.channel === null) throw new Error(`survey campaign ${campaignId} was recorded before campaigns named their channel: it cannot be completed`);
    const runCommandId = String(run.metadata['commandId']);
    const correlationId = typeof run.metadata['correlationId'] === 'string' ? run.metadata['correlationId'] : runCommandId;
    const base = { actor: state.by, correlationId, causationId: runCommandId, ...(scope === undefined || scope === 'all' ? {} : { scope }) };
    let sent = 0;
    let position = run.position;
    const skipped: Partial<Record<CampaignSkipReason, number>> = {};
    const skip = (reason: CampaignSkipReason) => { skipped[reason] = (skipped[reason] ?? 0) + 1; };
    // The surviving customers surveyed by this campaign: a file merged after the selection gets its survey under its
    // survivor, once per survivor (the order is the recorded selection's, so a completion after a crash decides the same).
    const surveyed = new Set<string>();
    for (const { customerId: selectedId, complaintId } of state.selected) {
      if (complaintId === null) {
        skip('no-subject');
        continue;
      }
      const { customerId, state: file } = await survivingFileOf(this.events, selectedId);
      // Erased between the record and the sending: nobody to ask any more.
      if (file.status === 'erased') {
        skip('erased');
        continue;
      }
      if (surveyed.has(customerId)) {
        skip('merged');
        continue;
      }
      surveyed.add(customerId);
      const commandId = deterministicUuid(CAMPAIGN_NAMESPACE, `survey\n${runCommandId}\n${selectedId}`);
      try {
        const outcome = await this.send.execute(new SendSatisfactionSurveyCommand({
          subject: { kind: 'complaint', id: complaintId }, channel: state.channel, reason: state.reason, campaignId, customerId,
          ...(state.questions === null ? {} : { questions: state.questions }),
        }, { ...base, commandId }));
        sent += 1;
        position = Math.max(position, outcome.position);
      } catch (error) {
        if (error instanceof SurveyConflictError && (error.code === 'survey-already-open' || error.code === 'subject-not-ready')) skip(error.code);
        else if (error instanceof UnknownComplaintError) skip('unknown-complaint');
        else throw error;
      }
    }
    const completed = await this.executor.execute({ type: 'CompleteSurveyCampaign', campaignId, data: { sent, skipped } }, {
      ...base, commandId: deterministicUuid(CAMPAIGN_NAMESPACE, `complete\n${runCommandId}`),
    });
    return { id: campaignId, revision: completed.revision, position: Math.max(position, completed.position), campaignId, matched: state.selected.length, sent, skipped };
  }

  /**
   * Every campaign of the log recorded after `after` but not completed: the ones a crash (or a kill -9)
   * cut short. `after`: the position of an earlier completion (the caller's checkpoint), 0 for the whole log.
   */
  async completeAll(after = 0): Promise<SurveyCampaignCompletionReport> {
    let campaigns = 0;
    let sent = 0;
    let withoutChannel = 0;
    let position = after;
    for await (const recorded of eventsAfter(this.events, after, { eventTypes: ['SurveyCampaignRun'] })) {
      position = recorded.position;
      const campaignId = recorded.data['campaignId'];
      if (typeof campaignId !== 'string') continue;
      const { state } = await this.campaigns.load(campaignId);
      if (state.status !== 'run') continue;
      if (state.channel === null) {
        withoutChannel += 1;
        continue;
      }
      const outcome = await this.complete(campaignId);
      campaigns += 1;
      sent += outcome.sent;
    }
    if (withoutChannel > 0) this.logger.warn(`${withoutChannel} survey campaign(s) recorded before campaigns named their channel were not completed`);
    return { campaigns, sent, withoutChannel, position };
  }
}

/**
 * Runs a survey campaign: records it on its own stream (the limit is the decider's), then completes
 * it (SurveyCampaignCompletion): one survey per selected customer through the survey's own decision
 * (SendSatisfactionSurveyHandler), so the one-open-survey rule holds; a refused send is skipped and
 * counted by its code. A retried campaign (same command id) finds what it wrote and answers the same
 * counts; one cut short and never retried is completed when the API starts.
 */
@CommandHandler(RunSurveyCampaignCommand)
export class RunSurveyCampaignHandler implements ICommandHandler<RunSurveyCampaignCommand, SurveyCampaignOutcome> {
  constructor(
    private readonly executor: SurveyCampaignCommandExecutor,
    private readonly completion: SurveyCampaignCompletion,
    private readonly settings: SurveySettings,
  ) {}

  async execute({ data, selected, context }: RunSurveyCampaignCommand): Promise<SurveyCampaignOutcome> {
    const campaignId = deterministicUuid(CAMPAIGN_NAMESPACE, `campaign\n${context.commandId}`);
    await this.executor.execute({
      type: 'RunSurveyCampaign', campaignId,
      data: { segments: data.segments, channel: data.channel, reason: data.reason, ...(data.questions === undefined ? {} : { questions: data.questions }), selected, limit: this.settings.campaignLimit },
    }, context);
    // The surveys go to the customers the campaign recorded: on a retry (same command id, after a crash
    // part-way) that is the first run's selection, not what the read models select now.
    return this.completion.complete(campaignId, context.scope);
  }
}

export const SURVEY_CAMPAIGN_PROVIDERS = [SurveyCampaignRepository, SurveyCampaignCommandExecutor, SurveyCampaignCompletion, RunSurveyCampaignHandler];
