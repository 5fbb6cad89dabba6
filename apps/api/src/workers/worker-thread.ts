import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ApiConfig } from '../config/api-config';

/** What a worker needs to open its own connections to the stores: plain data, cloned into the thread. */
export type StoreSettings = Pick<ApiConfig, 'eventStore' | 'readStore' | 'dataDir' | 'synchronous' | 'dataKeyMasterKey'>;

export const storeSettingsOf = (config: StoreSettings): StoreSettings => ({
  eventStore: config.eventStore, readStore: config.readStore, dataDir: config.dataDir, synchronous: config.synchronous, dataKeyMasterKey: config.dataKeyMasterKey,
});

/** The worker's entry file beside this one: `.ts` when the app runs from its sources (tests, ts-node), `.js` when built. */
export const READ_SIDE_WORKER = join(__dirname, `read-side.worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/**
 * Starts a worker thread on `entry`. From the TypeScript sources (jest, ts-node) the thread first
 * registers ts-node (transpile only) and the tsconfig paths (`@app/…`), found from the repository's
 * tsconfig.json; from the built `.js` (npm start runs dist) it loads the file as it is.
 */
export function startWorkerThread(entry: string, workerData: unknown): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData });
  const root = repositoryRoot(dirname(entry));
  const bootstrap = [
    `require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(join(root, 'tsconfig.json'))} });`,
    `const paths = require('tsconfig-paths');`,
    `const loaded = paths.loadConfig(${JSON.stringify(root)});`,
    `paths.register({ baseUrl: loaded.absoluteBaseUrl, paths: loaded.paths });`,
    `require(${JSON.stringify(entry)});`,
  ].join('\n');
  return new Worker(bootstrap, { eval: true, workerData });
}

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no tsconfig.json above ${from}`);
  }
}
