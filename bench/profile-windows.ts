/**
 * A replay's CPU profile (bench/replay.ts with PROFILE=FILE) cut into WINDOWS parts of equal sample counts, each
 * sample put in one kind by its stack: SQLite's statements by who ran them (typed rows flushed, documents put,
 * documents read, the rest of a commit with its COMMIT, the log's read), the collector, the deferred indexes
 * built at the catch-up (ensureCollections), the rest of the JavaScript. Each kind per 1,000 samples of
 * per-event JavaScript whose work does not depend on the tables' size (encode, encodeValue, keyOf, toRecorded):
 * an event clock, so that a part late in the replay can be compared with an early one although neither the
 * events per window nor the machine's load are known (docs/adr/0011, "The 1M replay's last part").
 *   node -r ts-node/register/transpile-only bench/profile-windows.ts FILE.cpuprofile [WINDOWS]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
  children?: number[];
}

const CLOCK = new Set(['encode', 'encodeValue', 'keyOf', 'toRecorded']);
const NATIVE_STATEMENT = new Set(['run', 'all', 'get', 'iterate']);
export const KINDS = ['clock', 'sqlTyped', 'sqlDoc', 'sqlRead', 'sqlCommit', 'logRead', 'sqlElse', 'gc', 'js', 'indexes'] as const;
type Kind = (typeof KINDS)[number];

export function profileWindows(file: string, windows: number): Array<Record<Kind, number>> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const kinds = new Map<number, Kind>();
  const kindOf = (id: number): Kind => {
    const known = kinds.get(id);
    if (known !== undefined) return known;
    const names = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) names.add(byId.get(node)!.callFrame.functionName);
    const leaf = byId.get(id)!.callFrame.functionName;
    let kind: Kind = 'js';
    if (names.has('ensureCollections')) kind = 'indexes';
    else if (leaf === '(garbage collector)') kind = 'gc';
    else if (CLOCK.has(leaf)) kind = 'clock';
    else if (NATIVE_STATEMENT.has(leaf)) {
      if (names.has('getMany')) kind = 'sqlRead';
      else if (names.has('flushRows')) kind = 'sqlTyped';
      else if (names.has('put')) kind = 'sqlDoc';
      else if (names.has('commit')) kind = 'sqlCommit';
      else if (names.has('messages')) kind = 'logRead';
      else kind = 'sqlElse';
    }
    kinds.set(id, kind);
    return kind;
  };
  const per = Math.ceil(profile.samples.length / windows);
  return Array.from({ length: windows }, (_, window) => {
    const counts = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
    for (let index = window * per; index < Math.min(profile.samples.length, (window + 1) * per); index += 1) counts[kindOf(profile.samples[index]!)] += 1;
    return counts;
  });
}

if (require.main === module) {
  const [file, windows] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-windows.ts FILE.cpuprofile [WINDOWS]');
  const rows = profileWindows(file, Number(windows ?? 10));
  process.stdout.write(`window ${KINDS.map((kind) => kind.padStart(9)).join(' ')}   (clock: samples; the others per 1,000 clock samples)\n`);
  rows.forEach((counts, window) => {
    const cells = KINDS.map((kind) => String(kind === 'clock' ? counts.clock : Math.round((counts[kind] * 1000) / Math.max(counts.clock, 1))).padStart(9));
    process.stdout.write(`${String(window).padStart(6)} ${cells.join(' ')}\n`);
  });
}
