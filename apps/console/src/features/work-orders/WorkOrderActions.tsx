import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Space, Tooltip, Typography } from 'antd';
import { useSession } from '../../shared/api/session';
import { useMessages } from '../../shared/i18n/feature-messages';
import { useI18n } from '../../shared/i18n/i18n';
import { ActionDialog, ConflictDialog, RefusedActions } from '../../shared/ui/ActionDialogs';
import { useActionFlow } from '../../shared/ui/use-action-flow';
import { DISPATCH_MESSAGES } from '../dispatch/messages';
import { fetchWorkOrder, runWorkOrderAction, workOrderKey, type WorkOrder, type WorkOrderAllowedAction } from './api';
import { WORK_ORDER_MESSAGES } from './messages';
import { formDefaults, isWorkOrderAction, requestBody, type WorkOrderAction } from './work-order-bodies';
// With the page, in its lazily loaded chunk: no Record before the fields are there, and a chunk of the forms alone
// split the console's initial chunks further (gzip: 397.0 KB initial instead of 395.5).
import WorkOrderActionFields from './WorkOrderActionFields';


/**
 * The order's actions as the API tells them (allowedActions): a button for each, disabled with the
 * reason when the API refuses it (on a closed or cancelled order, one line instead, the reasons on
 * demand); each opens its form (WorkOrderActionFields), whose values become the typed client's request body (work-order-bodies.ts), sent with If-Match; a 412 shows the order as it is
 * now, keeping what was typed.
 */
export function WorkOrderActions({ order }: { order: WorkOrder }) {
  const { t, language } = useI18n();
  const { m, has } = useMessages(WORK_ORDER_MESSAGES);
  const statuses = useMessages(DISPATCH_MESSAGES);
  const session = useSession(true).data;
  const queryClient = useQueryClient();
  const refresh = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: workOrderKey(order.id) }),
    queryClient.invalidateQueries({ queryKey: ['work-order-board'] }),
  ]);
  const flow = useActionFlow<string, WorkOrder>({
    send: (action, values, revision) => runWorkOrderAction(order.id, action, requestBody(action as WorkOrderAction, values), revision),
    fetchFresh: async () => ({ fresh: await fetchWorkOrder(order.id) }),
    refresh,
    show: (fresh) => queryClient.setQueryData(workOrderKey(order.id), fresh),
  });
  const { form, active, open, submit, submitting, failure, conflict, reloadAndDecideAgain, stillAllowed } = flow;

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

  // An action this console does not know yet (a newer API) is named, not offered.
  const offered = order.allowedActions.filter((entry) => entry.allowed && isWorkOrderAction(entry.action));
  const elsewhere = order.allowedActions.filter((entry) => entry.allowed && !isWorkOrderAction(entry.action));
  const refused = order.allowedActions.filter((entry) => !entry.allowed);
  // A closed or cancelled order refuses nearly every action for that one reason: one line says so instead of
  // a score of disabled buttons, and the list (with any other reason, e.g. the repeat window passed) is a click away.
  const [showRefused, setShowRefused] = useState(false);
  const ended = order.status === 'closed' || order.status === 'cancelled' ? order.status : null;
  const othersOffered = offered.length + elsewhere.length > 0;
  const endedLine = ended === 'closed'
    ? m(othersOffered ? 'actions.closedOthers' : 'actions.closed')
    : m(othersOffered ? 'actions.cancelledOthers' : 'actions.cancelled');
  const refusedList = <RefusedActions entries={refused} label={(entry) => label(entry.action)} reason={refusal} listLabel={m('actions.title')} />;

  return (
    <Card size="small" title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{m('actions.title')}</Typography.Title>}>
      <section aria-label={m('actions.title')}>
        <Space wrap>
          {offered.map((entry) => (
            <Button key={entry.action} type="primary" onClick={() => open(entry.action, order.revision, formDefaults(entry.action as WorkOrderAction, order))}>{label(entry.action)}</Button>
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
        {ended && refused.length > 0
          ? (
            <>
              <Typography.Paragraph style={{ marginTop: othersOffered ? 12 : 0, marginBottom: 4 }}>{endedLine}</Typography.Paragraph>
              <Button type="link" size="small" style={{ paddingInline: 0 }} aria-expanded={showRefused} onClick={() => setShowRefused(!showRefused)}>
                {showRefused ? m('actions.hideRefused') : m(othersOffered ? 'actions.showOthersRefused' : 'actions.showRefused', { count: refused.length })}
              </Button>
              {showRefused ? refusedList : null}
            </>
          )
          : refusedList}
      </section>

      <ActionDialog open={active !== null} title={active ? label(active.action) : ''} submitting={submitting} onSubmit={() => void submit()} onClose={flow.close}>
        <Form form={form} layout="vertical" name="work-order-action" preserve>
          {active && isWorkOrderAction(active.action)
            ? <WorkOrderActionFields action={active.action} failure={failure} />
            : null}
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
