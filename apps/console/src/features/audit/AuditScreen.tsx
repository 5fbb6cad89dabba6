import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, Select, Space, Spin, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';
import { useMessages } from '../../shared/i18n/feature-messages';
import { AUDIT_COUNTS, AUDIT_MESSAGES } from './messages';
import { countOf } from '../../shared/format/counts';
import { CATALOGUE, type MessageKey } from '../../shared/i18n/catalogue';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { STATE_COLOURS } from '../../shared/ui/colours';
import {
  isLogReport, useAccessHistory, useAuditTrail, useDecisions, useVerify,
  type AccessEntry, type Decision, type DecisionFilter, type LogFinding, type LogReport, type TrailEntry,
} from './api';
import { ChainVerdictView } from './ChainVerdictView';
import { emptyText } from '../../shared/ui/EmptyText';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = ['agent', 'supervisor', 'engineer', 'analyst', 'auditor', 'admin', 'system'] as const;
type Tab = 'verify' | 'decisions' | 'trail' | 'access';
const TABS: readonly Tab[] = ['verify', 'decisions', 'trail', 'access'];

/** A complaint's id or a stream's name, as the person typed it: the stream /audit/verify checks (a bare id is a complaint's). */
const streamOf = (text: string): string | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return UUID.test(trimmed) ? `complaint-${trimmed.toLowerCase()}` : trimmed;
};

/** A role's name, or the API's word for it when the catalogue has none. */
function useRoleName() {
  const { t } = useI18n();
  return (role: string | undefined) => (role === undefined ? undefined : `role.${role}` in CATALOGUE.en ? t(`role.${role}` as MessageKey) : role);
}

function FindingsTable({ findings, onCheck }: { findings: readonly LogFinding[]; onCheck?: (stream: string) => void }) {
  const { formatInstant } = useI18n();
  const { m, has } = useMessages(AUDIT_MESSAGES);
  const columns: TableColumnsType<LogFinding> = [
    { title: m('verify.kind'), dataIndex: 'kind', render: (kind: string) => <Tag color={STATE_COLOURS.breached}>{has(`finding.${kind}`) ? m(`finding.${kind}` as 'finding.event-changed') : kind}</Tag> },
    {
      title: m('verify.where'), key: 'where',
      render: (_, finding) => [
        finding.stream ? m('verify.inStream', { stream: finding.stream }) : null,
        finding.revision !== undefined ? m('verify.atRevision', { revision: finding.revision }) : null,
        finding.position !== undefined ? m('verify.atPosition', { position: finding.position }) : null,
      ].filter(Boolean).join(' · ') || '—',
    },
    { title: m('verify.description'), dataIndex: 'description' },
    {
      title: m('verify.acknowledged'), key: 'acknowledged', responsive: ['md'],
      render: (_, finding) => (finding.acknowledged ? m('verify.acknowledgedBy', { by: finding.acknowledged.by, at: formatInstant(finding.acknowledged.sealedAt) }) : m('verify.notAcknowledged')),
    },
    ...(onCheck ? [{
      title: m('verify.actions'), key: 'check',
      render: (_: unknown, finding: LogFinding) => (finding.stream ? <Button size="small" onClick={() => onCheck(finding.stream!)}>{m('verify.checkStream')}</Button> : null),
    }] : []),
  ];
  return (
    <div style={{ overflowX: 'auto' }}>
      <Table rowKey="id" columns={columns} dataSource={[...findings]} pagination={false} size="small" />
    </div>
  );
}

function StoreReport({ report, onCheck }: { report: LogReport; onCheck: (stream: string) => void }) {
  const { m } = useMessages(AUDIT_MESSAGES);
  const { language } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {report.ok
        ? <Alert type="success" showIcon message={m('verify.storeIntact', { events: countOf(AUDIT_COUNTS.events, language, report.events), streams: countOf(AUDIT_COUNTS.streams, language, report.streams) })} description={m('verify.seals', { seals: countOf(AUDIT_COUNTS.seals, language, report.seals.count) })} />
        : <Alert role="alert" type="error" showIcon message={m('verify.storeBroken', { findings: countOf(AUDIT_COUNTS.findings, language, report.findings.filter((finding) => finding.acknowledged === null).length) })} description={m('verify.storeBrokenHint')} />}
      {report.findings.length > 0 ? <FindingsTable findings={report.findings} onCheck={onCheck} /> : null}
    </Space>
  );
}

function VerifyTab() {
  const { t } = useI18n();
  const { m } = useMessages(AUDIT_MESSAGES);
  const verify = useVerify();
  const [form] = Form.useForm<{ stream?: string }>();
  const run = (stream: string | undefined) => verify.mutate(stream);
  const check = (stream: string) => {
    form.setFieldsValue({ stream });
    run(stream);
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{m('verify.intro')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={(values) => run(streamOf(values.stream ?? ''))} aria-label={m('verify.title')}>
        <Form.Item name="stream" label={m('verify.stream')}>
          <Input style={{ width: 360, maxWidth: '100%' }} placeholder={m('verify.streamPlaceholder')} />
        </Form.Item>
        <Form.Item>
          {/* No loading state on the button: it fades while loading, below the contrast WCAG asks for. */}
          <Space>
            <Button type="primary" htmlType="submit" disabled={verify.isPending}>{m('verify.run')}</Button>
            {verify.isPending ? <Spin size="small" aria-label={t('loading')} /> : null}
          </Space>
        </Form.Item>
      </Form>
      {verify.error ? <ErrorAlert error={verify.error} /> : null}
      {verify.data ? (isLogReport(verify.data) ? <StoreReport report={verify.data} onCheck={check} /> : <ChainVerdictView verdict={verify.data} />) : null}
    </Space>
  );
}

function DecisionsTab({ openTrail }: { openTrail: (id: string) => void }) {
  const { t, language, formatInstant } = useI18n();
  const { m } = useMessages(AUDIT_MESSAGES);
  const [filter, setFilter] = useState<DecisionFilter>({});
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const decisions = useDecisions(filter, cursors[cursors.length - 1]);
  const roleName = useRoleName();
  const columns: TableColumnsType<Decision> = [
    { title: m('audit.when'), dataIndex: 'occurredAt', render: (at: string) => formatInstant(at) },
    { title: m('audit.decision'), key: 'decision', render: (_, row) => row.decision[language] },
    { title: m('audit.who'), key: 'who', render: (_, row) => `${row.actorId} (${roleName(row.role)})` },
    { title: m('audit.reason'), dataIndex: 'reason', responsive: ['md'], render: (reason: string | null) => reason ?? '—' },
    {
      title: m('audit.about'), key: 'about',
      render: (_, row) => (row.complaintId
        ? <Button type="link" size="small" onClick={() => openTrail(row.complaintId!)}>{m('audit.trailOf', { id: row.complaintId.slice(0, 8) })}</Button>
        : <Typography.Text>{row.stream}</Typography.Text>),
    },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Form layout="inline" aria-label={m('audit.filters')} onFinish={(values: DecisionFilter) => { setFilter({ actor: values.actor?.trim() || undefined, role: values.role }); setCursors([undefined]); }}>
        <Form.Item name="actor" label={m('audit.actor')}><Input style={{ width: 160 }} /></Form.Item>
        <Form.Item name="role" label={m('audit.role')}>
          <Select allowClear style={{ minWidth: 140 }} options={ROLES.map((role) => ({ value: role, label: roleName(role) }))} />
        </Form.Item>
        <Form.Item><Button type="primary" htmlType="submit">{t('queue.apply')}</Button></Form.Item>
      </Form>
      {decisions.error ? <ErrorAlert error={decisions.error} /> : null}
      <div style={{ overflowX: 'auto' }}>
        <Table rowKey="id" columns={columns} dataSource={decisions.data?.items ?? []} loading={decisions.isFetching && !decisions.data} pagination={false} size="small" locale={{ emptyText: emptyText(m('audit.noDecisions')) }} />
      </div>
      <Space>
        <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>{t('queue.previous')}</Button>
        <span>{t('queue.page', { page: cursors.length })}</span>
        <Button disabled={!decisions.data?.nextCursor} onClick={() => decisions.data?.nextCursor && setCursors([...cursors, decisions.data.nextCursor])}>{t('queue.next')}</Button>
      </Space>
    </Space>
  );
}

function TrailTab({ complaintId, openTrail }: { complaintId: string | undefined; openTrail: (id: string) => void }) {
  const { language, formatInstant } = useI18n();
  const { m } = useMessages(AUDIT_MESSAGES);
  const trail = useAuditTrail(complaintId);
  const roleName = useRoleName();
  const [typed, setTyped] = useState(complaintId ?? '');
  const columns: TableColumnsType<TrailEntry> = [
    { title: m('audit.revision'), dataIndex: 'revision', width: 90 },
    { title: m('audit.decision'), key: 'decision', render: (_, entry) => entry.decision[language] },
    { title: m('audit.who'), key: 'who', render: (_, entry) => `${entry.actor.id} (${roleName(entry.actor.role)})` },
    { title: m('audit.when'), dataIndex: 'occurredAt', render: (at: string) => formatInstant(at) },
    { title: m('audit.reason'), dataIndex: 'reason', responsive: ['md'], render: (reason: string | null) => reason ?? '—' },
    { title: m('audit.policy'), dataIndex: 'policyVersion', responsive: ['lg'], render: (policy: string | null) => policy ?? '—' },
  ];
  const valid = UUID.test(typed.trim());
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Form layout="inline" aria-label={m('audit.trailTitle')} onFinish={() => valid && openTrail(typed.trim().toLowerCase())}>
        <Form.Item label={m('audit.complaintId')} htmlFor="trail-complaint-id" validateStatus={typed.trim() === '' || valid ? undefined : 'error'} help={typed.trim() === '' || valid ? undefined : m('audit.complaintIdHelp')}>
          <Input id="trail-complaint-id" style={{ width: 340, maxWidth: '100%' }} value={typed} onChange={(event) => setTyped(event.target.value)} />
        </Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" disabled={!valid}>{m('audit.showTrail')}</Button></Form.Item>
      </Form>
      {trail.error ? <ErrorAlert error={trail.error} /> : null}
      {trail.data ? (
        <>
          <Space wrap>
            <Link to={`/complaints/${trail.data.complaintId}`}>{m('audit.openComplaint')}</Link>
          </Space>
          <ChainVerdictView verdict={trail.data.verification} />
          <section aria-label={m('audit.trailTitle')} style={{ overflowX: 'auto' }}>
            <Table rowKey="position" columns={columns} dataSource={[...trail.data.entries]} pagination={false} size="small" />
          </section>
        </>
      ) : null}
    </Space>
  );
}

function AccessTab() {
  const { formatInstant } = useI18n();
  const { m } = useMessages(AUDIT_MESSAGES);
  const history = useAccessHistory();
  const roleName = useRoleName();
  const columns: TableColumnsType<AccessEntry> = [
    { title: m('audit.when'), dataIndex: 'occurredAt', render: (at: string) => formatInstant(at) },
    { title: m('audit.decision'), dataIndex: 'type', render: (type: string) => m(type === 'AccessTokenIssued' ? 'access.issued' : 'access.revoked') },
    {
      title: m('access.principal'), key: 'principal',
      render: (_, entry) => [entry.data.principalId, roleName(entry.data.role)].filter(Boolean).join(' · ') || entry.data.tokenId || '—',
    },
    { title: m('access.departments'), key: 'departments', responsive: ['md'], render: (_, entry) => (entry.data.departments ? entry.data.departments.join(', ') : '—') },
    { title: m('audit.who'), key: 'who', render: (_, entry) => entry.actor.id },
    { title: m('audit.reason'), dataIndex: 'reason', responsive: ['md'], render: (reason: string | null) => reason ?? '—' },
  ];
  if (history.error) return <ErrorAlert error={history.error} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {history.data ? <ChainVerdictView verdict={history.data.verification} /> : null}
      {history.data && history.data.seals.checked && !history.data.seals.ok ? <FindingsTable findings={history.data.seals.findings} /> : null}
      <div style={{ overflowX: 'auto' }}>
        <Table rowKey="revision" columns={columns} dataSource={[...(history.data?.entries ?? [])]} loading={history.isPending} pagination={false} size="small" locale={{ emptyText: emptyText(m('access.none')) }} />
      </div>
    </Space>
  );
}

/** The auditor's view: verify the store, the decisions, a complaint's trail in words, the access-control history. */
export default function AuditScreen() {
  const { m } = useMessages(AUDIT_MESSAGES);
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = asked && TABS.includes(asked) ? asked : 'verify';
  const complaint = params.get('complaint') ?? undefined;
  const openTrail = (id: string) => setParams({ tab: 'trail', complaint: id });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{m('audit.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'trail' && complaint ? { tab: key, complaint } : { tab: key })}
        destroyOnHidden
        items={[
          { key: 'verify', label: m('audit.tab.verify'), children: <VerifyTab /> },
          { key: 'decisions', label: m('audit.tab.decisions'), children: <DecisionsTab openTrail={openTrail} /> },
          { key: 'trail', label: m('audit.tab.trail'), children: <TrailTab key={complaint ?? ''} complaintId={complaint && UUID.test(complaint) ? complaint : undefined} openTrail={openTrail} /> },
          { key: 'access', label: m('audit.tab.access'), children: <AccessTab /> },
        ]}
      />
    </Space>
  );
}
