/**
 * What an engineer's deactivation costs on a large log, for two builds (docs/adr/0012, "The
 * deactivation's list without a scan"): milliseconds per deactivation, the stored deactivation and
 * its list of open orders (DeactivateEngineerHandler, then EngineerOpenWorkOrders.of), and the reads of
 * the whole log (readAll) it made. Two kinds of engineer on a copy of the same log:
 *   new    — added through AddEngineerHandler by the build itself (this version opens their duty then),
 *            then given one order each (DispatchWorkOrderHandler);
 *   older  — the generated log's own engineers, whose dispatches have no duty stream (an older log).
 * Each build runs in a child process with its source tree as the working directory (its own @app/*),
 * on a fresh copy of the log; the builds take turns, the order swapped each round.
 *
 *   node -r ts-node/register/transpile-only bench/deactivation-scan.ts --base ../main [--log DIR] [--events 100000] [--engineers 5] [--rounds 3]
 *
 * --base is the other source tree (a worktree of main with its node_modules); DIR gets a generated
 * log of about --events events (bench/replay.ts generate) unless it holds one already.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, option, runScript } from './script-support';

const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

interface ChildResult {
  readonly newMs: number[];
  readonly newLogReads: number[];
  readonly olderMs: number[];
  readonly olderLogReads: number[];
}

async function parent(): Promise<void> {
  const here = resolve(__dirname, '..');
  const base = resolve(option('base', '../main'));
  const dir = resolve(option('log', join(tmpdir(), 'deactivation-scan-log')));
  const events = option('events', '100000');
  const engineers = option('engineers', '5');
  const rounds = Number(option('rounds', '3'));
  if (!existsSync(join(dir, 'events.sqlite'))) {
    console.error(`generating a log of about ${events} events in ${dir} …`);
    execFileSync(process.execPath, [...TS_NODE, join(here, 'bench', 'replay.ts'), 'generate', dir, events], { cwd: here, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const builds = { base, this: here } as const;
  const results: Record<keyof typeof builds, ChildResult[]> = { base: [], this: [] };
  for (let round = 0; round < rounds; round += 1) {
    const order = (round % 2 === 0 ? ['base', 'this'] : ['this', 'base']) as Array<keyof typeof builds>;
    for (const name of order) {
      const copy = mkdtempSync(join(tmpdir(), 'deactivation-scan-'));
      try {
        copyFileSync(join(dir, 'events.sqlite'), join(copy, 'events.sqlite'));
        const out = execFileSync(process.execPath, [...TS_NODE, __filename, '--child', join(copy, 'events.sqlite'), '--engineers', engineers], { cwd: builds[name], encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        results[name].push(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
  }
  const ms = (name: keyof typeof builds, kind: 'newMs' | 'olderMs') => median(results[name].flatMap((result) => result[kind]));
  const reads = (name: keyof typeof builds, kind: 'newLogReads' | 'olderLogReads') => median(results[name].flatMap((result) => result[kind]));
  console.log(`log of about ${events} events, ${engineers} engineers of each kind per run, ${rounds} rounds (builds interleaved); ms per deactivation (median), log reads per deactivation`);
  for (const kind of ['new', 'older'] as const) {
    for (const name of ['base', 'this'] as const) {
      console.log(`  ${kind.padEnd(6)} ${name.padEnd(5)} ${ms(name, `${kind}Ms`).toFixed(2).padStart(9)} ms  ${String(reads(name, `${kind}LogReads`)).padStart(4)} reads  ${(ms(name, `${kind}Ms`) / ms('base', `${kind}Ms`)).toFixed(3)}× of base`);
    }
  }
}

/** In the build's own tree: the deactivations on the copy of the log. */
async function child(filename: string, engineers: number): Promise<void> {
  // The build's own modules: this file runs with the build's tree as the working directory, so @app/* is that build's.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { SqliteEventStore } = require('@app/event-store') as typeof import('@app/event-store');
  const { SystemClock } = require('@app/complaints') as typeof import('@app/complaints');
  const afterSales = require('@app/after-sales') as typeof import('@app/after-sales');
  const { reported } = require('@app/domain/work-order/testing/work-order.fixtures') as typeof import('@app/domain/work-order/testing/work-order.fixtures');
  const { workOrderStreamName, WORK_ORDER_EVENT_SCHEMA_VERSIONS } = require('@app/domain') as typeof import('@app/domain');
  const { randomUUID } = require('node:crypto') as typeof import('node:crypto');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const store = new SqliteEventStore({ filename });
  let logReads = 0;
  const readAll = store.readAll.bind(store);
  store.readAll = (options) => {
    logReads += 1;
    return readAll(options);
  };
  const clock = new SystemClock();
  const network = new afterSales.ServiceNetworkRepository(store);
  const workOrders = new afterSales.WorkOrderRepository(store);
  const duty = new afterSales.EngineerDutyCommandExecutor(store, clock);
  const turns = new afterSales.EngineerTurns();
  const networkExecutor = new afterSales.ServiceNetworkCommandExecutor(store, network, clock);
  // The older build's AddEngineerHandler takes the network's executor alone; the extra argument is left unused there.
  const add = new (afterSales.AddEngineerHandler as unknown as new (...args: unknown[]) => { execute(command: unknown): Promise<unknown> })(networkExecutor, duty);
  const deactivate = new afterSales.DeactivateEngineerHandler(networkExecutor, turns, duty, network);
  const dispatch = new afterSales.DispatchWorkOrderHandler(new afterSales.WorkOrderCommandExecutor(store, workOrders, network, clock), network, turns, duty);
  const open = new afterSales.EngineerOpenWorkOrders(store, duty, workOrders);
  const context = (role: 'admin' | 'supervisor') => {
    const commandId = randomUUID();
    return { commandId, correlationId: commandId, causationId: commandId, actor: { id: `bench-${role}`, role } };
  };
  // The generated network's 丹东服务站 serves the fixture's region (210600); its engineers have dispatches without a duty stream.
  const station = 'dandong-station';
  const older = [...(await network.current()).engineers.values()].filter((engineer) => engineer.active).slice(0, engineers);

  const timed = async (engineerId: string): Promise<{ ms: number; reads: number }> => {
    logReads = 0;
    const began = performance.now();
    await deactivate.execute(new afterSales.DeactivateEngineerCommand({ engineerId, reason: 'left' }, context('admin')));
    await open.of(engineerId);
    return { ms: performance.now() - began, reads: logReads };
  };
  const result: ChildResult = { newMs: [], newLogReads: [], olderMs: [], olderLogReads: [] };
  for (let index = 0; index < engineers; index += 1) {
    const engineerId = `eng-bench-${index + 1}`;
    await add.execute(new afterSales.AddEngineerCommand({ engineerId, name: engineerId, station, skills: ['pump'], reason: 'hired' }, context('admin')));
    const workOrderId = randomUUID();
    await store.append(workOrderStreamName(workOrderId), [{ eventId: randomUUID(), type: reported.type, data: { ...reported.data, workOrderId } as Record<string, unknown>, metadata: { schemaVersion: WORK_ORDER_EVENT_SCHEMA_VERSIONS[reported.type] } }]);
    await dispatch.execute(new afterSales.DispatchWorkOrderCommand(workOrderId, { stationCode: station, engineerId }, false, context('supervisor')));
    const { ms, reads } = await timed(engineerId);
    result.newMs.push(ms);
    result.newLogReads.push(reads);
  }
  for (const engineer of older) {
    const { ms, reads } = await timed(engineer.id);
    result.olderMs.push(ms);
    result.olderLogReads.push(reads);
  }
  store.close();
  console.log(JSON.stringify(result));
}

runScript(async () => {
  const index = process.argv.indexOf('--child');
  if (index >= 0) await child(process.argv[index + 1]!, Number(option('engineers', '5')));
  else await parent();
});
