import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSealLog, verifyLog } from '@app/complaints';
import { verifyChain } from '@app/event-sourcing';
import { SqliteEventStore, type RecordedEvent } from '@app/event-store';
import { ProjectionRunner, generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { contentHash } from '../../support/read-model-hash';
import { logIdentity, sealSettingsIn } from '../../../apps/api/src/config/api-config';
import { sealDirOf } from './server';

export interface DataDirState {
  readonly events: RecordedEvent[];
  readonly head: number;
  readonly brokenChains: string[];
  /** Checkpoint of each live read model. */
  readonly checkpoints: Record<string, number>;
  readonly liveHash: string;
  readonly freshHash: string;
  /** What the whole-store verification (chains, links, seals) found open. */
  readonly logFindings: string[];
  /** How many seals of this log it compared. */
  readonly seals: number;
}

/** Everything a crash test checks, read from a stopped server's data dir. */
export async function inspectDataDir(dataDir: string): Promise<DataDirState> {
  const eventStore = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), synchronous: 'FULL' });
  const live = new SqliteReadStore({ filename: join(dataDir, 'read.sqlite') });
  const fresh = new SqliteReadStore({ filename: ':memory:' });
  try {
    const events = await eventStore.readAll();
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of events) byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
    const keyFile = join(sealDirOf(dataDir), 'seal.key');
    const sealFiles = existsSync(keyFile) ? new FileSealLog(join(sealDirOf(dataDir), sealFileName(dataDir)), Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex')) : undefined;
    const { report } = await verifyLog(eventStore, sealFiles ? { seals: { log: sealFiles, logId: logIdentity(dataDir, { kind: 'sqlite' }) } } : {});
    const logFindings = report.findings.filter((finding) => finding.acknowledged === null).map((finding) => finding.description);
    const brokenChains = [...byStream].filter(([stream, list]) => !verifyChain(stream, list).ok).map(([stream]) => stream);
    const generations = await live.liveGenerations();
    const liveGeneration = (projection: (typeof ALL_PROJECTIONS)[number]) => generations[projection.name] ?? generationOf(projection);
    const checkpoints: Record<string, number> = {};
    for (const projection of ALL_PROJECTIONS) checkpoints[projection.name] = await live.checkpoint(liveGeneration(projection));
    const runner = new ProjectionRunner(eventStore, fresh, ALL_PROJECTIONS);
    await runner.start();
    await runner.caughtUp();
    await runner.stop();
    return {
      events, head: await eventStore.headPosition(), brokenChains, checkpoints, logFindings, seals: report.seals.count,
      liveHash: await contentHash(live, liveGeneration), freshHash: await contentHash(fresh, generationOf),
    };
  } finally {
    await fresh.close();
    await live.close();
    await eventStore.close();
  }
}

/** The seal file the API names for a data dir (SEAL_DIR/seals-<log>.ndjson). */
function sealFileName(dataDir: string): string {
  const settings = sealSettingsIn('.', logIdentity(dataDir, { kind: 'sqlite' }));
  return settings.enabled ? settings.file.replace(/^\.\//, '') : '';
}
