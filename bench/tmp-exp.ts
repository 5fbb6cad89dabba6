import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner, generationFor } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore, generationCollection, type DocumentChange, type CommitOptions } from '@app/read-store';
const captured: Array<[string, DocumentChange[], number]> = [];
class Capture extends SqliteReadStore {
  override async commit(name: string, changes: readonly DocumentChange[], position: number, options?: CommitOptions) {
    if (process.env["CAPTURE"]) captured.push([name, changes.map((c) => c.kind === "put" ? { ...c, document: structuredClone(c.document) } : c), position]);
    return super.commit(name, [], position, options);
  }
}
(async () => {
  const events = new SqliteEventStore({ filename: process.argv[2]! });
  const store = new Capture({ filename: ':memory:' });
  const runner = new ProjectionRunner(events, store, ALL_PROJECTIONS, { batchSize: 2000 });
  let c = process.cpuUsage();
  await runner.start(); await runner.caughtUp(600000); await runner.stop();
  let u = process.cpuUsage(c);
  console.log('projections without writes: cpu s', (u.user + u.system) / 1e6);
  const target = new SqliteReadStore({ filename: process.argv[3]! });
  for (const p of ALL_PROJECTIONS) await target.ensureCollections(p.collections.map((s) => ({ name: generationCollection(generationFor(p), s.name) })), { indexes: false });
  c = process.cpuUsage(); const t = performance.now(); let rows = 0;
  for (const [name, changes, position] of captured) { rows += changes.length; await target.commit(name, changes, position); }
  u = process.cpuUsage(c);
  console.log('store commits alone: rows', rows, 'cpu s', (u.user + u.system) / 1e6, 'wall s', (performance.now() - t) / 1000);
})();
