import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLA_POLICY, IllegalTransitionError, complaintStreamName, type ExistingComplaint } from '@app/domain';
import { HookedStore } from '@app/event-store/testing';
import { deterministicUuid } from '@app/event-sourcing';
import { CommandIdReusedError, type CommandContext } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintRepository } from '../../complaint-repository';
import type { Clock } from '../../ports';
import { UnrelateComplaintCommand, UnrelateComplaintHandler } from '../unrelate-complaint/unrelate-complaint.handler';
import { RelateComplaintCommand, RelateComplaintHandler, WITHDRAWAL_NAMESPACE } from './relate-complaint.handler';

// Fixed ids, so that which stream comes first (the lower id) is known.
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const uuidOf = (n: number) => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('RelateComplaintHandler: a duplicate-of link on both complaints, in one atomic append', () => {
  let dir: string;
  let store: HookedStore;
  let handler: RelateComplaintHandler;
  /** The same handler in another process: its own executor, so it does not take turns with this one. */
  let other: RelateComplaintHandler;
  let executor: ComplaintCommandExecutor;
  let repository: ComplaintRepository;
  const clock = { now: () => new Date('2026-12-01T08:00:00.000Z') } as Clock;
  const context = (n: number): CommandContext => ({ commandId: uuidOf(n), correlationId: uuidOf(n), causationId: uuidOf(n), actor: { id: 'sup-1', role: 'supervisor' } });
  const markWith = (by: RelateComplaintHandler, id: string, original: string, n: number) => by.execute(new RelateComplaintCommand(id, { relatedId: original, relation: 'duplicate-of', reason: 'Same fill-up.' }, context(n)));
  const mark = (id: string, original: string, n: number) => markWith(handler, id, original, n);
  /** Runs `work` once, before the next append (to one stream or atomically to several). */
  const once = (work: () => Promise<unknown>) => {
    store.beforeAppend = async () => {
      store.beforeAppend = undefined;
      await work();
    };
  };
  /** Each side of every duplicate-of link between A, B and C, as [duplicate, original]: the two lists agree when the links are consistent. */
  const duplicateLinks = async () => {
    const states = await Promise.all([A, B, C].map(state));
    const marked = states.flatMap((each) => each.related.filter((link) => link.relation === 'duplicate-of').map((link) => [each.id, link.complaintId]));
    const listed = states.flatMap((each) => each.duplicates.map((duplicate) => [duplicate.complaintId, each.id]));
    return { marked: marked.sort(), listed: listed.sort() };
  };
  const relate = (by: RelateComplaintHandler, id: string, relatedId: string, relation: 'related' | 'duplicate-of', n: number) =>
    by.execute(new RelateComplaintCommand(id, { relatedId, relation, reason: 'Not the same after all.' }, context(n)));
  const unrelate = (id: string, relatedId: string, n: number) => new UnrelateComplaintHandler(executor).execute(new UnrelateComplaintCommand(id, { relatedId, reason: 'Different pumps.' }, context(n)));
  /** Refused as a reused key (422), with nothing written on any complaint: the duplicate-of links stay `links`, on both sides. */
  const refusedAsReused = async (request: () => Promise<unknown>, links: string[][]) => {
    const before = await Promise.all([A, B, C].map(types));
    await expect(request()).rejects.toThrow(CommandIdReusedError);
    expect(await Promise.all([A, B, C].map(types))).toEqual(before);
    expect(await duplicateLinks()).toEqual({ marked: links, listed: links });
  };
  const types = async (id: string) => (await store.readStream(complaintStreamName(id))).map((event) => event.type);
  const state = async (id: string): Promise<ExistingComplaint> => (await repository.load(id)).state as ExistingComplaint;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relate-'));
    store = new HookedStore({ filename: join(dir, 'events.sqlite') });
    repository = new ComplaintRepository(store);
    executor = new ComplaintCommandExecutor(store, repository, clock);
    handler = new RelateComplaintHandler(executor, repository);
    other = new RelateComplaintHandler(new ComplaintCommandExecutor(store, repository, clock), repository);
    for (const [index, id] of [A, B, C].entries()) {
      await executor.execute({ type: 'ReceiveComplaint', complaintId: id, data: { customerId: 'cust-1', channel: 'phone', cause: 'price', description: 'Called twice.', policy: DEFAULT_SLA_POLICY } }, context(100 + index));
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // The two appends carry the same event ids (derived from the one command id) at the same revision of B: the store takes an
  // atomic append only whole for a retry, so this one conflicts on B, is decided again, and finds the key's record on B alone.
  it('keeps both sides in step when two processes mark two duplicates of one original at once under one key: the second refused (422), nothing written', async () => {
    // Elsewhere: C → B under the same command id, between this request's decisions (A → B) and its append.
    once(() => markWith(other, C, B, 7));
    await expect(mark(A, B, 7)).rejects.toThrow(CommandIdReusedError);
    const links = await duplicateLinks();
    expect(links.marked).toEqual(links.listed);
    expect(links).toEqual({ marked: [[C, B]], listed: [[C, B]] });
    expect(await types(A)).toEqual(['ComplaintReceived']);
  });

  it('refuses (422) a duplicate-of marking when another process links the pair as related under the same key at once: nothing on the original', async () => {
    // Elsewhere: A → B related under the same command id, between this request's decisions (A → B duplicate-of) and its append.
    once(() => relate(other, A, B, 'related', 8));
    await expect(mark(A, B, 8)).rejects.toThrow(CommandIdReusedError);
    expect(await duplicateLinks()).toEqual({ marked: [], listed: [] });
    expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'related' })]);
    expect(await types(B)).toEqual(['ComplaintReceived']);
  });

  it('writes both sides in one atomic append; a crash before it leaves neither, a retry writes both, a further retry nothing', async () => {
    once(async () => {
      throw new Error('killed');
    });
    await expect(mark(A, B, 1)).rejects.toThrow('killed');
    expect([await types(A), await types(B)]).toEqual([['ComplaintReceived'], ['ComplaintReceived']]);
    const retried = await mark(A, B, 1);
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
    expect((await state(B)).duplicates.map((each) => each.complaintId)).toEqual([A]);
    const [a, b] = await Promise.all([store.readStream(complaintStreamName(A)), store.readStream(complaintStreamName(B))]);
    expect(retried.position).toBe(Math.max(a[1]!.position, b[1]!.position));
    expect(await mark(A, B, 1)).toEqual(retried);
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
  });

  it('completes, on a retry, a marking that an older version left on the duplicate\'s side only (a crash between its two appends)', async () => {
    await executor.execute({ type: 'RelateComplaint', complaintId: A, data: { relatedId: B, relation: 'duplicate-of', reason: 'Same fill-up.', target: { duplicateOf: null } } }, context(2));
    await mark(A, B, 2);
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
  });

  it('when another process makes the original a duplicate between the decisions and the append, decides again and refuses: nothing written on either', async () => {
    // B → C gets in after A → B was decided, before it was appended.
    once(() => markWith(other, B, C, 4));
    const refused = mark(A, B, 3);
    await expect(refused).rejects.toThrow(IllegalTransitionError);
    await expect(refused).rejects.toMatchObject({ code: 'duplicate-of-a-duplicate', message: expect.stringContaining(`a duplicate of ${C}`) });
    expect(await types(A)).toEqual(['ComplaintReceived']);
    expect((await state(A)).related).toEqual([]);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
    expect((await state(B)).duplicates).toEqual([]);
    expect((await state(C)).duplicates.map((each) => each.complaintId)).toEqual([B]);
  });

  it('when another process makes the duplicate an original between the decisions and the append, refuses (has-duplicates): nothing written on either', async () => {
    // C → B gets in after B → A was decided, before it was appended.
    once(() => markWith(other, C, B, 6));
    await expect(mark(B, A, 5)).rejects.toMatchObject({ code: 'has-duplicates' });
    expect(await types(A)).toEqual(['ComplaintReceived']);
    expect((await state(B)).related).toEqual([]);
    expect((await state(B)).duplicates.map((each) => each.complaintId)).toEqual([C]);
  });

  it('answers a retry of a request whose marking an older version took back with its refusal again (409 marking-withdrawn), and writes nothing', async () => {
    // What an older version wrote: A's side of A → B, then B → C in between, then A's side taken back by a compensating event.
    await executor.execute({ type: 'RelateComplaint', complaintId: A, data: { relatedId: B, relation: 'duplicate-of', reason: 'Same fill-up.', target: { duplicateOf: null } } }, context(7));
    await mark(B, C, 8);
    await executor.execute(
      { type: 'RelateComplaint', complaintId: A, data: { relatedId: B, relation: 'related', reason: `withdrawn: ${B} is itself a duplicate of ${C}.`, target: { duplicateOf: null } } },
      { ...context(7), commandId: deterministicUuid(WITHDRAWAL_NAMESPACE, uuidOf(7)), causationId: uuidOf(7) },
    );
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

  it('removes a duplicate-of link from both complaints in one atomic append: a crash before it leaves both, a retry removes both', async () => {
    await mark(A, B, 12);
    const remove = () => unrelate(A, B, 13);
    once(async () => {
      throw new Error('killed');
    });
    await expect(remove()).rejects.toThrow('killed');
    expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'duplicate-of' })]);
    expect((await state(B)).duplicates.map((each) => each.complaintId)).toEqual([A]);
    await remove();
    expect(await types(A)).toEqual(['ComplaintReceived', 'ComplaintRelated', 'ComplaintUnrelated']);
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked', 'ComplaintDuplicateUnlinked']);
    await remove();
    expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked', 'ComplaintDuplicateUnlinked']);
  });

  describe('a duplicate-of marking that lands between the reads of a request and its turn on the streams', () => {
    it('a related link made meanwhile takes the marking off the original too: no pair left both related and duplicate', async () => {
      // A → B duplicate-of gets in after A → B related was decided (on what it read then), before it was appended.
      once(() => markWith(other, A, B, 21));
      await relate(handler, A, B, 'related', 22);
      expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'related' })]);
      expect((await state(B)).duplicates).toEqual([]);
      expect(await types(B)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked', 'ComplaintDuplicateUnlinked']);
    });

    it('whichever request wins, the related link and the original\'s list agree', async () => {
      // The marking after the related link: A is then B's duplicate, on both sides.
      await relate(handler, A, B, 'related', 23);
      await markWith(other, A, B, 24);
      expect(await duplicateLinks()).toEqual({ marked: [[A, B]], listed: [[A, B]] });
      // C → B duplicate-of gets in after C → B related was decided, before it was appended: C is then related, on both sides.
      once(() => markWith(other, C, B, 25));
      await relate(handler, C, B, 'related', 26);
      expect(await duplicateLinks()).toEqual({ marked: [[A, B]], listed: [[A, B]] });
    });

    it('a link removed meanwhile is taken off the original\'s list too, in the same atomic append', async () => {
      await relate(handler, A, B, 'related', 27);
      // A → B duplicate-of gets in after the removal of A's related link was decided, before it was appended.
      once(() => markWith(other, A, B, 28));
      const outcome = await unrelate(A, B, 29);
      expect((await state(A)).related).toEqual([]);
      expect((await state(B)).duplicates).toEqual([]);
      const [a, b] = await Promise.all([store.readStream(complaintStreamName(A)), store.readStream(complaintStreamName(B))]);
      expect(a[a.length - 1]).toMatchObject({ type: 'ComplaintUnrelated', data: { relation: 'duplicate-of' } });
      expect(b[b.length - 1]).toMatchObject({ type: 'ComplaintDuplicateUnlinked', data: { duplicateId: A } });
      expect(outcome.position).toBe(Math.max(a[a.length - 1]!.position, b[b.length - 1]!.position));
    });
  });

  describe('an Idempotency-Key used again once its stored answer has expired', () => {
    it('for a marking of another duplicate of the same original: refused (422), nothing written on either', async () => {
      await mark(C, B, 31);
      await refusedAsReused(() => mark(A, B, 31), [[C, B]]);
      expect(await types(A)).toEqual(['ComplaintReceived']);
    });

    it('for removing another duplicate\'s link to the same original: refused (422), nothing written on either', async () => {
      await mark(C, B, 32);
      await unrelate(C, B, 33);
      await mark(A, B, 34);
      await refusedAsReused(() => unrelate(A, B, 33), [[A, B]]);
    });

    it('for the same related link, retried after a newer duplicate-of marking of the pair: refused (422), the marking left whole', async () => {
      await relate(handler, A, B, 'related', 35);
      await mark(A, B, 36);
      await refusedAsReused(() => relate(handler, A, B, 'related', 35), [[A, B]]);
    });

    it('for the same removal, retried as it was or after the pair was linked again as related: answered as the first time, nothing written, the new link kept', async () => {
      await mark(A, B, 41);
      const removed = await unrelate(A, B, 42);
      expect(await unrelate(A, B, 42)).toEqual(removed);
      await relate(handler, A, B, 'related', 43);
      const before = await Promise.all([A, B].map(types));
      expect(await unrelate(A, B, 42)).toEqual(removed);
      expect(await Promise.all([A, B].map(types))).toEqual(before);
      expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'related' })]);
    });

    it('for the same removal, retried after a newer duplicate-of marking of the pair: refused (422), the marking left whole', async () => {
      await relate(handler, A, B, 'related', 37);
      await unrelate(A, B, 38);
      await mark(A, B, 39);
      await refusedAsReused(() => unrelate(A, B, 38), [[A, B]]);
    });
  });

  it('refuses the key of a request used again for another link (422), instead of answering as if it were done', async () => {
    await mark(A, B, 11);
    await expect(handler.execute(new RelateComplaintCommand(A, { relatedId: C, relation: 'duplicate-of', reason: 'Same fill-up.' }, context(11)))).rejects.toThrow(CommandIdReusedError);
    expect(await types(C)).toEqual(['ComplaintReceived']);
    expect((await state(A)).related).toEqual([expect.objectContaining({ complaintId: B, relation: 'duplicate-of' })]);
  });
});
