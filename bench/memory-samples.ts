/**
 * Where a process's resident memory goes, sampled while it works (bench only; docs/adr/0011, "Where the
 * replay's memory goes"). Every `everyMs` it reads `process.memoryUsage()` (this isolate's heap, and the
 * memory V8 knows of outside it: external strings and buffers), V8's heap spaces, and the kernel's count
 * of the whole process (`/proc/self/smaps_rollup`: anonymous memory, which holds every thread's heap and
 * SQLite's page caches, against file-backed pages, the node binary and shared libraries). The summary is
 * the sample at the highest RSS, and the highest value of each figure.
 */
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

export interface MemorySample {
  readonly rssMb: number;
  /** This isolate's heap: what it holds in use, and what it took from the system. */
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly newSpaceMb: number;
  readonly oldSpaceMb: number;
  readonly codeSpaceMb: number;
  readonly largeObjectSpaceMb: number;
  /** Outside the heap, known to V8: buffers (array buffers among them) and external strings. */
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
  /** The kernel's view of the whole process (every thread): anonymous pages, and pages of files (code, SQLite's shared memory). */
  readonly anonymousMb: number;
  readonly fileMb: number;
  /** Anonymous memory that is not this isolate's heap nor its external memory: other threads' heaps, SQLite, malloc's own. */
  readonly nativeMb: number;
}

const MB = 1024 * 1024;
const round = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

function smapsRollup(): { rss: number; anonymous: number } {
  try {
    const text = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: field('Rss'), anonymous: field('Anonymous') };
  } catch {
    return { rss: process.memoryUsage.rss(), anonymous: 0 }; // not Linux: the kernel's split is not known
  }
}

export function sampleNow(): MemorySample {
  const usage = process.memoryUsage();
  const spaces = new Map(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size]));
  const kernel = smapsRollup();
  return {
    rssMb: round(kernel.rss), heapUsedMb: round(usage.heapUsed), heapTotalMb: round(usage.heapTotal),
    newSpaceMb: round(spaces.get('new_space') ?? 0), oldSpaceMb: round(spaces.get('old_space') ?? 0),
    codeSpaceMb: round(spaces.get('code_space') ?? 0), largeObjectSpaceMb: round(spaces.get('large_object_space') ?? 0),
    externalMb: round(usage.external), arrayBuffersMb: round(usage.arrayBuffers),
    anonymousMb: round(kernel.anonymous), fileMb: round(kernel.rss - kernel.anonymous),
    nativeMb: round(Math.max(0, kernel.anonymous - usage.heapTotal - usage.external)),
  };
}

/** Starts sampling; the function returned stops it and gives the sample at the peak RSS and each figure's highest value. */
export function sampleMemory(everyMs: number): () => { atPeak: MemorySample; highest: MemorySample; samples: number } {
  let atPeak = sampleNow();
  const highest: Record<string, number> = { ...atPeak };
  let samples = 1;
  const take = () => {
    const sample = sampleNow();
    samples += 1;
    if (sample.rssMb > atPeak.rssMb) atPeak = sample;
    for (const [name, value] of Object.entries(sample)) highest[name] = Math.max(highest[name] ?? 0, value);
  };
  const timer = setInterval(take, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    take();
    return { atPeak, highest: highest as unknown as MemorySample, samples };
  };
}
