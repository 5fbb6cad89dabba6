import type { RunningApp } from './test-app';

/** Builds the as-of generation `name` up to a log position (or a date or date-time) over HTTP (POST /analytics/as-of) and waits until its job is done. */
export async function buildAsOf(app: RunningApp, name: string, until: number | string, timeoutMs = 60_000): Promise<void> {
  expect((await app.request('POST', '/analytics/as-of', { role: 'analyst', body: { until: String(until), name } })).status).toBe(202);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await app.request('GET', `/analytics/as-of/${name}`, { role: 'analyst' });
    if (job.body.status === 'done') return;
    if (job.body.status !== 'queued' && job.body.status !== 'running') throw new Error(`as-of ${name}: ${JSON.stringify(job.body)}`);
    if (Date.now() > deadline) throw new Error(`as-of ${name} still ${job.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `target` with one method held: a call of `method` whose arguments `holds` picks waits until `open()`
 * (`reached` settles at the first such call). To make a step of the product wait while the test acts.
 */
export function holdingAt<T extends object>(target: T, method: keyof T & string, holds: (args: unknown[]) => boolean): { held: T; reached: Promise<void>; open: () => void } {
  let arrive!: () => void;
  const reached = new Promise<void>((resolve) => { arrive = resolve; });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const held = new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (property !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (holds(args)) {
          arrive();
          await gate;
        }
        return (value as (...given: unknown[]) => unknown).apply(object, args);
      };
    },
  });
  return { held, reached, open };
}
