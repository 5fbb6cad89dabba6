import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Injectable } from '@nestjs/common';
import {
  DomainError, SurveyConflictError, SurveyNotFoundError, complaintInScope, departmentOf, servicePointOf, surveyInScope, workOrderInScope,
  type AnswerSatisfactionSurvey, type CancelSatisfactionSurvey, type DepartmentScope, type ExistingSatisfactionSurvey, type SatisfactionSurveyCommand,
  type SendSatisfactionSurvey, type SubjectSurveyFacts, type SurveySubjectFacts,
} from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { EventStore, type RecordedEvent } from '@app/event-store';
import { AggregateCommandHandler, AggregateCommandMessage, ComplaintRepository, type CommandContext, type CommandOutcome, type WithoutContext } from '@app/complaints';
import { survivingFileOf } from '../customer-survivor';
import { UnknownComplaintError } from '../linked-complaint';
import { GetWorkOrderSurveyHandler } from './work-order-survey.query';
import { WorkOrderRepository } from '../work-order/work-order.repository';
import { BadSurveyComplaints } from './bad-survey-complaints';
import { SatisfactionSurveyCommandExecutor } from './survey-command.executor';
import { SatisfactionSurveyRepository } from './survey.repository';
import { SurveySubjectLocks } from './survey-subject-locks';
import { SurveySubjectCommandExecutor } from './survey-subject.executor';
import { SurveySettings } from './survey-settings';

export { SurveySettings } from './survey-settings';

/** A survey names a work order that does not exist, or that the actor may not see (the same answer, so nothing leaks). */
export class UnknownWorkOrderError extends DomainError {
  readonly code = 'unknown-work-order';
  readonly kind = 'invalid' as const;
  constructor(readonly workOrderId: string, readonly field: string) {
    super(`No work order ${workOrderId} that you can see: name a work order by its id.`);
  }
}

/** Namespace of the survey ids numbered per subject. */
const SURVEY_NAMESPACE = 'b7e4a1c2-58d9-4f03-a6e2-3c91d0f5e8a4';

/**
 * The id of a subject's n-th survey (1, 2 …). Numbering the surveys per subject makes "one open
 * survey per subject" race-safe without a second stream: two sends for one subject aim at the same
 * stream, and the event store lets only one of them create it (ADR 0012, slice 3).
 */
export const surveyIdFor = (subject: { readonly kind: string; readonly id: string }, number: number): string =>
  deterministicUuid(SURVEY_NAMESPACE, `${subject.kind}\n${subject.id}\n${number}`);

/** A send that lost the race for its subject's next number looks again this many times (then 409 from the decider). */
const SEND_ATTEMPTS = 3;

export interface SendSurveyRequest {
  readonly subject: { readonly kind: 'complaint' | 'work-order'; readonly id: string };
  readonly channel: SendSatisfactionSurvey['data']['channel'];
  readonly questions?: SendSatisfactionSurvey['data']['questions'];
  readonly reason?: string;
  /** The campaign that sends it (RunSurveyCampaignHandler). */
  readonly campaignId?: string;
  /**
   * The customer the survey goes to, when the campaign resolved it: the surviving file of the
   * selected customer after merges. Absent: the surviving file of the complaint's or work order's customer.
   */
  readonly customerId?: string;
}

export class SendSatisfactionSurveyCommand {
  constructor(readonly data: SendSurveyRequest, readonly context: CommandContext) {}
}

/**
 * Sends a survey for a complaint (after its callback) or a work order (after its hand-over): the
 * subject is looked up here (it must exist and be visible to the actor: else 400 naming it) and
 * what the decider needs of it travels in the command.
 */
@CommandHandler(SendSatisfactionSurveyCommand)
export class SendSatisfactionSurveyHandler implements ICommandHandler<SendSatisfactionSurveyCommand, CommandOutcome> {
  constructor(
    private readonly executor: SatisfactionSurveyCommandExecutor,
    private readonly complaints: ComplaintRepository,
    private readonly workOrders: WorkOrderRepository,
    private readonly surveys: SatisfactionSurveyRepository,
    private readonly settings: SurveySettings,
    private readonly locks: SurveySubjectLocks,
    private readonly events: EventStore,
    private readonly subjects: SurveySubjectCommandExecutor,
  ) {}

  execute({ data, context }: SendSatisfactionSurveyCommand): Promise<CommandOutcome> {
    // A work order's older per-order survey is decided on another stream: the two routes take turns (SurveySubjectLocks) and append to the order's surveys stream (the fence).
    return data.subject.kind === 'work-order' ? this.locks.inTurn(data.subject, () => this.send(data, context)) : this.send(data, context);
  }

  private async send(data: SendSurveyRequest, context: CommandContext): Promise<CommandOutcome> {
    // Read before the facts: a survey of the order the other route stores after this read refuses this send's append.
    const seen = data.subject.kind === 'work-order' ? await this.subjects.seen(data.subject.id) : null;
    const { olderSurvey, ...facts } = await this.subjectFacts(data.subject, context.actor.id, context.scope);
    const { subject: _request, customerId: resolved, ...rest } = data;
    // A survey goes to the customer as the files stand now: a file merged away sends it to its surviving file.
    const customerId = resolved ?? (await survivingFileOf(this.events, facts.customerId)).customerId;
    for (let attempt = 1; ; attempt += 1) {
      const { surveyId, latestSurvey } = await this.nextNumber(data.subject, context.commandId, olderSurvey);
      try {
        const survey = { type: 'SendSatisfactionSurvey' as const, surveyId, data: { ...rest, subject: { ...facts, customerId, latestSurvey }, answerPeriod: this.settings.answerPeriod } };
        if (seen === null) return await this.executor.execute(survey, context);
        const [outcome] = await this.executor.executeWith(survey, context, [seen.fence(surveyId, context)]);
        return outcome;
      } catch (error) {
        // Another send took this number first: look again (its survey is now the latest, and open).
        if (!(error instanceof SurveyConflictError && error.code === 'survey-exists') || attempt >= SEND_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The subject's first free survey number and its latest survey before it; a number whose stream
   * this very command wrote (a retry) is taken again, so the executor answers as the first time.
   * An older per-order survey of a work order that is not answered counts as its latest, open one.
   */
  private async nextNumber(subject: SendSurveyRequest['subject'], commandId: string, older: SubjectSurveyFacts | null): Promise<{ surveyId: string; latestSurvey: SubjectSurveyFacts | null }> {
    const { nextSurveyId, latestSurvey } = await this.surveys.latestOf((number) => surveyIdFor(subject, number), commandId);
    const openNow = latestSurvey?.status === 'sent';
    return { surveyId: nextSurveyId, latestSurvey: older !== null && !openNow ? older : latestSurvey };
  }

  private async subjectFacts({ kind, id }: SendSurveyRequest['subject'], actorId: string, scope: DepartmentScope | undefined): Promise<SurveySubjectFacts & { olderSurvey: SubjectSurveyFacts | null }> {
    if (kind === 'complaint') {
      const { state } = await this.complaints.load(id);
      if (state.status === 'none') throw new UnknownComplaintError(id, 'subject.id');
      const department = departmentOf(state);
      if (scope !== undefined && !complaintInScope({ receivedBy: state.receivedBy, department }, actorId, scope)) throw new UnknownComplaintError(id, 'subject.id');
      return { kind, id, customerId: state.customer.id, ready: 'callback' in state, status: state.status, department, stationCode: null, engineerId: null, cause: state.cause, olderSurvey: null };
    }
    const { state } = await this.workOrders.load(id);
    if (state.status === 'none') throw new UnknownWorkOrderError(id, 'subject.id');
    const servicePoint = servicePointOf(state);
    if (scope !== undefined && !workOrderInScope({ reportedBy: state.reportedBy, servicePoint }, actorId, scope)) throw new UnknownWorkOrderError(id, 'subject.id');
    const dispatch = 'dispatch' in state ? state.dispatch : null;
    const findings = 'repair' in state ? state.repair.findings : null;
    // The survey of the older route, on the order's own stream (its id as the survey list has it: docs/adr/0012).
    const older = 'survey' in state ? state.survey : null;
    return {
      olderSurvey: older === null ? null : { surveyId: `${id}:${state.cycle.number}:${older.surveyId}`, status: older.answer === null ? 'sent' : 'answered', sentAt: older.sentAt, expiresAt: null },
      kind, id, customerId: state.customerId, ready: state.status === 'closed', status: state.status, department: servicePoint,
      stationCode: dispatch?.stationCode ?? null, engineerId: dispatch?.engineerId ?? null, cause: findings?.faultCause ?? null,
    };
  }
}

export abstract class SurveyCommandMessage<C extends SatisfactionSurveyCommand> extends AggregateCommandMessage<C> {}

@Injectable()
export abstract class SurveyCommandHandler<M extends SurveyCommandMessage<SatisfactionSurveyCommand>> extends AggregateCommandHandler<M, SatisfactionSurveyCommand> {
  constructor(executor: SatisfactionSurveyCommandExecutor) {
    super(executor, (type, surveyId, data) => ({ type, surveyId, data }) as WithoutContext<SatisfactionSurveyCommand>);
  }
}

export class AnswerSatisfactionSurveyCommand extends SurveyCommandMessage<AnswerSatisfactionSurvey> {
  readonly type = 'AnswerSatisfactionSurvey';
}

/** Records the answer; a work order's survey answered with a low score then opens a complaint (BadSurveyComplaints). */
@CommandHandler(AnswerSatisfactionSurveyCommand)
export class AnswerSatisfactionSurveyHandler implements ICommandHandler<AnswerSatisfactionSurveyCommand, CommandOutcome> {
  constructor(private readonly executor: SatisfactionSurveyCommandExecutor, private readonly badSurveys: BadSurveyComplaints) {}

  async execute({ id, data, context }: AnswerSatisfactionSurveyCommand): Promise<CommandOutcome> {
    return this.badSurveys.afterSurveyAnswer(id, await this.executor.execute({ type: 'AnswerSatisfactionSurvey', surveyId: id, data }, context), context);
  }
}

export class CancelSatisfactionSurveyCommand extends SurveyCommandMessage<CancelSatisfactionSurvey> {
  readonly type = 'CancelSatisfactionSurvey';
}

@CommandHandler(CancelSatisfactionSurveyCommand)
export class CancelSatisfactionSurveyHandler extends SurveyCommandHandler<CancelSatisfactionSurveyCommand> {}

export class GetSatisfactionSurveyQuery {
  /** `reader`: what the reader may see; a survey outside it is "not found". */
  constructor(readonly surveyId: string, readonly reader?: { readonly actorId: string; readonly scope: DepartmentScope }) {}
}

export interface SatisfactionSurveyView {
  readonly state: ExistingSatisfactionSurvey;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** The survey folded from its stream: always up to date, whatever the read models say. */
@QueryHandler(GetSatisfactionSurveyQuery)
export class GetSatisfactionSurveyHandler implements IQueryHandler<GetSatisfactionSurveyQuery, SatisfactionSurveyView> {
  constructor(private readonly repository: SatisfactionSurveyRepository) {}

  async execute({ surveyId, reader }: GetSatisfactionSurveyQuery): Promise<SatisfactionSurveyView> {
    const { state, revision, events } = await this.repository.load(surveyId);
    if (state.status === 'none') throw new SurveyNotFoundError(surveyId);
    if (reader && !surveyInScope(state, reader.actorId, reader.scope)) throw new SurveyNotFoundError(surveyId);
    return { state, revision, events };
  }
}

/** The providers of surveys, for AfterSalesModule. */
export const SURVEY_PROVIDERS = [
  SatisfactionSurveyRepository, SatisfactionSurveyCommandExecutor, SurveySubjectLocks, SurveySubjectCommandExecutor, BadSurveyComplaints, SendSatisfactionSurveyHandler, AnswerSatisfactionSurveyHandler,
  CancelSatisfactionSurveyHandler, GetSatisfactionSurveyHandler, GetWorkOrderSurveyHandler,
];
