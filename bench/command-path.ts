/**
 * The command path's two changes of issue 17's http11 step (docs/adr/0003, "Where a command's CPU goes"),
 * each against the code before in one process, interleaved (the order rotated each repetition), in
 * user CPU time (of the process: the writer thread's included) per command, so that a
 * machine busy with other work changes both sides alike:
 * - streams: complaint lifecycles (receive, apologise, validate, assign, resolve, callback; eight customers, so that their
 *   data keys exist after the warm-up) through
 *   the real ComplaintCommandExecutor with the sealer the API opens, 32 complaints in flight, on a
 *   SQLite log at FULL with the writer thread, as the API opens it: every stream read from the file
 *   (`cachedStreams: 0`, as before) against streams kept between reads (the default). Each side has
 *   its own fresh files.
 * - reads: the read + fold of a command alone (see reads), the same two stores.
 * - validation: the request bodies of that lifecycle through the API's validation pipe, with
 *   class-validator's own lookup of a class's rules (as before) and with the rules remembered.
 *
 * The code measured is the built API's (`npx nest build api`; BENCH_DIST=dir for another build).
 *
 *   npx nest build api && node -r ts-node/register/transpile-only bench/command-path.ts [--only streams,reads,validation] [--complaints N] [--bodies N] [--reps N]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import type { CommandContext } from '@app/complaints';
import type { Actor } from '@app/domain';
import { lifecycleRuns, median, option, runScript } from './script-support';

// The code measured is the built API's (ts-node's compiler, loaded for all of it, would make most of the CPU garbage collection).
const DIST = join(process.env.BENCH_DIST ?? join(__dirname, '..', 'dist'), 'apps', 'api');
const built = <T>(path: string): T => require(join(DIST, path)) as T;
const { ComplaintCommandExecutor, ComplaintRepository, SystemClock } = built<typeof import('@app/complaints')>('libs/complaints/src/index.js');
const { DEFAULT_SLA_POLICY } = built<typeof import('@app/domain')>('libs/domain/src/index.js');
const { SqliteEventStore } = built<typeof import('@app/event-store')>('libs/event-store/src/index.js');
const { PersonalDataCipher, SqliteKeyStore } = built<typeof import('@app/key-store')>('libs/key-store/src/index.js');
const dto = built<typeof import('../apps/api/src/complaints/dto/complaint-commands.dto')>('apps/api/src/complaints/dto/complaint-commands.dto.js');
const { strictValidationPipe } = built<typeof import('../apps/api/src/http/strict-validation.pipe')>('apps/api/src/http/strict-validation.pipe.js');
const { memoizeValidationMetadata } = built<typeof import('../apps/api/src/http/validation-metadata-memo')>('apps/api/src/http/validation-metadata-memo.js');

const complaints = Number(option('complaints', '96'));
const bodies = Number(option('bodies', '3000'));
const reps = Number(option('reps', '5'));
const only = option('only', 'streams,reads,validation').split(',');
const IN_FLIGHT = 32;
const SUPERVISOR: Actor = { id: 'supervisor-0', role: 'supervisor' };
const context = (): CommandContext => {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: SUPERVISOR };
};
/** User CPU of the process, ms (every thread's): the system time is mostly the fsyncs', the same for both sides and noisy on a shared disk. */
const cpuMs = (): number => process.cpuUsage().user / 1000;

interface Side {
  /** The commands run, or (measuresItself) the CPU ms of what it measured. */
  readonly run: () => Promise<number>;
  readonly measuresItself?: boolean;
  readonly close: () => Promise<void>;
}

/** A log and a key store of their own, and the lifecycles of `complaints` complaints, IN_FLIGHT at a time: the commands run. */
function lifecycles(cachedStreams: number): Side {
  const dir = mkdtempSync(join(tmpdir(), 'bench-command-path-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: true, cachedStreams });
  const keys = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
  const executor = new ComplaintCommandExecutor(store, new ComplaintRepository(store), new SystemClock(), new PersonalDataCipher(keys));
  return {
    run: lifecycleRuns(executor, context, { count: complaints, parallel: IN_FLIGHT, customers: 8, policy: DEFAULT_SLA_POLICY }),
    close: async () => {
      await keys.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A command's read + fold alone: complaints received, apologised, validated and assigned, then per run a
 * note added to each (through the executor, not measured) and the complaint loaded as the next command
 * would load it (measured): the stream's events, the one just appended among them. One at a time, so the
 * writer thread is idle while a load is measured.
 */
function reads(cachedStreams: number): Side {
  const dir = mkdtempSync(join(tmpdir(), 'bench-command-path-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: true, cachedStreams });
  const keys = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
  const cipher = new PersonalDataCipher(keys);
  const executor = new ComplaintCommandExecutor(store, new ComplaintRepository(store), new SystemClock(), cipher);
  const repository = new ComplaintRepository(store);
  const ids = Array.from({ length: complaints }, () => randomUUID());
  let ready: Promise<void> | undefined;
  const prepare = async () => {
    for (const [index, complaintId] of ids.entries()) {
      for (const command of [
        { type: 'ReceiveComplaint', complaintId, data: { customerId: `cust-${index % 8}`, customerName: `客户 ${index % 8}`, channel: 'phone', cause: 'price', description: 'Bench.', policy: DEFAULT_SLA_POLICY } },
        { type: 'ApologiseForComplaint', complaintId, data: { channel: 'phone', statement: '非常抱歉' } },
        { type: 'ValidateComplaint', complaintId, data: { reason: 'Checked.' } },
        { type: 'AssignComplaint', complaintId, data: { department: 'station-ops', assignee: 'zhang.wei' } },
      ]) await executor.execute(command as never, context());
    }
  };
  return {
    measuresItself: true,
    run: async () => {
      await (ready ??= prepare());
      let measured = 0;
      for (const complaintId of ids) {
        await executor.execute({ type: 'AddComplaintNote', complaintId, data: { visibility: 'internal', text: 'bench' } } as never, context());
        const before = cpuMs();
        await repository.load(complaintId);
        measured += cpuMs() - before;
      }
      return measured;
    },
    close: async () => {
      await keys.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const LIFECYCLE_BODIES: Array<[new () => object, object]> = [
  [dto.ReceiveComplaintDto, { customerId: 'cust-10086', customerName: '王先生', channel: 'phone', cause: 'quantity-metering', severity: 'high', description: '加油机显示40升，但油箱只加进了约35升。', phone: '+86 138 0013 8000' }],
  [dto.ApologiseForComplaintDto, { channel: 'phone', statement: '非常抱歉给您带来不便，我们会尽快核实处理。' }],
  [dto.ValidateComplaintDto, { reason: 'The pump log confirms the shortfall.' }],
  [dto.AssignComplaintDto, { department: 'station-ops', assignee: 'zhang.wei' }],
  [dto.ResolveComplaintDto, { resolutionClass: 'immediate', remedy: 'refund', rootCause: 'Pump out of calibration.', correctiveAction: 'Recalibrated.', customerAccepted: true }],
  [dto.RecordCallbackDto, { outcome: 'satisfied', satisfaction: 5 }],
];

/** `bodies` request bodies through the validation pipe, with the rules remembered or not: the bodies validated. */
function validation(memo: boolean): Side {
  // Every route's DTOs registered, as in the server: class-validator's own lookup walks all of them.
  built('apps/api/src/app.module.js');
  const pipe = strictValidationPipe();
  return {
    run: async () => {
      const undo = memo ? memoizeValidationMetadata() : () => undefined;
      try {
        for (let index = 0; index < bodies; index += 1) {
          const [metatype, body] = LIFECYCLE_BODIES[index % LIFECYCLE_BODIES.length]!;
          await pipe.transform({ ...body }, { type: 'body', metatype });
        }
      } finally {
        undo();
      }
      return bodies;
    },
    close: async () => undefined,
  };
}

/** Runs the sides interleaved, `reps` times after one warm-up each, and prints CPU ms and wall ms per command. */
async function compare(heading: string, sides: Record<string, Side>): Promise<void> {
  const names = Object.keys(sides);
  const cpu = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  const wall = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  try {
    for (const name of names) await sides[name]!.run();
    for (let rep = 0; rep < reps; rep += 1) {
      for (const name of names.map((_, index) => names[(index + rep) % names.length]!)) {
        const [cpuBefore, wallBefore] = [cpuMs(), performance.now()];
        const side = sides[name]!;
        const count = await side.run();
        cpu[name]!.push(side.measuresItself ? count / complaints : (cpuMs() - cpuBefore) / count);
        if (!side.measuresItself) wall[name]!.push((performance.now() - wallBefore) / count);
      }
    }
  } finally {
    for (const side of Object.values(sides)) await side.close();
  }
  console.log(`${heading}; medians of ${reps} interleaved runs, ratio to ${names[0]}`);
  const base = median(cpu[names[0]!]!);
  for (const name of names) {
    const each = median(cpu[name]!);
    console.log(`  ${name.padEnd(34)} CPU ${each.toFixed(3).padStart(7)} ms/command (${(each / base).toFixed(2)}×, runs ${cpu[name]!.map((value) => (value / base).toFixed(2)).join(' ')})${wall[name]!.length > 0 ? `, wall ${median(wall[name]!).toFixed(3)} ms/command` : ''}`);
  }
}

async function main(): Promise<void> {
  if (only.includes('streams')) await compare(`streams: ${complaints} complaint lifecycles per run (${complaints * 6} commands), ${IN_FLIGHT} in flight, FULL`, {
    'every stream read from the file': lifecycles(0),
    'streams kept between reads': lifecycles(4096),
  });
  if (only.includes('reads')) await compare(`reads: ${complaints} complaints, each loaded after a note was appended to it (its 5th to 7th event …), CPU of the load alone`, {
    'every stream read from the file': reads(0),
    'streams kept between reads': reads(4096),
  });
  if (only.includes('validation')) await compare(`validation: ${bodies} request bodies of the lifecycle per run`, {
    "class-validator's own lookup": validation(false),
    'rules remembered per class': validation(true),
  });
}

runScript(main);
