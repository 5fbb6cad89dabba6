import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { complaintForBadSurvey, type AnsweredOrderSurvey } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { EventStore } from '@app/event-store';
import { ReceiveComplaintCommand, complaintIdFor, type CommandContext, type CommandOutcome } from '@app/complaints';
import { survivingFileOf } from '../customer-survivor';
import { WorkOrderCommandExecutor } from '../work-order/work-order-command.executor';
import { WorkOrderRepository } from '../work-order/work-order.repository';
import { SatisfactionSurveyRepository } from './survey.repository';
import { SurveySettings } from './survey-settings';

/** Namespace of the command ids of the complaint a bad survey opens and of its link, derived from the survey's id. */
const BAD_SURVEY_NAMESPACE = 'a4d7c2e9-3f15-4b86-9e0a-71c5d8b2f640';

/**
 * "An order's bad survey opens a complaint" (docs/adr/0012): run by both answer routes right after
 * the answer is stored, on the survey as stored (a retried answer finds it answered). The complaint
 * goes to the surviving customer file, and is linked to the order (WorkOrderLinkedToComplaint, which
 * both trails show); none is opened (a warning is logged) when that file was erased since. Its command ids derive from the survey's id,
 * so a retried answer, or a second run, finds what the first wrote: one complaint per survey.
 */
@Injectable()
export class BadSurveyComplaints {
  private readonly logger = new Logger('BadSurveyComplaints');

  constructor(
    private readonly commands: CommandBus,
    private readonly workOrders: WorkOrderCommandExecutor,
    private readonly events: EventStore,
    private readonly settings: SurveySettings,
    private readonly surveys: SatisfactionSurveyRepository,
    private readonly orders: WorkOrderRepository,
  ) {}

  /** After an answer of POST /surveys/{id}/answer: the rule, for a survey of a work order. */
  async afterSurveyAnswer(surveyId: string, answered: CommandOutcome, context: CommandContext): Promise<CommandOutcome> {
    const { state } = await this.surveys.load(surveyId);
    if (state.status !== 'answered' || state.subject.kind !== 'work-order') return answered;
    return this.afterAnswer({
      surveyId: state.surveyId, workOrderId: state.subject.id, customerId: state.customerId, channel: state.channel,
      questions: state.questions.map(({ id, label }) => ({ id, text: label['zh-CN'] })), answers: state.answer.answers, comment: state.answer.comment,
    }, answered, context);
  }

  /** After an answer of the older per-order survey: the rule, under the id the survey list gives that survey. */
  async afterOrderSurveyAnswer(workOrderId: string, answered: CommandOutcome, context: CommandContext): Promise<CommandOutcome> {
    const { state } = await this.orders.load(workOrderId);
    if (state.status !== 'closed' || state.survey === null || state.survey.answer === null) return answered;
    const { surveyId, channel, questions } = state.survey;
    return this.afterAnswer({
      surveyId: `${workOrderId}:${state.cycle.number}:${surveyId}`, workOrderId, customerId: state.customerId, channel, questions, ...state.survey.answer,
    }, answered, context);
  }

  /**
   * Opens and links the complaint when the answer is bad; the answer's outcome otherwise. The answer is
   * stored already: a failure here is logged, not answered (the retry of the answer completes it).
   */
  async afterAnswer(survey: AnsweredOrderSurvey, answered: CommandOutcome, context: CommandContext): Promise<CommandOutcome> {
    try {
      const position = await this.open(survey, context);
      return position === null ? answered : { ...answered, position: Math.max(answered.position, position) };
    } catch (error) {
      this.logger.warn(`survey ${survey.surveyId} is answered, but the complaint its low score opens was not: ${String((error as Error)?.stack ?? error)}`);
      return answered;
    }
  }

  private async open(survey: AnsweredOrderSurvey, context: CommandContext): Promise<number | null> {
    const { customerId, state: file } = await survivingFileOf(this.events, survey.customerId);
    const data = complaintForBadSurvey({ ...survey, customerId }, this.settings.complaintThreshold);
    if (data === null) return null;
    // Erased since the survey was sent: the complaint would name no one, and there is no one left to answer it.
    if (file.status === 'erased') {
      this.logger.warn(`survey ${survey.surveyId} of work order ${survey.workOrderId} has a low score, but the customer file ${customerId} was erased since: no complaint is opened for it`);
      return null;
    }
    const caused = { correlationId: context.correlationId, causationId: context.commandId, actor: context.actor };
    const receiveId = deterministicUuid(BAD_SURVEY_NAMESPACE, `complaint\n${survey.surveyId}`);
    const received: CommandOutcome = await this.commands.execute(new ReceiveComplaintCommand(data, { ...caused, commandId: receiveId }));
    const complaintId = complaintIdFor(receiveId);
    const linked = await this.workOrders.execute(
      { type: 'LinkComplaint', workOrderId: survey.workOrderId, data: { complaintId, reason: `满意度调查评分低 / low satisfaction survey score (survey ${survey.surveyId})` } },
      { ...caused, commandId: deterministicUuid(BAD_SURVEY_NAMESPACE, `link\n${survey.surveyId}`) },
    );
    return Math.max(received.position, linked.position);
  }
}
