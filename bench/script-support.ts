import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** What the single-file bench scripts (two-streams.ts, related-links.ts, engineer-standing.ts, agent-standing.ts) share. */

/** The value after `--name` on the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1]! : fallback;
}

/** The middle value (the upper one of an even count). */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The two builds a two-build bench compares (its first two arguments that are no option or option value). */
export function twoBuilds(usage: string): [string, string] {
  const [buildA, buildB] = process.argv.slice(2).filter((arg, index, args) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
  if (!buildA || !buildB) throw new Error(`usage: ${usage}`);
  return [buildA, buildB];
}

/**
 * Runs each build's synchronous `run` (its ms) once per round, the order rotated each round, and prints each
 * one's median per unit (µs, the median round's ms × 1000 ÷ `units`) and B ÷ A per round with their median.
 */
export function printRoundsOfBuilds(builds: ReadonlyArray<readonly [string, () => number]>, rounds: number, units: number): void {
  const times = builds.map(() => [] as number[]);
  for (let round = 0; round < rounds; round += 1) {
    for (let slot = 0; slot < builds.length; slot += 1) {
      const index = (slot + round) % builds.length;
      times[index]!.push(builds[index]![1]());
    }
  }
  for (const [index, [name]] of builds.entries()) console.log(`  ${name.padEnd(40)} ${((median(times[index]!) * 1000) / units).toFixed(2).padStart(7)} µs`);
  const ratios = times[1]!.map((ms, round) => ms / times[0]![round]!);
  console.log(`  per-round ratios ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}×`);
}

/** Runs each variant `reps` times, the order rotated each repetition so that none always runs first: each variant's run times (ms). */
export async function interleaved<V extends string>(variants: Record<V, () => Promise<unknown>>, reps: number): Promise<Record<V, number[]>> {
  const names = Object.keys(variants) as V[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<V, number[]>;
  for (let rep = 0; rep < reps; rep += 1) {
    for (const name of names.map((_, index) => names[(index + rep) % names.length]!)) {
      const began = performance.now();
      await variants[name]();
      times[name].push(performance.now() - began);
    }
  }
  return times;
}

/**
 * Runs the variants interleaved (interleaved) and prints, after `heading`, each one's ms per command
 * (its median run divided by the commands of a run) and its ratio to the first variant, the baseline.
 */
export async function printPerCommand<V extends string>(variants: Record<V, () => Promise<unknown>>, reps: number, commands: number, heading: string): Promise<void> {
  const names = Object.keys(variants) as V[];
  const times = await interleaved(variants, reps);
  const perCommand = (name: V) => median(times[name]) / commands;
  const width = Math.max(...names.map((name) => name.length)) + 2;
  console.log(`${heading}; ms per command (median run), ratio to ${names[0]}`);
  for (const name of names) console.log(`  ${name.padEnd(width)} ${perCommand(name).toFixed(3).padStart(8)}  ${(perCommand(name) / perCommand(names[0]!)).toFixed(2)}×`);
}

/**
 * The commands of one complaint's lifecycle as the command-path benches send them to the executor
 * (receive, apologise, validate, assign, resolve, callback), for customer `customer` (a number).
 */
export function complaintLifecycle(complaintId: string, customer: number, policy: unknown): Array<{ readonly type: string; readonly complaintId: string; readonly data: object }> {
  return [
    { type: 'ReceiveComplaint', complaintId, data: { customerId: `cust-${customer}`, customerName: `客户 ${customer}`, channel: 'phone', cause: 'price', description: 'Bench.', policy } },
    { type: 'ApologiseForComplaint', complaintId, data: { channel: 'phone', statement: '非常抱歉' } },
    { type: 'ValidateComplaint', complaintId, data: { reason: 'Checked.' } },
    { type: 'AssignComplaint', complaintId, data: { department: 'station-ops', assignee: 'zhang.wei' } },
    { type: 'ResolveComplaint', complaintId, data: { resolutionClass: 'immediate', remedy: 'refund', rootCause: 'Pump.', correctiveAction: 'Recalibrated.', customerAccepted: true } },
    { type: 'RecordCallback', complaintId, data: { outcome: 'satisfied', satisfaction: 5 } },
  ];
}

/** Runs `work(1)` … `work(count)`, `inFlight` at a time: the sum of what they answer. */
export async function inFlight(count: number, parallel: number, work: (index: number) => Promise<number>): Promise<number> {
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      // Not `done += await …`: that reads done before the await and loses the other clients' counts.
      const ran = await work((next += 1));
      done += ran;
    }
  }));
  return done;
}

/**
 * A run of `count` complaint lifecycles (complaintLifecycle) through an executor, `parallel` at a
 * time, each complaint new, for `customers` customers in turn: the commands run.
 */
export function lifecycleRuns(
  executor: { execute(command: never, context: never): Promise<unknown> },
  context: () => unknown,
  { count, parallel, customers, policy }: { count: number; parallel: number; customers: number; policy: unknown },
): () => Promise<number> {
  return () => inFlight(count, parallel, async (index) => {
    const commands = complaintLifecycle(randomUUID(), index % customers, policy);
    for (const command of commands) await executor.execute(command as never, context() as never);
    return commands.length;
  });
}

/** Runs a script's main, exiting 1 with the error printed when it fails. */
export function runScript(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
