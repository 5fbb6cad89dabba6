import { createHash, randomUUID } from 'node:crypto';
import { SharedTurns, TurnBusyError } from '@app/event-sourcing';
import { CheckpointConflictError, InvalidDocumentError, InvalidQueryError, READ_MODEL_REBUILDS, ReadModelRebuildingError, generationCollection, type ReadDocument, type ReadStore } from '../read-store.port';

export interface ReadStoreFixture {
  readonly store: ReadStore;
  /** Another store on the same data, as a second process would open it (file and server adapters). */
  readonly openAnother?: () => Promise<ReadStore>;
  /** Deletes the data's cursor key behind the stores' backs, as a hand edit or a restore would (file and server adapters). */
  readonly dropCursorKey?: () => Promise<void>;
  /**
   * Hand edits of a lease's expiry into values that are no time, each named for what it writes (SQLite: text, a blob;
   * MongoDB: a string, bytes, null, none, a timestamp, a regular expression, MaxKey): what a restore or an edit can leave.
   */
  readonly leaseExpiryEdits?: Readonly<Record<string, (lease: string) => Promise<void>>>;
  /**
   * Drops by hand what the store keeps beside a collection's documents to search their text (SQLite: its FTS5 table). None
   * for a store that keeps nothing apart (MongoDB searches a field of each document): the case of a lost text index is skipped.
   */
  readonly dropTextIndex?: (collection: string) => Promise<void>;
  /** Drops a collection with its documents by hand, as an operator or a tool gone wrong would (SQLite: its table; MongoDB: the collection). */
  readonly dropCollection?: (collection: string) => Promise<void>;
  /** Drops the store's whole table (collection) of leases by hand, with every lease in it. */
  readonly dropLeases?: () => Promise<void>;
  dispose(): Promise<void>;
}

export interface ReadStoreContractOptions {
  /** The fixture's store can be opened a second time on the same data (openAnother): runs the cases between two processes. */
  readonly sharedData?: boolean;
  /** The fixture edits a lease's expiry by hand (leaseExpiryEdits): runs the case of an expiry that is no time. */
  readonly editsLeases?: boolean;
  /** The fixture drops a collection's text index by hand (dropTextIndex): runs the case of a live collection that lost it. */
  readonly dropsTextIndex?: boolean;
  /** The fixture drops collections by hand (dropCollection) and opens another store (openAnother): runs the cases of a live collection dropped outside the projector. */
  readonly dropsCollections?: boolean;
  /** The fixture drops the leases by hand (dropLeases) and opens another store (openAnother): runs the cases of the leases' table made again. */
  readonly dropsLeases?: boolean;
}

interface Ticket extends ReadDocument {
  status: string;
  priority: number;
  receivedAt: string;
  open: boolean;
  owner: { department: string } | null;
}

/** The semantics every ReadStore adapter promises. Collection names are fresh per test. */
export function describeReadStoreContract(adapterName: string, createFixture: () => Promise<ReadStoreFixture>, options: ReadStoreContractOptions = {}): void {
  const betweenProcesses = options.sharedData ? it : it.skip;
  const withLeaseEdits = options.editsLeases ? it : it.skip;
  const withTextIndexDrop = options.dropsTextIndex ? it : it.skip;
  const withCollectionDrop = options.dropsCollections && options.sharedData ? it : it.skip;
  const withLeasesDrop = options.dropsLeases && options.sharedData ? it : it.skip;
  describe(`ReadStore contract: ${adapterName}`, () => {
    let fixture: ReadStoreFixture;
    let store: ReadStore;
    let collection: string;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
      collection = `tickets_${randomUUID().replace(/-/g, '')}`;
      await store.ensureCollections([{ name: collection, indexes: [['status', 'receivedAt'], ['priority']] }]);
    });
    afterEach(async () => fixture.dispose());

    const ticket = (index: number, overrides: Partial<Ticket> = {}): Ticket => ({
      id: `t-${String(index).padStart(3, '0')}`,
      status: ['open', 'closed', 'pending'][index % 3]!,
      priority: index % 5,
      receivedAt: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
      open: index % 3 !== 1,
      owner: index % 4 === 0 ? null : { department: index % 2 === 0 ? 'ops' : 'quality' },
      ...overrides,
    });
    const seed = async (count: number) => {
      const documents = Array.from({ length: count }, (_, index) => ticket(index));
      await store.commit('seed', documents.map((document) => ({ kind: 'put' as const, collection, document })), count);
      return documents;
    };
    const ids = (documents: ReadDocument[]) => documents.map((document) => document.id);

    it('stores, replaces and deletes documents only through commit, with the checkpoint', async () => {
      await store.commit('projection-a', [{ kind: 'put', collection, document: ticket(1) }], 10);
      expect(await store.get(collection, 't-001')).toEqual(ticket(1));
      expect(await store.checkpoint('projection-a')).toBe(10);
      await store.commit('projection-a', [{ kind: 'put', collection, document: ticket(1, { status: 'closed' }) }, { kind: 'put', collection, document: ticket(2) }], 11);
      expect((await store.get<Ticket>(collection, 't-001'))?.status).toBe('closed');
      await store.commit('projection-a', [{ kind: 'delete', collection, id: 't-002' }], 12);
      expect(await store.get(collection, 't-002')).toBeUndefined();
      expect(await store.checkpoint('projection-a')).toBe(12);
      expect(await store.checkpoint('never-committed')).toBe(0);
    });

    it('reads many documents by id at once: those that exist, whatever the number of ids', async () => {
      const ids = Array.from({ length: 1203 }, (_, index) => `t-${String(index).padStart(4, '0')}`);
      await store.commit('many', ids.filter((_, index) => index % 3 === 0).map((id) => ({ kind: 'put' as const, collection, document: { ...ticket(1), id } })), 1);
      const found = await store.getMany<ReadDocument>(collection, [...ids, 'nowhere']);
      expect([...found.keys()].sort()).toEqual(ids.filter((_, index) => index % 3 === 0));
      expect(found.get('t-0003')).toEqual({ ...ticket(1), id: 't-0003' });
      expect((await store.getMany(collection, [])).size).toBe(0);
      await expect(store.getMany('no_such_collection', ['t-001'])).rejects.toBeInstanceOf(InvalidQueryError);
    });

    it('commits nothing, checkpoint included, when any change of the unit fails', async () => {
      await store.commit('projection-b', [{ kind: 'put', collection, document: ticket(1) }], 5);
      await expect(store.commit('projection-b', [
        { kind: 'put', collection, document: ticket(2) },
        { kind: 'put', collection: 'no_such_collection', document: ticket(3) },
      ], 6)).rejects.toThrow();
      expect(await store.get(collection, 't-002')).toBeUndefined();
      expect(await store.checkpoint('projection-b')).toBe(5);
    });

    it('refuses a document with a key a store cannot keep or a dotted filter cannot reach, and writes nothing of its commit', async () => {
      const keys = `keys-${collection}`;
      await store.commit(keys, [{ kind: 'put', collection, document: ticket(1) }], 1);
      const refused: ReadDocument[] = [
        { id: 'k-1', $set: { status: 'open' } },
        { id: 'k-2', 'owner.department': 'ops' },
        { id: 'k-3', owner: { $ne: null } },
        { id: 'k-4', owner: { 'department.code': 'ops' } },
        { id: 'k-5', history: [{ at: '2026-01-01' }, { $push: 1 }] },
        { id: 'k-6', _id: 'another-id' },
        { id: 'k-6b', _text: 'reserved' },
        { id: 'k-7', 'nul\u0000': 1 },
        { id: 7 } as unknown as ReadDocument,
      ];
      for (const document of refused) {
        const commit = store.commit(keys, [{ kind: 'put', collection, document: ticket(2) }, { kind: 'put', collection, document }], 2);
        await expect(commit).rejects.toBeInstanceOf(InvalidDocumentError);
      }
      await expect(store.commit(keys, [{ kind: 'put', collection, document: { id: 'k-8', owner: { $ne: null } } }], 2)).rejects.toThrow(/\$ne/);
      expect(await store.get(collection, 't-002')).toBeUndefined();
      expect(await store.checkpoint(keys)).toBe(1);
      // A `$` or a dot inside a key, other scripts, and `_id` below the top level are kept as they are.
      const kept = { id: 'k-9', price$: 3, 投诉原因: 'service', 'station-ops': { '2026-01': 3 }, nested: { _id: 'kept' }, list: [{ 'a-b': 1 }] };
      await store.commit(keys, [{ kind: 'put', collection, document: kept }], 3);
      expect(await store.get(collection, 'k-9')).toEqual(kept);
    });

    it('commits only from the expected checkpoint, so a second runner cannot apply the same events again', async () => {
      // Checkpoint names unique per run: the suite also runs against a shared server.
      const [c, d] = [`projection-c-${collection}`, `projection-d-${collection}`];
      await store.commit(c, [{ kind: 'put', collection, document: ticket(1) }], 7);
      await store.commit(c, [{ kind: 'put', collection, document: ticket(2) }], 9, { expectedPosition: 7 });
      const stale = store.commit(c, [{ kind: 'put', collection, document: ticket(3) }], 9, { expectedPosition: 7 });
      await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
      expect(await store.get(collection, 't-003')).toBeUndefined();
      expect(await store.checkpoint(c)).toBe(9);
      await store.commit(d, [{ kind: 'put', collection, document: ticket(4) }], 3, { expectedPosition: 0 });
      expect(await store.checkpoint(d)).toBe(3);
      await expect(store.commit(d, [], 4, { expectedPosition: 0 })).rejects.toBeInstanceOf(CheckpointConflictError);
    });

    it('puts a document only over the version it expects (compare-and-set): none for a new one, then each version in turn; a stale one writes nothing', async () => {
      const secret = (version: number, value: string) => ({ id: 's-1', version, value });
      expect(await store.putIfVersion(collection, secret(0, 'first'), null)).toBe(true);
      expect(await store.putIfVersion(collection, secret(5, 'again as new'), null)).toBe(false);
      expect(await store.putIfVersion(collection, secret(1, 'from 0'), 0)).toBe(true);
      expect(await store.putIfVersion(collection, secret(2, 'also from 0'), 0)).toBe(false);
      expect(await store.putIfVersion(collection, secret(2, 'from 7'), 7)).toBe(false);
      expect(await store.get(collection, 's-1')).toEqual(secret(1, 'from 0'));
      // The version is any integer the caller keeps (a revision of the log may be below 0: none yet).
      expect(await store.putIfVersion(collection, secret(-1, 'down'), 1)).toBe(true);
      expect(await store.get(collection, 's-1')).toEqual(secret(-1, 'down'));
      // A document written by commit, without a version, is replaced only as "none".
      await store.commit('cas', [{ kind: 'put', collection, document: { id: 's-2', value: 'committed' } }], 1);
      expect(await store.putIfVersion(collection, secret(0, 'over it'), 0)).toBe(false);
      expect(await store.putIfVersion(collection, { ...secret(0, 'over it'), id: 's-2' }, null)).toBe(true);
      expect(await store.get(collection, 's-2')).toEqual({ id: 's-2', version: 0, value: 'over it' });
      // Its documents are checked as commit checks them, and found by the queries as any other.
      await expect(store.putIfVersion(collection, { id: 's-3', version: 0, $bad: 1 } as never, null)).rejects.toBeInstanceOf(InvalidDocumentError);
      await expect(store.putIfVersion(collection, { id: 's-3', version: 1.5 } as never, null)).rejects.toBeInstanceOf(InvalidDocumentError);
      await expect(store.putIfVersion(`missing_${collection}`, secret(0, 'x'), null)).rejects.toBeInstanceOf(InvalidQueryError);
      expect(await store.get(collection, 's-3')).toBeUndefined();
      expect(await store.count(collection, { version: 0 })).toBe(1);
    });

    betweenProcesses('lets one of many writers of the same version win, from two processes at once, and the others write nothing', async () => {
      const other = await fixture.openAnother!();
      try {
        await other.ensureCollections([{ name: collection }]);
        expect(await store.putIfVersion(collection, { id: 'w-1', version: 3, by: 'registration' }, null)).toBe(true);
        const writers = Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : other).putIfVersion(collection, { id: 'w-1', version: 4, by: `writer-${index}` }, 3));
        const won = await Promise.all(writers);
        expect(won.filter(Boolean)).toHaveLength(1);
        const winner = `writer-${won.indexOf(true)}`;
        expect(await store.get(collection, 'w-1')).toEqual({ id: 'w-1', version: 4, by: winner });
        expect(await other.get(collection, 'w-1')).toEqual({ id: 'w-1', version: 4, by: winner });
        // The first write of a new document races the same way.
        const firsts = await Promise.all([store, other, store, other].map((writer, index) => writer.putIfVersion(collection, { id: 'w-2', version: 0, by: `first-${index}` }, null)));
        expect(firsts.filter(Boolean)).toHaveLength(1);
      } finally {
        await other.close();
      }
    });

    it('grants a lease to one holder at a time, renews it for that holder, and hands it over when released or expired', async () => {
      const lease = `lease-${randomUUID()}`;
      expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(true);
      expect(await store.acquireLease(lease, 'projector-b', 60_000)).toBe(false);
      expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(true);
      await store.releaseLease(lease, 'projector-b');
      expect(await store.acquireLease(lease, 'projector-b', 60_000)).toBe(false);
      await store.releaseLease(lease, 'projector-a');
      expect(await store.acquireLease(lease, 'projector-b', 150)).toBe(true);
      expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(true);
      expect(await store.acquireLease(lease, 'projector-b', 60_000)).toBe(false);
    });

    // An expiry that is no time has no moment to run out at: taken as run out, or the lease was held for ever (no process
    // took it again and the read models stood still). On MongoDB a timestamp, a regular expression or MaxKey sorts after
    // every date, so `expiresAt <= $$NOW` was never true for them (a LOW).
    withLeaseEdits('takes a lease whose expiry was edited by hand into a value that is no time as run out, and names nobody as its holder', async () => {
      const edits = Object.entries(fixture.leaseExpiryEdits ?? {});
      expect(edits.length).toBeGreaterThan(0);
      for (const [what, edit] of edits) {
        const lease = `lease-${randomUUID()}`;
        expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(true);
        await edit(lease);
        expect({ what, holder: await store.leaseHolder(lease) }).toEqual({ what, holder: null });
        expect({ what, taken: await store.acquireLease(lease, 'projector-b', 60_000) }).toEqual({ what, taken: true });
        expect({ what, holder: await store.leaseHolder(lease) }).toEqual({ what, holder: 'projector-b' });
      }
    });

    // The leases' table dropped by hand while a holder projects (docs/adr/0005): made again empty, it let a waiting process take the
    // projector lease at once while the holder, whose row went with the table, still wrote. For one ttl after it was made again a
    // lease without a row is refused to all but the holder this store last granted it to. MongoDB made the collection again with
    // the next upsert and granted at once (leasesRemadeAt null).
    withLeasesDrop('holds back a lease without a row for one ttl after the leases were dropped by hand: only its holder renews it, and the store tells when they were made again', async () => {
      const other = await fixture.openAnother!();
      const lease = `lease-${randomUUID()}`;
      try {
        expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(true);
        expect(await other.leasesRemadeAt()).toBeNull();
        const before = Date.now();
        await fixture.dropLeases!();
        expect(await other.leaseHolder(lease)).toBeNull();
        expect(await other.acquireLease(lease, 'projector-b', 60_000)).toBe(false);
        expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(true);
        expect(await other.leaseHolder(lease)).toBe('projector-a');
        expect(await other.acquireLease(lease, 'projector-b', 60_000)).toBe(false);
        // A lease nobody held is held back too: its row may have gone with the table.
        expect(await other.acquireLease(`lease-${randomUUID()}`, 'projector-b', 60_000)).toBe(false);
        const remadeAt = await other.leasesRemadeAt();
        expect(remadeAt).toBeInstanceOf(Date);
        // The store's clock (a server's on MongoDB): near this one's, not equal.
        expect(Math.abs(remadeAt!.getTime() - before)).toBeLessThan(60_000);
        expect((await store.leasesRemadeAt())?.getTime()).toBe(remadeAt!.getTime());
      } finally {
        await other.close();
        // A server's leases outlive the case: dropped again once no store that saw them is open, so that no later case is held back.
        await fixture.dropLeases!();
      }
    });

    withLeasesDrop('lets anyone take a lease one ttl after the leases were made again, and refuses until then a holder whose lease had run out', async () => {
      const other = await fixture.openAnother!();
      const lease = `lease-${randomUUID()}`;
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      try {
        expect(await store.acquireLease(lease, 'projector-a', 400)).toBe(true);
        await wait(450);
        await fixture.dropLeases!();
        // Its lease ran out before the table went: it may have stopped and another may be about to start, so it waits as the others do.
        expect(await store.acquireLease(lease, 'projector-a', 400)).toBe(false);
        expect(await other.acquireLease(lease, 'projector-b', 400)).toBe(false);
        await wait(450);
        expect(await other.acquireLease(lease, 'projector-b', 400)).toBe(true);
        expect(await store.leaseHolder(lease)).toBe('projector-b');
      } finally {
        await other.close();
        await fixture.dropLeases!();
      }
    });

    it('tells who holds a running lease, and nobody once it is released or expired', async () => {
      const lease = `lease-${randomUUID()}`;
      expect(await store.leaseHolder(lease)).toBeNull();
      expect(await store.acquireLease(lease, 'projector-a', 150)).toBe(true);
      expect(await store.leaseHolder(lease)).toBe('projector-a');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await store.leaseHolder(lease)).toBeNull();
      expect(await store.acquireLease(lease, 'projector-b', 60_000)).toBe(true);
      await store.releaseLease(lease, 'projector-b');
      expect(await store.leaseHolder(lease)).toBeNull();
    });

    it('hands a running lease over at once when the caller names its holder as replaced (a dead holder), and only then', async () => {
      const lease = `lease-${randomUUID()}`;
      expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(true);
      // Naming another holder than the one that holds it takes nothing: a third instance got there first.
      expect(await store.acquireLease(lease, 'projector-b', 60_000, { replacing: 'projector-c' })).toBe(false);
      expect(await store.leaseHolder(lease)).toBe('projector-a');
      expect(await store.acquireLease(lease, 'projector-b', 60_000, { replacing: 'projector-a' })).toBe(true);
      expect(await store.leaseHolder(lease)).toBe('projector-b');
      // The replaced holder cannot come back before the new lease runs out, and the new holder renews as usual.
      expect(await store.acquireLease(lease, 'projector-a', 60_000)).toBe(false);
      expect(await store.acquireLease(lease, 'projector-b', 60_000, { replacing: 'projector-a' })).toBe(true);
      // Two standbys replacing the same dead holder: one gets it.
      const other = `lease-${randomUUID()}`;
      expect(await store.acquireLease(other, 'dead', 60_000)).toBe(true);
      const won = await Promise.all(['x', 'y', 'z'].map((holder) => store.acquireLease(other, holder, 60_000, { replacing: 'dead' })));
      expect(won.filter(Boolean)).toHaveLength(1);
      // Replacing a holder of a lease nobody holds takes it, as without.
      expect(await store.acquireLease(`lease-${randomUUID()}`, 'projector-b', 60_000, { replacing: 'projector-a' })).toBe(true);
    });

    describe('turns per key on its leases (SharedTurns: a file\'s, an engineer\'s; docs/adr/0019, 0012)', () => {
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      betweenProcesses('keeps the turns on one key apart between two processes, and lets other keys through', async () => {
        const other = await fixture.openAnother!();
        try {
          const prefix = `turn-${randomUUID()}`;
          const here = new SharedTurns(store, prefix);
          const there = new SharedTurns(other, prefix);
          let inside = 0;
          let most = 0;
          const work = async () => {
            inside += 1;
            most = Math.max(most, inside);
            await pause(20);
            inside -= 1;
          };
          await Promise.all(Array.from({ length: 8 }, (_, index) => (index % 2 === 0 ? here : there).inTurn('same-key', work)));
          expect(most).toBe(1);
          // A key held here does not hold another key there.
          let release = () => {};
          const holding = here.inTurn('held-key', () => new Promise<void>((resolve) => { release = resolve; }));
          await pause(20);
          await expect(there.inTurn('free-key', async () => 'through')).resolves.toBe('through');
          release();
          await holding;
        } finally {
          await other.close();
        }
      });

      it('refuses a turn whose key another holder keeps past the wait (TurnBusyError, its work not run), and gives it once a dead holder\'s lease runs out', async () => {
        const prefix = `turn-${randomUUID()}`;
        // A holder killed in its turn: it never releases, nobody renews.
        expect(await store.acquireLease(`${prefix}:key`, 'killed', 300)).toBe(true);
        let ran = false;
        await expect(new SharedTurns(store, prefix, { waitMs: 50 }).inTurn('key', async () => { ran = true; })).rejects.toBeInstanceOf(TurnBusyError);
        expect(ran).toBe(false);
        await expect(new SharedTurns(store, prefix, { waitMs: 5_000 }).inTurn('key', async () => 'after the lease ran out')).resolves.toBe('after the lease ran out');
        // Released at the end of the turn: the next taker has it at once.
        expect(await store.acquireLease(`${prefix}:key`, 'next', 60_000)).toBe(true);
      });

      it('renews the lease of a turn that outlasts its time to live, so nobody else takes the key meanwhile', async () => {
        const prefix = `turn-${randomUUID()}`;
        const long = new SharedTurns(store, prefix, { ttlMs: 150 }).inTurn('key', () => pause(600));
        await pause(400);
        await expect(new SharedTurns(store, prefix, { waitMs: 100 }).inTurn('key', async () => undefined)).rejects.toBeInstanceOf(TurnBusyError);
        await long;
      });
    });

    it('filters by equality, booleans, null, nested fields, membership and ranges', async () => {
      const all = await seed(30);
      const expectIds = async (filter: Parameters<ReadStore['find']>[1], predicate: (document: Ticket) => boolean) => {
        const page = await store.find<Ticket>(collection, { ...filter, sort: [{ field: 'receivedAt', direction: 'asc' }], limit: 100 });
        expect(ids(page.items)).toEqual(ids(all.filter(predicate)));
        expect(await store.count(collection, filter?.filter)).toBe(all.filter(predicate).length);
      };
      await expectIds({ filter: { status: 'open' } }, (document) => document.status === 'open');
      await expectIds({ filter: { open: false } }, (document) => !document.open);
      await expectIds({ filter: { owner: null } }, (document) => document.owner === null);
      await expectIds({ filter: { 'owner.department': 'ops' } }, (document) => document.owner?.department === 'ops');
      await expectIds({ filter: { priority: { in: [0, 4] } } }, (document) => [0, 4].includes(document.priority));
      await expectIds({ filter: { status: { in: [] } } }, () => false);
      await expectIds({ filter: { priority: { gte: 1, lt: 3 } } }, (document) => document.priority >= 1 && document.priority < 3);
      await expectIds(
        { filter: { receivedAt: { gte: '2026-01-05T00:00:00.000Z', lte: '2026-01-10T00:00:00.000Z' }, status: 'closed' } },
        (document) => document.receivedAt >= '2026-01-05T00:00:00.000Z' && document.receivedAt <= '2026-01-10T00:00:00.000Z' && document.status === 'closed',
      );
    });

    // The lists find what is not yet assigned by a filter on null (`?department=unassigned`): a document written before the field
    // was kept has no such field at all, and is as unassigned as one where it is null.
    it('finds by null the documents where the field is null or absent, on an indexed field and another, and pages them', async () => {
      const lists = `${collection}_unassigned`;
      await store.ensureCollections([{ name: lists, indexes: [['department', 'receivedAt']] }]);
      const documents = Array.from({ length: 12 }, (_, index) => {
        const { id, receivedAt } = ticket(index);
        const kept = index % 3 === 0 ? {} : { department: index % 3 === 1 ? null : 'ops', handler: index % 3 === 1 ? null : 'zhang' };
        return { id, receivedAt, ...kept } as ReadDocument;
      });
      await store.commit('unassigned', documents.map((document) => ({ kind: 'put' as const, collection: lists, document })), 1);
      const none = ids(documents.filter((document) => document['department'] === undefined || document['department'] === null)).reverse();
      for (const field of ['department', 'handler']) {
        const found = await store.find(lists, { filter: { [field]: null }, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 100 });
        expect({ field, found: ids(found.items) }).toEqual({ field, found: none });
        expect({ field, count: await store.count(lists, { [field]: null }) }).toEqual({ field, count: none.length });
        const first = await store.find(lists, { filter: { [field]: null }, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 5 });
        const rest = await store.find(lists, { filter: { [field]: null }, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 100, cursor: first.nextCursor! });
        expect({ field, paged: [...ids(first.items), ...ids(rest.items)] }).toEqual({ field, paged: none });
      }
      expect(await store.count(lists, { department: 'ops' })).toBe(12 - none.length);
    });

    it('sorts by several fields and pages with a cursor: no document missed or repeated, ties included', async () => {
      const all = await seed(47);
      const sort = [{ field: 'priority', direction: 'desc' as const }, { field: 'receivedAt', direction: 'asc' as const }];
      const expected = [...all].sort((a, b) => b.priority - a.priority || a.receivedAt.localeCompare(b.receivedAt));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.find<Ticket>(collection, { sort, limit: 10, cursor });
        seen.push(...ids(page.items));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(seen).toEqual(ids(expected));
      expect(pages).toBe(5);
    });

    it('pages a filtered, descending sort on equal values by id', async () => {
      await store.commit('seed', Array.from({ length: 12 }, (_, index) => ({ kind: 'put' as const, collection, document: ticket(index, { receivedAt: '2026-02-01T00:00:00.000Z', status: 'open' }) })), 1);
      const first = await store.find<Ticket>(collection, { filter: { status: 'open' }, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 5 });
      const second = await store.find<Ticket>(collection, { filter: { status: 'open' }, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 5, cursor: first.nextCursor! });
      const third = await store.find<Ticket>(collection, { filter: { status: 'open' }, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 5, cursor: second.nextCursor! });
      const all = [...first.items, ...second.items, ...third.items];
      expect(new Set(ids(all)).size).toBe(12);
      expect(third.nextCursor).toBeNull();
    });

    it('refuses invalid field names and cursors with InvalidQueryError', async () => {
      await expect(store.find(collection, { filter: { "x') OR 1=1 --": 1 } })).rejects.toBeInstanceOf(InvalidQueryError);
      await expect(store.find(collection, { sort: [{ field: '$where', direction: 'asc' }] })).rejects.toBeInstanceOf(InvalidQueryError);
      await expect(store.find(collection, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidQueryError);
      await expect(store.find('no_such_collection_here', {})).rejects.toBeInstanceOf(InvalidQueryError);
    });

    it('refuses a cursor written or changed by hand, or given by another sort, with InvalidQueryError', async () => {
      await seed(6);
      const sort = [{ field: 'receivedAt', direction: 'desc' }] as const;
      const given = (await store.find<Ticket>(collection, { sort, limit: 2 })).nextCursor!;
      const [value, id, check] = JSON.parse(Buffer.from(given, 'base64url').toString('utf8')) as [string, string, string];
      const written = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
      for (const cursor of [written(['2026', 'a']), written([value, id]), written(['2026', id, check]), written([value, 'other', check]), written([7, id, check]), given.slice(0, -3)]) {
        await expect(store.find(collection, { sort, cursor })).rejects.toBeInstanceOf(InvalidQueryError);
      }
      await expect(store.find(collection, { sort: [{ field: 'receivedAt', direction: 'asc' }], cursor: given })).rejects.toBeInstanceOf(InvalidQueryError);
      expect((await store.find<Ticket>(collection, { sort, limit: 2, cursor: given })).items).toHaveLength(2);
    });

    it('refuses a cursor whose check is a digest anyone can recompute: the check is keyed by the store', async () => {
      await seed(6);
      const sort = [{ field: 'receivedAt', direction: 'desc' }] as const;
      const values = ['zzz', 'x'];
      const digest = createHash('sha256').update(JSON.stringify([[['receivedAt', 'desc']], values])).digest('base64url').slice(0, 16);
      await expect(store.find(collection, { sort, cursor: Buffer.from(JSON.stringify([...values, digest])).toString('base64url') })).rejects.toBeInstanceOf(InvalidQueryError);
    });

    betweenProcesses('pages with a cursor another process on the same data gave, either way (one cursor key for the data)', async () => {
      await seed(6);
      const sort = [{ field: 'receivedAt', direction: 'desc' }] as const;
      const other = await fixture.openAnother!();
      try {
        const given = (await store.find<Ticket>(collection, { sort, limit: 2 })).nextCursor!;
        const there = await other.find<Ticket>(collection, { sort, limit: 2, cursor: given });
        expect(there.items).toEqual((await store.find<Ticket>(collection, { sort, limit: 2, cursor: given })).items);
        expect((await store.find<Ticket>(collection, { sort, limit: 2, cursor: there.nextCursor! })).items).toHaveLength(2);
      } finally {
        await other.close();
      }
    });

    betweenProcesses('pages with a cursor another process gave after the cursor key was deleted while this one ran (the key is read at use)', async () => {
      await seed(6);
      const sort = [{ field: 'receivedAt', direction: 'desc' }] as const;
      expect((await store.find<Ticket>(collection, { sort, limit: 2 })).nextCursor).not.toBeNull();
      expect(fixture.dropCursorKey).toBeDefined();
      await fixture.dropCursorKey!();
      // Opened after the deletion, the other makes a new key: both must sign and check with it.
      const other = await fixture.openAnother!();
      try {
        const given = (await other.find<Ticket>(collection, { sort, limit: 2 })).nextCursor!;
        const here = await store.find<Ticket>(collection, { sort, limit: 2, cursor: given });
        expect(here.items).toHaveLength(2);
        expect((await other.find<Ticket>(collection, { sort, limit: 2, cursor: here.nextCursor! })).items).toHaveLength(2);
      } finally {
        await other.close();
      }
    });

    it('switches the live generation atomically and drops an old one with all its collections', async () => {
      const oldGeneration = `tickets_v1_${randomUUID().slice(0, 8)}`;
      const newGeneration = `tickets_v2_${randomUUID().slice(0, 8)}`;
      const [oldA, oldB, fresh] = [generationCollection(oldGeneration, 'a'), generationCollection(oldGeneration, 'b'), generationCollection(newGeneration, 'a')];
      await store.ensureCollections([{ name: oldA }, { name: oldB }, { name: fresh }]);
      await store.commit(oldGeneration, [{ kind: 'put', collection: oldA, document: ticket(1) }, { kind: 'put', collection: oldB, document: ticket(2) }], 3);
      await store.commit(newGeneration, [{ kind: 'put', collection: fresh, document: ticket(1) }], 3);
      await store.activateGeneration('tickets', oldGeneration);
      expect((await store.liveGenerations())['tickets']).toBe(oldGeneration);
      await store.activateGeneration('tickets', newGeneration);
      expect((await store.liveGenerations())['tickets']).toBe(newGeneration);
      await store.dropGeneration(oldGeneration);
      expect(await store.checkpoint(oldGeneration)).toBe(0);
      // Its collections are gone; this store read it as live, so a read of them raced the switch (the case below).
      await expect(store.get(oldA, 't-001')).rejects.toBeInstanceOf(ReadModelRebuildingError);
      await expect(store.get(oldB, 't-002')).rejects.toBeInstanceOf(ReadModelRebuildingError);
      expect(await store.missingCollections([oldA, oldB])).toEqual([oldA, oldB]);
      expect(await store.get(fresh, 't-001')).toEqual(ticket(1));
      expect(await store.checkpoint(newGeneration)).toBe(3);
    });

    // The projector switches a read model to its new generation and drops the old one at once (docs/adr/0005). A read that
    // resolved the old generation's collection just before the switch and reads it just after the drop found no table: it was
    // told 400 "unknown collection", as if its query were wrong. The generation was live when this store last saw it: the read
    // model moved on, so the read says so (503 read-model-rebuilding, try again) and a second try reads the new generation.
    it('answers a read of a generation this store saw live, switched and dropped since (by this or another process), as the read model moving on, not an unknown collection', async () => {
      const readModel = `switched${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const [g1, g2] = [`${readModel}_v1`, `${readModel}_v2`];
      const [old, fresh] = [generationCollection(g1, 'tickets'), generationCollection(g2, 'tickets')];
      const other = fixture.openAnother === undefined ? store : await fixture.openAnother();
      try {
        await other.ensureCollections([{ name: old, indexes: [['status']] }, { name: fresh }]);
        await other.commit(g1, [{ kind: 'put', collection: old, document: ticket(1) }], 3);
        await other.commit(g2, [{ kind: 'put', collection: fresh, document: ticket(1) }, { kind: 'put', collection: fresh, document: ticket(2) }], 3);
        await other.activateGeneration(readModel, g1);
        // Store A resolves the live generation and reads it, as a query does.
        expect((await store.liveGenerations())[readModel]).toBe(g1);
        expect(await store.count(old)).toBe(1);
        // The projector (another process where the store has one) switches and drops the old generation.
        await other.activateGeneration(readModel, g2);
        await other.dropGeneration(g1);
        for (const read of [() => store.find(old), () => store.find(old, { filter: { status: 'open' } }), () => store.get(old, 't-001'), () => store.getMany(old, ['t-001']), () => store.count(old)]) {
          const error: unknown = await read().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(ReadModelRebuildingError);
          expect(error).toMatchObject({ readModel, collection: old, building: undefined });
          expect((error as Error).message).toMatch(new RegExp(`${g2}.*try again`));
        }
        // The next read resolves the new generation and reads it.
        expect(generationCollection((await store.liveGenerations())[readModel]!, 'tickets')).toBe(fresh);
        expect(await store.count(fresh)).toBe(2);
        // A generation of the read model that was never live here is still unknown.
        await expect(store.find(generationCollection(`${readModel}_v0`, 'tickets'))).rejects.toBeInstanceOf(InvalidQueryError);
      } finally {
        if (other !== store) await other.close();
      }
    });

    it('names the collections it does not have: none made yet, or dropped with their generation', async () => {
      const generation = `tickets_v1_${randomUUID().slice(0, 8)}`;
      const [a, b] = [generationCollection(generation, 'a'), generationCollection(generation, 'b')];
      expect(await store.missingCollections([a, b])).toEqual([a, b]);
      await store.ensureCollections([{ name: a }]);
      expect(await store.missingCollections([a, b])).toEqual([b]);
      await store.dropGeneration(generation);
      expect(await store.missingCollections([a, b])).toEqual([a, b]);
    });

    it('answers the live generations as a copy of its own: a caller that changes the answer changes nothing stored', async () => {
      const generation = `tickets_v1_${randomUUID().slice(0, 8)}`;
      await store.activateGeneration('tickets', generation);
      const answer = await store.liveGenerations();
      answer['tickets'] = 'tampered';
      delete answer['tickets'];
      answer['other'] = 'tampered';
      const again = await store.liveGenerations();
      expect(again['tickets']).toBe(generation);
      expect(again['other']).toBeUndefined();
    });

    // A live collection dropped by hand (docs/adr/0005): every read of it says the read model is being rebuilt (503
    // read-model-rebuilding) until the projector has made it again, where MongoDB answered nothing at all (a silent empty list)
    // to a process that had read it, and an unknown collection to one that had not. A process that never saw it cannot tell it
    // from a collection a new version adds until the projector's rebuild record names it.
    withCollectionDrop('answers every read of a live collection dropped by hand as the read model being rebuilt, in a process that saw it and, once the rebuild is recorded, in one that did not', async () => {
      const readModel = `rebuilt${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const generation = `${readModel}_v2`;
      const name = generationCollection(generation, 'tickets');
      await store.ensureCollections([{ name, indexes: [['status']] }]);
      await store.activateGeneration(readModel, generation);
      await store.commit(generation, [{ kind: 'put', collection: name, document: ticket(1) }, { kind: 'put', collection: name, document: ticket(2) }], 3, { expectedPosition: 0 });
      expect(await store.count(name)).toBe(2);
      const other = await fixture.openAnother!();
      try {
        await fixture.dropCollection!(name);
        const rebuilding = async (read: () => Promise<unknown>) => {
          const error: unknown = await read().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(ReadModelRebuildingError);
          expect(error).toMatchObject({ readModel, collection: name });
          expect((error as Error).message).toMatch(/rebuilt from the event log.*try again/);
        };
        for (const read of [() => store.find(name), () => store.find(name, { filter: { status: 'open' } }), () => store.get(name, 't-001'), () => store.get(name, 't-404'),
          () => store.getMany(name, ['t-001', 't-002']), () => store.count(name), () => store.count(name, { status: 'closed' })]) await rebuilding(read);
        // Never seen by this one: no different from a collection a new version adds, until the rebuild is recorded.
        await expect(other.count(name)).rejects.toBeInstanceOf(InvalidQueryError);
        await store.ensureCollections([{ name: READ_MODEL_REBUILDS }]);
        await store.commit(`rebuilds-${readModel}`, [{ kind: 'put', collection: READ_MODEL_REBUILDS, document: { id: readModel, projection: readModel, generation, collections: [name] } }], 1);
        for (const read of [() => other.count(name), () => other.find(name), () => store.get(name, 't-001')]) await rebuilding(read);
        // A collection of no live generation is still unknown.
        await expect(store.find(generationCollection(`${readModel}_v1`, 'tickets'))).rejects.toBeInstanceOf(InvalidQueryError);
        // As the projector rebuilds it: dropped with its generation, made again, filled from the log; read as what is rebuilt so far.
        await store.dropGeneration(generation);
        await store.ensureCollections([{ name, indexes: [['status']] }]);
        expect((await store.find(name)).items).toEqual([]);
        expect(await other.get(name, 't-001')).toBeUndefined();
        expect(await other.count(name)).toBe(0);
        await store.commit(generation, [{ kind: 'put', collection: name, document: ticket(1) }], 3, { expectedPosition: 0 });
        expect(await other.get(name, 't-001')).toEqual(ticket(1));
        expect(ids((await store.find(name)).items)).toEqual(['t-001']);
      } finally {
        await other.close();
      }
    });

    betweenProcesses('sees a generation switched by another process at its next read (as `cli replay` switches one)', async () => {
      const other = await fixture.openAnother!();
      try {
        const [first, second, third] = ['v1', 'v2', 'v3'].map((version) => `tickets_${version}_${randomUUID().slice(0, 8)}`);
        await store.activateGeneration('tickets', first!);
        expect((await store.liveGenerations())['tickets']).toBe(first);
        expect((await other.liveGenerations())['tickets']).toBe(first);
        await other.activateGeneration('tickets', second!);
        expect((await store.liveGenerations())['tickets']).toBe(second);
        // A write of the other process that switches nothing, then a switch by this one: each sees the other's.
        await other.commit('unrelated', [{ kind: 'put', collection, document: ticket(1) }], 1);
        expect((await store.liveGenerations())['tickets']).toBe(second);
        await store.activateGeneration('tickets', third!);
        expect((await store.liveGenerations())['tickets']).toBe(third);
        expect((await other.liveGenerations())['tickets']).toBe(third);
        await other.activateGeneration('orders', first!);
        expect(await store.liveGenerations()).toEqual({ tickets: third, orders: first });
      } finally {
        await other.close();
      }
    });

    betweenProcesses('refuses a commit into a generation that another process dropped, instead of bringing it back', async () => {
      const other = await fixture.openAnother!();
      try {
        const generation = `dropped_v1_${randomUUID().slice(0, 8)}`;
        const name = generationCollection(generation, 'a');
        await store.ensureCollections([{ name }]);
        await store.commit(generation, [{ kind: 'put', collection: name, document: ticket(1) }], 3, { expectedPosition: 0 });
        expect(await store.get(name, 't-001')).toEqual(ticket(1));
        await other.dropGeneration(generation);
        // A commit under another checkpoint, which no fence of this generation stops.
        const elsewhere = `elsewhere-${generation}`;
        await expect(store.commit(elsewhere, [{ kind: 'put', collection: name, document: ticket(2) }], 4)).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.commit(generation, [{ kind: 'put', collection: name, document: ticket(2) }], 4, { expectedPosition: 3 })).rejects.toThrow();
        await expect(other.get(name, 't-002')).rejects.toBeInstanceOf(InvalidQueryError);
        expect(await other.checkpoint(elsewhere)).toBe(0);
        expect(await other.checkpoint(generation)).toBe(0);
        // Created again on purpose, it is empty and takes commits from either store.
        await other.ensureCollections([{ name }]);
        await store.commit(generation, [{ kind: 'put', collection: name, document: ticket(5) }], 1, { expectedPosition: 0 });
        expect(await other.get(name, 't-005')).toEqual(ticket(5));
        expect(await other.get(name, 't-001')).toBeUndefined();
      } finally {
        await other.close();
      }
    });

    it('answers the same queries on a collection created without its indexes, and keeps its documents when they are added', async () => {
      const bare = `${collection}_bare`;
      await store.ensureCollections([{ name: bare, indexes: [['status', 'receivedAt'], ['priority']] }], { indexes: false });
      const documents = Array.from({ length: 12 }, (_, index) => ticket(index));
      await store.commit('bare', documents.map((document) => ({ kind: 'put' as const, collection: bare, document })), 1);
      await store.commit('indexed', documents.map((document) => ({ kind: 'put' as const, collection, document })), 1);
      const query = { filter: { status: 'open', priority: { gte: 1 } }, sort: [{ field: 'receivedAt', direction: 'desc' as const }], limit: 3 };
      const expected = await store.find(collection, query);
      expect(expected.items.length).toBeGreaterThan(0);
      expect(await store.find(bare, query)).toEqual(expected);
      await store.ensureCollections([{ name: bare, indexes: [['status', 'receivedAt'], ['priority']] }]);
      expect(await store.find(bare, query)).toEqual(expected);
      expect(await store.count(bare)).toBe(12);
    });

    it('drops only its own generation, not another whose name starts with the same text', async () => {
      const own = `g${randomUUID().slice(0, 8)}`;
      const longer = `${own}__x_v1`;
      const [ownCollection, longerCollection] = [generationCollection(own, 'items'), generationCollection(longer, 'items')];
      await store.ensureCollections([{ name: ownCollection }, { name: longerCollection }]);
      await store.commit(own, [{ kind: 'put', collection: ownCollection, document: ticket(1) }], 1);
      await store.commit(longer, [{ kind: 'put', collection: longerCollection, document: ticket(2) }], 1);
      await store.dropGeneration(own);
      await expect(store.get(ownCollection, ticket(1).id)).rejects.toBeInstanceOf(InvalidQueryError);
      expect(await store.get(longerCollection, ticket(2).id)).toEqual(ticket(2));
      expect(await store.checkpoint(longer)).toBe(1);
    });

    it('creates collections idempotently', async () => {
      await store.commit('x', [{ kind: 'put', collection, document: ticket(1) }], 1);
      await store.ensureCollections([{ name: collection, indexes: [['status', 'receivedAt'], ['priority']] }]);
      expect(await store.count(collection)).toBe(1);
    });

    describe('list fields (CollectionSpec.arrays: a complaint\'s tags)', () => {
      const tagged = (index: number): ReadDocument => ({
        id: `l-${String(index).padStart(3, '0')}`, receivedAt: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
        // 0: none; 1: absent; 2: null; then one to three of vip, 退款, 7 (a number), the value "vip,x" that is not vip.
        ...(index === 1 ? {} : { tags: index === 0 ? [] : index === 2 ? null : [['vip'], ['退款', 'vip'], [7, 'vip,x'], ['vip,x'], ['退款']][index % 5] }),
      });
      const newest = async (name: string, filter: Parameters<ReadStore['count']>[1]) =>
        (await store.find(name, { filter, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 3 })).items.map((document) => document.id);
      const walk = async (name: string, filter: Parameters<ReadStore['count']>[1]) => {
        const found: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.find(name, { filter, sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 3, ...(cursor ? { cursor } : {}) });
          found.push(...page.items.map((document) => document.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return found;
      };
      const holding = (count: number, value: string | number) => Array.from({ length: count }, (_, index) => tagged(index))
        .filter((document) => Array.isArray(document['tags']) && (document['tags'] as unknown[]).includes(value)).map((document) => document.id).reverse();

      it('finds a document by one value its list holds (equality, in), pages and counts them, and reads it back as written', async () => {
        const lists = `lists_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: lists, indexes: [['receivedAt']], arrays: ['tags'] }]);
        await store.commit('lists', Array.from({ length: 23 }, (_, index) => ({ kind: 'put' as const, collection: lists, document: tagged(index) })), 1);
        expect(await walk(lists, { tags: 'vip' })).toEqual(holding(23, 'vip'));
        expect(await walk(lists, { tags: '退款' })).toEqual(holding(23, '退款'));
        expect(await walk(lists, { tags: 7 })).toEqual(holding(23, 7));
        expect(await store.count(lists, { tags: 'vip' })).toBe(holding(23, 'vip').length);
        expect(await store.count(lists, { tags: 'vi' })).toBe(0);
        expect(await newest(lists, { tags: { in: ['退款', 7] } })).toEqual([...new Set([...holding(23, '退款'), ...holding(23, 7)])].sort().reverse().slice(0, 3));
        expect(await store.count(lists, { tags: { in: [] } })).toBe(0);
        expect(await store.get(lists, 'l-007')).toEqual(tagged(7));
        expect(await store.get(lists, 'l-001')).toEqual(tagged(1));
        // A change of the list is seen at once; a deleted document is found no more.
        await store.commit('lists', [{ kind: 'put', collection: lists, document: { ...tagged(4), tags: ['vip'] } }, { kind: 'delete', collection: lists, id: 'l-010' }], 2);
        expect(await store.count(lists, { tags: 'vip' })).toBe(holding(23, 'vip').filter((id) => id !== 'l-010').length + 1);
      });

      it('refuses a list that is not a list of strings or numbers, a null or range filter on one, and a sort by one', async () => {
        const lists = `lists_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: lists, indexes: [['receivedAt']], arrays: ['tags'] }]);
        for (const tags of ['vip', [{ tag: 'vip' }], [null], { vip: true }]) {
          await expect(store.commit('lists', [{ kind: 'put', collection: lists, document: { id: 'bad', tags } }], 1)).rejects.toBeInstanceOf(InvalidDocumentError);
        }
        expect(await store.count(lists)).toBe(0);
        await store.commit('lists', [{ kind: 'put', collection: lists, document: tagged(3) }], 1);
        for (const filter of [{ tags: null }, { tags: { gte: 'a' } }, { tags: { in: ['vip', null] } }, { tags: true }]) {
          await expect(store.find(lists, { filter })).rejects.toThrow(/tags is a list/);
        }
        await expect(store.find(lists, { sort: [{ field: 'tags', direction: 'asc' }] })).rejects.toBeInstanceOf(InvalidQueryError);
        for (const wrong of [['owner.tags'], ['id']]) {
          await expect(store.ensureCollections([{ name: `lists_${randomUUID().replace(/-/g, '')}`, arrays: wrong }])).rejects.toBeInstanceOf(InvalidQueryError);
        }
      });

      it('declared on a collection that holds documents already: they are found by their values, with no new collection', async () => {
        const lists = `lists_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: lists, indexes: [['receivedAt']] }]);
        await store.commit('lists', Array.from({ length: 23 }, (_, index) => ({ kind: 'put' as const, collection: lists, document: tagged(index) })), 1);
        await store.ensureCollections([{ name: lists, indexes: [['receivedAt']], arrays: ['tags'] }]);
        expect(await walk(lists, { tags: 'vip' })).toEqual(holding(23, 'vip'));
        expect(await store.count(lists, { tags: { in: [7] } })).toBe(holding(23, 7).length);
        await store.commit('lists', [{ kind: 'put', collection: lists, document: { ...tagged(24), tags: ['vip'] } }], 2);
        expect(await newest(lists, { tags: 'vip' })).toEqual(['l-024', ...holding(23, 'vip').slice(0, 2)]);
      });

      it('finds a document by a value of a list that is not declared too (slower), and by other fields as before', async () => {
        const lists = `lists_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: lists, indexes: [['receivedAt']] }]);
        await store.commit('lists', Array.from({ length: 23 }, (_, index) => ({ kind: 'put' as const, collection: lists, document: tagged(index) })), 1);
        expect(await walk(lists, { tags: 'vip' })).toEqual(holding(23, 'vip'));
        expect(await store.count(lists, { tags: { in: ['退款', 7] } })).toBe(new Set([...holding(23, '退款'), ...holding(23, 7)]).size);
        expect(await store.count(lists, { tags: null })).toBe(2);
        expect(await store.count(lists, { receivedAt: tagged(3)['receivedAt'] as string })).toBe(1);
      });

      betweenProcesses('another connection finds by a list declared after it first read the collection', async () => {
        const lists = `lists_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: lists, indexes: [['receivedAt']] }]);
        await store.commit('lists', Array.from({ length: 23 }, (_, index) => ({ kind: 'put' as const, collection: lists, document: tagged(index) })), 1);
        const reader = await fixture.openAnother!();
        try {
          expect(await reader.count(lists)).toBe(23);
          await store.ensureCollections([{ name: lists, indexes: [['receivedAt']], arrays: ['tags'] }]);
          expect(await reader.count(lists, { tags: 'vip' })).toBe(holding(23, 'vip').length);
        } finally {
          await reader.close();
        }
      });
    });

    describe('typed rows (a collection with columns)', () => {
      interface Visit extends ReadDocument {
        position: number;
        actorId: string;
        reason: string | null;
        score: number;
        urgent: boolean;
        occurredAt: string;
      }
      const columns = {
        position: { type: 'integer' }, actorId: { type: 'text' }, reason: { type: 'text', nullable: true }, score: { type: 'real' }, urgent: { type: 'boolean' }, occurredAt: { type: 'text' },
      } as const;
      let visits: string;
      const visit = (index: number, overrides: Partial<Visit> = {}): Visit => ({
        id: `v-${String(index).padStart(4, '0')}`, position: index, actorId: `agent-${index % 3}`, reason: index % 2 === 0 ? null : `理由 ${index}`,
        score: index / 4, urgent: index % 5 === 0, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(), ...overrides,
      });
      const put = (document: ReadDocument) => ({ kind: 'put' as const, collection: visits, document });
      beforeEach(async () => {
        visits = `visits_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: visits, indexes: [['actorId', 'occurredAt'], ['urgent']], columns }]);
      });

      it('gives back every row as written, its fields in the columns\' order, whatever the order of the writes', async () => {
        const rows = Array.from({ length: 1_203 }, (_, index) => visit(index));
        // One commit of more rows than any one statement holds, the fields of some in another order, a row written twice and one deleted.
        await store.commit('visits', [
          ...rows.map((row, index) => put(index % 7 === 0 ? Object.fromEntries(Object.entries(row).reverse()) as Visit : row)),
          put(visit(5, { reason: '改了' })), { kind: 'delete', collection: visits, id: 'v-0006' }, put(visit(6, { score: 0.5 })), { kind: 'delete', collection: visits, id: 'v-0007' },
        ], 1);
        expect(await store.checkpoint('visits')).toBe(1);
        expect(await store.count(visits)).toBe(1_202);
        const read = await store.get<Visit>(visits, 'v-0014');
        expect(read).toEqual(visit(14));
        expect(Object.keys(read!)).toEqual(['id', ...Object.keys(columns)]);
        expect(await store.get(visits, 'v-0005')).toEqual(visit(5, { reason: '改了' }));
        expect(await store.get(visits, 'v-0006')).toEqual(visit(6, { score: 0.5 }));
        expect(await store.get(visits, 'v-0007')).toBeUndefined();
        const many = await store.getMany<Visit>(visits, ['v-0000', 'v-0001', 'v-0007', 'v-1202']);
        expect([...many.values()]).toEqual(expect.arrayContaining([visit(0), visit(1), visit(1202)]));
        expect(many.size).toBe(3);
        // The content hashes of the read models are JSON over pages sorted by id: the same bytes as written.
        const page = await store.find<Visit>(visits, { sort: [{ field: 'id', direction: 'asc' }], limit: 3 });
        expect(page.items.map((row) => JSON.stringify(row))).toEqual([visit(0), visit(1), visit(2)].map((row) => JSON.stringify(row)));
      });

      it('filters, sorts and pages on its columns, booleans and null included', async () => {
        await store.commit('visits', Array.from({ length: 40 }, (_, index) => put(visit(index))), 1);
        const all = async (options: Parameters<ReadStore['find']>[1]) => {
          const found: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.find<Visit>(visits, { ...options, limit: 7, ...(cursor ? { cursor } : {}) });
            found.push(...page.items.map((row) => row.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          return found;
        };
        const expected = (keep: (row: Visit) => boolean) => Array.from({ length: 40 }, (_, index) => visit(index)).filter(keep);
        expect(await all({ filter: { actorId: 'agent-1' }, sort: [{ field: 'occurredAt', direction: 'desc' }] }))
          .toEqual(expected((row) => row.actorId === 'agent-1').reverse().map((row) => row.id));
        expect(await all({ filter: { urgent: true } })).toEqual(expected((row) => row.urgent).map((row) => row.id));
        expect(await store.count(visits, { reason: null })).toBe(20);
        expect(await store.count(visits, { position: { gte: 10, lt: 20 }, score: { gt: 4 } })).toBe(3);
        expect(await all({ filter: { actorId: { in: ['agent-0', 'agent-2'] } }, sort: [{ field: 'score', direction: 'asc' }] }))
          .toEqual(expected((row) => row.actorId !== 'agent-1').map((row) => row.id));
      });

      it('refuses a row with a missing, an extra or a mistyped field, and writes nothing of its commit', async () => {
        await store.commit('visits', [put(visit(1))], 1);
        const { reason: _reason, ...missing } = visit(3);
        const wrong: ReadDocument[] = [
          missing as ReadDocument, { ...visit(3), note: 'not a column' }, visit(3, { position: 1.5 }), visit(3, { position: '3' as unknown as number }),
          visit(3, { actorId: null as unknown as string }), visit(3, { urgent: 1 as unknown as boolean }), visit(3, { score: Number.NaN }),
          visit(3, { occurredAt: { at: 'x' } as unknown as string }), { ...visit(3), id: 3 as unknown as string },
        ];
        for (const document of wrong) {
          await expect(store.commit('visits', [put(visit(2)), put(document)], 2)).rejects.toBeInstanceOf(InvalidDocumentError);
        }
        expect(await store.get(visits, 'v-0002')).toBeUndefined();
        expect(await store.checkpoint('visits')).toBe(1);
      });

      it('refuses a query on a field that is not a column, and columns it cannot hold', async () => {
        await expect(store.find(visits, { filter: { note: 'x' } })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.find(visits, { sort: [{ field: 'nested.field', direction: 'asc' }] })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.count(visits, { note: 'x' })).rejects.toBeInstanceOf(InvalidQueryError);
        const name = `visits_${randomUUID().replace(/-/g, '')}`;
        for (const spec of [
          { name, columns: { 'a.b': { type: 'text' } } }, { name, columns: { id: { type: 'text' } } }, { name, columns: {} },
          { name, columns: { a: { type: 'json' } } }, { name, columns: { a: { type: 'text' } }, text: ['a'] }, { name, columns: { a: { type: 'text' } }, indexes: [['b']] },
        ] as const) {
          await expect(store.ensureCollections([spec as never])).rejects.toBeInstanceOf(InvalidQueryError);
        }
      });

      it('answers the same on a sparse field (an index of its values, its nulls left out), and refuses one that leads no index', async () => {
        const sparse = `visits_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: sparse, indexes: [['occurredAt'], ['reason', 'occurredAt']], sparse: ['reason'], columns }]);
        await store.commit('sparse', Array.from({ length: 30 }, (_, index) => ({ kind: 'put' as const, collection: sparse, document: visit(index, { reason: index % 10 === 3 ? `理由 ${index % 2}` : null }) })), 1);
        const ids = async (filter: Parameters<ReadStore['count']>[1]) => (await store.find<Visit>(sparse, { filter, sort: [{ field: 'occurredAt', direction: 'desc' }], limit: 100 })).items.map((row) => row.id);
        expect(await ids({ reason: '理由 1' })).toEqual(['v-0023', 'v-0013', 'v-0003']);
        expect(await ids({ reason: { in: ['理由 1', '没有'] } })).toEqual(['v-0023', 'v-0013', 'v-0003']);
        expect(await store.count(sparse, { reason: null })).toBe(27);
        expect((await ids({ reason: null })).slice(0, 3)).toEqual(['v-0029', 'v-0028', 'v-0027']);
        expect((await store.find<Visit>(sparse, { sort: [{ field: 'reason', direction: 'asc' }, { field: 'id', direction: 'asc' }], limit: 100 })).items.map((row) => row.id).slice(-3)).toEqual(['v-0003', 'v-0013', 'v-0023']);
        for (const wrong of [['score'], ['reason'], ['id']]) {
          await expect(store.ensureCollections([{ name: `visits_${randomUUID().replace(/-/g, '')}`, indexes: [['occurredAt'], ['actorId', 'reason']], sparse: wrong, columns }])).rejects.toBeInstanceOf(InvalidQueryError);
        }
      });

      it('answers a column of instants as the same strings in a text column would: values, filters, ranges, sorts and pages', async () => {
        const asText = `visits_${randomUUID().replace(/-/g, '')}`;
        const asInstant = `visits_${randomUUID().replace(/-/g, '')}`;
        const instantColumns = { ...columns, occurredAt: { type: 'instant' }, reason: { type: 'instant', nullable: true } } as const;
        await store.ensureCollections([
          { name: asText, indexes: [['actorId', 'occurredAt'], ['occurredAt']], columns },
          { name: asInstant, indexes: [['actorId', 'occurredAt'], ['occurredAt']], columns: instantColumns },
        ]);
        // Instants as toISOString writes them (a year 0 and a 9999 among them), several to the millisecond, and strings that are not one.
        const odd = ['2026-01-05T08:00:00+08:00', '2026-01-01', '123', 'yesterday', '', '2026-02-30T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'];
        const instants = [
          ...Array.from({ length: 40 }, (_, index) => new Date(Date.UTC(2026, 0, 1, 0, index * 7, index % 3, index % 11)).toISOString()),
          '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
        ];
        const rows = (values: readonly string[]) => values.map((at, index) => visit(index, { occurredAt: at, reason: index % 4 === 0 ? null : values[(index * 7) % values.length]! }));
        const pages = async (collection: string, options: Parameters<ReadStore['find']>[1]) => {
          const found: Visit[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.find<Visit>(collection, { ...options, limit: 4, ...(cursor ? { cursor } : {}) });
            found.push(...page.items);
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          return found;
        };
        const bounds = ['', '2026', '2026-01-01', '2026-01-01T00:00:00.000Z', '2026-01-01T01:10', instants[7]!, '2026-01-05T08:00:00+08:00', '2026-01-05T08', '9999-12-31T23:59:59.999Z', 'z', '1970'];
        const filters: Array<Parameters<ReadStore['count']>[1]> = [
          ...bounds.flatMap((bound) => [{ occurredAt: { gte: bound } }, { occurredAt: { gt: bound } }, { occurredAt: { lt: bound } }, { occurredAt: { lte: bound } }]),
          { occurredAt: { gte: '2026-01-01T01', lt: '2026-01-02' } }, { occurredAt: instants[3]! }, { occurredAt: { in: [instants[5]!, 'yesterday', '2026-01-01'] } },
          { reason: null }, { reason: { gte: '' } }, { actorId: 'agent-1', occurredAt: { gte: instants[10]! } },
        ];
        for (const values of [instants, [...instants, ...odd]]) {
          await store.commit('instants', [...rows(values).map((row) => ({ kind: 'put' as const, collection: asText, document: row })), ...rows(values).map((row) => ({ kind: 'put' as const, collection: asInstant, document: row }))], 1);
          expect(await store.get(asInstant, 'v-0003')).toEqual(await store.get(asText, 'v-0003'));
          expect(JSON.stringify(await pages(asInstant, { sort: [{ field: 'id', direction: 'asc' }] }))).toEqual(JSON.stringify(await pages(asText, { sort: [{ field: 'id', direction: 'asc' }] })));
          // Ranges where every value is an instant; equality, in and null whatever the values (the order of other strings is the store's).
          for (const filter of values === instants ? filters : filters.filter((candidate) => !Object.values(candidate ?? {}).some((condition) => condition !== null && typeof condition === 'object' && !('in' in condition)))) {
            const ids = async (collection: string) => (await pages(collection, { filter, sort: [{ field: 'id', direction: 'asc' }] })).map((row) => row.id);
            expect({ filter, ids: await ids(asInstant) }).toEqual({ filter, ids: await ids(asText) });
            expect({ filter, count: await store.count(asInstant, filter) }).toEqual({ filter, count: await store.count(asText, filter) });
          }
          if (values !== instants) continue;
          // Sorted, and paged through a cursor, as the text sorts (instants of four-digit years sort as their text does).
          for (const direction of ['asc', 'desc'] as const) {
            for (const options of <Array<Parameters<ReadStore['find']>[1]>>[{ sort: [{ field: 'occurredAt', direction }] }, { filter: { actorId: 'agent-2' }, sort: [{ field: 'occurredAt', direction }] }, { filter: { occurredAt: { lt: '2026-01-01T02' } }, sort: [{ field: 'occurredAt', direction }] }]) {
              expect(JSON.stringify(await pages(asInstant, options))).toEqual(JSON.stringify(await pages(asText, options)));
            }
          }
        }
        // It holds strings, as a text column does.
        for (const wrong of [visit(1, { occurredAt: Date.UTC(2026, 0, 1) as unknown as string }), visit(1, { occurredAt: null as unknown as string })]) {
          await expect(store.commit('instants', [{ kind: 'put', collection: asInstant, document: wrong }], 2)).rejects.toBeInstanceOf(InvalidDocumentError);
        }
      });

      it('is a generation like any other: built without its indexes, answered the same once they exist, dropped with its generation', async () => {
        const generation = `g${randomUUID().slice(0, 8)}`;
        const rows = generationCollection(generation, 'visits');
        const spec = { name: rows, indexes: [['actorId', 'occurredAt']], columns };
        await store.ensureCollections([spec], { indexes: false });
        await store.commit(generation, [3, 4, 5].map((index) => ({ kind: 'put' as const, collection: rows, document: visit(index) })), 5);
        const agent = async () => (await store.find<Visit>(rows, { filter: { actorId: 'agent-0' } })).items;
        expect(await agent()).toEqual([visit(3)]);
        await store.ensureCollections([spec]);
        expect(await agent()).toEqual([visit(3)]);
        await store.dropGeneration(generation);
        await expect(store.get(rows, visit(3).id)).rejects.toBeInstanceOf(InvalidQueryError);
      });

      betweenProcesses('is read and written with its columns by another process that did not declare them', async () => {
        await store.commit('visits', [put(visit(1))], 1);
        const other = await fixture.openAnother!();
        try {
          expect(await other.get(visits, 'v-0001')).toEqual(visit(1));
          await other.commit('visits', [{ kind: 'put', collection: visits, document: visit(2, { urgent: true }) }], 2, { expectedPosition: 1 });
          expect((await store.find<Visit>(visits, { filter: { urgent: true } })).items).toEqual([visit(2, { urgent: true })]);
        } finally {
          await other.close();
        }
      });
    });

    describe('text search', () => {
      interface Card extends ReadDocument {
        name: string | null;
        receivedAt: string;
        department: string;
        contact: { phone: string } | null;
        tags: string[];
        note: string;
      }
      let cards: string;
      const card = (id: string, overrides: Partial<Card> = {}): Card => ({
        id, name: null, receivedAt: '2026-01-01T00:00:00.000Z', department: 'ops', contact: null, tags: [], note: 'not searched', ...overrides,
      });
      const put = (document: Card) => ({ kind: 'put' as const, collection: cards, document });
      const found = async (text: string, options: { filter?: Record<string, string>; limit?: number; cursor?: string } = {}) =>
        (await store.find<Card>(cards, { text, sort: [{ field: 'receivedAt', direction: 'desc' }], ...options })).items.map((document) => document.id);
      beforeEach(async () => {
        cards = `cards_${randomUUID().replace(/-/g, '')}`;
        await store.ensureCollections([{ name: cards, indexes: [['department', 'receivedAt']], text: ['name', 'contact.phone', 'tags'] }]);
        await store.commit('cards', [
          put(card('c1', { name: '李女士', contact: { phone: '138-0024-1234' }, tags: ['发票', 'VIP'], receivedAt: '2026-01-03T00:00:00.000Z' })),
          put(card('c2', { name: '张伟', department: 'quality', receivedAt: '2026-01-02T00:00:00.000Z' })),
          put(card('c3', { name: 'Mr. Wang Li', note: '李女士', contact: { phone: '13900241234' }, receivedAt: '2026-01-01T00:00:00.000Z' })),
        ], 1);
      });

      it('finds a substring of any text field, in Chinese of any length and in English whatever the case', async () => {
        expect(await found('李')).toEqual(['c1']); // one character: c3 holds 李 only in a field that is not searched
        expect(await found('张伟')).toEqual(['c2']);
        expect(await found('李女士')).toEqual(['c1']);
        expect(await found('wang')).toEqual(['c3']);
        expect(await found('MR. WANG')).toEqual(['c3']);
        expect(await found('0024')).toEqual(['c1', 'c3']);
        expect(await found('vip')).toEqual(['c1']);
        expect(await found('发票')).toEqual(['c1']);
        expect(await found('王')).toEqual([]);
      });

      it('takes the search text literally: no wildcards, quotes or operators, and never across two fields', async () => {
        await store.commit('cards', [put(card('c4', { name: '100% 满意_"ok" AND *', receivedAt: '2026-01-04T00:00:00.000Z' }))], 2);
        expect(await found('100%')).toEqual(['c4']);
        expect(await found('% 满')).toEqual(['c4']);
        expect(await found('_"ok"')).toEqual(['c4']);
        expect(await found('AND *')).toEqual(['c4']);
        expect(await found('%')).toEqual(['c4']);
        expect(await found('1_0')).toEqual([]);
        expect(await found('女士138')).toEqual([]);
        expect(await found('"')).toEqual(['c4']);
      });

      it('combines with filters, sorting and paging', async () => {
        expect(await found('0024', { filter: { department: 'ops' } })).toEqual(['c1', 'c3']);
        expect(await found('张', { filter: { department: 'ops' } })).toEqual([]);
        const first = await store.find<Card>(cards, { text: '0024', sort: [{ field: 'receivedAt', direction: 'desc' }], limit: 1 });
        expect(first.items.map((document) => document.id)).toEqual(['c1']);
        expect(await found('0024', { limit: 1, cursor: first.nextCursor! })).toEqual(['c3']);
      });

      it('follows replaced and deleted documents, and a rebuilt generation', async () => {
        await store.commit('cards', [put(card('c2', { name: '张先生', department: 'quality' })), { kind: 'delete', collection: cards, id: 'c1' }], 3);
        expect(await found('张伟')).toEqual([]);
        expect(await found('张先生')).toEqual(['c2']);
        expect(await found('李女士')).toEqual([]);
        expect(await found('0024')).toEqual(['c3']);
        const generation = `g${randomUUID().slice(0, 8)}`;
        const rebuilt = generationCollection(generation, 'cards');
        await store.ensureCollections([{ name: rebuilt, text: ['name'] }]);
        await store.commit(generation, [{ kind: 'put', collection: rebuilt, document: card('r1', { name: '赵六' }) }], 1);
        expect((await store.find(rebuilt, { text: '赵六' })).items.map((document) => document.id)).toEqual(['r1']);
        await store.dropGeneration(generation);
        await store.ensureCollections([{ name: rebuilt, text: ['name'] }]);
        expect((await store.find(rebuilt, { text: '赵六' })).items).toEqual([]);
      });

      it('answers the same while a generation is built without its indexes, and once they are built from what it holds', async () => {
        const building = `cards_${randomUUID().replace(/-/g, '')}`;
        const spec = { name: building, indexes: [['department', 'receivedAt']], text: ['name', 'contact.phone', 'tags'] };
        const write = (documents: Card[], position: number) => store.commit('building', documents.map((document) => ({ kind: 'put' as const, collection: building, document })), position);
        const search = async (text: string) => (await store.find<Card>(building, { text, sort: [{ field: 'receivedAt', direction: 'desc' }] })).items.map((document) => document.id);
        await store.ensureCollections([spec], { indexes: false });
        // More than a page of documents for the store that fills its index in pages.
        const many = Array.from({ length: 1_203 }, (_, index) => card(`m${String(index).padStart(4, '0')}`, { name: `客户${index}`, receivedAt: '2025-12-01T00:00:00.000Z' }));
        await write([card('b1', { name: '李女士', contact: { phone: '138-0024-1234' }, tags: ['VIP'], receivedAt: '2026-01-03T00:00:00.000Z' }), ...many], 1);
        await write([card('b2', { name: 'Mr. Wang Li', note: '李女士', receivedAt: '2026-01-02T00:00:00.000Z' }), card('b1', { name: '李先生', tags: ['VIP'], receivedAt: '2026-01-03T00:00:00.000Z' })], 2);
        const answers = async () => [await search('李'), await search('李先生'), await search('李女士'), await search('WANG'), await search('vip'), await search('0024'), await search('客户1202'), await search('%')];
        const expected = [['b1'], ['b1'], [], ['b2'], ['b1'], [], ['m1202'], []];
        expect(await answers()).toEqual(expected);
        await expect(store.find(building, { text: '' })).rejects.toBeInstanceOf(InvalidQueryError);
        await store.ensureCollections([spec]);
        expect(await answers()).toEqual(expected);
        await write([card('b3', { name: '王女士', receivedAt: '2026-01-04T00:00:00.000Z' })], 3);
        await store.commit('building', [{ kind: 'delete', collection: building, id: 'b1' }], 4);
        expect(await search('女士')).toEqual(['b3']);
        expect(await search('vip')).toEqual([]);
      });

      // A live generation always has its text index (it is built before the generation is made live): one dropped by hand
      // made every search of it fail (a 500 on the API) and nothing rebuilt it. The documents are intact, so the collection is
      // not missing (the projector rebuilt the whole read model for it): its index is damaged (damagedTextIndexes), and the
      // projector makes it again from the documents (ensureCollections); a search says the read model is being rebuilt until
      // then, and a read that searches no text answers whole. One being built waits for its index, and is not damaged.
      withTextIndexDrop('reports a live collection whose text index was dropped by hand as a damaged text index, not a missing collection, and answers its searches as the read model being rebuilt until the index is made again from the documents', async () => {
        const generation = `cards_v1_${randomUUID().slice(0, 8)}`;
        const [live, plain] = [generationCollection(generation, 'cards'), generationCollection(generation, 'plain')];
        const specs = [{ name: live, text: ['name'] }, { name: plain }];
        const documents = [card('l1', { name: '王先生 投诉加油站', receivedAt: '2026-01-02T00:00:00.000Z' }), card('l2', { name: 'Ms. Zhao', receivedAt: '2026-01-01T00:00:00.000Z' })];
        const fill = () => store.commit(generation, documents.map((document) => ({ kind: 'put' as const, collection: live, document })), 2);
        const searched = async (text: string) => (await store.find<Card>(live, { text, sort: [{ field: 'receivedAt', direction: 'desc' }] })).items.map((document) => document.id);
        await store.ensureCollections(specs, { indexes: false });
        await fill();
        // Being built: its index waits, and nothing is missing or damaged.
        expect(await store.missingCollections([live, plain])).toEqual([]);
        expect(await store.damagedTextIndexes([live, plain])).toEqual([]);
        await store.ensureCollections(specs);
        await store.activateGeneration('cards', generation);
        expect([await searched('加油站'), await searched('王'), await searched('zhao')]).toEqual([['l1'], ['l1'], ['l2']]);
        expect(await store.damagedTextIndexes([live, plain])).toEqual([]);
        await fixture.dropTextIndex!(live);
        expect(await store.missingCollections([live, plain])).toEqual([]);
        expect(await store.damagedTextIndexes([live, plain])).toEqual([live]);
        // Through the index (three characters or more) and by a scan of its text (fewer): the same answer, never the store's own error.
        for (const text of ['加油站', '王', 'zhao']) {
          const error: unknown = await store.find(live, { text }).then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(ReadModelRebuildingError);
          expect(error).toMatchObject({ readModel: 'cards', collection: live });
          // It says what happens: the index is made again from the rows kept, not the read model rebuilt from the log.
          expect((error as Error).message).toMatch(/text index of .* is being made again from its stored rows.*without a search .* whole.*try the search again in a few seconds/);
          expect((error as Error).message).not.toMatch(/event log/);
        }
        // A query at fault is still one (a 400), not the read model being rebuilt.
        for (const options of [{ cursor: 'not-a-cursor' }, { sort: [{ field: 'no such field!', direction: 'asc' as const }] }, { filter: { 'no such field!': 'x' } }]) {
          await expect(store.find(live, options)).rejects.toBeInstanceOf(InvalidQueryError);
          // A search too: what is wrong with the query is told first, whatever the state of the index.
          for (const text of ['加油站', '王']) await expect(store.find(live, { ...options, text })).rejects.toBeInstanceOf(InvalidQueryError);
        }
        // A cursor of another sort than the one asked (forged, or kept from another list) is refused as such, not as the index lost.
        const forged = Buffer.from(JSON.stringify(['2026-01-02T00:00:00.000Z', 'l1', 'AAAAAAAAAAAAAAAA'])).toString('base64url');
        await expect(store.find(live, { text: '加油站', cursor: forged, sort: [{ field: 'receivedAt', direction: 'desc' }] })).rejects.toBeInstanceOf(InvalidQueryError);
        // The documents are still there for a read that searches no text.
        expect((await store.find(live)).items.map((document) => document.id)).toEqual(['l1', 'l2']);
        // As the projector mends it: its collections ensured again, which makes the index again from the documents it holds.
        await store.ensureCollections(specs);
        expect(await store.missingCollections([live, plain])).toEqual([]);
        expect(await store.damagedTextIndexes([live, plain])).toEqual([]);
        expect([await searched('加油站'), await searched('王'), await searched('zhao')]).toEqual([['l1'], ['l1'], ['l2']]);
      });

      it('reports no damaged text index for collections whose text it keeps whole, nor for collections it does not have', async () => {
        expect(await store.damagedTextIndexes([cards, collection, `never_made_${randomUUID().slice(0, 8)}`])).toEqual([]);
      });

      it('refuses an empty, overlong or control-character search, and a search of a collection without text fields', async () => {
        for (const text of ['', 'x'.repeat(201), 'a\u0001b', 'line\nbreak']) {
          await expect(store.find(cards, { text })).rejects.toBeInstanceOf(InvalidQueryError);
        }
        expect(await found('x'.repeat(200))).toEqual([]);
        await expect(store.find(collection, { text: 'open' })).rejects.toBeInstanceOf(InvalidQueryError);
      });
    });
  });
}
