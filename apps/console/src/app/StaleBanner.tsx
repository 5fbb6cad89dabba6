import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { api } from '../shared/api/client';
import { may, type Session } from '../shared/api/session';
import { defineMessages, useMessages } from '../shared/i18n/feature-messages';
import { useI18n } from '../shared/i18n/i18n';
import { isKnownProjection, READ_BY } from './stale-projections';

/** GET /health, as far as the banner reads it. */
interface Health {
  readonly status: 'ok' | 'degraded';
  readonly failingProjections: ReadonlyArray<{ readonly projection: string; readonly since: string }>;
}

/** Modest: a failing projection is rare, and the banner is a warning, not a live view. */
export const HEALTH_POLL_MS = 30_000;

const MESSAGES = defineMessages(
  {
    'stale.title': 'Some of what you see may be out of date',
    'stale.body': 'The server cannot update {what} just now (a projection is failing; it is retried by itself). What you record is kept; these lists and figures catch up once it is fixed.',
    'complaint-list': 'the complaint lists (my queue, the dispatch board)',
    sla: 'the SLA deadlines at risk and breached, and SLA compliance',
    'complaint-stats': 'the complaint statistics of the dashboard',
    'customer-loyalty': 'the customers\' loyalty scores',
    'audit-decisions': 'the audit\'s list of decisions',
    'customer-files': 'the customer files and their alerts',
    'work-order-list': 'the work orders and their board',
    'work-order-sla': 'the work orders\' deadlines',
    'repair-stats': 'the repair statistics by station and engineer',
    'repair-fees': 'the repair fees',
    'repair-history': 'the customers\' and products\' repair history',
    'survey-list': 'the satisfaction surveys and their figures',
  },
  {
    'stale.title': '您看到的部分内容可能不是最新的',
    'stale.body': '服务器暂时无法更新{what}（有投影出错，正在自动重试）。您记录的操作都会保存；修复后这些列表和数字会自动跟上。',
    'complaint-list': '投诉列表（我的待办、调度看板）',
    sla: '即将超时和已超时的时限及时限达成率',
    'complaint-stats': '统计看板的投诉统计',
    'customer-loyalty': '客户忠诚度评分',
    'audit-decisions': '审计的决策列表',
    'customer-files': '客户档案及其提醒',
    'work-order-list': '维修工单及工单看板',
    'work-order-sla': '维修工单的期限',
    'repair-stats': '按服务站和工程师的维修统计',
    'repair-fees': '维修费用',
    'repair-history': '客户和产品的维修记录',
    'survey-list': '满意度调查及其统计',
  },
);

/**
 * A banner while GET /health says a projection is failing, naming the lists and figures this person
 * reads that may be stale (a projection the console does not know is named as the API names it).
 */
export default function StaleBanner({ session }: { session: Session }) {
  const { m } = useMessages(MESSAGES);
  const { language } = useI18n();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async ({ signal }) => (await api<Health>('/health', { signal })).body,
    refetchInterval: HEALTH_POLL_MS,
    staleTime: HEALTH_POLL_MS,
  });
  if (health.data?.status !== 'degraded') return null;
  const stale = [...new Set(health.data.failingProjections.map((failure) => failure.projection))]
    .filter((projection) => !isKnownProjection(projection) || READ_BY[projection].some((route) => may(session, route)));
  if (stale.length === 0) return null;
  const what = stale.map((projection) => (isKnownProjection(projection) ? m(projection) : projection)).join(language === 'zh-CN' ? '、' : '; ');
  return <Alert role="alert" type="warning" showIcon banner message={m('stale.title')} description={m('stale.body', { what })} style={{ marginBottom: 16 }} />;
}
