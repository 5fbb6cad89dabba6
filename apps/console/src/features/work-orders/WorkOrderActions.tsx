import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { AutoComplete, Button, Card, Form, Input, Space, Tooltip, Typography } from 'antd';
import { useSession } from '../../shared/api/session';
import { useMessages } from '../../shared/i18n/feature-messages';
import { useI18n } from '../../shared/i18n/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { ActionDialog, ConflictDialog, RefusedActions } from '../../shared/ui/ActionDialogs';
import { useActionFlow } from '../../shared/ui/use-action-flow';
import { commandBody } from '../complaints/ActionForm';
import { useServiceNetwork } from '../dispatch/api';
import { DISPATCH_MESSAGES } from '../dispatch/messages';
import { fetchWorkOrder, runWorkOrderAction, workOrderKey, type WorkOrder, type WorkOrderAllowedAction } from './api';
import { WORK_ORDER_MESSAGES } from './messages';

/** The fields of each action this page records; an action not listed is offered by the API and recorded elsewhere. */
const FORMS: Readonly<Record<string, ReadonlyArray<{ readonly name: string; readonly required: boolean }>>> = {
  dispatch: [{ name: 'stationCode', required: true }, { name: 'engineerId', required: true }],
  redispatch: [{ name: 'stationCode', required: true }, { name: 'engineerId', required: true }, { name: 'reason', required: true }],
  arrive: [{ name: 'notes', required: false }],
  'hand-over': [{ name: 'notes', required: false }],
  escalate: [{ name: 'to', required: true }, { name: 'reason', required: true }],
  cancel: [{ name: 'reason', required: true }],
};

/**
 * The order's actions as the API tells them (allowedActions): a button for each, disabled with the
 * reason when the API refuses it; the forms of dispatch, redispatch, arrival, hand-over, escalation and
 * cancellation send the command with If-Match, and a 412 shows the order as it is now, keeping what was typed.
 */
export function WorkOrderActions({ order }: { order: WorkOrder }) {
  const { t, language } = useI18n();
  const { m, has, live } = useMessages(WORK_ORDER_MESSAGES);
  const statuses = useMessages(DISPATCH_MESSAGES);
  const session = useSession(true).data;
  const queryClient = useQueryClient();
  const refresh = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: workOrderKey(order.id) }),
    queryClient.invalidateQueries({ queryKey: ['work-order-board'] }),
  ]);
  const flow = useActionFlow<string, WorkOrder>({
    send: (action, values, revision) => runWorkOrderAction(order.id, action, commandBody(values), revision),
    fetchFresh: async () => ({ fresh: await fetchWorkOrder(order.id) }),
    refresh,
    show: (fresh) => queryClient.setQueryData(workOrderKey(order.id), fresh),
  });
  const { form, active, open, submit, submitting, failure, conflict, reloadAndDecideAgain, stillAllowed } = flow;
  const picksEngineer = active?.action === 'dispatch' || active?.action === 'redispatch';
  const network = useServiceNetwork(picksEngineer);
  const station = Form.useWatch('stationCode', form) as string | undefined;

  const stations = useMemo(() => (network.data?.units ?? []).filter((unit) => unit.kind === 'station' || unit.kind === 'branch')
    .map((unit) => ({ value: unit.code, label: `${unit.name[language]} (${unit.code})` })), [network.data, language]);
  const engineers = useMemo(() => {
    const working = (network.data?.engineers ?? []).filter((engineer) => engineer.active);
    const atStation = working.filter((engineer) => engineer.station === station);
    return (station ? atStation : working).map((engineer) => ({ value: engineer.id, label: `${engineer.name} (${engineer.id})` }));
  }, [network.data, station]);

  const refusal = (entry: WorkOrderAllowedAction): string => {
    if (!entry.reason) return '';
    if (entry.reason.code === 'role-not-allowed') return m('actions.notForRole', { role: session ? t(`role.${session.role}`) : '' });
    const own = `refusal.${entry.reason.code}`;
    const words = has(own) ? m(own) : entry.reason.message;
    // Not the state: the person (GET /session says so at the top of every screen).
    return entry.reason.code.endsWith('-deactivated') ? words : m('actions.notNow', { reason: words });
  };
  const label = (action: string) => {
    const key = `action.${action}`;
    return has(key) ? m(key) : action;
  };

  const offered = order.allowedActions.filter((entry) => entry.allowed && FORMS[entry.action]);
  const elsewhere = order.allowedActions.filter((entry) => entry.allowed && !FORMS[entry.action]);
  const refused = order.allowedActions.filter((entry) => !entry.allowed);
  const required = [{ required: true, whitespace: true, message: live('form.required') }];
  const fields = active ? FORMS[active.action] ?? [] : [];

  return (
    <Card size="small" title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{m('actions.title')}</Typography.Title>}>
      <section aria-label={m('actions.title')}>
        <Space wrap>
          {offered.map((entry) => (
            <Button key={entry.action} type="primary" onClick={() => open(entry.action, order.revision)}>{label(entry.action)}</Button>
          ))}
          {elsewhere.map((entry) => (
            <span key={entry.action}>
              <Tooltip title={m('actions.notHere', { id: order.id, action: entry.action })}>
                <Button disabled aria-describedby={`not-here-${entry.action}`}>{label(entry.action)}</Button>
              </Tooltip>
              <span id={`not-here-${entry.action}`} hidden>{m('actions.notHere', { id: order.id, action: entry.action })}</span>
            </span>
          ))}
        </Space>
        <RefusedActions entries={refused} label={(entry) => label(entry.action)} reason={refusal} listLabel={m('actions.title')} />
      </section>

      <ActionDialog open={active !== null} title={active ? label(active.action) : ''} submitting={submitting} onSubmit={() => void submit()} onClose={flow.close}>
        {failure ? <ErrorAlert error={failure} /> : null}
        <Form form={form} layout="vertical" name="work-order-action" preserve>
          {fields.map((field) => {
            const rules = field.required ? required : [];
            switch (field.name) {
              case 'stationCode':
                return (
                  <Form.Item key={field.name} name="stationCode" label={m('form.station')} rules={rules}>
                    <AutoComplete options={stations} filterOption={(input, option) => `${option?.value ?? ''} ${option?.label ?? ''}`.toLowerCase().includes(input.toLowerCase())} />
                  </Form.Item>
                );
              case 'engineerId':
                return (
                  <Form.Item key={field.name} name="engineerId" label={m('form.engineer')} extra={m('form.engineerHint')} rules={rules}>
                    <AutoComplete options={engineers} filterOption={(input, option) => `${option?.value ?? ''} ${option?.label ?? ''}`.toLowerCase().includes(input.toLowerCase())} />
                  </Form.Item>
                );
              case 'to':
                return <Form.Item key={field.name} name="to" label={m('form.to')} rules={rules}><Input maxLength={200} /></Form.Item>;
              default:
                return (
                  <Form.Item key={field.name} name={field.name} label={m(field.name === 'reason' ? 'form.reason' : 'form.notes')} rules={rules}>
                    <Input.TextArea rows={2} maxLength={2000} />
                  </Form.Item>
                );
            }
          })}
        </Form>
      </ActionDialog>

      <ConflictDialog open={conflict !== null} title={m('conflict.title')} reloadText={m('conflict.reload')} onReload={reloadAndDecideAgain} onClose={flow.closeConflict}>
        {conflict ? (
          <>
            <Typography.Paragraph>
              {m('conflict.intro', { yours: conflict.yours, theirs: conflict.fresh.revision, status: statuses.known(`workOrderStatus.${conflict.fresh.status}`, conflict.fresh.status) })}
            </Typography.Paragraph>
            {stillAllowed && !stillAllowed.allowed
              ? <Typography.Paragraph type="danger">{m('conflict.noLongerAllowed', { reason: refusal(stillAllowed) })}</Typography.Paragraph>
              : null}
            <Typography.Paragraph>{m('conflict.kept')}</Typography.Paragraph>
          </>
        ) : null}
      </ConflictDialog>
    </Card>
  );
}
