/**
 * What the validation pipe costs per command body (ADR 0003, "The validation pipe's copy"): the pipe every
 * route uses (`strictValidationPipe`) on the bodies of the HTTP knee's six commands (receive, apologise,
 * validate, assign, resolve, callback), each into its DTO, from two builds of the API in one process, in
 * interleaved rounds with the order rotated. The builds must return the same instances (class, keys,
 * values) or the bench stops. Nest keeps the pipe's transformer in one variable for the process, set when
 * a pipe is made, so each build's pipe is made again before each of its runs.
 *
 *   node -r ts-node/register/transpile-only bench/validation-pipe.ts BUILD_A BUILD_B [--rounds N] [--bodies N]
 *
 * BUILD_A and BUILD_B are `nest build api` outputs (dist, or a copy of it such as builds/main).
 */
import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { option, printRoundsOfBuilds, twoBuilds } from './script-support';

interface Pipe { transform(value: unknown, metadata: { type: 'body'; metatype: Function }): Promise<unknown> }
interface Build { readonly pipe: () => Pipe; readonly dtos: Record<string, Function> }

const [buildA, buildB] = twoBuilds('validation-pipe.ts BUILD_A BUILD_B [--rounds N] [--bodies N]');
const rounds = Number(option('rounds', '9'));
const count = Number(option('bodies', '12000'));
const load = (build: string): Build => {
  const source = join(resolve(build), 'apps', 'api', 'apps', 'api', 'src');
  return {
    pipe: (require(join(source, 'http', 'strict-validation.pipe.js')) as { strictValidationPipe: () => Pipe }).strictValidationPipe,
    dtos: require(join(source, 'complaints', 'dto', 'complaint-commands.dto.js')) as Record<string, Function>,
  };
};
const builds: Array<[string, Build]> = [[`A ${buildA}`, load(buildA)], [`B ${buildB}`, load(buildB)]];

/** The knee's command bodies (bench/http/knee.ts), by DTO. */
const commands = (index: number): Array<[string, object]> => [
  ['ReceiveComplaintDto', { customerId: `cust-${index % 40}`, channel: 'phone', cause: 'service', description: '加油机显示40升，但油箱只加进了约35升。' }],
  ['ApologiseForComplaintDto', { statement: '非常抱歉给您带来不便。', channel: 'phone' }],
  ['ValidateComplaintDto', { reason: 'the pump log confirms it' }],
  ['AssignComplaintDto', { department: 'station-ops', assignee: `agent-${index % 12}` }],
  ['ResolveComplaintDto', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }],
  ['RecordCallbackDto', { outcome: 'satisfied', satisfaction: 4 + (index % 2) }],
];
const bodies = Array.from({ length: Math.ceil(count / 6) }, (_, index) => commands(index)).flat().slice(0, count);

/** Runs the pipe over every body; the pipe's answers are awaited in turn, as one request's are. */
async function run(build: Build): Promise<{ ms: number; answers: string }> {
  const pipe = build.pipe();
  let answers = '';
  // CPU time, not wall time: on a loaded machine the wait for a core is not the pipe's.
  const began = process.cpuUsage();
  for (const [index, [dto, body]] of bodies.entries()) {
    // A fresh copy, as each request parses its own body.
    const answer = await pipe.transform({ ...body }, { type: 'body', metatype: build.dtos[dto]! });
    if (index < 6) answers += `${(answer as object).constructor.name} ${JSON.stringify(Object.entries(answer as object))}\n`;
  }
  const used = process.cpuUsage(began);
  return { ms: (used.user + used.system) / 1000, answers };
}

async function main(): Promise<void> {
  const first = await Promise.all(builds.map(([, build]) => run(build)));
  if (first[0]!.answers !== first[1]!.answers) throw new Error(`the builds' pipes answer differently:\n${first[0]!.answers}\n${first[1]!.answers}`);
  // The rounds are synchronous in printRoundsOfBuilds: each round's times are measured here, then printed.
  const times = builds.map(() => [] as number[]);
  for (let round = 0; round < rounds; round += 1) {
    for (let slot = 0; slot < builds.length; slot += 1) {
      const index = (slot + round) % builds.length;
      times[index]!.push((await run(builds[index]![1])).ms);
    }
  }
  console.log(`the validation pipe over ${bodies.length} bodies of the knee's six commands, ${rounds} rounds interleaved; µs of CPU per body (median round), ratio B ÷ A per round`);
  const next = builds.map((_, index) => [...times[index]!]);
  printRoundsOfBuilds(builds.map(([name], index) => [name, () => next[index]!.shift()!] as const), rounds, bodies.length);
}

void main();
