import type { BreakerPolicy, RetryPolicy } from './webhook-retry';

/** How webhooks are delivered (WEBHOOK_* settings; README, "Webhooks"). */
export interface WebhookSettings {
  /** Hosts or addresses a webhook may reach although they are not public (WEBHOOK_ALLOW_HOSTS, comma-separated). */
  readonly allowHosts: readonly string[];
  readonly retry: RetryPolicy;
  readonly breaker: BreakerPolicy;
  /** How long one POST may take, response included. */
  readonly timeoutMs: number;
  /** How often the log and the queues are looked at. */
  readonly pollMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowHosts: [],
  retry: { baseDelayMs: 10_000, maxDelayMs: 3_600_000, retryWindowMs: 86_400_000 },
  breaker: { threshold: 5, cooldownMs: 60_000 },
  timeoutMs: 10_000,
  pollMs: 500,
};
