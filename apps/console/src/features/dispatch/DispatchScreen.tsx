import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Button, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { may, useSession } from '../../shared/api/session';
import { useTaxonomyLabel } from '../../shared/api/taxonomy';
import { useI18n } from '../../shared/i18n/i18n';
import { useMessages } from '../../shared/i18n/feature-messages';
import { DISPATCH_MESSAGES } from './messages';
import { useNow } from '../../shared/time/use-now';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { STATE_COLOURS } from '../../shared/ui/colours';
import type { ComplaintStatus } from '../complaints/api';
import { FreeTextExcerpt } from '../complaints/FreeText';
import { useAtRisk, useComplaintsIn, useEscalated, useOpenBreaches, type BoardComplaint, type ClockRow, type Page } from './api';
import { AssignDialog } from './AssignDialog';
import { emptyText } from '../../shared/ui/EmptyText';

/** The statuses the board lists by: waiting for an owner, and the solution refused. */
const LISTED: readonly ComplaintStatus[] = ['received', 'validated', 'follow-up-required'];
/** The window of "at risk", as GET /sla/at-risk takes it by default. */
const AT_RISK_WITHIN = 'PT2H';

type TabKey = 'unassigned' | 'at-risk' | 'breached' | 'escalated' | 'refused';

/** "3", or "200+" when the list has more pages than the board read. */
const count = (rows: readonly unknown[], pages: ReadonlyArray<Page<unknown> | undefined>) => `${rows.length}${pages.some((page) => page?.nextCursor) ? '+' : ''}`;

/**
 * The supervisor's dispatch board: the complaints waiting for an owner, the clocks at risk and breached,
 * the escalated ones and the solutions the customer refused; each row opens the complaint, and may be assigned here.
 */
export default function DispatchScreen() {
  const { t, language, formatInstant, formatDuration } = useI18n();
  const { m } = useMessages(DISPATCH_MESSAGES);
  const label = useTaxonomyLabel(language);
  const session = useSession(true).data;
  const mayAssign = may(session, 'POST /complaints/:id/assign');
  const now = useNow();
  const [tab, setTab] = useState<TabKey>('unassigned');
  const [assigning, setAssigning] = useState<string | null>(null);

  const results = useComplaintsIn(LISTED);
  const lists = Object.fromEntries(LISTED.map((status, index) => [status, results[index]!])) as Record<(typeof LISTED)[number], (typeof results)[number]>;
  const escalatedList = useEscalated();
  const atRisk = useAtRisk(AT_RISK_WITHIN);
  const breaches = useOpenBreaches();

  const rowsOf = (...statuses: Array<(typeof LISTED)[number]>) => statuses.flatMap((status) => lists[status].data?.items ?? []);
  const unassigned = [...rowsOf('received', 'validated')].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  const escalated = [...(escalatedList.data?.items ?? [])].sort((a, b) => b.escalationLevel - a.escalationLevel || a.receivedAt.localeCompare(b.receivedAt));
  const refused = rowsOf('follow-up-required');
  const errors = [...LISTED.map((status) => lists[status].error), escalatedList.error, atRisk.error, breaches.error].filter(Boolean);

  const assignButton = (complaintId: string) => (mayAssign
    ? <Button size="small" onClick={() => setAssigning(complaintId)} aria-label={m('dispatch.assignOne', { id: complaintId.slice(0, 8) })}>{t('action.assign')}</Button>
    : null);

  // Only a well-founded complaint is assigned (the dialog asks the API's allowedActions): a received one says what comes first, not an empty cell.
  const actionOf = (row: BoardComplaint): ReactNode => {
    if (row.status === 'validated' || row.status === 'assigned') return assignButton(row.id);
    return mayAssign && row.status === 'received' ? <Typography.Text type="secondary">{m('dispatch.validateFirst')}</Typography.Text> : null;
  };

  // Several rows of one customer are told apart by the complaint's reference (as its page's heading names it) and what the customer said.
  const complaintColumns = (extra: TableColumnsType<BoardComplaint> = []): TableColumnsType<BoardComplaint> => [
    { title: m('dispatch.complaint'), key: 'complaint', render: (_, row) => <Link to={`/complaints/${row.id}`}>{row.id.slice(0, 8)}</Link> },
    { title: t('complaint.description'), key: 'description', responsive: ['lg'], render: (_, row) => <FreeTextExcerpt text={row.description} /> },
    { title: t('queue.customer'), key: 'customer', render: (_, row) => <Link to={`/complaints/${row.id}`}>{row.customerName ?? row.customerId}</Link> },
    { title: t('queue.status'), dataIndex: 'status', render: (status: ComplaintStatus) => <Tag>{t(`status.${status}`)}</Tag> },
    { title: t('queue.cause'), dataIndex: 'cause', responsive: ['md'], render: (code: string) => label('cause', code) },
    { title: t('queue.severity'), dataIndex: 'severity', render: (code: string) => label('severity', code) },
    ...extra,
    { title: t('complaint.receivedAt'), dataIndex: 'receivedAt', responsive: ['lg'], render: (at: string) => formatInstant(at) },
    { title: t('queue.department'), key: 'owner', responsive: ['md'], render: (_, row) => [row.department, row.assignee].filter(Boolean).join(' / ') || '—' },
    { title: m('dispatch.actions'), key: 'actions', render: (_, row) => actionOf(row) },
  ];

  const clockColumns = (kind: 'at-risk' | 'breached'): TableColumnsType<ClockRow> => [
    { title: t('queue.customer'), key: 'complaint', render: (_, row) => <Link to={`/complaints/${row.complaintId}`}>{row.customerId} · {row.complaintId.slice(0, 8)}</Link> },
    { title: m('dispatch.clock'), dataIndex: 'clock', render: (clock: ClockRow['clock']) => t(`clock.${clock}`) },
    {
      title: m('dispatch.deadline'), key: 'deadline',
      render: (_, row) => {
        const left = Date.parse(row.deadline) - now;
        return (
          <span>
            <Tag color={kind === 'breached' || left < 0 ? STATE_COLOURS.breached : STATE_COLOURS['at-risk']}>{kind === 'breached' || left < 0 ? t('deadline.breached') : t('deadline.atRisk')}</Tag>
            <time dateTime={row.deadline} title={formatInstant(row.deadline)}>
              {left < 0 ? t('deadline.overdue', { clock: t(`clock.${row.clock}`), duration: formatDuration(left) }) : t('deadline.in', { clock: t(`clock.${row.clock}`), duration: formatDuration(left) })}
            </time>
          </span>
        );
      },
    },
    { title: t('queue.severity'), dataIndex: 'severity', responsive: ['md'], render: (code: string) => label('severity', code) },
    { title: t('queue.department'), key: 'owner', render: (_, row) => (row.department === 'unassigned' ? m('dispatch.noOwner') : `${row.department} / ${row.assignee}`) },
    { title: m('dispatch.actions'), key: 'actions', render: (_, row) => assignButton(row.complaintId) },
  ];

  const table = <T extends object>(rows: readonly T[], columns: TableColumnsType<T>, loading: boolean, rowKey: keyof T & string, caption: string) => (
    <section aria-label={caption} style={{ overflowX: 'auto' }}>
      <Table<T> rowKey={rowKey} columns={columns} dataSource={[...rows]} loading={loading} pagination={false} size="small" locale={{ emptyText: emptyText(m('dispatch.empty')) }} />
    </section>
  );

  const tabs: Array<{ key: TabKey; label: string; children: ReactNode }> = [
    {
      key: 'unassigned', label: m('dispatch.tab.unassigned', { count: count(unassigned, [lists.received.data, lists.validated.data]) }),
      children: table(unassigned, complaintColumns(), lists.received.isPending || lists.validated.isPending, 'id', m('dispatch.caption.unassigned')),
    },
    {
      key: 'at-risk', label: m('dispatch.tab.atRisk', { count: count(atRisk.data?.items ?? [], [atRisk.data]) }),
      children: table(atRisk.data?.items ?? [], clockColumns('at-risk'), atRisk.isPending, 'id', m('dispatch.caption.atRisk')),
    },
    {
      key: 'breached', label: m('dispatch.tab.breached', { count: count(breaches.data?.items ?? [], [breaches.data]) }),
      children: table(breaches.data?.items ?? [], clockColumns('breached'), breaches.isPending, 'id', m('dispatch.caption.breached')),
    },
    {
      key: 'escalated', label: m('dispatch.tab.escalated', { count: count(escalated, [escalatedList.data]) }),
      children: table(escalated, complaintColumns([{ title: m('dispatch.level'), dataIndex: 'escalationLevel' }]), escalatedList.isPending, 'id', m('dispatch.caption.escalated')),
    },
    {
      key: 'refused', label: m('dispatch.tab.refused', { count: count(refused, [lists['follow-up-required'].data]) }),
      children: table(refused, complaintColumns(), lists['follow-up-required'].isPending, 'id', m('dispatch.caption.refused')),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{m('dispatch.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{m('dispatch.intro')}</Typography.Paragraph>
      {errors.length > 0 ? <ErrorAlert error={errors[0]} /> : null}
      <Tabs activeKey={tab} onChange={(key) => setTab(key as TabKey)} items={tabs} />
      {assigning ? <AssignDialog complaintId={assigning} onClose={() => setAssigning(null)} /> : null}
    </Space>
  );
}
