import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Empty, Form, Input, Row, Select, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, downloadCsv } from '../../shared/api/client';
import { may, useSession } from '../../shared/api/session';
import { useI18n } from '../../shared/i18n/i18n';
import { useMessages } from '../../shared/i18n/feature-messages';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { Chart } from '../analytics/Chart';
import { unitLabel, useServiceNetwork } from '../dispatch/api';
import { INTERVALS, type Interval } from '../analytics/periods';
import { usePeriodNames } from '../analytics/period-names';
import { SURVEY_MESSAGES } from './messages';
import { emptyText } from '../../shared/ui/EmptyText';

/** The rows GET /stats/surveys gives the surveys sent with no department, station or engineer (a reserved word), and with no cause. */
const UNASSIGNED_ROW = 'unassigned';
const NO_CAUSE = 'none';

/** The list's filters (GET /surveys' query), as the API names them. */
export interface SurveyFilter {
  readonly subjectKind?: string;
  readonly status?: string;
  readonly campaignId?: string;
  readonly from?: string;
  readonly to?: string;
}

interface SurveyItem {
  readonly id: string;
  readonly status: 'sent' | 'answered' | 'cancelled';
  readonly expired: boolean;
  readonly subjectKind: 'complaint' | 'work-order' | 'campaign';
  readonly subjectId: string;
  readonly customerId: string;
  readonly department: string | null;
  readonly campaignId: string | null;
  readonly sentAt: string;
  readonly scores: Record<string, number>;
  readonly meanScore: number | null;
  readonly comment: string | null;
}
interface SurveyPage { readonly items: readonly SurveyItem[]; readonly nextCursor: string | null }

interface Figures { readonly sent: number; readonly answered: number; readonly cancelled: number; readonly responseRatePercent: number | null; readonly meanScore: number | null }
interface StatsRow extends Figures { readonly period: string; readonly value: string; readonly partial?: boolean }
interface SurveyStats { readonly rows: readonly StatsRow[]; readonly totals: Figures | null }

const SUBJECT_KINDS = ['complaint', 'work-order', 'campaign'] as const;
const STATUSES = ['sent', 'open', 'expired', 'answered', 'cancelled'] as const;
const DIMENSIONS = ['department', 'station', 'engineer', 'cause', 'kind'] as const;
type Dimension = (typeof DIMENSIONS)[number];
const QUESTIONS = new Set(['attitude', 'speed', 'result', 'overall']);
const PAGE_SIZE = 20;

interface FilterForm {
  subjectKind?: string;
  status?: string;
  campaignId?: string;
  sent?: [Dayjs | null, Dayjs | null] | null;
}

/**
 * A department's or station's name from the directory (GET /service-network), with its code, as the dispatch and
 * work-order screens show it; the code alone for one the directory does not know. Codes are compared as the directory does.
 */
function useUnitName(): (code: string) => string {
  const { language } = useI18n();
  const network = useServiceNetwork(true);
  const units = new Map((network.data?.units ?? []).map((unit) => [unit.code.toLowerCase(), unit]));
  return (code) => {
    const unit = units.get(code.toLowerCase());
    return unit ? unitLabel(unit, language) : code;
  };
}

/**
 * An engineer's name from the directory with their id, as the service-network and work-order screens show them ("王工 (eng-wang)");
 * the id alone for one the directory does not know. Ids are compared as the directory does.
 */
function useEngineerName(): (id: string) => string {
  const { m } = useMessages(SURVEY_MESSAGES);
  const network = useServiceNetwork(true);
  const engineers = new Map((network.data?.engineers ?? []).map((engineer) => [engineer.id.toLowerCase(), engineer]));
  return (id) => {
    const engineer = engineers.get(id.toLowerCase());
    if (engineer) return `${engineer.name} (${engineer.id})`;
    // The figures' row of the surveys without an engineer (a complaint's, a campaign's): `unassigned` (GET /stats/surveys), never an id.
    return id === UNASSIGNED_ROW ? m('stats.noEngineer') : id;
  };
}

/** The satisfaction surveys (GET /surveys) with their scores, paged and filtered; their figures (GET /stats/surveys) for those who may read them. */
export default function SurveysScreen() {
  const { zone, formatInstant } = useI18n();
  const { m, live } = useMessages(SURVEY_MESSAGES);
  const session = useSession(true).data;
  const unitName = useUnitName();
  const [form] = Form.useForm<FilterForm>();
  const [filter, setFilter] = useState<SurveyFilter>({});
  // The cursors of the pages seen so far: [undefined, page 2's, page 3's …].
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: ['surveys', filter, cursor ?? null],
    queryFn: async ({ signal }) => (await api<SurveyPage>('/surveys', { query: { ...filter, limit: PAGE_SIZE, cursor }, signal })).body,
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });

  const apply = (values: FilterForm) => {
    const [from, to] = values.sent ?? [null, null];
    // Days are picked in the chosen zone: from its midnight to the next day's midnight there.
    setFilter({
      subjectKind: values.subjectKind, status: values.status, campaignId: values.campaignId?.trim() || undefined,
      from: from ? dayjs.tz(from.format('YYYY-MM-DD'), zone).toISOString() : undefined,
      to: to ? dayjs.tz(to.format('YYYY-MM-DD'), zone).add(1, 'day').toISOString() : undefined,
    });
    setCursors([undefined]);
  };

  const question = (id: string) => (QUESTIONS.has(id) ? m(`question.${id}` as 'question.overall') : id);
  const columns: TableColumnsType<SurveyItem> = [
    { title: m('surveys.sentAt'), dataIndex: 'sentAt', render: (at: string) => formatInstant(at) },
    {
      title: m('surveys.subject'), key: 'subject',
      render: (_, survey) => (
        <>
          <Tag>{m(`kind.${survey.subjectKind}`)}</Tag>
          {/* Underlined: beside the kind's words on a narrow window, a link must not be told by its colour alone. */}
          {survey.subjectKind === 'complaint'
            ? <Link to={`/complaints/${survey.subjectId}`} style={{ textDecoration: 'underline' }} aria-label={m('surveys.openSubject', { id: survey.subjectId.slice(0, 8) })}>{survey.subjectId.slice(0, 8)}</Link>
            : survey.subjectKind === 'work-order'
              ? <Link to={`/work-orders/${survey.subjectId}`} style={{ textDecoration: 'underline' }} aria-label={m('surveys.openWorkOrder', { id: survey.subjectId.slice(0, 8) })}>{survey.subjectId.slice(0, 8)}</Link>
              : <Typography.Text title={survey.subjectId}>{survey.subjectId.slice(0, 8)}</Typography.Text>}
        </>
      ),
    },
    { title: m('surveys.customer'), dataIndex: 'customerId' },
    { title: m('surveys.department'), dataIndex: 'department', responsive: ['md'], render: (department: string | null) => (department === null ? '—' : unitName(department)) },
    {
      title: m('surveys.status'), key: 'status',
      render: (_, survey) => <Tag>{survey.expired ? m('surveys.expired') : m(`status.${survey.status}`)}</Tag>,
    },
    { title: m('surveys.meanScore'), dataIndex: 'meanScore', render: (mean: number | null) => (mean === null ? '—' : mean) },
    {
      title: m('surveys.scores'), key: 'scores',
      render: (_, survey) => Object.entries(survey.scores).map(([id, score]) => <Tag key={id}>{question(id)} {score}</Tag>),
    },
    { title: m('surveys.comment'), dataIndex: 'comment', responsive: ['lg'], render: (comment: string | null) => comment ?? '' },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{m('surveys.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{m('surveys.intro')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={apply} aria-label={m('surveys.filters')}>
        <Form.Item name="subjectKind" label={m('surveys.subjectKind')}>
          <Select allowClear style={{ minWidth: 130 }} options={SUBJECT_KINDS.map((kind) => ({ value: kind, label: m(`kind.${kind}`) }))} />
        </Form.Item>
        <Form.Item name="status" label={m('surveys.status')}>
          <Select allowClear style={{ minWidth: 150 }} options={STATUSES.map((status) => ({ value: status, label: m(`status.${status}`) }))} />
        </Form.Item>
        <Form.Item name="campaignId" label={m('surveys.campaign')} rules={[{ pattern: /^[A-Za-z0-9._:@-]{1,100}$/, message: live('surveys.campaignRule') }]}>
          <Input style={{ width: 200 }} maxLength={100} />
        </Form.Item>
        <Form.Item name="sent" label={m('surveys.sent')}><DatePicker.RangePicker allowEmpty={[true, true]} /></Form.Item>
        <Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit">{m('surveys.apply')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }}>{m('surveys.reset')}</Button>
            <Button onClick={() => void downloadCsv('/surveys', { ...filter }, 'surveys.csv')}>{m('surveys.download')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {/* Scrolls sideways in a plain box: the table's own scroll mode measures the scrollbar with an inline style the CSP refuses. */}
      <section aria-label={m('surveys.list')} style={{ overflowX: 'auto' }}>
        <Table<SurveyItem>
          rowKey="id"
          columns={columns}
          dataSource={[...(list.data?.items ?? [])]}
          loading={list.isFetching && !list.data}
          pagination={false}
          size="middle"
          locale={{ emptyText: emptyText(m('surveys.empty')) }}
        />
      </section>
      <Space>
        <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>{m('surveys.previous')}</Button>
        <span>{m('surveys.page', { page: cursors.length })}</span>
        <Button disabled={!list.data?.nextCursor} onClick={() => list.data?.nextCursor && setCursors([...cursors, list.data.nextCursor])}>{m('surveys.next')}</Button>
      </Space>
      {may(session, 'GET /stats/surveys') ? <SurveyFigures mayAsOf={may(session, 'GET /analytics/as-of')} /> : null}
    </Space>
  );
}

/** GET /stats/surveys: the totals, the mean score per period and value as a chart with its text alternative, as of a built moment, and as CSV. */
function SurveyFigures({ mayAsOf }: { mayAsOf: boolean }) {
  const { t } = useI18n();
  const { m } = useMessages(SURVEY_MESSAGES);
  const unitName = useUnitName();
  const engineerName = useEngineerName();
  const [by, setBy] = useState<Dimension>('department');
  const [interval, setInterval] = useState<Interval>('month');
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const query = { by, interval, asOf };
  const stats = useQuery({ queryKey: ['stats-surveys', query], queryFn: async ({ signal }) => (await api<SurveyStats>('/stats/surveys', { query, signal })).body });
  const generations = useQuery({
    queryKey: ['as-of'],
    queryFn: async () => (await api<{ generations: Array<{ name: string }> }>('/analytics/as-of')).body.generations,
    enabled: mayAsOf,
  });

  const rows = stats.data?.rows ?? [];
  const totals = stats.data?.totals ?? null;
  const periods = [...new Set(rows.map((row) => row.period))].sort();
  const values = [...new Set(rows.map((row) => row.value))].sort();
  // A period not over yet (or not at the as-of moment) is marked wherever it is named, as on the dashboard, with its note under the chart.
  const { periodName, describedBy, note } = usePeriodNames(interval, rows);
  const valueName = (value: string) => {
    if (by === 'kind' && (SUBJECT_KINDS as readonly string[]).includes(value)) return m(`kind.${value as 'complaint'}`);
    if (by === 'engineer') return engineerName(value);
    // The rows of the surveys sent without one: `unassigned` (no unit may take that code), and `none` for a cause not found.
    if (by === 'department' && value === UNASSIGNED_ROW) return m('stats.noDepartment');
    if (by === 'station' && value === UNASSIGNED_ROW) return m('stats.noStation');
    if (by === 'cause' && value === NO_CAUSE) return m('stats.noCause');
    return by === 'department' || by === 'station' ? unitName(value) : value;
  };
  const shown = (figure: number | null | undefined) => (figure === null || figure === undefined ? '—' : String(figure));
  const text = [
    ...(totals ? [m('stats.totals', { sent: totals.sent, answered: totals.answered, rate: shown(totals.responseRatePercent), mean: shown(totals.meanScore) })] : []),
    ...rows.map((row) => m('stats.row', { value: valueName(row.value), period: periodName(row.period), sent: row.sent, answered: row.answered, mean: shown(row.meanScore) })),
  ];

  return (
    <Card
      title={m('stats.title')}
      size="small"
      extra={<Button onClick={() => void downloadCsv('/stats/surveys', query, 'stats-surveys.csv')}>{m('stats.download')}</Button>}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Form layout="inline">
          <Form.Item label={m('stats.by')}>
            <Select aria-label={m('stats.by')} value={by} onChange={setBy} style={{ minWidth: 120 }} options={DIMENSIONS.map((value) => ({ value, label: m(`by.${value}`) }))} />
          </Form.Item>
          <Form.Item label={m('stats.interval')}>
            <Select aria-label={m('stats.interval')} value={interval} onChange={setInterval} style={{ minWidth: 100 }} options={INTERVALS.map((value) => ({ value, label: t(`interval.${value}`) }))} />
          </Form.Item>
          <Form.Item label={m('stats.asOf')}>
            <Select
              aria-label={m('stats.asOf')}
              value={asOf ?? ''}
              onChange={(value: string) => setAsOf(value === '' ? undefined : value)}
              style={{ minWidth: 160 }}
              options={[{ value: '', label: m('stats.asOfNow') }, ...(generations.data ?? []).map((generation) => ({ value: generation.name, label: generation.name }))]}
            />
          </Form.Item>
        </Form>
        {stats.error ? <ErrorAlert error={stats.error} /> : null}
        <Row gutter={16}>
          <Col><Statistic title={m('stats.sent')} value={totals?.sent ?? 0} /></Col>
          <Col><Statistic title={m('stats.answered')} value={totals?.answered ?? 0} /></Col>
          <Col><Statistic title={m('stats.responseRate')} value={shown(totals?.responseRatePercent)} /></Col>
          <Col><Statistic title={m('stats.meanScore')} value={shown(totals?.meanScore)} /></Col>
        </Row>
        {rows.length === 0 && !stats.isPending ? <Empty description={m('stats.empty')} /> : (
          <Chart
            testId="survey-scores-chart"
            describedBy={describedBy}
            label={`${m('stats.chart')}: ${text.join('; ')}`}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { top: 40, left: 48, right: 16, bottom: 30 },
              xAxis: { type: 'category', data: periods.map(periodName) },
              yAxis: { type: 'value', min: 0, max: 5 },
              series: values.map((value) => ({
                type: 'bar', name: valueName(value),
                data: periods.map((period) => rows.find((row) => row.period === period && row.value === value)?.meanScore ?? null),
              })),
            }}
          />
        )}
        {note}
      </Space>
    </Card>
  );
}
