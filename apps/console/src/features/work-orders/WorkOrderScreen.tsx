import { Link, useParams } from 'react-router';
import { Card, Descriptions, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ApiError } from '../../shared/api/client';
import { useTaxonomyLabel } from '../../shared/api/taxonomy';
import { formatMoney, totalsByCurrency } from '../../shared/format/money';
import { useMessages } from '../../shared/i18n/feature-messages';
import { useI18n } from '../../shared/i18n/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { DISPATCH_MESSAGES } from '../dispatch/messages';
import { useWorkOrder, type ChargedFee } from './api';
import { WORK_ORDER_MESSAGES } from './messages';
import { WorkOrderActions } from './WorkOrderActions';

/**
 * A repair work order (GET /work-orders/{id}): what was reported, where it was dispatched, the complaints
 * linked to it (linkedComplaintIds), every fee charged on it, per repair cycle (feesCharged), and the actions
 * this principal may take now (allowedActions).
 */
export default function WorkOrderScreen() {
  const { id = '' } = useParams();
  const { t, language, formatInstant } = useI18n();
  const { m } = useMessages(WORK_ORDER_MESSAGES);
  const statuses = useMessages(DISPATCH_MESSAGES);
  const label = useTaxonomyLabel(language);
  const order = useWorkOrder(id);

  if (order.isPending) return <Spin tip={t('loading')} />;
  if (order.error) {
    return order.error instanceof ApiError && order.error.status === 404
      ? <Typography.Paragraph role="alert">{m('workOrder.notFound')}</Typography.Paragraph>
      : <ErrorAlert error={order.error} />;
  }
  const state = order.data;
  const dispatch = state.dispatch ?? null;

  const columns: TableColumnsType<ChargedFee> = [
    { title: m('fees.cycle'), dataIndex: 'cycle' },
    { title: m('fees.amount'), key: 'amount', align: 'right', render: (_, fee) => formatMoney(fee.amount, language) },
    { title: m('fees.quote'), dataIndex: 'quoteNumber', render: (number: number) => m('fees.quoteNumber', { number }) },
    { title: m('fees.at'), dataIndex: 'at', render: (at: string) => <time dateTime={at}>{formatInstant(at)}</time> },
  ];
  const totals = totalsByCurrency(state.feesCharged.map((fee) => fee.amount));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>
        {m('workOrder.title', { id: state.id.slice(0, 8) })}{' '}
        <Tag>{statuses.known(`workOrderStatus.${state.status}`, state.status)}</Tag>
      </Typography.Title>
      <WorkOrderActions order={state} />
      <Descriptions title={m('workOrder.details')} bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={m('workOrder.customer')}>{state.customerId}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.product')}>{state.product.model} · {state.product.serialNumber}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.priority')}>{label('severity', state.priority)}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.reportedAt')}>{formatInstant(state.reportedAt)}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.station')}>{dispatch ? `${dispatch.stationName?.[language] ?? dispatch.stationCode} (${dispatch.stationCode})` : '—'}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.engineer')}>{dispatch?.engineerId ? `${dispatch.engineerName ?? dispatch.engineerId} (${dispatch.engineerId})` : '—'}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.cycle')}>{state.cycle.number}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.revision')}>{state.revision}</Descriptions.Item>
        <Descriptions.Item label={m('workOrder.fault')} span={2}>{state.faultDescription}</Descriptions.Item>
      </Descriptions>
      <Card size="small" title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{m('linked.title')}</Typography.Title>}>
        <section aria-label={m('linked.title')}>
          {state.linkedComplaintIds.length === 0
            ? <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{m('linked.none')}</Typography.Paragraph>
            : (
              <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
                {state.linkedComplaintIds.map((complaintId) => (
                  <li key={complaintId}><Link to={`/complaints/${complaintId}`}>{t('complaint.title', { id: complaintId.slice(0, 8) })}</Link></li>
                ))}
              </ul>
            )}
        </section>
      </Card>
      <Card size="small" title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{m('fees.title')}</Typography.Title>}>
        <section aria-label={m('fees.title')}>
          <Typography.Paragraph type="secondary">{m('fees.intro')}</Typography.Paragraph>
          {state.feesCharged.length === 0
            ? <Typography.Paragraph>{m('fees.none')}</Typography.Paragraph>
            : (
              <>
                <div style={{ overflowX: 'auto' }}>
                  <Table rowKey={(fee) => `${fee.cycle}/${fee.quoteNumber}/${fee.at}`} columns={columns} dataSource={[...state.feesCharged]} pagination={false} size="small" />
                </div>
                {state.feesCharged.length > 1
                  ? <Typography.Paragraph strong>{m('fees.total', { total: totals.map((total) => formatMoney(total, language)).join(language === 'zh-CN' ? '；' : '; ') })}</Typography.Paragraph>
                  : null}
              </>
            )}
        </section>
      </Card>
    </Space>
  );
}
