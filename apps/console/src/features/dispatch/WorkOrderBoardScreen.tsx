import { Link } from 'react-router';
import { Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTaxonomyLabel } from '../../shared/api/taxonomy';
import { useI18n } from '../../shared/i18n/i18n';
import { useMessages } from '../../shared/i18n/feature-messages';
import { DISPATCH_MESSAGES } from './messages';
import { useNow } from '../../shared/time/use-now';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { STATE_COLOURS } from '../../shared/ui/colours';
import { useWorkOrderBoard, type BoardWorkOrder } from './api';

interface EngineerGroup {
  readonly key: string;
  readonly title: string;
  readonly orders: BoardWorkOrder[];
}

interface Group {
  readonly key: string;
  readonly title: string;
  readonly engineers: EngineerGroup[];
}

/**
 * The work-order dispatch board (GET /work-orders/board), by station and then engineer: each open order
 * with its status and its next SLA deadline, marked breached, at risk or on track as the API measured them.
 */
export default function WorkOrderBoardScreen() {
  const { t, language, formatInstant, formatDuration } = useI18n();
  const { m, known } = useMessages(DISPATCH_MESSAGES);
  const label = useTaxonomyLabel(language);
  const board = useWorkOrderBoard();
  const now = useNow();

  // Stations in the order of their first (soonest) order, as the board sorts; the orders not dispatched yet first.
  const groups: Group[] = [];
  for (const order of board.data?.items ?? []) {
    const stationKey = order.stationCode ?? '';
    let group = groups.find((each) => each.key === stationKey);
    if (!group) {
      group = { key: stationKey, title: order.stationCode === null ? m('board.notDispatched') : `${order.stationName?.[language] ?? order.stationCode} (${order.stationCode})`, engineers: [] };
      groups.push(group);
    }
    const engineerKey = order.engineerId ?? '';
    let engineer = group.engineers.find((each) => each.key === engineerKey);
    if (!engineer) {
      engineer = { key: engineerKey, title: order.engineerId === null ? m('board.noEngineer') : `${order.engineerName ?? order.engineerId} (${order.engineerId})`, orders: [] };
      group.engineers.push(engineer);
    }
    engineer.orders.push(order);
  }
  groups.sort((a, b) => (a.key === '' ? -1 : b.key === '' ? 1 : 0));

  const columns: TableColumnsType<BoardWorkOrder> = [
    { title: m('board.order'), key: 'order', render: (_, order) => <span><Link to={`/work-orders/${order.id}`}><Typography.Text code>{order.id.slice(0, 8)}</Typography.Text></Link> {order.productModel} · {order.productSerial}</span> },
    { title: m('board.status'), dataIndex: 'status', render: (status: string) => <Tag>{known(`workOrderStatus.${status}`, status)}</Tag> },
    { title: m('board.priority'), dataIndex: 'priority', responsive: ['md'], render: (code: string) => label('severity', code) },
    {
      title: m('board.nextDeadline'), key: 'deadline',
      render: (_, order) => {
        if (order.nextDeadlineAt === null || order.nextDeadlineClock === null) return t('deadline.none');
        const state = order.breached || order.overdue ? 'breached' : order.atRisk ? 'at-risk' : 'on-track';
        const clock = known(`woClock.${order.nextDeadlineClock}`, order.nextDeadlineClock);
        const left = Date.parse(order.nextDeadlineAt) - now;
        return (
          <span>
            <Tag color={STATE_COLOURS[state]}>{state === 'breached' ? t('deadline.breached') : state === 'at-risk' ? t('deadline.atRisk') : t('deadline.onTrack')}</Tag>
            <time dateTime={order.nextDeadlineAt}>{formatInstant(order.nextDeadlineAt)}</time>
            {' · '}
            {left < 0 ? t('deadline.overdue', { clock, duration: formatDuration(left) }) : t('deadline.in', { clock, duration: formatDuration(left) })}
          </span>
        );
      },
    },
    { title: m('board.customer'), dataIndex: 'customerId', responsive: ['lg'] },
    { title: m('board.reportedAt'), dataIndex: 'reportedAt', responsive: ['lg'], render: (at: string) => formatInstant(at) },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{m('board.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {m('board.intro')}
        {board.data ? <> {m('board.measuredAt', { at: formatInstant(board.data.measuredAt) })}</> : null}
      </Typography.Paragraph>
      {board.error ? <ErrorAlert error={board.error} /> : null}
      {board.data && board.data.items.length === 0 ? <Typography.Paragraph>{m('board.empty')}</Typography.Paragraph> : null}
      {board.data?.nextCursor ? <Typography.Paragraph type="secondary">{m('board.more', { count: board.data.items.length })}</Typography.Paragraph> : null}
      {groups.map((group) => (
        <Card key={group.key} size="small" title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{group.title}</Typography.Title>}>
          {group.engineers.map((engineer) => (
            <section key={engineer.key} aria-label={`${group.title} — ${engineer.title}`}>
              <Typography.Title level={4} style={{ fontSize: 14 }}>{m('board.engineerCount', { engineer: engineer.title, count: engineer.orders.length })}</Typography.Title>
              <div style={{ overflowX: 'auto' }}>
                <Table rowKey="id" columns={columns} dataSource={[...engineer.orders]} pagination={false} size="small" />
              </div>
            </section>
          ))}
        </Card>
      ))}
    </Space>
  );
}
