import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLA_POLICY, IllegalTransitionError, complaintStreamName, type ExistingComplaint } from '@app/domain';
import { SqliteEventStore, type AppendResult, type EventToAppend, type ExpectedRevision } from '@app/event-store';
import { CommandIdReusedError, type CommandContext } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintRepository } from '../../complaint-repository';
import type { Clock } from '../../ports';
import { RelateComplaintCommand, RelateComplaintHandler } from './relate-complaint.handler';

/** A store that runs a hook after an append (a crash, or another request getting in between two appends). */
class HookedStore extends SqliteEventStore {
  afterAppend: ((stream: string, events: readonly EventToAppend[]) => Promise<void>) | undefined;
  beforeAppend: ((stream: string) => void) | undefined;

  override async append(stream: string, events: readonly EventToAppend[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    this.beforeAppend?.(stream);
    const result = await super.append(stream, events, options);
    const hook = this.afterAppend;
    if (hook) await hook(stream, events);
    return result;
  }
}

// Fixed ids, so that which stream comes first (the lower id) is known.
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const uuidOf = (n: number) => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('RelateComplaintHandler: a duplicate-of link on both complaints, between two appends', () => {
  let dir: string;
  let store: HookedStore;
  let handler: RelateComplaintHandler;
  let executor: ComplaintCommandExecutor;
  let repository: ComplaintRepository;
  const clock = { now: () => new Date('2026-12-01T08:00:00.000Z') } as Clock;
  const context = (n: number): CommandContext => ({ commandId: uuidOf(n), correlationId: uuidOf(n), causationId: uuidOf(n), actor: { id: 'sup-1', role: 'supervisor' } });
  const mark = (id: string, original: string, n: number) => handler.execute(new RelateComplaintCommand(id, { relatedId: original, relation: 'duplicate-of', reason: 'Same fill-up.' }, context(n)));
  const types = async (id: string) => (await store.readStream(complaintStreamName(id))).map((event) => event.type);
  const state = async (id: string) => (await repository.load(id)).state as ExistingComplaint;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relate-'));
    store = new HookedStore({ filename: join(dir, 'events.sqlite') });
    repository = new ComplaintRepository(store);
    executor = new ComplaintCommandExecutor(store, repository, clock);
    handler = new RelateComplaintHandler(executor, repository, clock);
    for (const [index, id] of [A, B, C].entries()) {
      await executor.execute({ type: 'ReceiveComplaint', complaintId: id, data: { customerId: 'cust-1', channel: 'phone', cause: 'price', description: 'Called twice.', policy: DEFAULT_SLA_POLICY } }, context(100 + index));
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after a crash between the two appends, a retry of the same command completes the second, and a further retry writes nothing', async () => {
    // A < B: the duplicate's side (A) first, then the original's (B), which "crashes" once.
    let crash = true;
    store.beforeAppend = (stream) => {
      if (stream === complaintStreamName(B) && crash) {
        crash = false;
        throw new Error('killed');
      }
    };
    await expect(mark(A, B, 1)).rejects.toThrow('killed');
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
    expect(await types(B)).toEqual(['ComplaintReceived']);
    const retried = await mark(A, B, 1);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
    expect((await state(B)).duplicates.map((each) => each.complaintId)).toEqual([A]);
    expect(await mark(A, B, 1)).toEqual(retried);
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
  });

  it('with the original first (B → A), a crash after it is completed by the retry too', async () => {
    let crash = true;
    store.beforeAppend = (stream) => {
      if (stream === complaintStreamName(B) && crash) {
        crash = false;
        throw new Error('killed');
      }
    };
    await expect(mark(B, A, 2)).rejects.toThrow('killed');
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
    await mark(B, A, 2);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
  });

  it('when another request makes the original a duplicate between the two appends, takes the marking back and answers the refusal: no chain remains', async () => {
    let once = true;
    store.afterAppend = async (stream) => {
      if (stream === complaintStreamName(A) && once) {
        once = false;
        // B → C gets in after A's side of A → B was written, before B's.
        await mark(B, C, 4);
      }
    };
    const refused = mark(A, B, 3);
    await expect(refused).rejects.toThrow(IllegalTransitionError);
    await expect(refused).rejects.toMatchObject({ code: 'duplicate-of-a-duplicate', message: expect.stringContaining(`mark this complaint a duplicate of ${C}`) });
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintRelated', 'ComplaintRelated']);
    expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'related' })]);
    expect((await state(B)).related).toEqual([expect.objectContaining({ complaintId: C, relation: 'duplicate-of' })]);
    expect((await state(B)).duplicates).toEqual([]);
    expect((await state(C)).duplicates.map((each) => each.complaintId)).toEqual([B]);
  });

  it('when the duplicate becomes an original between the original\'s append and its own, takes the original\'s side back', async () => {
    let once = true;
    store.afterAppend = async (stream, events) => {
      if (stream === complaintStreamName(A) && events[0]?.type === 'ComplaintDuplicateLinked' && once) {
        once = false;
        // C → B gets in after A recorded B as its duplicate, before B's own side.
        await mark(C, B, 6);
      }
    };
    await expect(mark(B, A, 5)).rejects.toMatchObject({ code: 'has-duplicates' });
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked', 'ComplaintDuplicateUnlinked']);
    expect((await state(A)).duplicates).toEqual([]);
    expect((await state(B)).related).toEqual([]);
    expect((await state(B)).duplicates.map((each) => each.complaintId)).toEqual([C]);
  });

  it('answers a retry of a request whose marking was taken back with its refusal again (409 marking-withdrawn), whichever side was taken back, and writes nothing', async () => {
    // The duplicate's side taken back (A < B): B became a duplicate of C in between.
    let once = true;
    store.afterAppend = async (stream) => {
      if (stream === complaintStreamName(A) && once) {
        once = false;
        await mark(B, C, 8);
      }
    };
    await expect(mark(A, B, 7)).rejects.toMatchObject({ code: 'duplicate-of-a-duplicate' });
    store.afterAppend = undefined;
    // B is no duplicate any more: still, the same key answers as the first time, on one side only it would have been "done".
    await handler.execute(new RelateComplaintCommand(B, { relatedId: C, relation: 'related', reason: 'Not the same after all.' }, context(9)));
    const [a, b] = [await types(A), await types(B)];
    await expect(mark(A, B, 7)).rejects.toMatchObject({ code: 'marking-withdrawn', message: expect.stringContaining('new Idempotency-Key') });
    expect([await types(A), await types(B)]).toEqual([a, b]);
    expect((await state(B)).duplicates).toEqual([]);
    // With a new key it is decided anew, on both sides.
    await mark(A, B, 10);
    expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'duplicate-of' })]);
    expect((await state(B)).duplicates.map((each) => each.complaintId)).toEqual([A]);
  });

  it('refuses the key of a request used again for another link (422), instead of answering as if it were done', async () => {
    await mark(A, B, 11);
    await expect(handler.execute(new RelateComplaintCommand(A, { relatedId: C, relation: 'duplicate-of', reason: 'Same fill-up.' }, context(11)))).rejects.toThrow(CommandIdReusedError);
    expect(await types(C)).toEqual(['ComplaintReceived']);
    expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'duplicate-of' })]);
  });
});
