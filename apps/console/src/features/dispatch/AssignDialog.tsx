import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Form, Input, Modal, Spin, Typography } from 'antd';
import { ApiError } from '../../shared/api/client';
import { useI18n } from '../../shared/i18n/i18n';
import { useMessages } from '../../shared/i18n/feature-messages';
import { DISPATCH_MESSAGES } from './messages';
import { CATALOGUE, type MessageKey } from '../../shared/i18n/catalogue';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { commandBody } from '../complaints/ActionForm';
import { complaintKey, runAction, useComplaint } from '../complaints/api';
import { unitLabel, useServiceNetwork } from './api';
import { useSession, withinDepartments } from '../../shared/api/session';

interface AssignForm {
  department?: string;
  assignee?: string;
  reason?: string;
}

/**
 * Assigns one complaint from the board: its state is read fresh (the revision decided on, whether it may be
 * assigned now); the service network's units and engineers are offered (to a token limited to departments, its own units
 * only: the API refuses another), any department code and handler may be typed.
 */
export function AssignDialog({ complaintId, onClose }: { complaintId: string; onClose: () => void }) {
  const { t, live, language } = useI18n();
  const { m, live: liveMessage } = useMessages(DISPATCH_MESSAGES);
  const complaint = useComplaint(complaintId);
  const network = useServiceNetwork(true);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignForm>();
  const department = Form.useWatch('department', form);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const session = useSession(true).data;
  const departments = useMemo(() => (network.data?.units ?? []).filter((unit) => withinDepartments(session, unit.code))
    .map((unit) => ({ value: unit.code, label: unitLabel(unit, language) })), [network.data, language, session]);
  const handlers = useMemo(() => {
    // The unit's agents and engineers (the API refuses anyone else once the directory has units); everyone while no unit is picked.
    const people = [
      ...(network.data?.agents ?? []).filter((agent) => agent.active).map((agent) => ({ id: agent.id, name: agent.name, units: agent.units })),
      ...(network.data?.engineers ?? []).filter((engineer) => engineer.active).map((engineer) => ({ id: engineer.id, name: engineer.name, units: [engineer.station] })),
    ];
    const atUnit = people.filter((person) => department !== undefined && person.units.includes(department));
    return (atUnit.length > 0 ? atUnit : people).map((person) => ({ value: person.id, label: `${person.name} (${person.id})` }));
  }, [network.data, department]);

  const entry = complaint.data?.allowedActions.find((action) => action.action === 'assign');
  const refusal = entry && !entry.allowed && entry.reason
    ? (`refusal.${entry.reason.code}` in CATALOGUE.en ? t(`refusal.${entry.reason.code}` as MessageKey) : entry.reason.message)
    : null;

  const submit = async () => {
    if (!complaint.data) return;
    // A missing or bad field is shown by the form itself; nothing is sent (an uncaught rejection otherwise).
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSubmitting(true);
    setFailure(null);
    try {
      await runAction(complaintId, 'assign', commandBody({ ...values }), complaint.data.revision);
      void message.success(live('action.done'));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: complaintKey(complaintId) }),
        queryClient.invalidateQueries({ queryKey: ['complaints'] }),
        queryClient.invalidateQueries({ queryKey: ['sla-at-risk'] }),
        queryClient.invalidateQueries({ queryKey: ['sla-breaches'] }),
      ]);
      onClose();
    } catch (error) {
      // Someone decided first: the state is read again, what was typed stays.
      if (error instanceof ApiError && error.status === 412) await complaint.refetch();
      setFailure(error instanceof ApiError && error.status === 412 ? new Error(m('dispatch.changedMeanwhile')) : error);
    } finally {
      setSubmitting(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: live('field.required') }];
  return (
    <Modal
      open
      title={m('dispatch.assignTitle', { id: complaintId.slice(0, 8) })}
      okText={t('action.submit')}
      cancelText={t('action.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ disabled: !entry?.allowed }}
      destroyOnHidden
      // The scroll lock writes a <style> that cannot carry the CSP nonce (rc-component's locker takes none); the page behind may scroll.
      scrollLock={false}
    >
      {complaint.isPending ? <Spin /> : null}
      {complaint.error ? <ErrorAlert error={complaint.error} /> : null}
      {refusal ? <Alert type="warning" showIcon message={t('action.notNow', { reason: refusal })} /> : null}
      <Typography.Paragraph type="secondary">{t('action.assignGuidance')}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="board-assign" preserve>
        <Form.Item name="department" label={t('field.department')} rules={[...required, { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, message: liveMessage('dispatch.departmentCode') }]}>
          <AutoComplete options={departments} filterOption={(input, option) => `${option?.value ?? ''} ${option?.label ?? ''}`.toLowerCase().includes(input.toLowerCase())} />
        </Form.Item>
        <Form.Item name="assignee" label={t('field.assignee')} rules={required}>
          <AutoComplete options={handlers} filterOption={(input, option) => `${option?.value ?? ''} ${option?.label ?? ''}`.toLowerCase().includes(input.toLowerCase())} />
        </Form.Item>
        <Form.Item name="reason" label={t('field.reason')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
      {failure ? <ErrorAlert error={failure} /> : null}
    </Modal>
  );
}
