import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Form, Row, Select, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, downloadCsv } from '../../shared/api/client';
import { may, useSession } from '../../shared/api/session';
import { useTaxonomyLabel, type TaxonomyName } from '../../shared/api/taxonomy';
import { useI18n } from '../../shared/i18n/i18n';
import { useMessages } from '../../shared/i18n/feature-messages';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { ANY_STATUS, queueLink } from '../complaints/queue-filter';
import type { ListFilter } from '../complaints/api';
import { Chart, type ChartClick } from './Chart';
import { ANALYTICS_MESSAGES } from './messages';
import { INTERVALS, receivedIn, type Interval } from './periods';
import { cellFilter, DIMENSIONS, noneOf, UNASSIGNED, type Dimension } from './drill-down';
import { usePeriodNames } from './period-names';


interface Summary { readonly mean: number | null; readonly p50: number | null; readonly p90: number | null }
interface StatsFigures {
  readonly received: number;
  readonly wellFoundedPercent: number | null;
  readonly timeToFirstReplyHours: Summary;
  readonly timeToResolutionHours: Summary;
  readonly meanSatisfaction: number | null;
}
interface StatsRow extends StatsFigures { readonly period: string; readonly value: string; readonly partial?: boolean }
interface StatsPeriod extends StatsFigures { readonly period: string; readonly partial?: boolean }
interface Stats { readonly rows: readonly StatsRow[]; readonly periods: readonly StatsPeriod[]; readonly totals: StatsFigures | null }
interface ComplianceRow { readonly period?: string; readonly value: string; readonly met: number; readonly breached: number; readonly compliancePercent: number | null; readonly partial?: boolean }
interface Labels { readonly 'zh-CN': string; readonly en: string }
interface Customer {
  readonly id: string;
  readonly name: string | null;
  readonly score: number;
  readonly tier: string;
  readonly stage: string;
  readonly tierLabels: Labels;
  readonly stageLabels: Labels;
  readonly complaints: { readonly total: number; readonly open: number };
  readonly factors: ReadonlyArray<{ readonly code: string; readonly labels: Labels; readonly contribution: number; readonly detail: string }>;
}
interface CustomerPage { readonly items: readonly Customer[]; readonly nextCursor: string | null }
interface LoyaltyDistribution { readonly customers: number; readonly rows: ReadonlyArray<{ readonly dimension: 'tier' | 'stage'; readonly value: string; readonly customers: number }> }

const TAXONOMY_OF: Partial<Record<Dimension, TaxonomyName>> = { cause: 'cause', behaviour: 'behaviour', purpose: 'purpose', channel: 'channel', segment: 'customerSegment' };
const TIERS = ['loyal', 'satisfied', 'at-risk', 'detractor'] as const;
const STAGES = ['exploration', 'formation', 'stability', 'decline'] as const;
const LEAST_LOYAL = 10;
const GRID = { top: 40, left: 48, right: 16, bottom: 30 };

/** The analyst's view: complaints per period by a dimension, well-founded rate, reply and resolution times, satisfaction, SLA compliance, loyalty; as of a built moment; as CSV; each number opens its complaints. */
export default function DashboardScreen() {
  const { t, language } = useI18n();
  const { m } = useMessages(ANALYTICS_MESSAGES);
  const label = useTaxonomyLabel(language);
  const navigate = useNavigate();
  const session = useSession(true).data;
  const [by, setBy] = useState<Dimension>('cause');
  const [interval, setInterval] = useState<Interval>('month');
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const [of, setOf] = useState<string | undefined>(undefined);
  const query = { by, interval, asOf };
  const stats = useQuery({ queryKey: ['stats', query], queryFn: async ({ signal }) => (await api<Stats>('/stats/complaints', { query, signal })).body });
  const complianceQuery = { by: 'department', interval, asOf };
  const mayCompliance = may(session, 'GET /sla/compliance');
  const compliance = useQuery({
    queryKey: ['sla-compliance', complianceQuery],
    queryFn: async ({ signal }) => (await api<{ rows: ComplianceRow[] }>('/sla/compliance', { query: complianceQuery, signal })).body.rows,
    enabled: mayCompliance,
  });
  const mayCustomers = may(session, 'GET /customers');
  const leastLoyalQuery = { sort: 'score', limit: LEAST_LOYAL, asOf };
  const leastLoyal = useQuery({
    queryKey: ['customers', leastLoyalQuery],
    queryFn: async ({ signal }) => (await api<CustomerPage>('/customers', { query: leastLoyalQuery, signal })).body.items,
    enabled: mayCustomers,
  });
  // Every customer of each tier and stage, counted by the API (not a page of the list).
  const mayLoyalty = may(session, 'GET /stats/loyalty');
  const loyaltyQuery = { asOf };
  const loyalty = useQuery({
    queryKey: ['stats-loyalty', loyaltyQuery],
    queryFn: async ({ signal }) => (await api<LoyaltyDistribution>('/stats/loyalty', { query: loyaltyQuery, signal })).body,
    enabled: mayLoyalty,
  });
  const generations = useQuery({
    queryKey: ['as-of'],
    queryFn: async () => (await api<{ generations: Array<{ name: string }> }>('/analytics/as-of')).body.generations,
    enabled: may(session, 'GET /analytics/as-of'),
  });

  const rows = stats.data?.rows ?? [];
  const periods = [...new Set(rows.map((row) => row.period))].sort();
  const values = [...new Set(rows.map((row) => row.value))].sort();
  const taxonomy = TAXONOMY_OF[by];
  // The statistics' values for "none yet" are codes of the API, not of the taxonomy: said in words, in the language picked.
  const none = (value: string) => {
    const word = noneOf(by, value);
    return word === undefined ? undefined : m(word === UNASSIGNED ? 'analytics.unassigned' : 'analytics.unspecified');
  };
  const name = (value: string) => none(value) ?? (taxonomy ? label(taxonomy, value) : value);
  // A department's only sentinel is `unassigned`: a unit whose code is `unspecified` keeps its code.
  const departmentName = (value: string) => (value === UNASSIGNED ? m('analytics.unassigned') : value);
  const cell = (period: string, value: string) => rows.find((row) => row.period === period && row.value === value);
  const complianceRows = compliance.data ?? [];
  // A period cut short or not over yet is marked wherever it is named (axes, tooltips, text alternatives, the heat map),
  // and one note under the charts, which each chart names as its description, says what the mark means.
  const { periodName, describedBy: partialNote, note: partialNoteText } = usePeriodNames(interval, rows, stats.data?.periods ?? [], complianceRows);
  const received = (value: string) => rows.filter((row) => row.value === value).reduce((sum, row) => sum + row.received, 0);
  const busiest = [...values].sort((a, b) => received(b) - received(a) || a.localeCompare(b))[0];
  const shown = of !== undefined && values.includes(of) ? of : busiest;
  const hours = (figure: number | null | undefined) => (figure === null || figure === undefined ? '—' : String(figure));

  /**
   * The queue with the complaints behind a number: this dimension's value, received in this period, in any status (a
   * number counts them all; the queue alone shows the open ones). Read as of a snapshot, the queue as of the same
   * snapshot (GET /complaints?asOf=), which says so.
   */
  const complaintsLink = (filter: ListFilter) => queueLink({ status: ANY_STATUS, ...filter, ...(asOf ? { asOf } : {}) });
  const openComplaints = (filter: ListFilter) => navigate(complaintsLink(filter));
  // The unassigned row opens the complaints with no department yet (the queue's "No department"); a value not given opens nothing (cellFilter).
  const openCell = (dimension: Dimension, value: string, period: string) => {
    const filter = cellFilter(dimension, value, period, interval);
    if (filter) openComplaints(filter);
  };
  /**
   * A number of the table under the charts: a link to the queue with its complaints, as a click on its bar opens them, so
   * that a keyboard (Tab, Enter) and a screen reader reach every drill-down; a value no filter selects stays a number.
   */
  const numberLink = (count: number, filter: ListFilter | null, value: string, period: string) => (filter === null || count === 0 ? count : (
    <Link to={complaintsLink(filter)} aria-label={m('analytics.openCell', { count, value, period })}>{count}</Link>
  ));
  const numberColumns: TableColumnsType<{ value: string | null }> = [
    { title: t(`dimension.${by}`), key: 'value', render: (_, row) => (row.value === null ? m('analytics.allValues') : name(row.value)) },
    ...periods.map((period) => ({
      title: periodName(period), key: period, align: 'right' as const,
      render: (_: unknown, row: { value: string | null }) => (row.value === null
        ? numberLink(rows.filter((each) => each.period === period).reduce((sum, each) => sum + each.received, 0), receivedIn(period, interval), m('analytics.allValues'), periodName(period))
        : numberLink(cell(period, row.value)?.received ?? 0, cellFilter(by, row.value, period, interval), name(row.value), periodName(period))),
    })),
  ];

  const complianceMonths = [...new Set(complianceRows.map((row) => row.period ?? ''))].sort();
  const departments = [...new Set(complianceRows.map((row) => row.value))].sort();
  const complianceText = complianceRows.map((row) => m('analytics.complianceCell', {
    department: departmentName(row.value), period: periodName(row.period ?? ''), percent: row.compliancePercent ?? '—', met: row.met, breached: row.breached,
  }));

  const countOf = (dimension: 'tier' | 'stage', value: string) => loyalty.data?.rows.find((row) => row.dimension === dimension && row.value === value)?.customers ?? 0;
  const tierCounts = TIERS.map((tier) => countOf('tier', tier));
  const stageCounts = STAGES.map((stage) => countOf('stage', stage));

  const customerColumns: TableColumnsType<Customer> = [
    {
      title: m('analytics.customer'), key: 'customer',
      render: (_, customer) => <Button type="link" size="small" onClick={() => openComplaints({ customerId: customer.id })} aria-label={`${m('analytics.openComplaints')}: ${customer.name ?? customer.id}`}>{customer.name ?? customer.id}</Button>,
    },
    { title: m('analytics.score'), dataIndex: 'score' },
    { title: m('analytics.loyaltyTier'), key: 'tier', render: (_, customer) => <Tag>{customer.tierLabels[language]}</Tag> },
    { title: m('analytics.loyaltyStage'), key: 'stage', responsive: ['md'], render: (_, customer) => customer.stageLabels[language] },
    { title: m('analytics.complaints'), key: 'complaints', render: (_, customer) => `${customer.complaints.total} / ${customer.complaints.open}` },
    {
      title: m('analytics.factors'), key: 'factors',
      render: (_, customer) => [...customer.factors].sort((a, b) => a.contribution - b.contribution).slice(0, 3)
        .map((factor) => <Tag key={factor.code} title={factor.detail}>{factor.labels[language]} {factor.contribution > 0 ? '+' : ''}{factor.contribution}</Tag>),
    },
  ];

  const lineOption = (series: Array<{ name: string; data: Array<number | null>; dashed?: boolean }>, yAxis: object) => ({
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: GRID,
    xAxis: { type: 'category' as const, data: periods.map(periodName) },
    yAxis: { type: 'value' as const, ...yAxis },
    series: series.map((line) => ({ type: 'line' as const, name: line.name, connectNulls: true, data: line.data, lineStyle: line.dashed ? { type: 'dashed' as const } : undefined })),
  });
  const shownRows = periods.map((period) => (shown === undefined ? undefined : cell(period, shown)));
  // Every complaint of each period, whatever its value: the API merges the period's sketches.
  const overallRows = periods.map((period) => stats.data?.periods.find((row) => row.period === period));
  const overall = [
    { name: m('analytics.firstReplyP50'), data: overallRows.map((row) => row?.timeToFirstReplyHours.p50 ?? null) },
    { name: m('analytics.firstReplyP90'), data: overallRows.map((row) => row?.timeToFirstReplyHours.p90 ?? null), dashed: true },
    { name: m('analytics.resolutionP50'), data: overallRows.map((row) => row?.timeToResolutionHours.p50 ?? null) },
    { name: m('analytics.resolutionP90'), data: overallRows.map((row) => row?.timeToResolutionHours.p90 ?? null), dashed: true },
  ];
  const durationsLabel = (title: string, lines: typeof overall) => `${title}: ${periods.map((period, index) => `${periodName(period)} ${lines.map((line) => `${line.name} ${hours(line.data[index])}`).join(', ')}`).join('; ')}`;
  const durations = [
    { name: m('analytics.firstReplyP50'), data: shownRows.map((row) => row?.timeToFirstReplyHours.p50 ?? null) },
    { name: m('analytics.firstReplyP90'), data: shownRows.map((row) => row?.timeToFirstReplyHours.p90 ?? null), dashed: true },
    { name: m('analytics.resolutionP50'), data: shownRows.map((row) => row?.timeToResolutionHours.p50 ?? null) },
    { name: m('analytics.resolutionP90'), data: shownRows.map((row) => row?.timeToResolutionHours.p90 ?? null), dashed: true },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('dashboard.title')}</Typography.Title>
      <Form layout="inline">
        <Form.Item label={t('dashboard.by')}>
          <Select aria-label={t('dashboard.by')} value={by} onChange={setBy} style={{ minWidth: 120 }} options={DIMENSIONS.map((value) => ({ value, label: t(`dimension.${value}`) }))} />
        </Form.Item>
        <Form.Item label={t('dashboard.interval')}>
          <Select aria-label={t('dashboard.interval')} value={interval} onChange={setInterval} style={{ minWidth: 100 }} options={INTERVALS.map((value) => ({ value, label: t(`interval.${value}`) }))} />
        </Form.Item>
        <Form.Item label={t('dashboard.asOf')}>
          <Select
            aria-label={t('dashboard.asOf')}
            value={asOf ?? ''}
            onChange={(value: string) => setAsOf(value === '' ? undefined : value)}
            style={{ minWidth: 160 }}
            options={[{ value: '', label: t('dashboard.asOfNow') }, ...(generations.data ?? []).map((generation) => ({ value: generation.name, label: generation.name }))]}
          />
        </Form.Item>
        <Form.Item>
          <Button onClick={() => void downloadCsv('/stats/complaints', query, 'stats-complaints.csv')}>{t('dashboard.download')}</Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary">{m('analytics.clickHint')}</Typography.Paragraph>
      {stats.error ? <ErrorAlert error={stats.error} /> : null}
      <Row gutter={16}>
        <Col><Statistic title={t('dashboard.received')} value={stats.data?.totals?.received ?? 0} /></Col>
        <Col><Statistic title={m('analytics.overallFirstReply')} value={`${hours(stats.data?.totals?.timeToFirstReplyHours.p50)} / ${hours(stats.data?.totals?.timeToFirstReplyHours.p90)}`} /></Col>
        <Col><Statistic title={m('analytics.overallResolution')} value={`${hours(stats.data?.totals?.timeToResolutionHours.p50)} / ${hours(stats.data?.totals?.timeToResolutionHours.p90)}`} /></Col>
      </Row>
      {rows.length === 0 && !stats.isPending ? <Empty description={t('dashboard.noData')} /> : (
        <>
          <Card title={t('dashboard.received')} size="small">
            <Chart
              testId="received-chart"
              describedBy={partialNote}
              label={`${t('dashboard.received')} — ${t('dashboard.total', { count: stats.data?.totals?.received ?? 0 })}`}
              onClick={(click: ChartClick) => openCell(by, values[click.seriesIndex]!, periods[click.dataIndex]!)}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: GRID,
                xAxis: { type: 'category', data: periods.map(periodName) },
                yAxis: { type: 'value', minInterval: 1 },
                series: values.map((value) => ({ type: 'bar', stack: 'received', name: name(value), data: periods.map((period) => cell(period, value)?.received ?? 0) })),
              }}
            />
          </Card>
          <Card title={t('dashboard.wellFounded')} size="small">
            <Chart
              label={t('dashboard.wellFounded')}
              describedBy={partialNote}
              onClick={(click) => openCell(by, values[click.seriesIndex]!, periods[click.dataIndex]!)}
              option={lineOption(values.map((value) => ({ name: name(value), data: periods.map((period) => cell(period, value)?.wellFoundedPercent ?? null) })), { min: 0, max: 100 })}
            />
          </Card>
          <Card title={m('analytics.overallDurations')} size="small">
            <Chart
              testId="overall-durations-chart"
              describedBy={partialNote}
              label={durationsLabel(m('analytics.overallDurations'), overall)}
              onClick={(click) => openComplaints(receivedIn(periods[click.dataIndex]!, interval))}
              option={lineOption(overall, { name: 'h' })}
            />
          </Card>
          <Card
            title={m('analytics.durations')}
            size="small"
            extra={(
              <Select
                aria-label={m('analytics.durationsOf')}
                value={shown}
                onChange={setOf}
                style={{ minWidth: 160 }}
                options={values.map((value) => ({ value, label: name(value) }))}
              />
            )}
          >
            <Chart
              testId="durations-chart"
              describedBy={partialNote}
              label={`${m('analytics.durations')} — ${shown === undefined ? '' : name(shown)}: ${periods.map((period, index) => `${periodName(period)} ${durations.map((line) => `${line.name} ${hours(line.data[index])}`).join(', ')}`).join('; ')}`}
              onClick={(click) => shown !== undefined && openCell(by, shown, periods[click.dataIndex]!)}
              option={lineOption(durations, { name: 'h' })}
            />
          </Card>
          <Card title={m('analytics.satisfaction')} size="small">
            <Chart
              label={m('analytics.satisfaction')}
              describedBy={partialNote}
              onClick={(click) => openCell(by, values[click.seriesIndex]!, periods[click.dataIndex]!)}
              option={lineOption(values.map((value) => ({ name: name(value), data: periods.map((period) => cell(period, value)?.meanSatisfaction ?? null) })), { min: 1, max: 5 })}
            />
          </Card>
          {/* The charts' accessible equivalent: every number behind their bars and points, each a link to its complaints. */}
          <Card title={m('analytics.numbers')} size="small">
            <div style={{ overflowX: 'auto' }}>
              <Table
                size="small"
                pagination={false}
                rowKey={(row) => row.value ?? ''}
                columns={numberColumns}
                dataSource={[...values.map((value) => ({ value })), { value: null }]}
              />
            </div>
          </Card>
        </>
      )}
      {mayCompliance ? (
        <Card
          title={m('analytics.compliance')}
          size="small"
          extra={<Button onClick={() => void downloadCsv('/sla/compliance', complianceQuery, 'sla-compliance.csv')}>{m('analytics.downloadCompliance')}</Button>}
        >
          {compliance.error ? <ErrorAlert error={compliance.error} /> : null}
          {complianceRows.length === 0 && !compliance.isPending ? <Empty description={m('analytics.complianceEmpty')} /> : (
            <Chart
              testId="compliance-heatmap"
              describedBy={partialNote}
              height={Math.max(220, 100 + departments.length * 36)}
              label={`${m('analytics.compliance')}: ${complianceText.join('; ')}`}
              onClick={(click) => {
                const [x, y] = click.data as [number, number, number | null];
                const [department, period] = [departments[y]!, complianceMonths[x]!];
                // The clocks counted as unassigned are those met or breached before an assignment, not the complaints with no department
                // now (department=unassigned): every complaint starts without one, so this row opens the complaints received then.
                if (department === UNASSIGNED) openComplaints(receivedIn(period, interval));
                else openCell('department', department, period);
              }}
              option={{
                tooltip: {
                  formatter: (params: unknown) => {
                    const [x, y] = (params as { data: [number, number] }).data;
                    const row = complianceRows.find((candidate) => candidate.period === complianceMonths[x] && candidate.value === departments[y]);
                    return row ? m('analytics.complianceCell', { department: departmentName(row.value), period: periodName(row.period ?? ''), percent: row.compliancePercent ?? '—', met: row.met, breached: row.breached }) : '';
                  },
                },
                // The colour scale above the plot, the axis labels inside the chart's box (a long department code shortened, whole in the tooltip):
                // below the plot the scale's figures fell on the period labels.
                grid: { top: 48, left: 8, right: 16, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
                xAxis: { type: 'category', data: complianceMonths.map(periodName), splitArea: { show: true }, axisLabel: { hideOverlap: true } },
                yAxis: { type: 'category', data: departments.map(departmentName), splitArea: { show: true }, axisLabel: { width: 150, overflow: 'truncate' } },
                visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', right: 16, top: 0, itemHeight: 120, itemWidth: 12, inRange: { color: ['#d73027', '#fee08b', '#1a9850'] } },
                series: [{
                  type: 'heatmap',
                  name: m('analytics.compliance'),
                  label: { show: true },
                  data: complianceRows.map((row) => [complianceMonths.indexOf(row.period ?? ''), departments.indexOf(row.value), row.compliancePercent ?? '-']),
                }],
              }}
            />
          )}
        </Card>
      ) : null}
      {partialNoteText}
      {mayCustomers ? (
        <>
          <Card
            title={m('analytics.loyalty')}
            size="small"
            extra={mayLoyalty ? <Button onClick={() => void downloadCsv('/stats/loyalty', loyaltyQuery, 'loyalty-distribution.csv')}>{m('analytics.downloadLoyalty')}</Button> : null}
          >
            {loyalty.error ? <ErrorAlert error={loyalty.error} /> : null}
            <Row gutter={16}>
              {([['analytics.loyaltyTier', TIERS, tierCounts, 'tier'], ['analytics.loyaltyStage', STAGES, stageCounts, 'stage']] as const).map(([title, codes, counts, kind]) => (
                <Col xs={24} md={12} key={kind}>
                  <Typography.Text strong>{m(title)}</Typography.Text>
                  <Chart
                    testId={`loyalty-${kind}-chart`}
                    height={240}
                    label={`${m('analytics.loyalty')} — ${m(title)}: ${codes.map((code, index) => `${m(`${kind}.${code}` as 'tier.loyal')} ${counts[index]}`).join(', ')}`}
                    option={{
                      tooltip: { trigger: 'axis' },
                      grid: { top: 16, left: 40, right: 16, bottom: 30 },
                      xAxis: { type: 'category', data: codes.map((code) => m(`${kind}.${code}` as 'tier.loyal')) },
                      yAxis: { type: 'value', minInterval: 1 },
                      series: [{ type: 'bar', name: m('analytics.customers'), data: [...counts] }],
                    }}
                  />
                </Col>
              ))}
            </Row>
          </Card>
          <Card
            title={m('analytics.leastLoyal')}
            size="small"
            extra={<Button onClick={() => void downloadCsv('/customers', { sort: 'score', asOf }, 'customers.csv')}>{m('analytics.downloadCustomers')}</Button>}
          >
            {leastLoyal.error ? <ErrorAlert error={leastLoyal.error} /> : null}
            <section aria-label={m('analytics.leastLoyal')} style={{ overflowX: 'auto' }}>
              <Table<Customer> rowKey="id" columns={customerColumns} dataSource={[...(leastLoyal.data ?? [])]} loading={leastLoyal.isPending} pagination={false} size="small" />
            </section>
          </Card>
        </>
      ) : null}
    </Space>
  );
}
