import { useMemo, type ReactNode } from 'react';
import { AutoComplete, Button, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTaxonomyOptions } from '../../shared/api/taxonomy';
import { useMessages } from '../../shared/i18n/feature-messages';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { useI18n } from '../../shared/i18n/i18n';
import { unitLabel, useServiceNetwork } from '../dispatch/api';
import { useSession, withinDepartments } from '../../shared/api/session';
import { useAfterSalesTaxonomyOptions, type AfterSalesTaxonomyName } from './api';
import { FORM_MESSAGES } from './form-messages';
import { amountOf, type WorkOrderAction } from './work-order-bodies';

type Key = keyof (typeof FORM_MESSAGES)['en'];

/** One field of an action's form (its name is the request body's, see work-order-bodies.ts). */
type Field =
  | {
    readonly name: string; readonly kind: 'text' | 'longText' | 'moment' | 'currency' | 'amount' | 'station' | 'engineer' | 'yesNo'; readonly required?: boolean; readonly label?: Key; readonly hint?: Key; readonly max?: number;
    /** In a row of a list the order gave (see `givenBy`): shown as given, not typed. */
    readonly fixed?: boolean;
  }
  /** Words the order gave a row (a survey's question), shown beside what is typed and not sent. */
  | { readonly name: string; readonly kind: 'shown'; readonly label?: Key }
  | { readonly name: string; readonly kind: 'whole'; readonly min: number; readonly max: number; readonly required?: boolean; readonly label?: Key; readonly hint?: Key }
  | { readonly name: string; readonly kind: 'code'; readonly taxonomy: 'channel' | AfterSalesTaxonomyName; readonly required?: boolean; readonly label?: Key }
  | {
    readonly name: string; readonly kind: 'list'; readonly rows: readonly Field[]; readonly add: Key; readonly min: number;
    /** The `shown` cell that marks a row as the order's (formDefaults): such a list has its rows already, and takes no more. */
    readonly givenBy?: string;
  };

const station: Field = { name: 'stationCode', kind: 'station', required: true, label: 'form.station' };
const engineer: Field = { name: 'engineerId', kind: 'engineer', required: true, label: 'form.engineer' };
const reason = (required: boolean, hint?: Key): Field => ({ name: 'reason', kind: 'longText', required, ...(hint ? { hint } : {}) });
const notes: Field = { name: 'notes', kind: 'longText' };
const channel: Field = { name: 'channel', kind: 'code', taxonomy: 'channel', required: true };
const quoteNumber: Field = { name: 'quoteNumber', kind: 'whole', min: 1, max: 1_000_000, required: true, hint: 'form.quoteNumberHint' };

/** Each action's fields, in the order of its DTO (apps/api/src/after-sales/dto/work-order-commands.dto.ts). */
const FIELDS: { readonly [A in WorkOrderAction]: readonly Field[] } = {
  dispatch: [station, engineer, reason(false)],
  redispatch: [station, engineer, reason(true)],
  contact: [channel, notes],
  'remote-diagnosis': [{ name: 'outcome', kind: 'code', taxonomy: 'remoteOutcome', required: true }, { name: 'findings', kind: 'longText', required: true, max: 5000 }],
  'schedule-visit': [{ name: 'scheduledFor', kind: 'moment', required: true }, reason(false, 'form.visitReasonHint')],
  arrive: [notes],
  'failed-visit': [
    { name: 'reason', kind: 'code', taxonomy: 'failedVisitReason', required: true, label: 'form.failedVisitReason' },
    { name: 'nextVisitAt', kind: 'moment', required: true }, notes,
  ],
  findings: [
    { name: 'findings', kind: 'longText', required: true, max: 5000 }, { name: 'faultCause', kind: 'code', taxonomy: 'faultCause', required: true },
    { name: 'damageReason', kind: 'longText', hint: 'form.damageReasonHint' },
  ],
  quote: [
    { name: 'currency', kind: 'currency', required: true },
    {
      name: 'lines', kind: 'list', add: 'form.addLine', min: 1, rows: [
        { name: 'kind', kind: 'code', taxonomy: 'chargeKind', required: true }, { name: 'description', kind: 'text', required: true, max: 500 }, { name: 'amount', kind: 'amount', required: true },
      ],
    },
  ],
  'confirm-quote': [quoteNumber, { name: 'confirmedBy', kind: 'text', required: true, max: 200 }, channel],
  'refuse-quote': [quoteNumber, reason(true), { name: 'continueWithFreeWork', kind: 'yesNo', required: true, hint: 'form.continueWithFreeWorkHint' }],
  work: [
    { name: 'description', kind: 'longText', required: true, max: 5000 },
    {
      name: 'parts', kind: 'list', add: 'form.addPart', min: 0, rows: [
        { name: 'partNumber', kind: 'text', required: true, max: 64 }, { name: 'name', kind: 'text', max: 200 }, { name: 'quantity', kind: 'whole', min: 1, max: 10_000, required: true },
      ],
    },
    { name: 'chargeable', kind: 'yesNo', required: true },
  ],
  fee: [
    { name: 'currency', kind: 'currency', required: true }, { name: 'amount', kind: 'amount', required: true },
    { name: 'method', kind: 'code', taxonomy: 'paymentMethod', required: true }, { name: 'receiptNumber', kind: 'text', max: 100 },
  ],
  test: [{ name: 'passed', kind: 'yesNo', required: true }, notes],
  'sign-off': [{ name: 'signedBy', kind: 'text', required: true, max: 200 }, { name: 'remarks', kind: 'longText' }],
  'hand-over': [notes],
  survey: [
    { name: 'surveyId', kind: 'text', required: true, max: 64 }, channel,
    { name: 'questions', kind: 'list', add: 'form.addQuestion', min: 1, rows: [{ name: 'id', kind: 'text', required: true, max: 64 }, { name: 'text', kind: 'text', required: true, max: 500 }] },
  ],
  'survey-answer': [
    {
      // A row per question of the survey sent: its code and words given, the score and comment typed.
      name: 'answers', kind: 'list', add: 'form.addAnswer', min: 1, givenBy: 'question', rows: [
        { name: 'questionId', kind: 'text', required: true, max: 64, fixed: true }, { name: 'question', kind: 'shown' },
        { name: 'score', kind: 'whole', min: 1, max: 5, required: true }, { name: 'comment', kind: 'text', max: 2000 },
      ],
    },
    { name: 'comment', kind: 'longText' },
  ],
  cancel: [reason(true)],
  reopen: [reason(true), { name: 'engineerId', kind: 'engineer', label: 'form.engineer', hint: 'form.reopenEngineerHint' }],
  escalate: [
    { name: 'to', kind: 'text', required: true, max: 100 }, { name: 'level', kind: 'whole', min: 1, max: 10 }, reason(true),
    { name: 'clock', kind: 'code', taxonomy: 'workOrderClock' },
  ],
  'link-complaint': [{ name: 'complaintId', kind: 'text', required: true, max: 36 }, reason(false)],
};

const filterByValueOrLabel = (input: string, option?: { value?: unknown; label?: unknown }) =>
  `${String(option?.value ?? '')} ${String(option?.label ?? '')}`.toLowerCase().includes(input.toLowerCase());

/**
 * The fields of one work-order action, inside the dialog's form, under the refusal of the last attempt:
 * codes picked from the taxonomies with their zh-CN / en labels, amounts in the currency's major unit,
 * the parts, quote lines, questions and answers as lists of rows.
 */
export default function WorkOrderActionFields({ action, failure }: { action: WorkOrderAction; failure: unknown }) {
  const { language } = useI18n();
  const { m, live } = useMessages(FORM_MESSAGES);
  const form = Form.useFormInstance();
  const fields = FIELDS[action];
  const picksEngineer = fields.some((field) => field.kind === 'engineer');
  const network = useServiceNetwork(picksEngineer);
  const station = Form.useWatch('stationCode', form) as string | undefined;
  const taxonomy = useTaxonomyOptions(language);
  const afterSales = useAfterSalesTaxonomyOptions(language);

  // A token limited to departments dispatches to its own stations only (the API refuses another): only those are offered.
  const session = useSession(true).data;
  const stations = useMemo(() => (network.data?.units ?? []).filter((unit) => (unit.kind === 'station' || unit.kind === 'branch') && withinDepartments(session, unit.code))
    .map((unit) => ({ value: unit.code, label: unitLabel(unit, language) })), [network.data, language, session]);
  const engineers = useMemo(() => {
    const working = (network.data?.engineers ?? []).filter((engineer) => engineer.active);
    const atStation = working.filter((engineer) => engineer.station === station);
    return (station ? atStation : working).map((engineer) => ({ value: engineer.id, label: `${engineer.name} (${engineer.id})` }));
  }, [network.data, station]);

  const rulesOf = (field: Field): Rule[] => {
    const rules: Rule[] = [];
    // The rule's type is async-validator's (string by default): a number or a yes/no checked as a string fails with the "required" words.
    const type = field.kind === 'whole' ? 'number' : field.kind === 'yesNo' ? 'boolean' : 'string';
    if ('required' in field && field.required) rules.push({ required: true, type, whitespace: type === 'string', message: live('form.required') });
    if (field.kind === 'currency') rules.push({ pattern: /^[A-Z]{3}$/, message: live('form.currencyRule') });
    if (field.kind === 'amount') {
      rules.push({
        validator: async (_rule, value: unknown) => {
          if (value === undefined || value === null || String(value).trim() === '') return;
          amountOf(String(form.getFieldValue('currency') ?? ''), value);
        },
        message: live('form.amountRule'),
      });
    }
    return rules;
  };

  const control = (field: Exclude<Field, { kind: 'list' }>, label: string, given: boolean): ReactNode => {
    switch (field.kind) {
      case 'text': return given && field.fixed ? <Input readOnly variant="filled" /> : <Input maxLength={field.max ?? 2000} />;
      // Not autoSize: the textarea it measures with stays in the page, focusable under aria-hidden (axe: aria-hidden-focus).
      case 'shown': return <Input.TextArea readOnly variant="filled" rows={2} style={{ width: 'min(320px, 70vw)' }} />;
      case 'longText': return <Input.TextArea rows={2} maxLength={field.max ?? 2000} />;
      case 'moment': return <Input type="datetime-local" />;
      case 'currency': return <Input maxLength={3} style={{ width: 120 }} />;
      case 'amount': return <Input inputMode="decimal" style={{ width: 200 }} />;
      case 'whole': return <InputNumber min={field.min} max={field.max} precision={0} style={{ width: 200 }} />;
      case 'station': return <AutoComplete options={stations} filterOption={filterByValueOrLabel} />;
      case 'engineer': return <AutoComplete options={engineers} filterOption={filterByValueOrLabel} />;
      case 'code': {
        const options = field.taxonomy === 'channel' ? taxonomy('channel') : afterSales(field.taxonomy);
        return <Select options={options} allowClear={!field.required} />;
      }
      case 'yesNo':
        return (
          <Radio.Group aria-label={label}>
            <Radio value>{m('form.yes')}</Radio>
            <Radio value={false}>{m('form.no')}</Radio>
          </Radio.Group>
        );
    }
  };

  const hintOf = (field: Exclude<Field, { kind: 'list' }>): string | undefined => {
    if (field.kind === 'shown') return undefined;
    if ('hint' in field && field.hint) return m(field.hint);
    return field.kind === 'engineer' ? m('form.engineerHint') : undefined;
  };

  const item = (field: Exclude<Field, { kind: 'list' }>, name: string | [number, string], label: string, given = false) => (
    <Form.Item
      key={String(name)}
      name={name}
      label={label}
      rules={rulesOf(field)}
      extra={hintOf(field)}
    >
      {control(field, label, given)}
    </Form.Item>
  );

  return (
    <>
      {failure ? <ErrorAlert error={failure} /> : null}
      {fields.map((field) => {
        if (field.kind !== 'list') return item(field, field.name, m(field.label ?? (`form.${field.name}` as Key)));
        return (
          <fieldset key={field.name} style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14 }}>{m(`form.${field.name}` as Key)}</legend>
            <Form.List name={field.name}>
              {(rows, { add, remove }) => {
                // The rows the order gave hold a `shown` value the person cannot type (set when the form opened).
                const given = (row: number) => field.givenBy !== undefined && typeof form.getFieldValue([field.name, row, field.givenBy]) === 'string';
                return (
                  <>
                    {rows.map((row, index) => (
                      <Space key={row.key} align="start" wrap>
                        {field.rows.map((cell) => (cell.kind === 'list' || (cell.kind === 'shown' && !given(row.name))
                          ? null
                          : item(cell, [row.name, cell.name], m(`form.${field.name}.${cell.name}` as Key, { n: index + 1 }), given(row.name))))}
                        {rows.length > field.min ? <Button onClick={() => remove(row.name)} style={{ marginTop: 30 }}>{m('form.remove', { n: index + 1 })}</Button> : null}
                      </Space>
                    ))}
                    {rows.some((row) => given(row.name)) ? null : <Form.Item><Button type="dashed" onClick={() => add({})}>{m(field.add)}</Button></Form.Item>}
                  </>
                );
              }}
            </Form.List>
          </fieldset>
        );
      })}
    </>
  );
}
