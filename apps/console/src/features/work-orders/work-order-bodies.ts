/**
 * The request body of each work-order action (POST /work-orders/{id}/<action>) as the typed client
 * (packages/client, generated from the API's OpenAPI document) defines it, made from what its form holds.
 * A route or DTO that changes breaks this file's build, not a person's request. No React here: the
 * conversions are unit-tested (work-order-bodies.spec.ts).
 */
import type { paths } from '../../../../../packages/client/src/generated/schema';
import { moneyFromDecimal, type Money } from '../../../../../libs/domain/src/money';

type Paths = paths;
type ActionPath = Extract<keyof Paths, `/work-orders/{id}/${string}`>;

/** Every action on an order that the API takes as a POST with a JSON body. */
export type WorkOrderAction = {
  [P in ActionPath]: P extends `/work-orders/{id}/${infer A}` ? (Paths[P] extends { post: { requestBody: unknown } } ? A : never) : never;
}[ActionPath];

/** The JSON body of an action, from the typed client. */
export type WorkOrderBody<A extends WorkOrderAction> =
  Paths[`/work-orders/{id}/${A}`] extends { post: { requestBody: { content: { 'application/json': infer B } } } } ? B : never;

/** A form's values as Ant Design collects them (strings, numbers, booleans, lists of rows). */
export type FormValues = Record<string, unknown>;

const text = (values: FormValues, name: string): string => (typeof values[name] === 'string' ? (values[name] as string).trim() : '');
const optionalText = (values: FormValues, name: string): string | undefined => text(values, name) || undefined;
const whole = (values: FormValues, name: string): number => Number(values[name]);
const optionalWhole = (values: FormValues, name: string): number | undefined =>
  (values[name] === undefined || values[name] === null || values[name] === '' ? undefined : Number(values[name]));
const rows = (values: FormValues, name: string): FormValues[] => (Array.isArray(values[name]) ? (values[name] as Array<FormValues | undefined>).filter((row): row is FormValues => !!row) : []);
/** A yes/no answer (a radio group holds true or false). */
const yes = (values: FormValues, name: string): boolean => values[name] === true;

/**
 * An amount typed in the currency's major unit (128.50) as integer minor units, by the domain's rules
 * (no floating point; more decimals than the currency has are refused, not rounded).
 */
export function amountOf(currency: string, typed: unknown): Money {
  return moneyFromDecimal(currency, String(typed ?? '').trim());
}

/**
 * A moment from a datetime-local input (2026-03-03T09:00, the browser's own time) with the offset the
 * API requires (2026-03-03T09:00:00+08:00).
 */
export function withOffset(local: string, offsetMinutes = -new Date(local).getTimezoneOffset()): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const pad = (value: number) => String(value).padStart(2, '0');
  const seconds = local.length === 16 ? `${local}:00` : local;
  return `${seconds}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

const moment = (values: FormValues, name: string): string => withOffset(text(values, name));

/** Each action's body from its form: the compiler checks each against the typed client's request type. */
const BODIES: { readonly [A in WorkOrderAction]: (values: FormValues) => WorkOrderBody<A> } = {
  dispatch: (values) => ({ stationCode: text(values, 'stationCode'), engineerId: text(values, 'engineerId'), reason: optionalText(values, 'reason') }),
  redispatch: (values) => ({ stationCode: text(values, 'stationCode'), engineerId: text(values, 'engineerId'), reason: text(values, 'reason') }),
  contact: (values) => ({ channel: text(values, 'channel') as WorkOrderBody<'contact'>['channel'], notes: optionalText(values, 'notes') }),
  'remote-diagnosis': (values) => ({ outcome: text(values, 'outcome') as WorkOrderBody<'remote-diagnosis'>['outcome'], findings: text(values, 'findings') }),
  'schedule-visit': (values) => ({ scheduledFor: moment(values, 'scheduledFor'), reason: optionalText(values, 'reason') }),
  arrive: (values) => ({ notes: optionalText(values, 'notes') }),
  'failed-visit': (values) => ({
    reason: text(values, 'reason') as WorkOrderBody<'failed-visit'>['reason'], notes: optionalText(values, 'notes'), nextVisitAt: moment(values, 'nextVisitAt'),
  }),
  findings: (values) => ({
    findings: text(values, 'findings'), faultCause: text(values, 'faultCause') as WorkOrderBody<'findings'>['faultCause'], damageReason: optionalText(values, 'damageReason'),
  }),
  quote: (values) => ({
    lines: rows(values, 'lines').map((line) => ({
      kind: text(line, 'kind') as WorkOrderBody<'quote'>['lines'][number]['kind'],
      description: text(line, 'description'),
      amount: amountOf(text(values, 'currency'), line['amount']),
    })),
  }),
  'confirm-quote': (values) => ({
    quoteNumber: whole(values, 'quoteNumber'), confirmedBy: text(values, 'confirmedBy'), channel: text(values, 'channel') as WorkOrderBody<'confirm-quote'>['channel'],
  }),
  'refuse-quote': (values) => ({ quoteNumber: whole(values, 'quoteNumber'), reason: text(values, 'reason'), continueWithFreeWork: yes(values, 'continueWithFreeWork') }),
  work: (values) => ({
    description: text(values, 'description'),
    parts: rows(values, 'parts').map((part) => ({ partNumber: text(part, 'partNumber'), name: optionalText(part, 'name'), quantity: whole(part, 'quantity') })),
    chargeable: yes(values, 'chargeable'),
  }),
  fee: (values) => ({
    amount: amountOf(text(values, 'currency'), values['amount']), method: text(values, 'method') as WorkOrderBody<'fee'>['method'], receiptNumber: optionalText(values, 'receiptNumber'),
  }),
  test: (values) => ({ passed: yes(values, 'passed'), notes: optionalText(values, 'notes') }),
  'sign-off': (values) => ({ signedBy: text(values, 'signedBy'), remarks: optionalText(values, 'remarks') }),
  'hand-over': (values) => ({ notes: optionalText(values, 'notes') }),
  survey: (values) => ({
    surveyId: text(values, 'surveyId'), channel: text(values, 'channel') as WorkOrderBody<'survey'>['channel'],
    questions: rows(values, 'questions').map((question) => ({ id: text(question, 'id'), text: text(question, 'text') })),
  }),
  'survey-answer': (values) => ({
    answers: rows(values, 'answers').map((answer) => ({ questionId: text(answer, 'questionId'), score: whole(answer, 'score'), comment: optionalText(answer, 'comment') })),
    comment: optionalText(values, 'comment'),
  }),
  cancel: (values) => ({ reason: text(values, 'reason') }),
  reopen: (values) => ({ reason: text(values, 'reason'), engineerId: optionalText(values, 'engineerId') }),
  escalate: (values) => ({
    to: text(values, 'to'), level: optionalWhole(values, 'level'), reason: text(values, 'reason'),
    clock: (optionalText(values, 'clock') as WorkOrderBody<'escalate'>['clock'] | undefined),
  }),
  'link-complaint': (values) => ({ complaintId: text(values, 'complaintId'), reason: optionalText(values, 'reason') }),
};

export const WORK_ORDER_ACTIONS = Object.keys(BODIES) as readonly WorkOrderAction[];

export const isWorkOrderAction = (action: string): action is WorkOrderAction => Object.hasOwn(BODIES, action);

/** The body of `action` from its form's values, with every field left empty left out (JSON drops undefined). */
export function requestBody<A extends WorkOrderAction>(action: A, values: FormValues): WorkOrderBody<A> {
  return BODIES[action](values) as WorkOrderBody<A>;
}

/** What a form reads of the order (GET /work-orders/{id}) to start with. */
export interface FormStart {
  readonly repair?: { readonly quote?: { readonly number?: number; readonly total?: Money } | null } | null;
  readonly survey?: { readonly questions: ReadonlyArray<{ readonly id: string; readonly text: string }> } | null;
}

/**
 * What a form starts with: the currency of the order's quote, the number of the quote waiting for the customer,
 * a survey answer's row for each question of the survey sent (its code and words, shown, not typed), otherwise one empty row of a list.
 */
export function formDefaults(action: WorkOrderAction, order: FormStart): FormValues {
  const quote = order.repair?.quote ?? null;
  switch (action) {
    case 'quote':
      return { currency: 'CNY', lines: [{}] };
    case 'fee':
      return { currency: quote?.total?.currency ?? 'CNY' };
    case 'confirm-quote':
    case 'refuse-quote':
      return quote?.number === undefined ? {} : { quoteNumber: quote.number };
    case 'survey':
      return { questions: [{}] };
    case 'survey-answer': {
      const questions = order.survey?.questions ?? [];
      return { answers: questions.length === 0 ? [{}] : questions.map((question) => ({ questionId: question.id, question: question.text })) };
    }
    default:
      return {};
  }
}
