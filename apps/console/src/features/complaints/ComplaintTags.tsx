import { useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Card, Input, Space, Tag, Typography } from 'antd';
import { ApiError } from '../../shared/api/client';
import { useI18n } from '../../shared/i18n/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { tagComplaint, type Complaint } from './api';

/**
 * Whether this principal may tag the complaint now: the complaint's allowedActions decide where they list
 * tagging; until they do, the API's role rule (POST /complaints/{id}/tags in GET /session), since a tag may
 * be added in any status.
 */
export function mayTag(complaint: Complaint, mayCallRoute: boolean): boolean {
  const entry = complaint.allowedActions.find((candidate) => (candidate.action as string) === 'tags');
  return entry ? entry.allowed : mayCallRoute;
}

/** The complaint's tags (antd Tag), each removable, and a field to add one, when the principal may tag it. */
export function ComplaintTags({ complaint, editable, onChanged }: { complaint: Complaint; editable: boolean; onChanged: () => Promise<void> }) {
  const { t, live } = useI18n();
  const { message } = App.useApp();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const change = async (body: { add?: string[]; remove?: string[] }) => {
    setBusy(true);
    setFailure(null);
    try {
      await tagComplaint(complaint.id, body, complaint.revision);
      setDraft('');
      void message.success(live('action.done'));
      await onChanged();
    } catch (error) {
      // Someone else changed the complaint first: show its fresh tags and let the person decide again (what was typed stays).
      if (error instanceof ApiError && error.status === 412) {
        await onChanged();
        setFailure(new Error(t('tags.changed')));
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const add = () => {
    const tag = draft.trim();
    if (tag !== '') void change({ add: [tag] });
  };

  return (
    <Card title={t('complaint.tags')} size="small">
      <Space direction="vertical" style={{ width: '100%' }}>
        {complaint.tags.length === 0 ? <Typography.Text type="secondary">{t('complaint.noTags')}</Typography.Text> : (
          <ul aria-label={t('complaint.tags')} style={{ paddingLeft: 0, listStyle: 'none', margin: 0, display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            {complaint.tags.map((tag) => (
              <li key={tag}>
                <Tag style={{ marginInlineEnd: 0 }}>
                  {tag}
                  {editable ? (
                    <Button type="text" size="small" disabled={busy} aria-label={t('tags.remove', { tag })} onClick={() => void change({ remove: [tag] })} style={{ marginInlineStart: 4, height: 'auto', padding: '0 2px', lineHeight: 1 }}>×</Button>
                  ) : null}
                </Tag>
              </li>
            ))}
          </ul>
        )}
        {editable ? (
          <Space.Compact>
            <Input
              aria-label={t('tags.new')}
              placeholder={t('tags.hint')}
              value={draft}
              maxLength={100}
              onChange={(event) => setDraft(event.target.value)}
              onPressEnter={add}
              style={{ width: 220 }}
            />
            <Button onClick={add} loading={busy} disabled={draft.trim() === ''}>{t('tags.add')}</Button>
          </Space.Compact>
        ) : null}
        {failure ? <ErrorAlert error={failure} /> : null}
      </Space>
    </Card>
  );
}

/**
 * The complaints this one duplicates or is related to (GET /complaints/{id} `related`), and, on an original,
 * the complaints marked as its duplicates (`duplicates`): each a link to it.
 */
export function RelatedComplaints({ complaint }: { complaint: Complaint }) {
  const { t, formatInstant } = useI18n();
  if (complaint.related.length === 0 && complaint.duplicates.length === 0) return null;
  const entry = (complaintId: string, at: string, by: string, kind: string) => (
    <li key={complaintId} style={{ marginBottom: 4 }}>
      <Tag>{kind}</Tag>
      <Link to={`/complaints/${complaintId}`}>{t('complaint.title', { id: complaintId.slice(0, 8) })}</Link>{' '}
      <Typography.Text type="secondary">{formatInstant(at)} · {by}</Typography.Text>
    </li>
  );
  return (
    <Card title={t('complaint.related')} size="small">
      {complaint.related.length > 0 ? (
        <ul aria-label={t('complaint.related')} style={{ paddingLeft: 0, listStyle: 'none', margin: 0 }}>
          {complaint.related.map((link) => entry(link.complaintId, link.at, link.by.id, t(`relation.${link.relation}`)))}
        </ul>
      ) : null}
      {complaint.duplicates.length > 0 ? (
        <ul aria-label={t('complaint.duplicates')} style={{ paddingLeft: 0, listStyle: 'none', margin: 0 }}>
          {complaint.duplicates.map((duplicate) => entry(duplicate.complaintId, duplicate.at, duplicate.by.id, t('relation.duplicate')))}
        </ul>
      ) : null}
    </Card>
  );
}
