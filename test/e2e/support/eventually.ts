/**
 * Waits for what a request sets going (a projection, a delivery, a restart) by looking again until it
 * is there. No timing is asserted: the limits only end a wait that would never succeed, and the error
 * names what was awaited and what was last seen. The e2e and the browser suites share these.
 */

/** Checks until `check` holds or `timeoutMs` has passed; false if it never did (for `expect(...).toBe(true)`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** How long waitFor goes on. */
export interface WaitLimits<T> {
  /** The longest the whole wait may take, moving or not (default 15 s). */
  readonly limitMs?: number;
  /**
   * What shows the awaited thing on its way (a state, a position), compared as JSON between looks. With
   * `stillMs`, the wait gives up once it has not changed for that long: on a slow machine a wait that
   * moves goes on (up to `limitMs`), one that stands still fails without waiting out the whole limit.
   */
  readonly progress?: (seen: T) => unknown;
  readonly stillMs?: number;
  /** The pause between two looks (default 50 ms). */
  readonly everyMs?: number;
}

const shown = (seen: unknown): string => {
  const text = JSON.stringify(seen);
  return text === undefined ? String(seen) : text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
};

/**
 * Reads until `check` holds of what `read` gives, and returns that. Throws, naming `what` and the last
 * value seen, once `limitMs` has passed, or once the `progress` of what is seen has stood still for `stillMs`.
 */
export async function waitFor<T>(what: string, read: () => Promise<T>, check: (seen: T) => boolean, limits: WaitLimits<T> = {}): Promise<T> {
  const limitMs = limits.limitMs ?? 15_000;
  const started = Date.now();
  let movedAt = started;
  let progress: string | undefined;
  for (;;) {
    const seen = await read();
    if (check(seen)) return seen;
    const now = Date.now();
    if (limits.progress) {
      const next = shown(limits.progress(seen));
      if (next !== progress) {
        progress = next;
        movedAt = now;
      }
      if (limits.stillMs !== undefined && now - movedAt >= limits.stillMs) {
        throw new Error(`waited for ${what}: nothing moved for ${limits.stillMs} ms (progress ${progress}); last seen: ${shown(seen)}`);
      }
    }
    if (now - started >= limitMs) throw new Error(`waited for ${what}: not there after ${limitMs} ms; last seen: ${shown(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, limits.everyMs ?? 50));
  }
}
