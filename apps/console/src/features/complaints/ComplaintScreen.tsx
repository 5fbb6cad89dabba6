import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Modal, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';
import { ApiError, downloadFile } from '../../shared/api/client';
import { may, useSession } from '../../shared/api/session';
import { useTaxonomyLabel } from '../../shared/api/taxonomy';
import { CATALOGUE, type MessageKey } from '../../shared/i18n/catalogue';
import { useNow } from '../../shared/time/use-now';
import { ErrorAlert, useProblemWords } from '../../shared/ui/ErrorAlert';
import { describeFailure, NO_PROBLEM_WORDS } from '../../shared/api/problem-text';
import {
  complaintKey, fetchComplaint, fetchEvents, runAction, uploadAttachment, useComplaint, useEvents, useTrail,
  type AllowedAction, type Complaint, type ComplaintAction, type StoredEvent,
} from './api';
import { ActionForm, commandBody } from './ActionForm';
import { ComplaintTags, RelatedComplaints, mayTag } from './ComplaintTags';
import { DeadlineTag } from './DeadlineTag';
import { EventTimeline } from './EventTimeline';
import { STATE_COLOURS } from '../../shared/ui/colours';

/** Actions this page offers with controls of their own (the tags' field), not as a button and a form. */
const OWN_CONTROLS = new Set<string>(['tags']);

interface Conflict {
  readonly action: ComplaintAction;
  readonly yours: number;
  readonly fresh: Complaint;
  readonly changes: readonly StoredEvent[];
  readonly values: Record<string, unknown>;
}

export default function ComplaintScreen() {
  const { id = '' } = useParams();
  const { t, formatInstant, language } = useI18n();
  const label = useTaxonomyLabel(language);
  const session = useSession(true).data;
  const complaint = useComplaint(id);
  const events = useEvents(id);
  const trail = useTrail(id, may(session, 'GET /complaints/:id/trail'));
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const now = useNow();
  const [form] = Form.useForm();
  const [active, setActive] = useState<{ action: ComplaintAction; revision: number } | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const problemWords = useProblemWords();

  if (complaint.isPending) return <Spin tip={t('loading')} />;
  if (complaint.error) {
    return complaint.error instanceof ApiError && complaint.error.status === 404
      ? <Typography.Paragraph role="alert">{t('complaint.notFound')}</Typography.Paragraph>
      : <ErrorAlert error={complaint.error} />;
  }
  const state = complaint.data;

  const refusal = (entry: AllowedAction): string => {
    if (!entry.reason) return '';
    if (entry.reason.code === 'role-not-allowed') return t('action.notForRole', { role: session ? t(`role.${session.role}`) : '' });
    // Not the status: the person (GET /session says so at the top of every screen).
    if (entry.reason.code === 'agent-deactivated') return t('refusal.agent-deactivated');
    // The words of this action's refusal where it has its own (not-open says something else for a visit and an attachment), else the code's.
    const own = `refusal.${entry.action}.${entry.reason.code}` as MessageKey;
    const known = own in CATALOGUE.en ? own : `refusal.${entry.reason.code}` as MessageKey;
    return t('action.notNow', { reason: known in CATALOGUE.en ? t(known) : entry.reason.message });
  };

  const open = (action: ComplaintAction, revision: number, values?: Record<string, unknown>) => {
    form.resetFields();
    if (values) form.setFieldsValue(values);
    setFailure(null);
    setActive({ action, revision });
  };

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: complaintKey(id) }),
      queryClient.invalidateQueries({ queryKey: ['complaint-events', id] }),
      queryClient.invalidateQueries({ queryKey: ['complaint-trail', id] }),
      queryClient.invalidateQueries({ queryKey: ['complaints'] }),
    ]);
  };

  const submit = async () => {
    if (!active) return;
    // A missing or bad field is shown by the form itself; nothing is sent (an uncaught rejection otherwise).
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSubmitting(true);
    try {
      if (active.action === 'attachments') {
        const chosen = (values['file'] as Array<{ originFileObj?: File }> | undefined)?.[0]?.originFileObj;
        if (!chosen) return;
        await uploadAttachment(id, { file: chosen, kind: String(values['kind']), ...(typeof values['description'] === 'string' ? { description: values['description'] } : {}) }, active.revision);
      } else await runAction(id, active.action, commandBody(values), active.revision);
      setActive(null);
      form.resetFields();
      void message.success(t('action.done'));
      await refresh();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        // Someone else decided first: show what they did, keep what this person typed.
        const [fresh, history] = await Promise.all([fetchComplaint(id), fetchEvents(id)]);
        setConflict({ action: active.action, yours: active.revision, fresh, changes: history.filter((event) => event.revision > active.revision), values: form.getFieldsValue(true) });
        setActive(null);
      } else setFailure(error);
    } finally {
      setSubmitting(false);
    }
  };

  const reloadAndDecideAgain = () => {
    if (!conflict) return;
    queryClient.setQueryData(complaintKey(id), conflict.fresh);
    void refresh();
    const still = conflict.fresh.allowedActions.find((entry) => entry.action === conflict.action);
    setConflict(null);
    if (still?.allowed) open(conflict.action, conflict.fresh.revision, conflict.values);
  };

  const stillAllowed = conflict?.fresh.allowedActions.find((entry) => entry.action === conflict.action);
  const actions = state.allowedActions.filter((entry) => !OWN_CONTROLS.has(entry.action));
  const allowed = actions.filter((entry) => entry.allowed);
  const refused = actions.filter((entry) => !entry.allowed);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/">{t('complaint.back')}</Link>
      <Typography.Title level={2}>
        {t('complaint.title', { id: state.id.slice(0, 8) })} <Tag>{t(`status.${state.status}`)}</Tag>
      </Typography.Title>
      <Card title={t('complaint.actions')} size="small">
        <Space wrap>
          {allowed.map((entry) => (
            <Button key={entry.action} type="primary" onClick={() => open(entry.action, state.revision)}>{t(`action.${entry.action}`)}</Button>
          ))}
        </Space>
        {refused.length > 0 ? (
          <ul aria-label={t('complaint.actions')} style={{ marginTop: 12, paddingLeft: 0, listStyle: 'none' }}>
            {refused.map((entry) => (
              <li key={entry.action} style={{ marginBottom: 4 }}>
                <Tooltip title={refusal(entry)}>
                  <Button disabled size="small" aria-describedby={`refusal-${entry.action}`}>{t(`action.${entry.action}`)}</Button>
                </Tooltip>{' '}
                <Typography.Text type="secondary" id={`refusal-${entry.action}`}>{refusal(entry)}</Typography.Text>
              </li>
            ))}
          </ul>
        ) : null}
      </Card>
      <Card title={t('complaint.clocks')} size="small">
        <Space direction="vertical">
          {state.clocks.map((clock) => (
            <div key={clock.clock}>
              {clock.met
                ? <><Tag color={clock.breachRecorded ? STATE_COLOURS.breached : STATE_COLOURS.met}>{clock.breachRecorded ? t('deadline.breached') : t('deadline.met')}</Tag>{t(`clock.${clock.clock}`)} · {formatInstant(clock.deadline)}</>
                : <DeadlineTag clock={clock} now={now} />}
            </div>
          ))}
        </Space>
      </Card>
      <Descriptions title={t('complaint.details')} bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('complaint.customer')}>{state.customer.name ?? '—'} ({state.customer.id})</Descriptions.Item>
        <Descriptions.Item label={t('complaint.segment')}>{label('customerSegment', state.customer.segment)}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.channel')}>{label('channel', state.channel)}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.cause')}>{label('cause', state.cause)}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.behaviour')}>{label('behaviour', state.behaviour)}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.purpose')}>{label('purpose', state.purpose)}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.severity')}>{label('severity', state.severity)}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.assignment')}>{state.assignment ? `${state.assignment.department} / ${state.assignment.assignee}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.receivedAt')}>{formatInstant(state.receivedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.receivedBy')}>{state.receivedBy.id}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.revision')}>{state.revision}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.contact')} span={2}>
          {[state.contact.phone, state.contact.email, state.contact.address, state.contact.preferredChannel ? label('channel', state.contact.preferredChannel) : null, state.contact.preferredTime]
            .filter((value) => value !== null).join(' · ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('complaint.description')} span={2}>{state.description}</Descriptions.Item>
        <Descriptions.Item label={t('complaint.desiredOutcome')} span={2}>{state.desiredOutcome ?? '—'}</Descriptions.Item>
      </Descriptions>
      <ComplaintTags complaint={state} editable={mayTag(state, may(session, 'POST /complaints/:id/tags'))} onChanged={refresh} />
      <RelatedComplaints complaint={state} />
      <Card title={t('complaint.thread')} size="small">
        {state.notes.length === 0 ? <Typography.Text type="secondary">{t('complaint.noNotes')}</Typography.Text> : (
          <ul aria-label={t('complaint.thread')} style={{ paddingLeft: 0, listStyle: 'none', margin: 0 }}>
            {state.notes.map((note) => (
              <li key={note.revision} style={{ marginBottom: 8 }}>
                <Tag>{t(`field.visibility.${note.visibility}`)}</Tag>{note.channel ? <Tag>{label('channel', note.channel)}</Tag> : null}
                <Typography.Text type="secondary">{formatInstant(note.addedAt)} · {note.by.id}</Typography.Text>
                <div style={{ whiteSpace: 'pre-wrap' }}>{note.text}</div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t('complaint.attachments')} size="small">
        {state.attachments.length === 0 ? <Typography.Text type="secondary">{t('complaint.noAttachments')}</Typography.Text> : (
          <ul aria-label={t('complaint.attachments')} style={{ paddingLeft: 0, listStyle: 'none', margin: 0 }}>
            {state.attachments.map((file) => {
              const name = file.fileName ?? t('attachment.erasedName');
              return (
                <li key={file.sha256} style={{ marginBottom: 8 }}>
                  <Tag>{label('attachmentKind', file.kind)}</Tag>
                  <Button type="link" size="small" aria-label={t('attachment.download', { name })}
                    onClick={() => void downloadFile(file.href, file.fileName ?? `attachment-${file.sha256.slice(0, 12)}`).catch((error: unknown) => void message.error(describeFailure(error, language, problemWords ?? NO_PROBLEM_WORDS).message))}>
                    {name}
                  </Button>
                  <Typography.Text type="secondary">{(file.size / 1024).toFixed(1)} KiB · {formatInstant(file.addedAt)} · {file.by.id}</Typography.Text>
                  {file.description ? <div style={{ whiteSpace: 'pre-wrap' }}>{file.description}</div> : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Card title={t('complaint.timeline')} size="small">
        {events.error ? <ErrorAlert error={events.error} /> : <EventTimeline events={events.data ?? []} trail={trail.data} />}
      </Card>

      <Modal
        open={active !== null}
        title={active ? t(`action.${active.action}`) : ''}
        okText={t('action.submit')}
        cancelText={t('action.cancel')}
        confirmLoading={submitting}
        onOk={() => void submit()}
        onCancel={() => setActive(null)}
        forceRender
        // The scroll lock writes a <style> that cannot carry the CSP nonce (rc-component's locker takes none); the page behind may scroll.
        scrollLock={false}
      >
        {failure ? <ErrorAlert error={failure} /> : null}
        {active ? <ActionForm action={active.action} form={form} /> : null}
      </Modal>

      <Modal
        open={conflict !== null}
        title={t('conflict.title')}
        onCancel={() => setConflict(null)}
        scrollLock={false}
        footer={[
          <Button key="cancel" onClick={() => setConflict(null)}>{t('action.cancel')}</Button>,
          <Button key="reload" type="primary" onClick={reloadAndDecideAgain}>{t('conflict.reload')}</Button>,
        ]}
      >
        {conflict ? (
          <>
            <Typography.Paragraph>{t('conflict.intro', { yours: conflict.yours, theirs: conflict.fresh.revision })}</Typography.Paragraph>
            <EventTimeline events={conflict.changes} />
            {stillAllowed && !stillAllowed.allowed
              ? <Typography.Paragraph type="danger">{t('conflict.noLongerAllowed', { reason: refusal(stillAllowed) })}</Typography.Paragraph>
              : null}
            <Typography.Paragraph>{t('conflict.kept')}</Typography.Paragraph>
          </>
        ) : null}
      </Modal>
    </Space>
  );
}
