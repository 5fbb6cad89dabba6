import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Form, Input, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../shared/i18n/i18n';
import type { MessageKey } from '../../shared/i18n/catalogue';
import { useTaxonomyOptions, type TaxonomyName } from '../../shared/api/taxonomy';
import { LazyDayRangePicker } from '../../shared/ui/LazyDayRangePicker';
import { STATUSES, type ListFilter } from './api';
import { ANY_STATUS, appliedMark, DEFAULT_QUEUE_STATUS, queueFilterOf, queueLink, rewritesForm, type FormShown } from './queue-filter';
import { OwnerFilter } from './OwnerFilter';

interface FilterForm {
  status?: string;
  cause?: string;
  behaviour?: string;
  purpose?: string;
  channel?: string;
  segment?: string;
  escalated?: string;
  department?: string;
  assignee?: string;
  customerId?: string;
  q?: string;
  received?: [Dayjs | null, Dayjs | null] | null;
}

/** The filters picked from a taxonomy: the form's field, its label, the taxonomy that gives the choices, the picker's width. */
const TAXONOMY_FIELDS: ReadonlyArray<{ field: keyof FilterForm; label: MessageKey; taxonomy: TaxonomyName; width: number }> = [
  { field: 'cause', label: 'queue.cause', taxonomy: 'cause', width: 140 },
  { field: 'behaviour', label: 'queue.behaviour', taxonomy: 'behaviour', width: 140 },
  { field: 'purpose', label: 'dimension.purpose', taxonomy: 'purpose', width: 140 },
  { field: 'channel', label: 'dimension.channel', taxonomy: 'channel', width: 120 },
  { field: 'segment', label: 'dimension.segment', taxonomy: 'customerSegment', width: 120 },
];

/**
 * The queue's filter form: it shows the filter of the URL and puts the one applied there. Loaded and drawn after the
 * queue's first rows (QueueScreen): a dozen fields with their pickers are most of the first screen's render, and nobody
 * filters before seeing the rows.
 */
export default function QueueFilters({ filter }: { filter: ListFilter }) {
  const { t, language, zone } = useI18n();
  const options = useTaxonomyOptions(language);
  const [form] = Form.useForm<FilterForm>();
  const [, setParams] = useSearchParams();
  // The form shows the filter of the address when that filter changes, by what it holds: the address changes more often
  // than its filter (Reset goes to / and the queue then names the default status, two addresses of one filter), and each
  // write of the form replaces every field, so that a late one erased a code chosen in between (chosen, then Apply: lost).
  // The filter the form itself applied is not written back either: the form shows it already, and may have moved on.
  // The rule: rewritesForm (queue-filter.ts).
  const shown = queueLink(filter);
  const applied = useRef<string | undefined>(undefined);
  const written = useRef<FormShown | undefined>(undefined);
  useEffect(() => {
    const now = { link: shown, zone };
    const rewrite = rewritesForm(written.current, now, applied.current);
    written.current = now;
    applied.current = undefined;
    if (!rewrite) return;
    const { from, to, ...rest } = queueFilterOf(new URLSearchParams(shown.slice(2)));
    // A received range as the days it covers in the chosen zone (to is the day before the end).
    form.setFieldsValue({
      status: rest.status, cause: rest.cause, behaviour: rest.behaviour, purpose: rest.purpose, channel: rest.channel, segment: rest.segment,
      escalated: rest.escalated, department: rest.department, assignee: rest.assignee, customerId: rest.customerId, q: rest.q,
      received: from || to ? [from ? dayjs(from).tz(zone) : null, to ? dayjs(to).tz(zone).subtract(1, 'millisecond') : null] : null,
    });
  }, [shown, form, zone]);

  const apply = (values: FilterForm) => {
    const [from, to] = values.received ?? [null, null];
    // Days are picked in the chosen zone: from its midnight to the next day's midnight there.
    const link = queueLink({
      status: values.status, cause: values.cause, behaviour: values.behaviour, purpose: values.purpose, channel: values.channel, segment: values.segment, escalated: values.escalated,
      department: values.department?.trim() || undefined, assignee: values.assignee?.trim() || undefined, customerId: values.customerId?.trim() || undefined,
      q: values.q?.trim() || undefined,
      from: from ? dayjs.tz(from.format('YYYY-MM-DD'), zone).toISOString() : undefined,
      to: to ? dayjs.tz(to.format('YYYY-MM-DD'), zone).add(1, 'day').toISOString() : undefined,
      // The snapshot read stays (the queue says so above; its own button goes back to today's).
      asOf: filter.asOf,
    });
    // Marked only when the address's filter changes: an Apply of the filter shown brings no write to take the mark away.
    applied.current = appliedMark(shown, link);
    setParams(new URLSearchParams(link.slice(2)));
  };

  return (
    <Form form={form} layout="inline" onFinish={apply} aria-label={t('queue.filters')}>
      <Form.Item name="q" label={t('queue.search')} tooltip={t('queue.searchHint')}>
        <Input style={{ width: 220 }} maxLength={200} allowClear />
      </Form.Item>
      {/* Never empty: no status would be the default (open) again, so every status is a choice of its own that the address keeps. */}
      <Form.Item name="status" label={t('queue.status')}>
        <Select
          style={{ minWidth: 140 }}
          options={[{ value: 'open', label: t('queue.statusOpen') }, { value: ANY_STATUS, label: t('queue.statusAny') }, ...STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))]}
        />
      </Form.Item>
      {TAXONOMY_FIELDS.map(({ field, label, taxonomy, width }) => (
        <Form.Item key={field} name={field} label={t(label)}>
          <Select allowClear style={{ minWidth: width }} options={options(taxonomy)} />
        </Form.Item>
      ))}
      <Form.Item name="escalated" label={t('queue.escalated')}>
        <Select allowClear style={{ minWidth: 100 }} options={[{ value: 'true', label: t('queue.escalatedYes') }, { value: 'false', label: t('queue.escalatedNo') }]} />
      </Form.Item>
      {/* "None yet" is a choice (department=unassigned), beside any code typed: the dashboard's unassigned row opens the queue with it. */}
      <Form.Item name="department" label={t('queue.department')}><OwnerFilter none={t('queue.noDepartment')} width={150} /></Form.Item>
      <Form.Item name="assignee" label={t('queue.assignee')}><OwnerFilter none={t('queue.noAssignee')} width={150} /></Form.Item>
      <Form.Item name="customerId" label={t('queue.customerId')}><Input style={{ width: 130 }} /></Form.Item>
      <Form.Item name="received" label={t('queue.received')}><LazyDayRangePicker /></Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">{t('queue.apply')}</Button>
          {/* To the open complaints in one step (the address names the status the queue shows by default): the form shows them at once. */}
          <Button onClick={() => { form.resetFields(); form.setFieldsValue({ status: DEFAULT_QUEUE_STATUS }); apply({ status: DEFAULT_QUEUE_STATUS }); }}>{t('queue.reset')}</Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
