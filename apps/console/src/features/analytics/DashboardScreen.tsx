import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Form, Select, Space, Statistic, Typography } from 'antd';
import { api, downloadCsv } from '../../shared/api/client';
import { may, useSession } from '../../shared/api/session';
import { useTaxonomyLabel, type TaxonomyName } from '../../shared/api/taxonomy';
import { useI18n } from '../../shared/i18n/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { Chart } from './Chart';

const DIMENSIONS = ['cause', 'behaviour', 'purpose', 'channel', 'department', 'segment'] as const;
const INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
type Dimension = (typeof DIMENSIONS)[number];

interface Summary { readonly mean: number | null; readonly p50: number | null; readonly p90: number | null }
interface StatsRow {
  readonly period: string;
  readonly value: string;
  readonly received: number;
  readonly wellFoundedPercent: number | null;
  readonly timeToFirstReplyHours: Summary;
}
interface Stats { readonly rows: readonly StatsRow[]; readonly totals: (Omit<StatsRow, 'period' | 'value'>) | null }

const TAXONOMY_OF: Partial<Record<Dimension, TaxonomyName>> = { cause: 'cause', behaviour: 'behaviour', purpose: 'purpose', channel: 'channel', segment: 'customerSegment' };

/** The analyst's view of /stats/complaints: received per period by a dimension, and the well-founded rate; as of a built moment; as CSV. */
export default function DashboardScreen() {
  const { t, language } = useI18n();
  const label = useTaxonomyLabel(language);
  const session = useSession(true).data;
  const [by, setBy] = useState<Dimension>('cause');
  const [interval, setInterval] = useState<(typeof INTERVALS)[number]>('month');
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const query = { by, interval, asOf };
  const stats = useQuery({ queryKey: ['stats', query], queryFn: async ({ signal }) => (await api<Stats>('/stats/complaints', { query, signal })).body });
  const generations = useQuery({
    queryKey: ['as-of'],
    queryFn: async () => (await api<{ generations: Array<{ name: string }> }>('/analytics/as-of')).body.generations,
    enabled: may(session, 'GET /analytics/as-of'),
  });

  const rows = stats.data?.rows ?? [];
  const periods = [...new Set(rows.map((row) => row.period))].sort();
  const values = [...new Set(rows.map((row) => row.value))].sort();
  const taxonomy = TAXONOMY_OF[by];
  const name = (value: string) => (taxonomy ? label(taxonomy, value) : value);
  const cell = (period: string, value: string) => rows.find((row) => row.period === period && row.value === value);

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
      {stats.error ? <ErrorAlert error={stats.error} /> : null}
      <Statistic title={t('dashboard.received')} value={stats.data?.totals?.received ?? 0} />
      {rows.length === 0 && !stats.isPending ? <Empty description={t('dashboard.noData')} /> : (
        <>
          <Card title={t('dashboard.received')} size="small">
            <Chart
              label={`${t('dashboard.received')} — ${t('dashboard.total', { count: stats.data?.totals?.received ?? 0 })}`}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { top: 40, left: 40, right: 16, bottom: 30 },
                xAxis: { type: 'category', data: periods },
                yAxis: { type: 'value', minInterval: 1 },
                series: values.map((value) => ({ type: 'bar', stack: 'received', name: name(value), data: periods.map((period) => cell(period, value)?.received ?? 0) })),
              }}
            />
          </Card>
          <Card title={t('dashboard.wellFounded')} size="small">
            <Chart
              label={t('dashboard.wellFounded')}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { top: 40, left: 40, right: 16, bottom: 30 },
                xAxis: { type: 'category', data: periods },
                yAxis: { type: 'value', min: 0, max: 100 },
                series: values.map((value) => ({ type: 'line', name: name(value), connectNulls: true, data: periods.map((period) => cell(period, value)?.wellFoundedPercent ?? null) })),
              }}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
