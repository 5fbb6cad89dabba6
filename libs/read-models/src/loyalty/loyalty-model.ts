/**
 * Customer loyalty model, version 1 (docs/loyalty-model.md). A score of 0–100 starts at 70 for
 * a customer with no complaint; each factor adds its contribution. The seeds' point — a
 * complaint handled well builds loyalty (令人满意的投诉可以培养客户的忠诚度) — holds: a medium
 * complaint answered in time, resolved, accepted and called back with satisfaction 5 adds +14.
 */
export const LOYALTY_MODEL_VERSION = 2;
export const BASE_SCORE = 70;

export interface LoyaltyCounters {
  complaints: number;
  severityWeight: number;
  repeatComplaints: number;
  firstReplyInTime: number;
  firstReplyLate: number;
  slaKept: number;
  slaBroken: number;
  escalations: number;
  reopens: number;
  resolutionsAccepted: number;
  resolutionsRefused: number;
  resolved: number;
  satisfactionPoints: number;
  callbacks: number;
}

export const ZERO_COUNTERS: LoyaltyCounters = {
  complaints: 0, severityWeight: 0, repeatComplaints: 0, firstReplyInTime: 0, firstReplyLate: 0, slaKept: 0, slaBroken: 0,
  escalations: 0, reopens: 0, resolutionsAccepted: 0, resolutionsRefused: 0, resolved: 0, satisfactionPoints: 0, callbacks: 0,
};

export const SEVERITY_WEIGHT: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };

export interface Factor {
  readonly code: string;
  readonly labels: { readonly 'zh-CN': string; readonly en: string };
  readonly contribution: number;
  readonly detail: string;
}

type FactorRule = { code: string; zh: string; en: string; weight: number; count: (counters: LoyaltyCounters, recent: number) => number; unit: string };

const RULES: FactorRule[] = [
  { code: 'complaints', zh: '投诉次数与严重程度', en: 'Complaints and their severity', weight: -3, count: (c) => c.severityWeight, unit: 'severity points' },
  { code: 'repeat-complaints', zh: '重复投诉', en: 'Repeat complaints (same cause)', weight: -4, count: (c) => c.repeatComplaints, unit: 'repeats' },
  { code: 'recent-complaints', zh: '近期频繁投诉', en: 'Other complaints within 90 days of the latest', weight: -3, count: (_c, recent) => recent, unit: 'complaints' },
  { code: 'apology-in-time', zh: '及时道歉回复', en: 'First reply in time', weight: 4, count: (c) => c.firstReplyInTime, unit: 'replies' },
  { code: 'apology-late', zh: '回复超时', en: 'First reply late or missing', weight: -3, count: (c) => c.firstReplyLate, unit: 'replies' },
  { code: 'sla-kept', zh: '时限达成', en: 'Other deadlines kept', weight: 2, count: (c) => c.slaKept, unit: 'deadlines' },
  { code: 'sla-broken', zh: '时限违约', en: 'Other deadlines broken', weight: -4, count: (c) => c.slaBroken, unit: 'deadlines' },
  { code: 'escalations', zh: '升级处理', en: 'Escalations', weight: -3, count: (c) => c.escalations, unit: 'escalations' },
  { code: 'reopens', zh: '重新打开', en: 'Reopened complaints', weight: -5, count: (c) => c.reopens, unit: 'reopens' },
  { code: 'resolution-accepted', zh: '接受解决方案', en: 'Solutions accepted', weight: 4, count: (c) => c.resolutionsAccepted, unit: 'solutions' },
  { code: 'resolution-refused', zh: '拒绝解决方案', en: 'Solutions refused', weight: -4, count: (c) => c.resolutionsRefused, unit: 'solutions' },
  { code: 'callback-satisfaction', zh: '回访满意度', en: 'Callback satisfaction (each point above or below 3)', weight: 4, count: (c) => c.satisfactionPoints, unit: 'points' },
];

export type Tier = 'loyal' | 'satisfied' | 'at-risk' | 'detractor';
export type Stage = 'exploration' | 'formation' | 'stability' | 'decline';

export const TIER_LABELS: Record<Tier, { 'zh-CN': string; en: string }> = {
  loyal: { 'zh-CN': '忠诚客户', en: 'Loyal' },
  satisfied: { 'zh-CN': '满意客户', en: 'Satisfied' },
  'at-risk': { 'zh-CN': '流失风险', en: 'At risk' },
  detractor: { 'zh-CN': '不满客户', en: 'Detractor' },
};

export const STAGE_LABELS: Record<Stage, { 'zh-CN': string; en: string }> = {
  exploration: { 'zh-CN': '考察期', en: 'Exploration' },
  formation: { 'zh-CN': '形成期', en: 'Formation' },
  stability: { 'zh-CN': '稳定期', en: 'Stability' },
  decline: { 'zh-CN': '退化期', en: 'Decline' },
};

export function factorsOf(counters: LoyaltyCounters, recentComplaints: number): Factor[] {
  return RULES.map((rule) => {
    const count = rule.count(counters, recentComplaints);
    return { code: rule.code, labels: { 'zh-CN': rule.zh, en: rule.en }, contribution: rule.weight * count, detail: `${count} ${rule.unit} × ${rule.weight > 0 ? '+' : ''}${rule.weight}` };
  }).filter((factor) => factor.contribution !== 0);
}

export function scoreOf(factors: readonly Factor[]): number {
  return Math.max(0, Math.min(100, Math.round(BASE_SCORE + factors.reduce((sum, factor) => sum + factor.contribution, 0))));
}

/**
 * scoreOf(factorsOf(counters, recentComplaints)) without the factors and their words: the projection
 * scores a customer on every event of its complaints, and the factors are only for people (customerView).
 */
export function scoreOfCounters(counters: LoyaltyCounters, recentComplaints: number): number {
  let sum = 0;
  for (const rule of RULES) sum += rule.weight * rule.count(counters, recentComplaints);
  return Math.max(0, Math.min(100, Math.round(BASE_SCORE + sum)));
}

export function tierOf(score: number): Tier {
  if (score >= 80) return 'loyal';
  if (score >= 65) return 'satisfied';
  if (score >= 45) return 'at-risk';
  return 'detractor';
}

/**
 * Lifecycle stage (seed 002's 考察期 / 形成期 / 稳定期 / 退化期): exploration while the first
 * complaint is open; decline when the score fell 10 points below its recent peak or the customer
 * is a detractor; stability after two or more resolved complaints with a score of 65 or more;
 * formation otherwise.
 */
export function stageOf(counters: LoyaltyCounters, score: number, recentScores: readonly number[]): Stage {
  const peak = Math.max(score, ...recentScores);
  if (tierOf(score) === 'detractor' || peak - score >= 10) return 'decline';
  if (counters.complaints <= 1 && counters.resolved === 0) return 'exploration';
  if (counters.resolved >= 2 && score >= 65) return 'stability';
  return 'formation';
}
