/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the
 * same time grouped by source file. Used by the benchmark's profile step; runnable alone:
 *   node -r ts-node/register/transpile-only bench/cpu-profile.ts FILE.cpuprofile [TOP] [--inclusive] [--samples] [--last SECONDS] [--first SECONDS]
 * --inclusive adds each function's inclusive share (a frame counted once per sample, whatever it called);
 * --samples counts samples instead of summing their time deltas (on a loaded machine a sample that waited for
 * a core carries the wait in its delta, so counts follow the CPU better); --last keeps the samples of the
 * profile's last SECONDS (a knee step, without the server's start-up); --first keeps its first SECONDS (a replay's
 * first part, against its last: docs/adr/0011, "The 1M replay's last part").
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  endTime?: number;
}

export interface ProfileLine {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

/** Where a frame comes from, short: a path under the project, a package name, or Node's own. */
export function sourceOf(url: string, root: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return path;
  return path.startsWith(root) ? path.slice(root.length).replace(/^\//, '') : path;
}

export function summariseProfile(file: string, root: string, top = 15): { totalMs: number; functions: ProfileLine[]; sources: ProfileLine[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    self.set(id, (self.get(id) ?? 0) + delta);
    totalUs += delta;
  });
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const sources = new Map<string, number>();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)!;
    const where = sourceOf(callFrame.url, root);
    const name = callFrame.functionName || '(anonymous)';
    const key = `${name}\u0000${where}:${callFrame.lineNumber + 1}`;
    const entry = functions.get(key) ?? { name, where: callFrame.url ? `${where}:${callFrame.lineNumber + 1}` : where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    sources.set(where, (sources.get(where) ?? 0) + us);
  }
  const line = (name: string, where: string, us: number): ProfileLine => ({ name, where, selfMs: us / 1000, share: us / totalUs });
  return {
    totalMs: totalUs / 1000,
    functions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top).map((entry) => line(entry.name, entry.where, entry.us)),
    sources: [...sources.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([where, us]) => line(where, '', us)),
  };
}

/**
 * Each function's share of the samples with it anywhere on the stack (counted once per sample), the
 * top ones: where the time goes including what a function calls. `samples` counts samples instead of
 * summing their time deltas; `lastSeconds` keeps the profile's last seconds only.
 */
export function inclusiveProfile(file: string, root: string, top = 40, options: { samples?: boolean; lastSeconds?: number; firstSeconds?: number } = {}): { totalMs: number; self: ProfileLine[]; functions: ProfileLine[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (id: number) => {
    const { callFrame } = byId.get(id)!;
    const where = sourceOf(callFrame.url, root);
    return { key: `${callFrame.functionName || '(anonymous)'}\u0000${where}:${callFrame.lineNumber + 1}`, name: callFrame.functionName || '(anonymous)', where: callFrame.url ? `${where}:${callFrame.lineNumber + 1}` : where };
  };
  const elapsed = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const from = options.lastSeconds === undefined ? -Infinity : elapsed - options.lastSeconds * 1e6;
  const to = options.firstSeconds === undefined ? Infinity : options.firstSeconds * 1e6;
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  const self = new Map<string, { name: string; where: string; us: number }>();
  let at = 0;
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at < from || at > to) return;
    const weight = options.samples ? 1000 : delta;
    totalUs += weight;
    const leaf = keyOf(id);
    const own = self.get(leaf.key) ?? { name: leaf.name, where: leaf.where, us: 0 };
    own.us += weight;
    self.set(leaf.key, own);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = keyOf(node);
      if (seen.has(frame.key)) continue;
      seen.add(frame.key);
      const entry = inclusive.get(frame.key) ?? { name: frame.name, where: frame.where, us: 0 };
      entry.us += weight;
      inclusive.set(frame.key, entry);
    }
  });
  const lines = (entries: Map<string, { name: string; where: string; us: number }>) => [...entries.values()].filter((entry) => entry.name !== '(root)')
    .sort((a, b) => b.us - a.us).slice(0, top).map((entry) => ({ name: entry.name, where: entry.where, selfMs: entry.us / 1000, share: entry.us / totalUs }));
  return { totalMs: totalUs / 1000, self: lines(self), functions: lines(inclusive) };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const flag = (name: string) => { const index = args.indexOf(name); return index >= 0 ? (args.splice(index, 1), true) : false; };
  const last = args.indexOf('--last');
  const lastSeconds = last >= 0 ? Number(args.splice(last, 2)[1]) : undefined;
  const first = args.indexOf('--first');
  const firstSeconds = first >= 0 ? Number(args.splice(first, 2)[1]) : undefined;
  const [withInclusive, samples] = [flag('--inclusive'), flag('--samples')];
  const [file, top] = args;
  if (!file) throw new Error('usage: cpu-profile.ts FILE.cpuprofile [TOP] [--inclusive] [--samples] [--last SECONDS] [--first SECONDS]');
  if (withInclusive || samples || lastSeconds !== undefined || firstSeconds !== undefined) {
    const summary = inclusiveProfile(file, process.cwd(), Number(top ?? 40), { samples, ...(lastSeconds === undefined ? {} : { lastSeconds }), ...(firstSeconds === undefined ? {} : { firstSeconds }) });
    process.stdout.write(`${samples ? 'samples' : 'total'} ${summary.totalMs.toFixed(0)} ${samples ? '' : 'ms'}\n\nself by function (${samples ? 'samples' : 'ms'})\n`);
    for (const entry of summary.self) process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.selfMs.toFixed(0).padStart(7)}  ${entry.name}  ${entry.where}\n`);
    process.stdout.write(`\ninclusive by function (${samples ? 'samples' : 'ms'})\n`);
    for (const entry of summary.functions) process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.selfMs.toFixed(0).padStart(7)}  ${entry.name}  ${entry.where}\n`);
    process.exit(0);
  }
  const summary = summariseProfile(file, process.cwd(), Number(top ?? 25));
  process.stdout.write(`total ${summary.totalMs.toFixed(0)} ms\n\nself time by function\n`);
  for (const entry of summary.functions) process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}  ${entry.where}\n`);
  process.stdout.write('\nself time by source\n');
  for (const entry of summary.sources) process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}\n`);
}
