import fc from 'fast-check';
import {
  ComplaintDomainError, DEFAULT_SLA_POLICY, fold, taxonomyCodes, type Actor, type ComplaintEvent, type ComplaintState,
} from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from './command-context';
import { ComplaintCommandExecutor } from './complaint-command.executor';
import { ComplaintRepository } from './complaint-repository';
import { Clock } from './ports';

class SteppingClock extends Clock {
  private time = Date.parse('2026-03-02T08:00:00.000Z');
  override now(): Date {
    this.time += 7 * 60_000;
    return new Date(this.time);
  }
}

const actor: Actor = { id: 'sup-1', role: 'supervisor' };
const text = fc.constantFrom('r1', 'r2', '原因');
const commandArbitrary = fc.oneof(
  fc.record({ type: fc.constant('ValidateComplaint' as const), data: fc.record({ reason: text }) }),
  fc.record({ type: fc.constant('RejectComplaint' as const), data: fc.record({ reason: text }) }),
  fc.record({ type: fc.constant('AssignComplaint' as const), data: fc.record({ department: fc.constantFrom('ops', 'quality'), assignee: fc.constantFrom('li', 'zhao') }) }),
  fc.record({ type: fc.constant('ApologiseForComplaint' as const), data: fc.record({ statement: text, channel: fc.constantFrom(...taxonomyCodes('channel')) }) }),
  fc.record({ type: fc.constant('EscalateComplaint' as const), data: fc.record({ to: fc.constantFrom('manager', 'director'), reason: text, level: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) }) }),
  fc.record({
    type: fc.constant('ResolveComplaint' as const),
    data: fc.record({ resolutionClass: fc.constantFrom(...taxonomyCodes('resolutionClass')), remedy: fc.constantFrom(...taxonomyCodes('remedy')), customerAccepted: fc.boolean() }),
  }),
  fc.record({ type: fc.constant('RecordCallback' as const), data: fc.record({ outcome: fc.constantFrom(...taxonomyCodes('callbackOutcome')), satisfaction: fc.integer({ min: 1, max: 5 }) }) }),
  fc.record({ type: fc.constant('ReopenComplaint' as const), data: fc.record({ reason: text }) }),
);

/** What must hold in every reachable state. */
function expectValid(state: ComplaintState, events: ComplaintEvent[]): void {
  expect(state.status).not.toBe('none');
  if (state.status === 'none') return;
  const has = (key: string) => key in state;
  const needsAssignment = ['assigned', 'resolved', 'follow-up-required', 'closed'].includes(state.status);
  expect(has('assignment')).toBe(needsAssignment);
  expect(has('resolution')).toBe(['resolved', 'follow-up-required', 'closed'].includes(state.status));
  expect(has('callback')).toBe(['follow-up-required', 'closed'].includes(state.status));
  expect(state.firstReplyAt !== null).toBe(events.some((event) => event.type === 'ComplaintApologised'));
  const levels = events.flatMap((event) => (event.type === 'ComplaintEscalated' ? [event.data.level] : []));
  expect(levels).toEqual([...levels].sort((a, b) => a - b));
  expect(new Set(levels).size).toBe(levels.length);
  if (state.status === 'closed') expect(state.callback.satisfaction).toBeGreaterThan(2);
}

describe('complaint lifecycle properties', () => {
  it('any command sequence leaves a valid state, and folding the stored events reproduces it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArbitrary, { maxLength: 25 }), async (commands) => {
        const store = new SqliteEventStore({ filename: ':memory:' });
        const repository = new ComplaintRepository(store);
        const executor = new ComplaintCommandExecutor(store, repository, new SteppingClock());
        const context = (): CommandContext => ({ commandId: randomUUID(), correlationId: 'c', causationId: 'c', actor });
        try {
          const { id } = await executor.execute({
            type: 'ReceiveComplaint', complaintId: randomUUID(),
            data: { customerId: 'cust', channel: 'phone', cause: 'service', description: 'd', policy: DEFAULT_SLA_POLICY },
          }, context());
          let accepted = 1;
          for (const command of commands) {
            try {
              const outcome = await executor.execute({ ...command, complaintId: id } as Parameters<ComplaintCommandExecutor['execute']>[0], context());
              accepted += 1;
              expect(outcome.revision).toBe(accepted - 1);
            } catch (error) {
              // Refusals are domain errors only, and they write nothing.
              expect(error).toBeInstanceOf(ComplaintDomainError);
            }
          }
          const loaded = await repository.load(id);
          const stored = (await store.readStream(`complaint-${id}`)).map((recorded) => ({ type: recorded.type, data: recorded.data }) as ComplaintEvent);
          expect(stored).toHaveLength(accepted);
          expect(loaded.revision).toBe(accepted - 1);
          expect(fold(stored)).toEqual(loaded.state);
          expectValid(loaded.state, stored);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 150 },
    );
    // 150 runs against a real store: seconds on a busy machine; not a speed test.
  }, 60_000);
});
