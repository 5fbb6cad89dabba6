import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@app/event-store';
import { chainHash, chainStart } from '@app/event-sourcing';
import { CommandIdReusedError, PreconditionFailedError, type CommandContext } from './command-context';
import { StreamCommandExecutor, type LoadedStream } from './stream-command-executor';

type Command = { readonly type: 'Count'; readonly data: { readonly by: number; readonly atLeast?: number; readonly name?: string }; readonly at: string };
type Event = { readonly type: 'Counted'; readonly data: { readonly by: number; readonly at: string; readonly total?: number; readonly name?: unknown } };

describe('StreamCommandExecutor', () => {
  let dir: string;
  let store: SqliteEventStore;
  const clock = { now: () => new Date('2026-12-01T08:00:00.000Z') };
  // Command ids are UUIDs (the event ids derive from them): one per name here.
  const uuidOf = (name: string) => `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padStart(12, '0')}`;
  const context = (name: string, extra: Partial<CommandContext> = {}): CommandContext => ({
    commandId: uuidOf(name), correlationId: uuidOf(name), causationId: uuidOf(name), actor: { id: 'u-1', role: 'agent' }, ...extra,
  });
  const load = async (id: string): Promise<LoadedStream<number>> => {
    const events: RecordedEvent[] = await store.readStream(`counter-${id}`).catch(() => []);
    return { state: events.reduce((sum, event) => sum + (event.data['by'] as number), 0), revision: events.length - 1, events };
  };
  // A counter that records nothing for a count of 0 and refuses to count down.
  const executor = () => new StreamCommandExecutor<Command, Event, number>(store, clock, {
    kind: 'counter', streamName: (id) => `counter-${id}`, load,
    decide: (command) => {
      if (command.data.by < 0) throw new Error('a counter counts up');
      return command.data.by === 0 ? [] : [{ type: 'Counted', data: { by: command.data.by, at: command.at } }];
    },
    schemaVersionOf: () => 1,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'executor-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends what the decision says, chained, with the time of the decision', async () => {
    const outcome = await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('c-1'));
    const [event] = await store.readStream('counter-a');
    expect(outcome).toMatchObject({ id: 'a', revision: 0 });
    expect(event!.data).toEqual({ by: 2, at: '2026-12-01T08:00:00.000Z' });
    expect(event!.metadata).toMatchObject({ commandId: uuidOf('c-1'), commandType: 'Count', schemaVersion: 1, hash: expect.any(String) });
  });

  it('appends nothing when the decision records nothing, and answers with the stream as it is', async () => {
    await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('c-1'));
    const outcome = await executor().execute('a', { type: 'Count', data: { by: 0 } }, context('c-2'));
    expect(outcome.revision).toBe(0);
    expect(await store.readStream('counter-a')).toHaveLength(1);
  });

  it('answers a command seen before as the first time, without deciding again', async () => {
    const first = await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('c-1'));
    const again = await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('c-1'));
    expect(again).toEqual(first);
    expect(await store.readStream('counter-a')).toHaveLength(1);
  });

  describe('a command id seen before, with the request it answered (context.request: an Idempotency-Key\'s request)', () => {
    const asked = (name: string, request: string) => context(name, { request });

    it('answers the same request as the first time, and writes nothing', async () => {
      const first = await executor().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-1', 'POST /counters/a {"by":2}'));
      const head = await store.headPosition();
      await expect(executor().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-1', 'POST /counters/a {"by":2}'))).resolves.toEqual(first);
      expect(await store.headPosition()).toBe(head);
    });

    it('refuses (key reused) another request under the command id, saying what to do, and writes nothing', async () => {
      await executor().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-2', 'POST /counters/a {"by":2}'));
      const head = await store.headPosition();
      const refused = executor().execute('a', { type: 'Count', data: { by: 5 } }, asked('r-2', 'POST /counters/a {"by":5}'));
      await expect(refused).rejects.toBeInstanceOf(CommandIdReusedError);
      await expect(refused).rejects.toThrow('already recorded another request on counter a');
      await expect(refused).rejects.toThrow('send this request with a new Idempotency-Key');
      expect(await store.headPosition()).toBe(head);
    });

    it('refuses another request under the command id that another process decided on the stream as it was before the first one\'s append', async () => {
      // Two API processes, one request each under the same key, both read the empty stream: the later append must not pass for a retry of the earlier one.
      await executor().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-6', 'POST /counters/a {"by":2}'));
      let reads = 0;
      const otherProcess = new StreamCommandExecutor<Command, Event, number>(store, clock, {
        kind: 'counter', streamName: (id) => `counter-${id}`, schemaVersionOf: () => 1,
        load: async (id) => ((reads += 1) === 1 ? { state: 0, revision: -1, events: [] } : load(id)),
        decide: (command) => [{ type: 'Counted', data: { by: command.data.by, at: command.at } }],
      });
      await expect(otherProcess.execute('a', { type: 'Count', data: { by: 5 } }, asked('r-6', 'POST /counters/a {"by":5}'))).rejects.toBeInstanceOf(CommandIdReusedError);
      expect(reads).toBe(2);
      expect((await store.readStream('counter-a')).map((event) => event.data['by'])).toEqual([2]);
    });

    it('answers the same request that another process appended between its read and its append, from that record', async () => {
      const first = await executor().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-7', 'POST /counters/a {"by":2}'));
      const otherProcess = new StreamCommandExecutor<Command, Event, number>(store, clock, {
        kind: 'counter', streamName: (id) => `counter-${id}`, schemaVersionOf: () => 1,
        load: async () => ({ state: 0, revision: -1, events: [] }),
        decide: (command) => [{ type: 'Counted', data: { by: command.data.by, at: command.at } }],
      });
      await expect(otherProcess.execute('a', { type: 'Count', data: { by: 2 } }, asked('r-7', 'POST /counters/a {"by":2}'))).resolves.toEqual(first);
      expect(await store.readStream('counter-a')).toHaveLength(1);
    });

    it('records a digest of the request, never the request as sent', async () => {
      await executor().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-3', 'PATCH /counters/a {"phone":"+86 138 0000 0000"}'));
      const [event] = await store.readStream('counter-a');
      expect(event!.metadata['requestDigest']).toEqual(expect.stringMatching(/^sha256:[A-Za-z0-9_-]{43}$/));
      expect(JSON.stringify(event!.metadata)).not.toContain('138');
    });

    it('keys the digest with the customer\'s data key where personal values are sealed, and answers as before once that key is destroyed', async () => {
      let destroyed = false;
      const sealer = {
        seal: async (_customerId: string, _stream: string, data: Record<string, unknown>) => data,
        digest: async (customerId: string, text: string) => `k-${customerId}:${text.length}`,
        digestMatches: async (digest: string, text: string) => (destroyed ? null : digest.endsWith(`:${text.length}`)),
        readable: async () => !destroyed,
      };
      const sealed = () => new StreamCommandExecutor<Command, Event, number>(store, clock, {
        kind: 'counter', streamName: (id) => `counter-${id}`, load, decide: (command) => [{ type: 'Counted', data: { by: command.data.by, at: command.at } }],
        schemaVersionOf: () => 1, customerOf: () => 'cust-1',
      }, sealer);
      const first = await sealed().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-4', 'one'));
      const [event] = await store.readStream('counter-a');
      expect(event!.metadata['requestDigest']).toBe(`key:k-cust-1:${uuidOf('r-4').length + 4}`);
      await expect(sealed().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-4', 'other'))).rejects.toBeInstanceOf(CommandIdReusedError);
      destroyed = true;
      await expect(sealed().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-4', 'other'))).resolves.toEqual(first);
    });

    it('answers a record without a digest (an older log, or a command no request asked) as the first time', async () => {
      const first = await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('r-5'));
      await expect(executor().execute('a', { type: 'Count', data: { by: 2 } }, asked('r-5', 'anything'))).resolves.toEqual(first);
    });
  });

  it('refuses a command decided on another revision (If-Match), naming the kind of aggregate', async () => {
    await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('c-1'));
    const refused = executor().execute('a', { type: 'Count', data: { by: 1 } }, context('c-2', { expectedRevision: 5 }));
    await expect(refused).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(refused).rejects.toThrow('The counter is at revision 0, not 5');
  });

  it('runs concurrent commands on one aggregate one after the other, none lost', async () => {
    const run = executor();
    await Promise.all(Array.from({ length: 10 }, (_, index) => run.execute('a', { type: 'Count', data: { by: 1 } }, context(`c-${index}`))));
    expect((await load('a')).state).toBe(10);
  });

  describe('commands on several aggregates decided together', () => {
    const count = (id: string, by: number, name: string) => ({ id, command: { type: 'Count' as const, data: { by } }, context: context(name) });

    it('appends what they decide in one atomic append to both streams, one outcome per command', async () => {
      const together = jest.spyOn(store, 'appendToStreams');
      const outcomes = await executor().executeTogether([count('b', 2, 't-1'), count('a', 3, 't-1b')]);
      expect(together).toHaveBeenCalledTimes(1);
      const [b, a] = [await store.readStream('counter-b'), await store.readStream('counter-a')];
      expect(outcomes).toEqual([{ id: 'b', revision: 0, position: b[0]!.position }, { id: 'a', revision: 0, position: a[0]!.position }]);
    });

    it('writes nothing on either when one of them is refused, whichever comes first', async () => {
      await expect(executor().executeTogether([count('a', 1, 't-2'), count('b', -1, 't-2b')])).rejects.toThrow('a counter counts up');
      await expect(executor().executeTogether([count('a', -1, 't-3'), count('b', 1, 't-3b')])).rejects.toThrow('a counter counts up');
      expect(await store.readAll()).toEqual([]);
    });

    it('decides both again when another process wrote one of the streams between the decision and the append', async () => {
      const other = executor();
      const append = store.appendToStreams.bind(store);
      let once = true;
      jest.spyOn(store, 'appendToStreams').mockImplementation(async (appends) => {
        if (once) {
          once = false;
          await other.execute('b', { type: 'Count', data: { by: 10 } }, context('other'));
        }
        return append(appends);
      });
      const outcomes = await executor().executeTogether([count('a', 1, 't-4'), count('b', 1, 't-4b')]);
      expect(outcomes.map((outcome) => outcome.revision)).toEqual([0, 1]);
      expect([(await load('a')).state, (await load('b')).state]).toEqual([1, 11]);
    });

    it('answers a retry as the first time and writes nothing; a stream left without its part by an older log gets it', async () => {
      const first = await executor().executeTogether([count('a', 1, 't-5'), count('b', 1, 't-5b')]);
      const head = await store.headPosition();
      await expect(executor().executeTogether([count('a', 1, 't-5'), count('b', 1, 't-5b')])).resolves.toEqual(first);
      expect(await store.headPosition()).toBe(head);
      // As an older version left a request that crashed between its two appends: only a's part written.
      await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('t-6'));
      const [a, b] = await executor().executeTogether([count('a', 2, 't-6'), count('b', 2, 't-6b')]);
      expect(a!.revision).toBe(1);
      expect(b!.revision).toBe(1);
      expect([(await load('a')).state, (await load('b')).state]).toEqual([3, 3]);
    });

    describe('as the sides of one fact under one key (sidesOfOneFact)', () => {
      const oneFact = { sidesOfOneFact: true };

      it('refuses (key reused) a request whose other side answers from another request\'s record while its own side would be written, and writes nothing', async () => {
        // The key's other side was written by another request (on c and b) whose stored answer expired.
        await executor().executeTogether([count('c', 1, 't-9'), count('b', 1, 't-9b')], oneFact);
        const head = await store.headPosition();
        const refused = executor().executeTogether([count('a', 1, 't-9'), count('b', 1, 't-9b')], oneFact);
        await expect(refused).rejects.toBeInstanceOf(CommandIdReusedError);
        await expect(refused).rejects.toThrow('already has an answer on counter b, and none on counter a');
        expect(await store.headPosition()).toBe(head);
        await expect(store.readStream('counter-a')).rejects.toThrow();
      });

      it('refuses (key reused) a retry whose own side has changed since its record while the other side would now be written, and writes nothing', async () => {
        // The first time b had nothing to record; a moved on since.
        await executor().executeTogether([count('a', 1, 't-10'), count('b', 0, 't-10b')], oneFact);
        await executor().execute('a', { type: 'Count', data: { by: 1 } }, context('t-11'));
        const head = await store.headPosition();
        const refused = executor().executeTogether([count('a', 1, 't-10'), count('b', 1, 't-10b')], oneFact);
        await expect(refused).rejects.toThrow('already has an answer on counter a, which has changed since, and none on counter b');
        expect(await store.headPosition()).toBe(head);
        // Nothing to write on b: answered as the first time.
        await expect(executor().executeTogether([count('a', 1, 't-10'), count('b', 0, 't-10b')], oneFact)).resolves.toEqual([expect.objectContaining({ id: 'a', revision: 0 }), expect.objectContaining({ id: 'b' })]);
      });

      it('completes a request an older log left on its own side only, while that side is as the request left it', async () => {
        await executor().execute('a', { type: 'Count', data: { by: 2 } }, context('t-12'));
        const [a, b] = await executor().executeTogether([count('a', 2, 't-12'), count('b', 2, 't-12b')], oneFact);
        expect([a!.revision, b!.revision]).toEqual([0, 0]);
        expect((await load('b')).state).toBe(2);
      });
    });

    it('refuses with a precondition failure when a stream the caller pinned (If-Match) moved on', async () => {
      await executor().execute('a', { type: 'Count', data: { by: 1 } }, context('t-7'));
      const refused = executor().executeTogether([{ ...count('a', 1, 't-8'), context: context('t-8', { expectedRevision: 3 }) }, count('b', 1, 't-8b')]);
      await expect(refused).rejects.toBeInstanceOf(PreconditionFailedError);
      await expect(store.readStream('counter-b')).rejects.toThrow();
    });
  });
  describe('decisions from kept states (an aggregate that gives evolve)', () => {
    let reads: number;
    // The stream read as load reads it, from the given instance's store, counted.
    const counted = async (on: SqliteEventStore, id: string): Promise<LoadedStream<number>> => {
      reads += 1;
      const events: RecordedEvent[] = await on.readStream(`counter-${id}`).catch(() => []);
      return { state: events.reduce((sum, event) => sum + (event.data['by'] as number), 0), revision: events.length - 1, events };
    };
    beforeEach(() => {
      reads = 0;
    });
    afterEach(() => jest.restoreAllMocks());
    // Records the total it saw (so a decision on a stale state shows), refuses a count below atLeast, and seals a name.
    const keeping = (on: SqliteEventStore = store, sealer?: ConstructorParameters<typeof StreamCommandExecutor>[3], at: { now(): Date } = clock) => new StreamCommandExecutor<Command, Event, number>(on, at, {
      kind: 'counter', streamName: (id) => `counter-${id}`, load: (id) => counted(on, id),
      decide: (command, state) => {
        if (command.data.atLeast !== undefined && state < command.data.atLeast) throw new Error(`the counter is below ${command.data.atLeast}`);
        return [{ type: 'Counted', data: { by: command.data.by, at: command.at, total: state + command.data.by, ...(command.data.name === undefined ? {} : { name: command.data.name }) } }];
      },
      evolve: (state, event) => state + event.data.by,
      schemaVersionOf: () => 1,
      ...(sealer ? { customerOf: () => 'cust-1' } : {}),
    }, sealer);
    const count = (by: number, extra: Partial<Command['data']> = {}) => ({ type: 'Count' as const, data: { by, ...extra } });

    it('decides the next command on the state kept after its own append, without reading the stream, and chains on', async () => {
      const run = keeping();
      await run.execute('a', count(2), context('k-1'));
      await run.execute('a', count(3), context('k-2'));
      const outcome = await run.execute('a', count(4), context('k-3'));
      expect(reads).toBe(1);
      expect(outcome.revision).toBe(2);
      const events = await store.readStream('counter-a');
      expect(events.map((event) => event.data['total'])).toEqual([2, 5, 9]);
      events.reduce((previous, event) => {
        expect(event.metadata['hash']).toBe(chainHash(previous, event));
        return event.metadata['hash'] as string;
      }, chainStart('counter-a'));
    });

    it('decides again on a fresh read when another API instance appended since: the append from the kept state conflicts', async () => {
      const other = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
      try {
        const run = keeping();
        await run.execute('a', count(2), context('k-4'));
        await keeping(other).execute('a', count(10), context('k-5'));
        const outcome = await run.execute('a', count(1), context('k-6'));
        expect(outcome.revision).toBe(2);
        expect((await store.readStream('counter-a')).map((event) => event.data['total'])).toEqual([2, 12, 13]);
      } finally {
        await other.close();
      }
    });

    it('does not refuse on a kept state: a refusal is told from a fresh read (another instance made the command possible)', async () => {
      const run = keeping();
      await run.execute('a', count(2), context('k-7'));
      await keeping().execute('a', count(3), context('k-8'));
      await expect(run.execute('a', count(1, { atLeast: 5 }), context('k-9'))).resolves.toMatchObject({ revision: 2 });
      await expect(run.execute('a', count(1, { atLeast: 50 }), context('k-10'))).rejects.toThrow('the counter is below 50');
    });

    it('takes If-Match against the stream, not the kept state: a revision another instance reached passes, an older one is refused', async () => {
      const run = keeping();
      await run.execute('a', count(2), context('k-11'));
      await keeping().execute('a', count(3), context('k-12'));
      await expect(run.execute('a', count(1), context('k-13', { expectedRevision: 1 }))).resolves.toMatchObject({ revision: 2 });
      await keeping().execute('a', count(3), context('k-14'));
      await expect(run.execute('a', count(1), context('k-15', { expectedRevision: 2 }))).rejects.toBeInstanceOf(PreconditionFailedError);
      expect((await load('a')).state).toBe(9);
    });

    it('answers a command seen before from the stream, as the first time, and writes nothing', async () => {
      const run = keeping();
      const first = await run.execute('a', count(2), context('k-16'));
      await run.execute('a', count(1), context('k-17'));
      await expect(run.execute('a', count(2), context('k-16'))).resolves.toEqual(first);
      expect((await load('a')).state).toBe(3);
    });

    it('keeps the stream as stored, not its own decision, when its append was found stored (the same request, under the same key, appended first by another instance): the next command chains on the stored head', async () => {
      // A retry that reached the other instance while this one's request was slow: both decided on revision 0,
      // the other appended first (a second later, so its events differ), and the store answered this append from that record.
      const other = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
      try {
        const run = keeping();
        await run.execute('a', count(2), context('k-26'));
        const retried = await keeping(other, undefined, { now: () => new Date('2026-12-01T08:00:01.000Z') }).execute('a', count(3), context('k-27'));
        await expect(run.execute('a', count(3), context('k-27'))).resolves.toEqual(retried);
        await run.execute('a', count(4), context('k-28'));
        const events = await store.readStream('counter-a');
        expect(events.map((event) => [event.data['total'], event.data['at']])).toEqual([[2, '2026-12-01T08:00:00.000Z'], [5, '2026-12-01T08:00:01.000Z'], [9, '2026-12-01T08:00:00.000Z']]);
        events.reduce((previous, event) => {
          expect({ revision: event.revision, hash: event.metadata['hash'] }).toEqual({ revision: event.revision, hash: chainHash(previous, event) });
          return event.metadata['hash'] as string;
        }, chainStart('counter-a'));
      } finally {
        await other.close();
      }
    });

    it('keeps a state a few seconds at most: a command after that reads the stream', async () => {
      const run = keeping();
      await run.execute('a', count(2), context('k-21'));
      const now = performance.now();
      jest.spyOn(performance, 'now').mockReturnValue(now + 5_001);
      await run.execute('a', count(1), context('k-22'));
      expect(reads).toBe(2);
    });

    it('drops a kept state whose personal values a key closed by an erasure decrypted: the next command reads the stream', async () => {
      let erased = false;
      const asked: string[][] = [];
      const sealer = {
        seal: async (_customerId: string, _stream: string, data: Record<string, unknown>) => ({ ...data, name: { $enc: 'v1', kid: 'key-1', iv: 'iv', ct: 'ct' } }),
        digest: async () => null,
        digestMatches: async () => null,
        readable: async (keyIds: readonly string[]) => {
          asked.push([...keyIds]);
          return !erased;
        },
      };
      const run = keeping(store, sealer);
      await run.execute('a', count(2, { name: '王先生' }), context('k-18'));
      await run.execute('a', count(1), context('k-19'));
      expect(reads).toBe(1);
      expect(asked).toEqual([['key-1']]);
      erased = true;
      await run.execute('a', count(1), context('k-20'));
      expect(reads).toBe(2);
    });
  });
});
