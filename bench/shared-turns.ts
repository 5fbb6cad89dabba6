/**
 * What the turns across API instances cost (docs/adr/0019, docs/adr/0012): the same work in the
 * in-process turn only (as before) and in the shared turn (the in-process turn, then a lease per key
 * in a SQLite read store on a file, taken and released around the work), interleaved in one process.
 * Dispatch path: redispatches to alternating engineers through the real DispatchWorkOrderHandler on a
 * log with a directory of N engineers. Upload path: what an upload does in the file's turn on the
 * file blob store (put the bytes of a --kib KiB file, then delete them, as a refused upload does), a
 * new file each call.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/shared-turns.ts [--engineers N] [--orders N] [--reps N] [--kib N]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DispatchWorkOrderHandler, EngineerDutyCommandExecutor, EngineerTurns, ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { FileBlobStore } from '@app/blob-store';
import { SystemClock } from '@app/complaints';
import { SqliteReadStore } from '@app/read-store';
import { BlobTurns } from '../apps/api/src/complaints/attachments/blob-turns';
import { benchSizes, redispatcher, withDispatchedOrders } from './dispatched-directory';
import { option, printPerCommand, runScript } from './script-support';

const { engineers, orders, reps, synchronous } = benchSizes();
const kib = Number(option('kib', '256'));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-shared-turns-'));
  const leases = new SqliteReadStore({ filename: join(dir, 'read.sqlite') });
  const blobs = new FileBlobStore({ dir: join(dir, 'blobs') });
  try {
    await withDispatchedOrders('shared-turns', { engineers, orders, synchronous }, async (store, ids) => {
      const network = new ServiceNetworkRepository(store);
      const executor = new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), network, new SystemClock());
      const duty = new EngineerDutyCommandExecutor(store, new SystemClock());
      const through = { local: new DispatchWorkOrderHandler(executor, network, new EngineerTurns(), duty), shared: new DispatchWorkOrderHandler(executor, network, new EngineerTurns(leases), duty) };
      const redispatchAll = redispatcher(ids);
      await redispatchAll(through.local); // warm-up
      await printPerCommand({ 'redispatch, turn in this process': () => redispatchAll(through.local), 'redispatch, turn across instances': () => redispatchAll(through.shared) }, reps, orders,
        `dispatch path: service network of ${engineers} engineers, ${orders} redispatches per run, ${reps} interleaved runs, synchronous=${synchronous}`);
    });
    const turns = { local: new BlobTurns(), shared: new BlobTurns(leases) };
    const uploadAll = async (fileTurns: BlobTurns): Promise<void> => {
      for (let n = 0; n < orders; n += 1) {
        const bytes = randomBytes(kib * 1024);
        await fileTurns.inTurn(`${n}`, async () => {
          const stored = await blobs.put(bytes);
          await blobs.delete(stored.sha256);
        });
      }
    };
    await uploadAll(turns.local); // warm-up
    await printPerCommand({ 'upload work, turn in this process': () => uploadAll(turns.local), 'upload work, turn across instances': () => uploadAll(turns.shared) }, reps, orders,
      `upload path: ${orders} files of ${kib} KiB put and deleted in the file's turn per run, ${reps} interleaved runs`);
  } finally {
    await leases.close();
    await blobs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runScript(main);
