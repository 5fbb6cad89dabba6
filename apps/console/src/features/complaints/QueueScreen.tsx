import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';
import { useTaxonomyLabel } from '../../shared/api/taxonomy';
import { useNow } from '../../shared/time/use-now';
import { useComplaintPage, type ComplaintSummary, type ListFilter } from './api';
import { DeadlineTag } from './DeadlineTag';
import { FreeTextExcerpt } from './FreeText';
import { nextDueOf } from './deadlines';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { STATE_COLOURS } from '../../shared/ui/colours';
import { useRowsInTwoSteps } from '../../shared/ui/use-rows-in-two-steps';
import { queueFilterOf, queueLink, queueOrder } from './queue-filter';
import { emptyText } from '../../shared/ui/EmptyText';

// The filter form loads beside the queue and is drawn after its first rows (QueueFilters).
const QueueFilters = lazy(() => import('./QueueFilters'));
/** The filter form's height at 1280 px (three lines; five at 768 px), kept free until it is drawn, so the rows do not jump down under the reader. */
const FILTERS_HEIGHT = 96;
/** The rows a first visit draws before the rest of the page: more than a 1280 × 900 window shows under the filters. */
const FIRST_ROWS = 12;

export function QueueScreen() {
  const { t, language, formatInstant } = useI18n();
  const label = useTaxonomyLabel(language);
  // The filters live in the URL: a link (a number on the dashboard) opens the queue filtered, and the back button undoes a filter.
  // With no status named, the open complaints; the address is then given it (replaced, not a new entry), so it shows what is listed.
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filter = useMemo<ListFilter>(() => queueFilterOf(new URLSearchParams(search)), [search]);
  const named = params.get('status');
  useEffect(() => {
    if (named === null || named === '') setParams(new URLSearchParams(queueLink(filter).slice(2)), { replace: true });
  }, [named, filter, setParams]);
  // The cursors of the pages seen so far: [undefined, page 2's, page 3's …].
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  useEffect(() => setCursors([undefined]), [filter]);
  const page = cursors.length;
  // The soonest deadline due first, across every page (the API sorts; the column sorts a page again if asked).
  const list = useComplaintPage(queueOrder(filter), cursors[cursors.length - 1]);
  const items = list.data?.items ?? [];
  const now = useNow();

  // The list carries each row's next deadline: no request per row.
  const rows = useRowsInTwoSteps(useMemo(() => items.map((item) => ({ ...item, next: nextDueOf(item) })), [items]), FIRST_ROWS);

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
      render: (_, row) => <FreeTextExcerpt text={row.description} />,
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
      {/* Opened as of a snapshot (a number of a dashboard read as of one): said plainly, with the way back to today's complaints. */}
      {filter.asOf ? (
        <Alert
          type="info"
          showIcon
          message={t('queue.asOf', { asOf: filter.asOf })}
          action={<Button size="small" onClick={() => { const { asOf: _asOf, ...today } = filter; setParams(new URLSearchParams(queueLink(today).slice(2))); }}>{t('queue.asOfToday')}</Button>}
        />
      ) : null}
      <Suspense fallback={<div style={{ minHeight: FILTERS_HEIGHT }} />}><QueueFilters filter={filter} /></Suspense>
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
        locale={{ emptyText: emptyText(t('queue.empty')) }}
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
