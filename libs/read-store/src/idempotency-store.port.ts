/** The answer to a command sent with an Idempotency-Key, as the API gave it. */
export interface StoredResponse {
  /** What the request was (method, path, body): the same key with another request is a misuse. */
  readonly fingerprint: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * Responses of commands sent with an Idempotency-Key, per principal, kept for a limited time (the
 * adapter's `ttlMs`) in the configured read store, so every API instance on that store answers a
 * retry the same way. Every adapter passes `describeIdempotencyStoreContract`. Times come from the
 * caller (its clock), never from the store's: a response stored at `t` lives while `now < t + ttlMs`.
 */
export abstract class IdempotencyStore {
  /** How long a stored response is kept, in milliseconds. */
  abstract readonly ttlMs: number;

  /**
   * The response stored for `key` of `principal`, or undefined when there is none or it has expired
   * at `now` (whether or not it has been purged yet). Principals and keys are compared exactly.
   * Reads only: never writes.
   */
  abstract get(principal: string, key: string, now: Date): Promise<StoredResponse | undefined>;

  /**
   * Stores `response` for `key` of `principal`, from `now` until `now + ttlMs`, durably once the
   * promise resolves. The first response wins: while one stored by any instance lives, it is kept and
   * this one is dropped (no error); an expired one is replaced. Expired responses may be purged here.
   */
  abstract put(principal: string, key: string, response: StoredResponse, now: Date): Promise<void>;

  /**
   * Deletes every response expired at `now` and answers how many. Adapters also purge on their own
   * (a TTL index, or on write), so calling this is never needed for correctness.
   */
  abstract purgeExpired(now: Date): Promise<number>;

  /**
   * Deletes every response, of any principal, whose body's `id` (the aggregate the command was on:
   * a complaint, a customer file, a work order) is one of `subjects`, and answers how many. An
   * erasure calls it: a stored answer may repeat personal values the erasure made unreadable in the
   * log (docs/adr/0019). A retry under a forgotten key runs the command again with the same command id.
   */
  abstract forget(subjects: readonly string[]): Promise<number>;

  abstract close(): Promise<void>;
}

/** The TTL must be a whole, positive number of milliseconds (adapters refuse anything else at construction). */
export function checkTtl(ttlMs: number): number {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`an idempotency TTL must be a positive whole number of milliseconds (got ${ttlMs})`);
  return ttlMs;
}
