/**
 * What the sixteen dry-run decisions of a complaint's allowedActions cost (GET /complaints/{id}; ADR 0003,
 * "allowedActions without stacks"): `complaintActionRefusal` for every action over the states of the HTTP
 * knee's lifecycle (received, validated, assigned, resolved, called back), from two builds of the API in
 * one process, in interleaved rounds with the order rotated. The two builds must give the same answers or
 * the bench stops. Each probe runs under a few frames of its own, so that a captured stack is as deep as
 * the default limit (10) allows, as under the server's.
 *
 *   node -r ts-node/register/transpile-only bench/allowed-actions-probe.ts BUILD_A BUILD_B [--rounds N] [--reads N]
 *
 * BUILD_A and BUILD_B are `nest build api` outputs (dist, or a copy of it such as builds/main).
 */
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ExistingComplaint } from '../libs/domain/src/complaint.state';
import { fold } from '../libs/domain/src/complaint.evolve';
import { COMPLAINT_ACTIONS, type complaintActionRefusal } from '../libs/domain/src/complaint.actions';
import { assigned, at, calledBackSatisfied, received, resolvedAccepted, supervisor, validated } from '../libs/domain/src/testing/complaint.fixtures';
import { option, printRoundsOfBuilds, twoBuilds } from './script-support';

type Probe = typeof complaintActionRefusal;
const [buildA, buildB] = twoBuilds('allowed-actions-probe.ts BUILD_A BUILD_B [--rounds N] [--reads N]');
const rounds = Number(option('rounds', '9'));
const reads = Number(option('reads', '5000'));
const load = (build: string): Probe =>
  (require(join(resolve(build), 'apps', 'api', 'libs', 'domain', 'src', 'complaint.actions.js')) as { complaintActionRefusal: Probe }).complaintActionRefusal;
const variants: Array<[string, Probe]> = [[`A ${buildA}`, load(buildA)], [`B ${buildB}`, load(buildB)]];

const lifecycle = [received, validated, assigned, resolvedAccepted, calledBackSatisfied];
const states = lifecycle.map((_, index) => fold(lifecycle.slice(0, index + 1)) as ExistingComplaint);
const now = at(500);

/** One GET's sixteen answers, a few frames down (the depth a stack would be captured to). */
const deep = (depth: number, probe: Probe, state: ExistingComplaint): string => (depth === 0
  ? COMPLAINT_ACTIONS.map((action) => JSON.stringify(probe(action, state, now, supervisor))).join('|')
  : deep(depth - 1, probe, state));

function run(probe: Probe): { ms: number; answers: string } {
  let answers = '';
  const began = performance.now();
  for (let read = 0; read < reads; read += 1) {
    const answer = deep(8, probe, states[read % states.length]!);
    if (read < states.length) answers += `${answer}\n`;
  }
  return { ms: performance.now() - began, answers };
}

const first = variants.map(([, probe]) => run(probe).answers);
if (first[0] !== first[1]) throw new Error('the builds answer differently: allowedActions would change');
console.log(`allowedActions' ${COMPLAINT_ACTIONS.length} dry-run decisions per read over ${reads} reads of the knee's lifecycle states, ${rounds} rounds interleaved; µs per read (median round), ratio B ÷ A per round`);
printRoundsOfBuilds(variants.map(([name, probe]) => [name, () => run(probe).ms] as const), rounds, reads);
