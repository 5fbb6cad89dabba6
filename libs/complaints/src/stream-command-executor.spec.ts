import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@app/event-store';
import { PreconditionFailedError, type CommandContext } from './command-context';
import { StreamCommandExecutor, type LoadedStream } from './stream-command-executor';

type Command = { readonly type: 'Count'; readonly data: { readonly by: number }; readonly at: string };
type Event = { readonly type: 'Counted'; readonly data: { readonly by: number; readonly at: string } };

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
  // A counter that records nothing for a count of 0.
  const executor = () => new StreamCommandExecutor<Command, Event, number>(store, clock, {
    kind: 'counter', streamName: (id) => `counter-${id}`, load,
    decide: (command) => (command.data.by === 0 ? [] : [{ type: 'Counted', data: { by: command.data.by, at: command.at } }]),
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
});
