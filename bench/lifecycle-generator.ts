import {
  DEFAULT_SLA_POLICY, complaintStreamName, decide, evolve, initialComplaintState, type Actor, type ComplaintCommand, type ComplaintEvent, type ComplaintState,
} from '@app/domain';
import { chainedEvents } from '@app/complaints/complaint-metadata';
import { chainStart, deterministicUuid } from '@app/event-sourcing';
import type { EventToAppend } from '@app/event-store';

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same history. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends string>(next: () => number, weights: Record<T, number>): T {
  const total = Object.values<number>(weights).reduce((sum, weight) => sum + weight, 0);
  let roll = next() * total;
  for (const [value, weight] of Object.entries<number>(weights)) {
    roll -= weight;
    if (roll <= 0) return value as T;
  }
  return Object.keys(weights)[0] as T;
}

const NAMESPACE = '3b0e2f5a-91c4-4d67-8a2e-6f1d0c9b7e45';
const agent: Actor = { id: 'agent-bench', role: 'agent' };
const supervisor: Actor = { id: 'supervisor-bench', role: 'supervisor' };
const START = Date.parse('2025-01-01T00:00:00.000Z');
const YEAR_MS = 365 * 86_400_000;

export interface GeneratedEvent {
  readonly stream: string;
  readonly at: number;
  readonly event: EventToAppend;
}

/**
 * Lifecycle histories of complaints, about six events each, over ~40,000 customers (some
 * complain repeatedly), with realistic shares of causes, channels, severities, delays, rejections,
 * refusals, escalations, callbacks and reopenings. Every event comes from the real decider.
 */
export function generateComplaints(first: number, count: number, totalComplaints: number, seed = 42): GeneratedEvent[] {
  const output: GeneratedEvent[] = [];
  for (let index = first; index < first + count; index += 1) {
    const next = random(seed * 1_000_003 + index);
    const complaintId = deterministicUuid(NAMESPACE, `complaint-${index}`);
    const stream = complaintStreamName(complaintId);
    let state: ComplaintState = initialComplaintState;
    let previousHash = chainStart(stream);
    let time = START + Math.floor((index / totalComplaints) * YEAR_MS + next() * 3_600_000);
    let step = 0;
    const minutes = (mean: number) => Math.max(1, Math.round(-Math.log(1 - next()) * mean)) * 60_000;
    const run = (type: ComplaintCommand['type'], data: object, actor: Actor = agent): boolean => {
      const command = { type, complaintId, at: new Date(time).toISOString(), actor, data } as ComplaintCommand;
      let events: ComplaintEvent[];
      try {
        events = decide(command, state);
      } catch {
        return false;
      }
      const commandId = deterministicUuid(NAMESPACE, `${complaintId}:${step++}`);
      const chained = chainedEvents(events, { commandId, commandType: type, correlationId: commandId, causationId: commandId, actor, occurredAt: command.at }, previousHash);
      previousHash = chained.headHash;
      for (const event of chained.events) output.push({ stream, at: time, event });
      state = events.reduce(evolve, state);
      return true;
    };
    const customer = next() < 0.3 ? `cust-${Math.floor(next() * 4000)}` : `cust-${4000 + Math.floor(next() * 36000)}`;
    run('ReceiveComplaint', {
      customerId: customer, segment: pick(next, { 'private-car': 50, taxi: 15, fleet: 15, 'long-haul-truck': 10, motorcycle: 5, 'drum-buyer': 5 }),
      channel: pick(next, { phone: 40, web: 25, 'in-person': 15, 'mobile-app': 10, email: 5, 'social-media': 5 }),
      cause: pick(next, { service: 35, 'product-quality': 25, price: 15, 'quantity-metering': 10, integrity: 5, safety: 3, other: 7 }),
      behaviour: pick(next, { 'passive-grumbling': 50, 'negative-publicity': 20, 'angry-venting': 25, 'extreme-conflict': 5 }),
      purpose: pick(next, { suggestion: 20, criticism: 60, accusation: 20 }),
      severity: pick(next, { low: 20, medium: 55, high: 20, critical: 5 }),
      description: 'Generated complaint for the benchmark.', onSiteRequired: next() < 0.1, policy: DEFAULT_SLA_POLICY,
    });
    if (next() < 0.85) { time += minutes(60); run('ApologiseForComplaint', { statement: '非常抱歉', channel: 'phone' }); }
    time += minutes(120);
    if (next() < 0.2) {
      run('RejectComplaint', { reason: 'not well-founded' }, supervisor);
      if (next() < 0.1) { time += minutes(2880); run('ReopenComplaint', { reason: 'customer disputes' }, supervisor); }
      continue;
    }
    run('ValidateComplaint', { reason: 'well-founded' }, supervisor);
    time += minutes(60);
    run('AssignComplaint', { department: pick(next, { 'station-ops': 40, quality: 25, billing: 20, logistics: 15 }), assignee: `handler-${Math.floor(next() * 200)}` }, supervisor);
    if (next() < 0.1) { time += minutes(600); run('RecordOnSiteVisit', { notes: 'visited' }); }
    for (let round = 0; round < 2; round += 1) {
      time += minutes(round === 0 ? 1440 : 720);
      const accepted = next() < 0.9;
      run('ResolveComplaint', { resolutionClass: pick(next, { immediate: 50, 'short-term': 40, 'not-solvable-now': 10 }), remedy: pick(next, { refund: 30, explanation: 30, repair: 15, replacement: 10, voucher: 10, compensation: 5 }), customerAccepted: accepted });
      if (!accepted) { time += minutes(240); run('EscalateComplaint', { to: 'regional-manager', reason: 'solution refused' }, supervisor); }
      if (next() > 0.85) break;
      time += minutes(1440);
      const satisfaction = Number(pick(next, { 5: 40, 4: 30, 3: 15, 2: 10, 1: 5 }));
      run('RecordCallback', { outcome: satisfaction > 2 ? 'satisfied' : 'unsatisfied', satisfaction });
      if (satisfaction > 2 || next() > 0.5) break;
      time += minutes(1440);
      run('ReopenComplaint', { reason: 'customer not satisfied' }, supervisor);
    }
  }
  return output;
}
