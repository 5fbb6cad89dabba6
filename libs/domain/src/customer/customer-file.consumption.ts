import type { Volume } from './customer-file.sections';

/**
 * When a key customer's monthly volume counts as an abnormal drop (seed 003: 发现客户加油量异常).
 * Looked up by the handler and passed in with the command, like the SLA policy, and recorded whole
 * in the alert.
 */
export interface ConsumptionAlertPolicy {
  readonly version: string;
  /** A figure lower than the recent average by more than this share raises the alert (0 < share < 1). */
  readonly dropShare: number;
  /** How many calendar months before the figure's month make the recent average. */
  readonly windowMonths: number;
  /** At least this many of those months must have a figure; fewer is too little to call a drop. */
  readonly minimumMonths: number;
}

export const DEFAULT_CONSUMPTION_ALERT_POLICY: ConsumptionAlertPolicy = {
  version: 'seed-default-v1',
  dropShare: 0.3,
  windowMonths: 3,
  minimumMonths: 2,
};

/** What is wrong with a policy, in words that say how to fix it, or null when it is sound. */
export function consumptionPolicyProblem(policy: ConsumptionAlertPolicy): string | null {
  if (typeof policy.version !== 'string' || policy.version.trim() === '') return 'the consumption alert policy needs a version';
  if (!(policy.dropShare > 0 && policy.dropShare < 1)) return `dropShare must be a share between 0 and 1 (0.3 = a drop of more than 30 %), not ${policy.dropShare}`;
  if (!Number.isInteger(policy.windowMonths) || policy.windowMonths < 1 || policy.windowMonths > 24) return `windowMonths must be a whole number of months from 1 to 24, not ${policy.windowMonths}`;
  if (!Number.isInteger(policy.minimumMonths) || policy.minimumMonths < 1 || policy.minimumMonths > policy.windowMonths) {
    return `minimumMonths must be a whole number from 1 to windowMonths (${policy.windowMonths}), not ${policy.minimumMonths}`;
  }
  return null;
}

/** The `count` calendar months before a YYYY-MM month, oldest first. */
export function monthsBefore(period: string, count: number): string[] {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const first = year * 12 + (month - 1) - count;
  return Array.from({ length: count }, (_, index) => {
    const months = first + index;
    return `${String(Math.floor(months / 12)).padStart(4, '0')}-${String((months % 12) + 1).padStart(2, '0')}`;
  });
}

export interface ConsumptionFigure {
  readonly period: string;
  readonly volume: Volume;
}

export interface ConsumptionDrop {
  readonly recentAverage: number;
  readonly drop: number;
  readonly comparedPeriods: readonly string[];
}

const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

/**
 * The mean of the figures of the window's months before `period`, or null when fewer months than
 * the policy's minimum have one. Months without a figure are left out (not zero): a figure nobody
 * recorded is unknown, not nothing.
 */
export function recentAverage(figures: readonly ConsumptionFigure[], period: string, policy: ConsumptionAlertPolicy): { readonly average: number; readonly comparedPeriods: string[] } | null {
  const window = new Set(monthsBefore(period, policy.windowMonths));
  const compared = figures.filter((figure) => window.has(figure.period));
  if (compared.length < policy.minimumMonths) return null;
  return { average: compared.reduce((sum, figure) => sum + figure.volume.amount, 0) / compared.length, comparedPeriods: compared.map((figure) => figure.period) };
}

/** Whether `amount` for `period` is a drop under the policy: lower than the recent average by more than the share. */
export function consumptionDrop(figures: readonly ConsumptionFigure[], period: string, amount: number, policy: ConsumptionAlertPolicy): ConsumptionDrop | null {
  const recent = recentAverage(figures, period, policy);
  if (recent === null || recent.average <= 0) return null;
  const drop = (recent.average - amount) / recent.average;
  if (!(drop > policy.dropShare)) return null;
  return { recentAverage: round(recent.average, 3), drop: round(drop, 4), comparedPeriods: recent.comparedPeriods };
}

/** Whether a figure of `changed` bears on whether `period` is a drop: its own figure, or one of its window. */
export function figureBearsOn(period: string, changed: string, policy: ConsumptionAlertPolicy): boolean {
  return period === changed || monthsBefore(period, policy.windowMonths).includes(changed);
}

export const roundVolume = (amount: number): number => round(amount, 3);
