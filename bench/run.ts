/**
 * npm run bench [-- --events N --streams N --sync FULL|NORMAL|both --replay N,N --only store|replay|cfpb --smoke]
 *
 * The embedded event store beside raw better-sqlite3 at the same synchronous setting, file-backed,
 * in the same run. Each figure is events/s; "ratio" is store ÷ raw. Results go to bench/results/.
 */
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventToAppend } from '@app/event-store';

interface Options {
  events: number;
  streams: number;
  syncs: Array<'FULL' | 'NORMAL'>;
  replays: number[];
  only: 'all' | 'store' | 'replay' | 'cfpb';
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const smoke = argv.includes('--smoke');
  const events = Number(value('events') ?? (smoke ? 2_000 : 100_000));
  const streams = Number(value('streams') ?? Math.max(1, Math.round(events / 10)));
  const sync = (value('sync') ?? (smoke ? 'NORMAL' : 'both')).toUpperCase();
  if (!Number.isInteger(events) || events < 100 || !Number.isInteger(streams) || streams < 1 || streams > events) {
    throw new Error('--events must be ≥ 100 and --streams from 1 to --events');
  }
  if (!['FULL', 'NORMAL', 'BOTH'].includes(sync)) throw new Error('--sync must be FULL, NORMAL or both');
  const replays = (value('replay') ?? (smoke ? '2000' : '100000,1000000')).split(',').map(Number);
  if (!replays.every((count) => Number.isInteger(count) && count >= 1000)) throw new Error('--replay takes event counts ≥ 1000, comma-separated');
  const only = (value('only') ?? 'all') as Options['only'];
  if (!['all', 'store', 'replay', 'cfpb'].includes(only)) throw new Error('--only must be store, replay or cfpb');
  return { events, streams, syncs: sync === 'BOTH' ? ['FULL', 'NORMAL'] : [sync as 'FULL' | 'NORMAL'], replays, only };
}

/** Runs a TypeScript script of this folder in a process of its own; returns its last line as JSON. */
function child(script: string, args: string[]): Record<string, number> {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, script), ...args], {
    cwd: join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/** Generates a history and replays it through every projection, each step in a child process of its own. */
function replayBenchmark(events: number): { generated: Record<string, number>; replay: Record<string, number>; audit: Record<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-replay-'));
  try {
    process.stdout.write(`replay: generating ${events.toLocaleString('en-US')} events\n`);
    const generated = child('replay.ts', ['generate', dir, String(events)]);
    process.stdout.write(`replay: ${generated['events']!.toLocaleString('en-US')} events of ${generated['complaints']!.toLocaleString('en-US')} complaints; replaying\n`);
    const replay = child('replay.ts', ['replay', dir]);
    return { generated, replay, audit: child('replay.ts', ['audit', dir]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports the CFPB main extract (real data) and replays the result through every projection. */
function cfpbBenchmark(smoke: boolean): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-cfpb-'));
  const file = join(__dirname, '..', 'datasets', 'cfpb', 'cfpb-bofa-2017-2023.csv.gz');
  try {
    process.stdout.write('cfpb: importing the main extract\n');
    const imported = child('replay.ts', ['cfpb', dir, file, ...(smoke ? ['300'] : [])]);
    process.stdout.write('cfpb: replaying the imported history\n');
    const replay = child('replay.ts', ['replay', dir]);
    return ['## Real data: the CFPB main extract', '',
      `Import of \`datasets/cfpb/cfpb-bofa-2017-2023.csv.gz\` (Bank of America, 2017–2023) into an empty file-backed store at synchronous=FULL; baseline = gunzip + CSV parse + column checks of the same file alone, in the same run. Then the replay of the imported history through every projection.`, '',
      '| rows | events | bad rows | parse only rows/s | import rows/s | import events/s | import ÷ parse | seconds | peak RSS |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${imported['rows']!.toLocaleString('en-US')} | ${imported['events']!.toLocaleString('en-US')} | ${imported['badRows']} | ${imported['parseRowsPerSecond']!.toLocaleString('en-US')} | ${imported['rowsPerSecond']!.toLocaleString('en-US')} | ${imported['eventsPerSecond']!.toLocaleString('en-US')} | ${(imported['rowsPerSecond']! / imported['parseRowsPerSecond']!).toFixed(3)}× | ${imported['seconds']!.toFixed(1)} | ${imported['peakRssMb']} MB |`, '',
      '| replayed events | raw read ev/s | projections ev/s | ratio | seconds | peak RSS | read model on disk |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${replay['events']!.toLocaleString('en-US')} | ${replay['rawEventsPerSecond']!.toLocaleString('en-US')} | ${replay['projectionEventsPerSecond']!.toLocaleString('en-US')} | ${(replay['projectionEventsPerSecond']! / replay['rawEventsPerSecond']!).toFixed(3)}× | ${replay['seconds']!.toFixed(1)} | ${replay['peakRssMb']} MB | ${replay['readModelMb']} MB |`, ''];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A realistic payload: a complaint event's data and metadata (~0.6 KB of JSON). */
function payload(index: number): Omit<EventToAppend, 'eventId'> {
  return {
    type: index % 6 === 0 ? 'ComplaintReceived' : 'ComplaintAssigned',
    data: {
      complaintId: randomUUID(), at: new Date(1_767_225_600_000 + index * 1000).toISOString(), department: 'station-ops', assignee: `agent-${index % 97}`,
      description: '加油机显示40升，但油箱只加进了约35升。The pump stopped early and the receipt shows the full amount.', severity: 'medium',
    },
    metadata: { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: { id: 'bench', role: 'agent' }, occurredAt: new Date().toISOString(), schemaVersion: 1 },
  };
}

const rate = (events: number, ms: number) => Math.round((events / ms) * 1000);
const now = () => performance.now();

function progress(label: string, done: number, total: number, started: number) {
  if (done % Math.max(1, Math.floor(total / 4)) !== 0) return;
  process.stdout.write(`  ${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${rate(done, now() - started).toLocaleString('en-US')} ev/s)\n`);
}

async function storeWorkloads(dir: string, sync: 'FULL' | 'NORMAL', options: Options): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  const open = (name: string) => new SqliteEventStore({ filename: join(dir, `${name}.sqlite`), synchronous: sync });

  // W1: single-event appends with expected revision, one at a time.
  let store = open('w1');
  const revisions = new Int32Array(options.streams).fill(-1);
  let started = now();
  for (let index = 0; index < options.events; index += 1) {
    const stream = index % options.streams;
    const revision = revisions[stream]!;
    const result = await store.append(`complaint-${stream}`, [{ eventId: randomUUID(), ...payload(index) }], { expectedRevision: revision < 0 ? 'no_stream' : revision });
    revisions[stream] = result.nextRevision;
    progress('store W1', index + 1, options.events, started);
  }
  results['W1'] = rate(options.events, now() - started);

  // W3: fold every stream.
  started = now();
  let folded = 0;
  for (let stream = 0; stream < options.streams; stream += 1) {
    for (const event of await store.readStream(`complaint-${stream}`)) folded += event.revision >= 0 ? 1 : 0;
  }
  results['W3'] = rate(folded, now() - started);

  // W4: read the whole log in global order, page by page.
  started = now();
  let read = 0;
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    if (page.length === 0) break;
    read += page.length;
    from = page[page.length - 1]!.position + 1;
  }
  results['W4'] = rate(read, now() - started);
  await store.close();

  // W1c: the same appends with 64 in flight; each writer owns its streams, so there is no conflict.
  store = open('w1c');
  const inFlight = 64;
  const perWriter = Math.ceil(options.events / inFlight);
  started = now();
  let appended = 0;
  await Promise.all(Array.from({ length: inFlight }, async (_, writer) => {
    const owned = Array.from({ length: Math.ceil(options.streams / inFlight) }, (__, k) => writer + k * inFlight).filter((stream) => stream < options.streams);
    if (owned.length === 0) return;
    const local = new Map<number, number>();
    for (let step = 0; step < perWriter && appended < options.events; step += 1) {
      appended += 1;
      const stream = owned[step % owned.length]!;
      const revision = local.get(stream) ?? -1;
      const result = await store.append(`complaint-${stream}`, [{ eventId: randomUUID(), ...payload(step) }], { expectedRevision: revision < 0 ? 'no_stream' : revision });
      local.set(stream, result.nextRevision);
    }
  }));
  results['W1c'] = rate(appended, now() - started);
  await store.close();

  // W2: ten events per append.
  store = open('w2');
  const batches = Math.floor(options.events / 10);
  const batchRevisions = new Int32Array(options.streams).fill(-1);
  started = now();
  for (let batch = 0; batch < batches; batch += 1) {
    const stream = batch % options.streams;
    const revision = batchRevisions[stream]!;
    const events = Array.from({ length: 10 }, (_, offset) => ({ eventId: randomUUID(), ...payload(batch * 10 + offset) }));
    const result = await store.append(`complaint-${stream}`, events, { expectedRevision: revision < 0 ? 'no_stream' : revision });
    batchRevisions[stream] = result.nextRevision;
  }
  results['W2'] = rate(batches * 10, now() - started);
  await store.close();
  return results;
}

/** The floor: plain inserts into the same table shape, no revision check, no idempotency. */
function rawWorkloads(dir: string, sync: 'FULL' | 'NORMAL', options: Options): Record<string, number> {
  const results: Record<string, number> = {};
  const open = (name: string) => {
    const db = new Database(join(dir, `raw-${name}.sqlite`));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream, revision))`);
    return db;
  };
  let db = open('w1');
  let insert = db.prepare('INSERT INTO events (stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?)');
  const revisions = new Int32Array(options.streams).fill(-1);
  let started = now();
  for (let index = 0; index < options.events; index += 1) {
    const stream = index % options.streams;
    revisions[stream] = revisions[stream]! + 1;
    const event = payload(index);
    insert.run(`complaint-${stream}`, revisions[stream], event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
    progress('raw W1', index + 1, options.events, started);
  }
  results['W1'] = rate(options.events, now() - started);

  started = now();
  const byStream = db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY revision');
  let folded = 0;
  for (let stream = 0; stream < options.streams; stream += 1) {
    for (const row of byStream.all(`complaint-${stream}`) as Array<{ data: string; metadata: string }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      folded += 1;
    }
  }
  results['W3'] = rate(folded, now() - started);

  started = now();
  let read = 0;
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{ data: string; metadata: string }>) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    read += 1;
  }
  results['W4'] = rate(read, now() - started);
  db.close();

  db = open('w2');
  insert = db.prepare('INSERT INTO events (stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?)');
  const batchRevisions = new Int32Array(options.streams).fill(-1);
  const insertBatch = db.transaction((stream: number, first: number) => {
    for (let offset = 0; offset < 10; offset += 1) {
      batchRevisions[stream] = batchRevisions[stream]! + 1;
      const event = payload(first + offset);
      insert.run(`complaint-${stream}`, batchRevisions[stream], event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
    }
  });
  const batches = Math.floor(options.events / 10);
  started = now();
  for (let batch = 0; batch < batches; batch += 1) insertBatch(batch % options.streams, batch * 10);
  results['W2'] = rate(batches * 10, now() - started);
  db.close();
  return results;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const lines: string[] = [
    `# Event store benchmark`,
    '',
    `${options.events.toLocaleString('en-US')} events over ${options.streams.toLocaleString('en-US')} streams, file-backed SQLite in WAL mode; Node ${process.version}.`,
    'Figures are events/s; ratio = embedded store ÷ raw better-sqlite3 at the same synchronous setting (W1c is compared with raw W1: raw has no concurrent writer).',
    '',
  ];
  for (const sync of options.only === 'replay' || options.only === 'cfpb' ? [] : options.syncs) {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-bench-'));
    try {
      process.stdout.write(`synchronous=${sync}\n`);
      const raw = rawWorkloads(dir, sync, options);
      const store = await storeWorkloads(dir, sync, options);
      lines.push(`## synchronous=${sync}`, '', '| workload | embedded store | raw better-sqlite3 | ratio |', '| --- | ---: | ---: | ---: |');
      const describe: Record<string, string> = {
        W1: 'W1 single-event appends, expected revision, sequential',
        W1c: 'W1c the same, 64 in flight (group commit)',
        W2: 'W2 ten events per append',
        W3: 'W3 fold every stream',
        W4: 'W4 read the whole log',
      };
      for (const workload of ['W1', 'W1c', 'W2', 'W3', 'W4']) {
        const baseline = raw[workload === 'W1c' ? 'W1' : workload]!;
        const figure = store[workload]!;
        lines.push(`| ${describe[workload]} | ${figure.toLocaleString('en-US')} | ${baseline.toLocaleString('en-US')} | ${(figure / baseline).toFixed(2)}× |`);
      }
      lines.push('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (options.only === 'all' || options.only === 'cfpb') lines.push(...cfpbBenchmark(process.argv.includes('--smoke')));
  if (options.only === 'all' || options.only === 'replay') {
    const runs = options.replays.map((events) => ({ events, ...replayBenchmark(events) }));
    lines.push('## Replay through all projections', '',
      'A generated history (deterministic seed; ~5.4 events per complaint; ~40,000 customers, 30 % of complaints from 4,000 repeat customers) replayed from an empty read store through every projection in one process. Raw = reading the same log with better-sqlite3 and parsing each event, in the same process.', '',
      '| events | complaints | raw read ev/s | projections ev/s | ratio | seconds | peak RSS | read model on disk |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const run of runs) {
      const { replay, generated } = run;
      lines.push(`| ${replay['events']!.toLocaleString('en-US')} | ${generated['complaints']!.toLocaleString('en-US')} | ${replay['rawEventsPerSecond']!.toLocaleString('en-US')} | ${replay['projectionEventsPerSecond']!.toLocaleString('en-US')} | ${(replay['projectionEventsPerSecond']! / replay['rawEventsPerSecond']!).toFixed(3)}× | ${replay['seconds']!.toFixed(1)} | ${replay['peakRssMb']} MB | ${replay['readModelMb']} MB |`);
    }
    lines.push('', '### Verify and export over the same log (a process of their own)', '', '| events | verify ev/s | chains intact | export ev/s | NDJSON size | peak RSS |', '| ---: | ---: | :---: | ---: | ---: | ---: |');
    for (const { replay, audit } of runs) {
      lines.push(`| ${replay['events']!.toLocaleString('en-US')} | ${audit['verifyEventsPerSecond']!.toLocaleString('en-US')} | ${audit['verifyOk'] ? 'yes' : '**no**'} | ${audit['exportEventsPerSecond']!.toLocaleString('en-US')} | ${audit['exportMb']} MB | ${audit['peakRssMb']} MB |`);
    }
    if (runs.length > 1) {
      const [small, large] = [runs[0]!, runs[runs.length - 1]!];
      lines.push('', `Growth from ${small.replay['events']!.toLocaleString('en-US')} to ${large.replay['events']!.toLocaleString('en-US')} events: ${(large.replay['events']! / small.replay['events']!).toFixed(1)}× the events took ${(large.replay['seconds']! / small.replay['seconds']!).toFixed(1)}× the time; peak RSS ${(large.replay['peakRssMb']! / small.replay['peakRssMb']!).toFixed(2)}×.`);
    }
    lines.push('');
    const smoke = process.argv.includes('--smoke');
    process.stdout.write('lag: driving the HTTP app\n');
    const lag = child('lag.ts', smoke ? ['120', '4'] : ['3000', '16']);
    lines.push('## Projection lag under HTTP load', '',
      `The real app (embedded stores, synchronous=FULL, projections in process), ${lag['concurrency']} clients in the same process running complaint lifecycles (receive, apologise, validate, assign, resolve, callback). Lag = from a command's answer until every read model has applied its position.`, '',
      '| commands | commands/s | errors | latency p50 | latency p99 | lag p50 | lag p99 |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${lag['commands']} | ${lag['commandsPerSecond']} | ${lag['errors']} | ${lag['latencyP50Ms']!.toFixed(1)} ms | ${lag['latencyP99Ms']!.toFixed(1)} ms | ${lag['lagP50Ms']!.toFixed(1)} ms | ${lag['lagP99Ms']!.toFixed(1)} ms |`, '');
  }
  const report = lines.join('\n');
  process.stdout.write(`\n${report}\n`);
  // A smoke run checks the harness; it does not replace the last real results.
  if (!process.argv.includes('--smoke')) {
    const resultsDir = join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'latest.md'), `${report}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
