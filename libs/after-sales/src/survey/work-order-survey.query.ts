import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  SurveyNotFoundError, satisfactionSurveyAnswerOf, servicePointOf, upcastWorkOrderEvent, workOrderInScope, type Actor, type DepartmentScope, type SurveyAnswer, type SurveyQuestion,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { survivingFileOf } from '../customer-survivor';
import { WorkOrderRepository } from '../work-order/work-order.repository';

/**
 * `<work order>:<cycle>:<survey id>`: the id GET /surveys lists the older survey a work order
 * records on its own stream by (POST /work-orders/{id}/survey), one per repair cycle.
 */
const WORK_ORDER_SURVEY_ID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}):([1-9][0-9]{0,5}):([^:]{1,100})$/;

/** The parts of a work order's own survey id; undefined for any other text. */
export function parseWorkOrderSurveyId(id: string): { readonly workOrderId: string; readonly cycle: number; readonly surveyId: string } | undefined {
  const match = WORK_ORDER_SURVEY_ID.exec(id);
  return match ? { workOrderId: match[1]!.toLowerCase(), cycle: Number(match[2]), surveyId: match[3]! } : undefined;
}

export class GetWorkOrderSurveyQuery {
  /** `id`: as parseWorkOrderSurveyId reads it; `reader`: what the reader may see (the order's departments), the rest is "not found". */
  constructor(readonly id: string, readonly reader?: { readonly actorId: string; readonly scope: DepartmentScope }) {}
}

/** A work order's own survey as GET /surveys/{id} shows a survey: no answer period, no reason, no cancellation. */
export interface WorkOrderSurveyView {
  readonly surveyId: string;
  readonly status: 'sent' | 'answered';
  readonly subject: { readonly kind: 'work-order'; readonly id: string };
  readonly customerId: string;
  readonly channel: string;
  readonly questions: readonly SurveyQuestion[];
  readonly sentAt: string;
  readonly expiresAt: null;
  readonly by: Actor;
  readonly department: string | null;
  readonly stationCode: string | null;
  readonly engineerId: string | null;
  readonly cause: string | null;
  readonly reason: null;
  readonly answer?: { readonly answeredAt: string; readonly by: Actor; readonly answers: readonly SurveyAnswer[]; readonly comment: string | null };
  /** The order's revision at the survey's last event (what GET /surveys lists). */
  readonly revision: number;
}

/**
 * The older survey folded from its work order's events, as the survey list records it: the cycle it
 * was sent in, the station, engineer and fault cause of that cycle, and the customer's file (the
 * survivor of a file merged away), when it was sent.
 */
@QueryHandler(GetWorkOrderSurveyQuery)
export class GetWorkOrderSurveyHandler implements IQueryHandler<GetWorkOrderSurveyQuery, WorkOrderSurveyView> {
  constructor(
    private readonly repository: WorkOrderRepository,
    private readonly events: EventStore,
  ) {}

  async execute({ id, reader }: GetWorkOrderSurveyQuery): Promise<WorkOrderSurveyView> {
    const wanted = parseWorkOrderSurveyId(id);
    if (!wanted) throw new SurveyNotFoundError(id);
    const { state, events } = await this.repository.load(wanted.workOrderId);
    if (state.status === 'none') throw new SurveyNotFoundError(id);
    if (reader && !workOrderInScope({ reportedBy: state.reportedBy, servicePoint: servicePointOf(state) }, reader.actorId, reader.scope)) throw new SurveyNotFoundError(id);
    let cycle = 1;
    let facts = { stationCode: null as string | null, engineerId: null as string | null, cause: null as string | null };
    let view: WorkOrderSurveyView | undefined;
    let sentAt = 0;
    for (const recorded of events) {
      const event = upcastWorkOrderEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']);
      switch (event.type) {
        case 'WorkOrderDispatched':
          facts = { ...facts, stationCode: event.data.station.code, engineerId: event.data.engineer.id };
          break;
        case 'WorkOrderFindingsRecorded':
          facts = { ...facts, cause: event.data.faultCause };
          break;
        case 'WorkOrderReopened':
          cycle = event.data.cycle;
          facts = { ...facts, cause: null };
          break;
        case 'WorkOrderSurveySent':
          if (view || cycle !== wanted.cycle || event.data.surveyId !== wanted.surveyId) break;
          view = {
            surveyId: `${wanted.workOrderId}:${wanted.cycle}:${wanted.surveyId}`, status: 'sent', subject: { kind: 'work-order', id: wanted.workOrderId }, customerId: state.customerId,
            channel: event.data.channel, questions: event.data.questions, sentAt: event.data.sentAt, expiresAt: null, by: event.data.by,
            department: facts.stationCode, ...facts, reason: null, revision: recorded.revision,
          };
          sentAt = recorded.position;
          break;
        case 'WorkOrderSurveyAnswered':
          if (!view || view.answer || cycle !== wanted.cycle) break;
          view = { ...view, status: 'answered', answer: { ...satisfactionSurveyAnswerOf(event.data), by: event.data.by }, revision: recorded.revision };
          break;
        default:
          break;
      }
    }
    if (!view) throw new SurveyNotFoundError(id);
    // The customer's file when it was sent, as the list has it (a file merged away then: its survivor).
    return { ...view, customerId: (await survivingFileOf(this.events, state.customerId, sentAt)).customerId };
  }
}
