import { useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMessages } from '../../shared/i18n/feature-messages';
import { useI18n } from '../../shared/i18n/i18n';
import { ActionDialog } from '../../shared/ui/ActionDialogs';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { STATE_COLOURS } from '../../shared/ui/colours';
import { unitLabel, useServiceNetwork, type Engineer } from '../dispatch/api';
import { DISPATCH_MESSAGES } from '../dispatch/messages';
import { useAfterSalesTaxonomyOptions } from '../work-orders/api';
import { deactivateEngineer, type EngineerDeactivated } from './api';
import { NETWORK_MESSAGES } from './messages';
import { servicePoints, type ServicePoint } from './service-points';
import { emptyText } from '../../shared/ui/EmptyText';

const nameOf = (engineer: Engineer) => `${engineer.name} (${engineer.id})`;

/**
 * The service network (GET /service-network): its centre, branches and stations with their engineers, then every engineer,
 * for those who may deactivate one. A deactivation is confirmed with a reason; the API records it whatever the engineer
 * still holds and answers the open work orders they hold (openWorkOrders), which this screen lists, each a link to its
 * order, to redispatch.
 */
export default function ServiceNetworkScreen() {
  const { t, live, language, formatInstant } = useI18n();
  const { m } = useMessages(NETWORK_MESSAGES);
  const statuses = useMessages(DISPATCH_MESSAGES);
  const network = useServiceNetwork(true);
  const afterSales = useAfterSalesTaxonomyOptions(language);
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const [confirming, setConfirming] = useState<Engineer | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<{ engineer: Engineer; answer: EngineerDeactivated } | null>(null);

  const units = new Map((network.data?.units ?? []).map((unit) => [unit.code, unit]));
  const close = () => {
    setConfirming(null);
    setFailure(null);
  };

  const submit = async () => {
    if (!confirming) return;
    // A missing reason is shown by the form itself; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSubmitting(true);
    setFailure(null);
    try {
      const answer = await deactivateEngineer(confirming.id, values.reason.trim());
      setDone({ engineer: confirming, answer });
      setConfirming(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['service-network'] }),
        queryClient.invalidateQueries({ queryKey: ['work-order-board'] }),
      ]);
    } catch (error) {
      setFailure(error);
    } finally {
      setSubmitting(false);
    }
  };

  const columns: TableColumnsType<Engineer> = [
    { title: m('network.engineer'), key: 'engineer', render: (_, engineer) => nameOf(engineer) },
    { title: m('network.station'), dataIndex: 'station', render: (code: string) => { const unit = units.get(code); return unit ? unitLabel(unit, language) : code; } },
    {
      title: m('network.status'), key: 'status',
      render: (_, engineer) => (engineer.active ? <Tag color={STATE_COLOURS['on-track']}>{m('network.active')}</Tag> : <Tag>{m('network.deactivatedAt', { at: formatInstant(engineer.deactivatedAt) })}</Tag>),
    },
    {
      title: m('network.actions'), key: 'actions',
      render: (_, engineer) => (engineer.active
        ? <Button size="small" aria-label={m('network.deactivateOne', { engineer: nameOf(engineer) })} onClick={() => { form.resetFields(); setConfirming(engineer); }}>{m('network.deactivate')}</Button>
        : null),
    },
  ];

  const kindName = (kind: string) => afterSales('serviceUnitKind').find((option) => option.value === kind)?.label ?? kind;
  const pointColumns: TableColumnsType<ServicePoint> = [
    { title: m('network.unit'), key: 'unit', render: (_, point) => unitLabel(point.unit, language) },
    { title: m('network.kind'), key: 'kind', render: (_, point) => kindName(point.unit.kind) },
    { title: m('network.parent'), key: 'parent', render: (_, point) => { const parent = point.unit.parent === null ? undefined : units.get(point.unit.parent); return parent ? unitLabel(parent, language) : (point.unit.parent ?? '—'); } },
    { title: m('network.regions'), key: 'regions', render: (_, point) => (point.unit.regions.length === 0 ? '—' : point.unit.regions.join(', ')) },
    {
      title: m('network.unitEngineers'), key: 'engineers',
      render: (_, point) => (point.engineers.length === 0 ? m('network.noEngineer') : (
        <>
          <Typography.Text>{m('network.engineerCount', { count: point.engineers.length, active: point.engineers.filter((engineer) => engineer.active).length })}</Typography.Text>
          <ul aria-label={m('network.engineersOf', { unit: unitLabel(point.unit, language) })} style={{ margin: 0, paddingInlineStart: 20 }}>
            {point.engineers.map((engineer) => <li key={engineer.id}>{engineer.active ? nameOf(engineer) : m('network.engineerLeft', { engineer: nameOf(engineer) })}</li>)}
          </ul>
        </>
      )),
    },
  ];

  const held = done?.answer.openWorkOrders ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{m('network.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{m('network.intro')}</Typography.Paragraph>
      {done ? (
        <Alert
          type={held.length > 0 ? 'warning' : 'success'}
          showIcon
          closable
          onClose={() => setDone(null)}
          message={m('network.doneTitle', { engineer: nameOf(done.engineer) })}
          description={(
            <section aria-label={m('network.doneTitle', { engineer: nameOf(done.engineer) })}>
              {held.length === 0 ? <Typography.Paragraph>{m('network.nothingHeld', { engineer: nameOf(done.engineer) })}</Typography.Paragraph> : (
                <>
                  <Typography.Paragraph>{m('network.toRedispatch', { engineer: nameOf(done.engineer), count: held.length })}</Typography.Paragraph>
                  <ul>
                    {held.map((order) => (
                      <li key={order.id}>
                        <Link to={`/work-orders/${order.id}`}>{m('network.openOrder', { id: order.id.slice(0, 8) })}</Link>
                        {' · '}
                        {statuses.known(`workOrderStatus.${order.status}`, order.status)}
                      </li>
                    ))}
                  </ul>
                  <Link to="/work-orders">{m('network.board')}</Link>
                </>
              )}
            </section>
          )}
        />
      ) : null}
      {network.error ? <ErrorAlert error={network.error} /> : null}
      <section aria-label={m('network.units')}>
        <Typography.Title level={3} style={{ fontSize: 16 }}>{m('network.units')}</Typography.Title>
        <div style={{ overflowX: 'auto' }}>
          <Table<ServicePoint>
            rowKey={(point) => point.unit.code}
            columns={pointColumns}
            dataSource={servicePoints(network.data?.units ?? [], network.data?.engineers ?? [])}
            loading={network.isPending}
            pagination={false}
            size="small"
            locale={{ emptyText: emptyText(m('network.unitsEmpty')) }}
          />
        </div>
      </section>
      <section aria-label={m('network.engineers')}>
        <Typography.Title level={3} style={{ fontSize: 16 }}>{m('network.engineers')}</Typography.Title>
        <div style={{ overflowX: 'auto' }}>
          <Table rowKey="id" columns={columns} dataSource={[...(network.data?.engineers ?? [])]} loading={network.isPending} pagination={false} size="small" locale={{ emptyText: emptyText(m('network.empty')) }} />
        </div>
      </section>
      <ActionDialog
        open={confirming !== null}
        title={confirming ? m('network.confirmTitle', { engineer: nameOf(confirming) }) : ''}
        okText={m('network.deactivate')}
        submitting={submitting}
        onSubmit={submit}
        onClose={close}
      >
        {confirming ? <Typography.Paragraph>{m('network.confirmBody', { engineer: nameOf(confirming) })}</Typography.Paragraph> : null}
        <Form form={form} layout="vertical" name="deactivate-engineer">
          <Form.Item name="reason" label={t('field.reason')} rules={[{ required: true, whitespace: true, message: live('field.required') }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
        {failure ? <ErrorAlert error={failure} /> : null}
      </ActionDialog>
    </Space>
  );
}
