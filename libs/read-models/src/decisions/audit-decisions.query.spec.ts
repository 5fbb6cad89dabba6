import type { EventStore, ReadStreamOptions, RecordedEvent } from '@app/event-store';
import { generationOf } from '@app/projections';
import { InMemoryProjectionContext, project, recordedEvents } from '@app/projections/testing';
import { SqliteReadStore, generationCollection, type ReadDocument } from '@app/read-store';
import { ReadModelReader } from '../read-model-reader';
import { complaint } from '../testing-fixtures';
import { AUDIT_DECISIONS, auditDecisionsProjection, decisionOf, type StoredDecision } from './audit-decisions.projection';
import { AuditDecisionsQuery } from './audit-decisions.query';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

/** The log as an event store that reads streams, which is all the query asks of it. */
function logOf(events: readonly RecordedEvent[]): EventStore {
  const readStream = async (stream: string, options: ReadStreamOptions = {}) => events
    .filter((event) => event.stream === stream && event.revision >= (options.fromRevision ?? 0))
    .slice(0, options.maxCount ?? Number.POSITIVE_INFINITY);
  return { readStream } as unknown as EventStore;
}

describe('audit decisions query', () => {
  let store: SqliteReadStore;
  const collection = generationCollection(generationOf(auditDecisionsProjection), 'decisions');

  /** Stores decisions as the projection's collection holds them; `documents: true` as a generation before version 10 did (JSON documents, not typed rows). */
  async function stored(documents: readonly ReadDocument[], options: { documents?: boolean } = {}): Promise<void> {
    await store.ensureCollections(auditDecisionsProjection.collections.map(({ columns, ...spec }) => ({ ...spec, name: collection, ...(options.documents ? {} : { columns }) })));
    await store.commit(generationOf(auditDecisionsProjection), documents.map((document) => ({ kind: 'put' as const, collection, document })), 1);
    await store.activateGeneration(AUDIT_DECISIONS, generationOf(auditDecisionsProjection));
  }

  beforeEach(() => {
    store = new SqliteReadStore({ filename: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  const history = () => {
    const one = complaint(A);
    return recordedEvents([one.received, one.apologised(10), one.validated(20)]);
  };

  it('stores no words, and answers each decision with the words of its event, in the fields\' order of before', async () => {
    const events = history();
    const context = await project(auditDecisionsProjection, events);
    const documents = context.all<StoredDecision>('decisions');
    expect(documents.map((document) => Object.keys(document).includes('decision'))).toEqual([false, false, false]);
    await stored(documents);

    const page = await new AuditDecisionsQuery(new ReadModelReader(store, [auditDecisionsProjection]), logOf(events)).decisions({}, { limit: 10 });

    expect(page.items.map((item) => item.decision)).toEqual([...events].reverse().map((event) => decisionOf(event)!.words));
    expect(page.items[0]!.decision.en).toMatch(/./);
    expect(Object.keys(page.items[0]!)).toEqual(['id', 'position', 'complaintId', 'revision', 'type', 'actorId', 'role', 'reason', 'occurredAt', 'decision', 'workOrderId', 'stream']);
  });

  it('stores no stream it can tell from the complaint or the work order, answers each decision with its stream, and indexes only the decisions of a work order', async () => {
    const events = history();
    const context = await project(auditDecisionsProjection, events);
    const documents = context.all<StoredDecision>('decisions');
    expect(documents.map((document) => [document.complaintId, document.stream])).toEqual([[A, null], [A, null], [A, null]]);
    // A decision whose stream is not its subject's (a survey sent about a complaint) keeps it.
    const survey = { ...documents[0]!, id: '0000000000000099', position: 99, type: 'SatisfactionSurveySent', stream: 'satisfaction-survey-s1' };
    await stored([...documents, survey]);

    const query = new AuditDecisionsQuery(new ReadModelReader(store, [auditDecisionsProjection]), logOf(events));
    const page = await query.decisions({}, { limit: 10 });

    expect(page.items.map((item) => item.stream)).toEqual(['satisfaction-survey-s1', `complaint-${A}`, `complaint-${A}`, `complaint-${A}`]);
    expect(page.items.slice(1).map((item) => item.decision)).toEqual([...events].reverse().map((event) => decisionOf(event)!.words));
    expect(auditDecisionsProjection.collections[0]!.sparse).toEqual(['workOrderId']);
  });

  it('keeps each decision\'s instant as milliseconds (version 13), and answers pages, from and to as a generation of text instants does', async () => {
    const one = complaint(A);
    const events = recordedEvents([one.received, one.apologised(10), one.validated(20), one.apologised(30), one.apologised(40)])
      .map((event, index) => ({ ...event, metadata: { ...event.metadata, occurredAt: new Date(Date.UTC(2026, 2, 1, 9, index * 15)).toISOString() } }));
    const context = new InMemoryProjectionContext();
    for (const event of events) auditDecisionsProjection.apply(event, context);
    const documents = context.all<StoredDecision>('decisions');
    expect(auditDecisionsProjection.collections[0]!.columns!['occurredAt']).toEqual({ type: 'instant' });
    await stored(documents);
    const text = new SqliteReadStore({ filename: ':memory:' });
    try {
      // Version 12's layout: the same decisions with occurredAt as text.
      const columns = { ...auditDecisionsProjection.collections[0]!.columns!, occurredAt: { type: 'text' as const } };
      await text.ensureCollections(auditDecisionsProjection.collections.map((spec) => ({ ...spec, name: collection, columns })));
      await text.commit(generationOf(auditDecisionsProjection), documents.map((document) => ({ kind: 'put' as const, collection, document })), 1);
      await text.activateGeneration(AUDIT_DECISIONS, generationOf(auditDecisionsProjection));
      const answers = async (readStore: SqliteReadStore) => {
        const query = new AuditDecisionsQuery(new ReadModelReader(readStore, [auditDecisionsProjection]), logOf(events));
        const pages = [];
        for (const filter of [{}, { from: '2026-03-01T09:15:00.000Z' }, { to: '2026-03-01T09:45' }, { from: '2026-03-01', to: '2026-03-01T09:30:00.000Z' }, { from: '2026-03-02' }, { role: 'agent', to: '2027' }]) {
          let cursor: string | undefined;
          do {
            const page = await query.decisions(filter, { limit: 2, ...(cursor ? { cursor } : {}) });
            // The cursor's values: its check is keyed by each read store's own secret, so the two stores' checks differ.
            pages.push({ filter, items: page.items, cursor: page.nextCursor === null ? null : (JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString('utf8')) as unknown[]).slice(0, -1) });
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
        }
        return JSON.stringify(pages);
      };
      const expected = await answers(text);
      expect(await answers(store)).toEqual(expected);
      expect(JSON.parse(expected)[0].items[0].occurredAt).toBe('2026-03-01T10:00:00.000Z');
    } finally {
      await text.close();
    }
  });

  it('finds the decisions of a principal by any spelling of its id, answers each actor as recorded, and never the key it filters by', async () => {
    const byWhom = ['Li.Na', 'li.na', 'ＬＩ.ＮＡ'];
    const events = history().map((event, index) => ({ ...event, metadata: { actor: { id: byWhom[index], role: 'agent' } } }));
    const other = recordedEvents([complaint(B).received], 10).map((event) => ({ ...event, metadata: { actor: { id: 'li.nan', role: 'agent' } } }));
    // project() records the events afresh, without their metadata: these are applied as recorded, with their actors.
    const context = new InMemoryProjectionContext();
    for (const event of [...events, ...other]) auditDecisionsProjection.apply(event, context);
    await stored(context.all<StoredDecision>('decisions'));
    const query = new AuditDecisionsQuery(new ReadModelReader(store, [auditDecisionsProjection]), logOf([...events, ...other]));

    for (const actor of ['li.na', 'LI.NA', 'ｌｉ.ｎａ', 'Li.Na']) {
      const page = await query.decisions({ actor }, { limit: 10 });
      expect(page.items.map((item) => item.actorId)).toEqual([...byWhom].reverse());
      expect(Object.keys(page.items[0]!)).toEqual(['id', 'position', 'complaintId', 'revision', 'type', 'actorId', 'role', 'reason', 'occurredAt', 'decision', 'workOrderId', 'stream']);
    }
  });

  it('filters a generation built before version 11 (no actorKey: typed rows or JSON documents) by the actor as recorded, as it did', async () => {
    const events = history().map((event, index) => ({ ...event, metadata: { actor: { id: ['Li.Na', 'li.na', 'li.na'][index], role: 'agent' } } }));
    const context = new InMemoryProjectionContext();
    for (const event of events) auditDecisionsProjection.apply(event, context);
    const before = context.all<StoredDecision>('decisions').map(({ actorKey: _actorKey, ...decision }) => decision);
    const { actorKey: _actorKey, ...columns } = auditDecisionsProjection.collections[0]!.columns!;
    for (const layout of [{ columns }, {}]) {
      store = new SqliteReadStore({ filename: ':memory:' });
      const indexes = auditDecisionsProjection.collections[0]!.indexes!.filter((index) => !index.includes('actorKey'));
      await store.ensureCollections([{ name: collection, indexes, ...layout }]);
      await store.commit(generationOf(auditDecisionsProjection), before.map((document) => ({ kind: 'put' as const, collection, document })), 1);
      await store.activateGeneration(AUDIT_DECISIONS, generationOf(auditDecisionsProjection));
      const query = new AuditDecisionsQuery(new ReadModelReader(store, [auditDecisionsProjection]), logOf(events));

      expect((await query.decisions({ actor: 'li.na' }, { limit: 10 })).items.map((item) => item.actorId)).toEqual(['li.na', 'li.na']);
      expect((await query.decisions({ actor: 'Li.Na' }, { limit: 10 })).items.map((item) => item.actorId)).toEqual(['Li.Na']);
      await store.close();
    }
  });

  it('keeps the words of a generation built before they were left out', async () => {
    const events = history();
    const documents = (await project(auditDecisionsProjection, events)).all<StoredDecision>('decisions');
    const words = { 'zh-CN': '旧的说法', en: 'the words as stored' };
    await stored(documents.map((document) => ({ ...document, decision: words })), { documents: true });

    const page = await new AuditDecisionsQuery(new ReadModelReader(store, [auditDecisionsProjection]), logOf(events)).decisions({}, { limit: 10 });

    expect(page.items.map((item) => item.decision)).toEqual([words, words, words]);
  });

  it('says so when the event can no longer be read, and never takes another event\'s words', async () => {
    const events = history();
    await stored((await project(auditDecisionsProjection, events)).all<StoredDecision>('decisions'));
    // The stream now holds other events at those revisions (another log), and then none at all.
    const other = recordedEvents([complaint(A).received, complaint(A).apologised(10), complaint(A).validated(20)], 100);
    const failing = { readStream: async () => Promise.reject(new Error('stream deleted')) } as unknown as EventStore;

    for (const log of [logOf(other), logOf([]), failing]) {
      const page = await new AuditDecisionsQuery(new ReadModelReader(store, [auditDecisionsProjection]), log).decisions({}, { limit: 10 });
      expect(page.items.map((item) => item.decision.en)).toEqual(['(the event can no longer be read)', '(the event can no longer be read)', '(the event can no longer be read)']);
    }
  });
});
