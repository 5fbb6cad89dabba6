import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Space, Spin, Tag, Timeline, Typography } from 'antd';
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
import { FreeText } from './FreeText';
import { STATE_COLOURS } from '../../shared/ui/colours';
import { ActionDialog, ConflictDialog, RefusedActions } from '../../shared/ui/ActionDialogs';
import { useActionFlow } from '../../shared/ui/use-action-flow';

/** Actions this page offers with controls of their own (the tags' field), not as a button and a form. */
const OWN_CONTROLS = new Set<string>(['tags']);

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
  const problemWords = useProblemWords();
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: complaintKey(id) }),
      queryClient.invalidateQueries({ queryKey: ['complaint-events', id] }),
      queryClient.invalidateQueries({ queryKey: ['complaint-trail', id] }),
      queryClient.invalidateQueries({ queryKey: ['complaints'] }),
    ]);
  };
  const flow = useActionFlow<ComplaintAction, Complaint, { changes: readonly StoredEvent[] }>({
    send: async (action, values, revision) => {
      if (action !== 'attachments') return runAction(id, action, commandBody(values), revision);
      const chosen = (values['file'] as Array<{ originFileObj?: File }> | undefined)?.[0]?.originFileObj;
      if (!chosen) return false;
      return uploadAttachment(id, { file: chosen, kind: String(values['kind']), ...(typeof values['description'] === 'string' ? { description: values['description'] } : {}) }, revision);
    },
    fetchFresh: async (_action, yours) => {
      const [fresh, history] = await Promise.all([fetchComplaint(id), fetchEvents(id)]);
      return { fresh, changes: history.filter((event) => event.revision > yours) };
    },
    refresh,
    show: (fresh) => queryClient.setQueryData(complaintKey(id), fresh),
  });
  const { form, active, open, submit, submitting, failure, conflict, reloadAndDecideAgain, stillAllowed } = flow;

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
        <RefusedActions entries={refused} label={(entry) => t(`action.${entry.action}`)} reason={refusal} listLabel={t('complaint.actions')} />
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
        <Descriptions.Item label={t('complaint.description')} span={2}><FreeText text={state.description} /></Descriptions.Item>
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
                <div style={{ whiteSpace: 'pre-wrap' }}><FreeText text={note.text} /></div>
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

      <ActionDialog open={active !== null} title={active ? t(`action.${active.action}`) : ''} submitting={submitting} onSubmit={() => void submit()} onClose={flow.close}>
        {failure ? <ErrorAlert error={failure} /> : null}
        {active ? <ActionForm action={active.action} form={form} /> : null}
      </ActionDialog>

      <ConflictDialog open={conflict !== null} title={t('conflict.title')} reloadText={t('conflict.reload')} onReload={reloadAndDecideAgain} onClose={flow.closeConflict}>
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
      </ConflictDialog>
    </Space>
  );
}
