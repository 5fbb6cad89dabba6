import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../shared/i18n/i18n';
import { useTaxonomyLabel, useTaxonomyOptions } from '../../shared/api/taxonomy';
import { useNow } from '../../shared/time/use-now';
import { STATUSES, useComplaintPage, type ComplaintSummary, type ListFilter } from './api';
import { DeadlineTag } from './DeadlineTag';
import { FreeText } from './FreeText';
import { nextDueOf } from './deadlines';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { LazyDayRangePicker } from '../../shared/ui/LazyDayRangePicker';
import { STATE_COLOURS } from '../../shared/ui/colours';
import { filterOf, queueLink, queueOrder } from './queue-filter';

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

export function QueueScreen() {
  const { t, language, zone, formatInstant } = useI18n();
  const label = useTaxonomyLabel(language);
  const options = useTaxonomyOptions(language);
  const [form] = Form.useForm<FilterForm>();
  // The filters live in the URL: a link (a number on the dashboard) opens the queue filtered, and the back button undoes a filter.
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filter = useMemo<ListFilter>(() => filterOf(new URLSearchParams(search)), [search]);
  // The cursors of the pages seen so far: [undefined, page 2's, page 3's …].
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  useEffect(() => {
    setCursors([undefined]);
    const [from, to] = [filter.from, filter.to];
    // The form shows the filter of the URL; a received range as the days it covers in the chosen zone (to is the day before the end).
    form.setFieldsValue({
      status: filter.status, cause: filter.cause, behaviour: filter.behaviour, purpose: filter.purpose, channel: filter.channel, segment: filter.segment,
      escalated: filter.escalated, department: filter.department, assignee: filter.assignee, customerId: filter.customerId, q: filter.q,
      received: from || to ? [from ? dayjs(from).tz(zone) : null, to ? dayjs(to).tz(zone).subtract(1, 'millisecond') : null] : null,
    });
  }, [filter, form, zone]);
  const page = cursors.length;
  // The soonest deadline due first, across every page (the API sorts; the column sorts a page again if asked).
  const list = useComplaintPage(queueOrder(filter), cursors[cursors.length - 1]);
  const items = list.data?.items ?? [];
  const now = useNow();

  // The list carries each row's next deadline: no request per row.
  const rows = useMemo(() => items.map((item) => ({ ...item, next: nextDueOf(item) })), [items]);

  const apply = (values: FilterForm) => {
    const [from, to] = values.received ?? [null, null];
    // Days are picked in the chosen zone: from its midnight to the next day's midnight there.
    setParams(new URLSearchParams(queueLink({
      status: values.status, cause: values.cause, behaviour: values.behaviour, purpose: values.purpose, channel: values.channel, segment: values.segment, escalated: values.escalated,
      department: values.department?.trim() || undefined, assignee: values.assignee?.trim() || undefined, customerId: values.customerId?.trim() || undefined,
      q: values.q?.trim() || undefined,
      from: from ? dayjs.tz(from.format('YYYY-MM-DD'), zone).toISOString() : undefined,
      to: to ? dayjs.tz(to.format('YYYY-MM-DD'), zone).add(1, 'day').toISOString() : undefined,
    }).slice(2)));
  };

  const columns: TableColumnsType<ComplaintSummary & { next: ReturnType<typeof nextDueOf> }> = [
    {
      title: t('queue.nextDeadline'), key: 'next', defaultSortOrder: 'ascend',
      sorter: (a, b) => (a.next ? Date.parse(a.next.deadline) : Infinity) - (b.next ? Date.parse(b.next.deadline) : Infinity),
      render: (_, row) => <DeadlineTag clock={row.next} now={now} />,
    },
    { title: t('queue.customer'), key: 'customer', render: (_, row) => <Link to={`/complaints/${row.id}`}>{row.customerName ?? row.customerId}</Link> },
    {
      // The start of what happened; a description marked personal and erased with the customer says so.
      title: t('complaint.description'), key: 'description', responsive: ['lg'],
      render: (_, row) => <FreeText text={row.description === null || row.description.length <= 40 ? row.description : `${row.description.slice(0, 40)}…`} />,
    },
    { title: t('queue.cause'), dataIndex: 'cause', render: (code: string) => label('cause', code) },
    { title: t('queue.severity'), dataIndex: 'severity', render: (code: string) => label('severity', code) },
    { title: t('queue.status'), dataIndex: 'status', render: (status: string) => <Tag>{t(`status.${status}` as 'status.received')}</Tag> },
    {
      title: t('queue.breaches'), key: 'breaches', responsive: ['lg'],
      render: (_, row) => row.breaches.map((clock) => <Tag color={STATE_COLOURS.breached} key={clock}>{t('deadline.breached')}: {t(`clock.${clock}`)}</Tag>),
    },
    { title: t('complaint.receivedAt'), dataIndex: 'receivedAt', responsive: ['md'], render: (at: string) => formatInstant(at) },
    { title: t('queue.department'), key: 'owner', responsive: ['lg'], render: (_, row) => [row.department, row.assignee].filter(Boolean).join(' / ') || '—' },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('queue.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('queue.intro')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={apply} aria-label={t('queue.filters')}>
        <Form.Item name="q" label={t('queue.search')} tooltip={t('queue.searchHint')}>
          <Input style={{ width: 220 }} maxLength={200} allowClear />
        </Form.Item>
        <Form.Item name="status" label={t('queue.status')}>
          <Select allowClear style={{ minWidth: 140 }} options={[{ value: 'open', label: t('queue.statusOpen') }, ...STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))]} />
        </Form.Item>
        <Form.Item name="cause" label={t('queue.cause')}>
          <Select allowClear style={{ minWidth: 140 }} options={options('cause')} />
        </Form.Item>
        <Form.Item name="behaviour" label={t('queue.behaviour')}>
          <Select allowClear style={{ minWidth: 140 }} options={options('behaviour')} />
        </Form.Item>
        <Form.Item name="purpose" label={t('dimension.purpose')}>
          <Select allowClear style={{ minWidth: 140 }} options={options('purpose')} />
        </Form.Item>
        <Form.Item name="channel" label={t('dimension.channel')}>
          <Select allowClear style={{ minWidth: 120 }} options={options('channel')} />
        </Form.Item>
        <Form.Item name="segment" label={t('dimension.segment')}>
          <Select allowClear style={{ minWidth: 120 }} options={options('customerSegment')} />
        </Form.Item>
        <Form.Item name="escalated" label={t('queue.escalated')}>
          <Select allowClear style={{ minWidth: 100 }} options={[{ value: 'true', label: t('queue.escalatedYes') }, { value: 'false', label: t('queue.escalatedNo') }]} />
        </Form.Item>
        <Form.Item name="department" label={t('queue.department')}><Input style={{ width: 130 }} /></Form.Item>
        <Form.Item name="assignee" label={t('queue.assignee')}><Input style={{ width: 130 }} /></Form.Item>
        <Form.Item name="customerId" label={t('queue.customerId')}><Input style={{ width: 130 }} /></Form.Item>
        <Form.Item name="received" label={t('queue.received')}><LazyDayRangePicker /></Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">{t('queue.apply')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }}>{t('queue.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {/* Scrolls sideways in a plain box: the table's own scroll mode measures the scrollbar with an inline style the CSP refuses. */}
      <div style={{ overflowX: 'auto' }}>
      <Table
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.isFetching && !list.data}
        pagination={false}
        size="middle"
        locale={{ emptyText: t('queue.empty') }}
      />
      </div>
      <Space>
        <Button disabled={page === 1} onClick={() => setCursors(cursors.slice(0, -1))}>{t('queue.previous')}</Button>
        <span>{t('queue.page', { page })}</span>
        <Button disabled={!list.data?.nextCursor} onClick={() => list.data?.nextCursor && setCursors([...cursors, list.data.nextCursor])}>{t('queue.next')}</Button>
      </Space>
    </Space>
  );
}
