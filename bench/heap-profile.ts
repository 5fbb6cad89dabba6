/**
 * Summarises a V8 sampling heap profile (`HEAP_PROFILE=FILE` of `bench/replay.ts replay`, or
 * `node --heap-prof`): the bytes allocated by each function itself, garbage included when the profile
 * kept the collected objects, and the same grouped by source file. Runnable alone:
 *   node -r ts-node/register/transpile-only bench/heap-profile.ts FILE.heapprofile [TOP] [EVENTS]
 * With EVENTS, each line also says the bytes per event.
 */
import { readFileSync } from 'node:fs';
import { sourceOf } from './cpu-profile';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export interface HeapLine {
  readonly name: string;
  readonly bytes: number;
  readonly share: number;
}

export function summariseHeapProfile(file: string, root: string, top = 15): { totalBytes: number; functions: HeapLine[]; sources: HeapLine[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
  const functions = new Map<string, number>();
  const sources = new Map<string, number>();
  let totalBytes = 0;
  const frameName = (node: HeapNode) => {
    const { callFrame } = node;
    const where = sourceOf(callFrame.url, root);
    return `${callFrame.functionName || '(anonymous)'}  ${callFrame.url ? `${where}:${callFrame.lineNumber + 1}` : where}`;
  };
  // A native function (Object.keys, Array.prototype.push …) is named with the code that called it: the caller is what to change.
  const pending: Array<[HeapNode, string]> = [[profile.head, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, caller] = next;
    const own = frameName(node);
    for (const child of node.children) pending.push([child, node.callFrame.url ? own : caller]);
    if (node.selfSize === 0) continue;
    const where = sourceOf(node.callFrame.url, root);
    const name = node.callFrame.url || !caller ? own : `${node.callFrame.functionName || '(anonymous)'} ← ${caller}`;
    functions.set(name, (functions.get(name) ?? 0) + node.selfSize);
    sources.set(where, (sources.get(where) ?? 0) + node.selfSize);
    totalBytes += node.selfSize;
  }
  const lines = (entries: Map<string, number>) => [...entries.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, bytes]) => ({ name, bytes, share: bytes / totalBytes }));
  return { totalBytes, functions: lines(functions), sources: lines(sources) };
}

if (require.main === module) {
  const [file, top, events] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-profile.ts FILE.heapprofile [TOP] [EVENTS]');
  const summary = summariseHeapProfile(file, process.cwd(), Number(top ?? 25));
  const perEvent = (bytes: number) => (events ? `  ${(bytes / Number(events)).toFixed(0).padStart(6)} B/event` : '');
  process.stdout.write(`total ${(summary.totalBytes / 1048576).toFixed(0)} MB allocated${perEvent(summary.totalBytes)}\n\nallocated by function\n`);
  const print = (entry: HeapLine) => process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${(entry.bytes / 1048576).toFixed(1).padStart(7)} MB${perEvent(entry.bytes)}  ${entry.name}\n`);
  summary.functions.forEach(print);
  process.stdout.write('\nallocated by source\n');
  summary.sources.forEach(print);
}
