/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the
 * same time grouped by source file. Used by the benchmark's profile step; runnable alone:
 *   node -r ts-node/register/transpile-only bench/cpu-profile.ts FILE.cpuprofile [TOP]
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

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile.ts FILE.cpuprofile [TOP]');
  const summary = summariseProfile(file, process.cwd(), Number(top ?? 25));
  process.stdout.write(`total ${summary.totalMs.toFixed(0)} ms\n\nself time by function\n`);
  for (const entry of summary.functions) process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}  ${entry.where}\n`);
  process.stdout.write('\nself time by source\n');
  for (const entry of summary.sources) process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}\n`);
}
