import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ApiConfig } from '../config/api-config';
import type { ToWorker } from './read-side.messages';

/** What a worker needs to open its own connections to the stores: plain data, cloned into the thread. */
export type StoreSettings = Pick<ApiConfig, 'eventStore' | 'readStore' | 'dataDir' | 'synchronous' | 'dataKeyMasterKey'>;

export const storeSettingsOf = (config: StoreSettings): StoreSettings => ({
  eventStore: config.eventStore, readStore: config.readStore, dataDir: config.dataDir, synchronous: config.synchronous, dataKeyMasterKey: config.dataKeyMasterKey,
});

/** The worker's entry file beside this one: `.ts` when the app runs from its sources (tests, ts-node), `.js` when built. */
export const READ_SIDE_WORKER = join(__dirname, `read-side.worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/**
 * The V8 heap of every read-side thread (the projections, an as-of job), chosen from measurements of
 * the replay (docs/adr/0011, "Memory and the collector"). Left to itself V8 lets the old generation
 * grow towards a limit of several GB before it collects in earnest, so the peak RSS of a replay was
 * mostly garbage: 384 MB of old generation took the replay's peak RSS from 600–670 MB to about 400 MB.
 * The young generation is V8's own (three semi-spaces of 16 MB): 32 or 64 MB semi-spaces cost 100 MB of
 * RSS for no CPU that could be measured.
 */
export const READ_SIDE_HEAP = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 384 } as const satisfies ResourceLimits;

/**
 * The heap of a read-side thread: READ_SIDE_HEAP, unless the operator gave the process an old generation of
 * their own (`--max-old-space-size=N` on node's command line or in NODE_OPTIONS, as for any Node service):
 * then the threads get that size too, so a store whose live read-side data outgrows 384 MB is not stuck
 * in a thread that runs out of memory and starts again.
 */
export function readSideHeap(flags: readonly string[] = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)]): ResourceLimits {
  const own = flags.map((flag) => /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(flag)?.[1]).filter((size) => size !== undefined).pop();
  return own === undefined || Number(own) <= 0 ? { ...READ_SIDE_HEAP } : { ...READ_SIDE_HEAP, maxOldGenerationSizeMb: Number(own) };
}

/**
 * Starts a worker thread on `entry`, with the heap of readSideHeap() unless `resourceLimits` says otherwise. From the TypeScript sources (jest, ts-node) the thread first
 * registers ts-node (transpile only) and the tsconfig paths (`@app/…`), found from the repository's
 * tsconfig.json; from the built `.js` (npm start runs dist) it loads the file as it is.
 */
export function startWorkerThread(entry: string, workerData: unknown, resourceLimits: ResourceLimits = readSideHeap()): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits });
  const root = repositoryRoot(dirname(entry));
  const bootstrap = [
    `require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(join(root, 'tsconfig.json'))} });`,
    `const paths = require('tsconfig-paths');`,
    `const loaded = paths.loadConfig(${JSON.stringify(root)});`,
    `paths.register({ baseUrl: loaded.absoluteBaseUrl, paths: loaded.paths });`,
    `require(${JSON.stringify(entry)});`,
  ].join('\n');
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}

/**
 * Asks a read-side thread to stop (it finishes the work in hand and closes its stores) and waits for it
 * to end; after `timeoutMs` without a clean stop it ends the thread (`onTimeout` says so first).
 */
export async function stopWorkerThread(worker: Worker, timeoutMs: number, onTimeout: () => void): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage({ type: 'stop' } satisfies ToWorker);
  const timer = setTimeout(() => {
    onTimeout();
    void worker.terminate();
  }, timeoutMs);
  await exited;
  clearTimeout(timer);
}

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no tsconfig.json above ${from}`);
  }
}
