import { BSONRegExp, Binary, MaxKey, Timestamp } from 'mongodb';
import { encodeCursor, newCursorKey, pageCursor, valueAt } from '../query-support';
import { InvalidDocumentError, InvalidQueryError, type ReadDocument, type SortField } from '../read-store.port';
import {
  IDEMPOTENCY_TTL_INDEX, afterCursor, batchEntries, checkpointFence, collectionName, databaseOf, fromIdempotencyRecord, fromStored, holdsLease, idempotencyPut, indexKeys, runningLease,
  journalEntries, leaseTakeover, leasesHeldBack, leasesMarkAtConnect, leasesMarkCheck, leasesMarkSettled, liveIdempotencyKey, pendingMatch, supportsTransactions, textFilter, toMongoFilter, toMongoSort, toStored, toWriteModels, versionFilter, voidEntries,
} from './mongodb.translation';

/** The read store's cursor key, as a store would give it. */
const CURSOR_KEY = newCursorKey();

/**
 * A small evaluator of the query subset the adapter emits (literals, $eq, $in, $exists, ranges,
 * $and, $or, null), with
 * MongoDB's comparison rules for it: a range or $eq only matches values of the same type.
 */
function matches(document: object, query: Record<string, unknown>): boolean {
  return Object.entries(query).every(([key, condition]) => {
    if (key === '$and') return (condition as Array<Record<string, unknown>>).every((part) => matches(document, part));
    if (key === '$or') return (condition as Array<Record<string, unknown>>).some((part) => matches(document, part));
    const value = valueAt(document as ReadDocument, key);
    if (condition === null) return value === null || value === undefined;
    if (typeof condition !== 'object') return value === condition;
    // An embedded document matches exactly, field order included (as on the server).
    if (!Object.keys(condition as object).some((operator) => operator.startsWith('$'))) return JSON.stringify(value) === JSON.stringify(condition);
    return Object.entries(condition as Record<string, unknown>).every(([operator, operand]) => {
      if (operator === '$exists') return (value !== undefined) === operand;
      if (operator === '$in') return (operand as unknown[]).some((candidate) => (candidate === null ? value === null || value === undefined : candidate === value));
      if (typeof value !== typeof operand) return false;
      const [a, b] = [value as string | number, operand as string | number];
      switch (operator) {
        case '$eq': return a === b;
        case '$gt': return a > b;
        case '$gte': return a >= b;
        case '$lt': return a < b;
        case '$lte': return a <= b;
        default: throw new Error(`unexpected operator ${operator}`);
      }
    });
  });
}

/** The BSON type of a value as $type names it ('missing' for a field that is not there). */
function bsonType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  const bsontype = (value as { _bsontype?: unknown })._bsontype;
  if (Buffer.isBuffer(value) || bsontype === 'Binary') return 'binData';
  if (bsontype === 'Timestamp') return 'timestamp';
  if (value instanceof RegExp || bsontype === 'BSONRegExp') return 'regex';
  if (bsontype === 'MaxKey') return 'maxKey';
  if (bsontype === 'MinKey') return 'minKey';
  return 'object';
}

/** MongoDB's comparison order of values of different BSON types (a missing field as null), lowest first. */
const BSON_ORDER = ['minKey', 'null', 'double', 'string', 'object', 'array', 'binData', 'objectId', 'bool', 'date', 'timestamp', 'regex', 'maxKey'];

/** An aggregation comparison ($lte, $gt …): by the BSON order of the types first, then by value within a type. */
function compareBson(a: unknown, b: unknown): number {
  const rank = (value: unknown) => BSON_ORDER.indexOf(bsonType(value) === 'missing' ? 'null' : bsonType(value));
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const plain = (value: unknown) => (value instanceof Date ? value.getTime() : value) as number | string;
  return plain(a) < plain(b) ? -1 : plain(a) > plain(b) ? 1 : 0;
}

/**
 * A small evaluator of the aggregation expressions the adapter's update pipelines use ($literal,
 * $eq, $ne, $lte, $gt, $type, $and, $or, $cond, $ifNull, $add, field paths and $$NOW), with MongoDB's rules that a
 * string starting with `$` is a field path unless it is wrapped in $literal, and that values of different types
 * compare by the BSON type order.
 */
function evaluate(expression: unknown, document: Record<string, unknown>, now: Date): unknown {
  if (typeof expression === 'string') {
    if (expression === '$$NOW') return now;
    if (expression.startsWith('$$')) throw new Error(`unexpected variable ${expression}`);
    return expression.startsWith('$') ? valueAt(document as ReadDocument, expression.slice(1)) : expression;
  }
  if (expression === null || typeof expression !== 'object' || expression instanceof Date || Array.isArray(expression)) return expression;
  const [operator, operand] = Object.entries(expression)[0]!;
  const args = () => (operand as unknown[]).map((argument) => evaluate(argument, document, now));
  const comparable = (value: unknown) => (value instanceof Date ? value.getTime() : value);
  switch (operator) {
    case '$literal': return operand;
    case '$eq': { const [a, b] = args(); return comparable(a) === comparable(b); }
    case '$ne': { const [a, b] = args(); return comparable(a) !== comparable(b); }
    case '$lte': { const [a, b] = args(); return compareBson(a, b) <= 0; }
    case '$gt': { const [a, b] = args(); return compareBson(a, b) > 0; }
    case '$type': return bsonType(evaluate(operand, document, now));
    case '$and': return args().every(Boolean);
    case '$or': return args().some(Boolean);
    case '$cond': { const [condition, then, otherwise] = operand as unknown[]; return evaluate(condition, document, now) ? evaluate(then, document, now) : evaluate(otherwise, document, now); }
    case '$ifNull': { const [value, fallback] = args(); return value ?? fallback; }
    case '$add': { const [date, ms] = args(); return new Date((date as Date).getTime() + (ms as number)); }
    default: throw new Error(`unexpected operator ${operator}`);
  }
}

/** An upsert with an update pipeline as the server runs it: on the stored document, or on the filter's equality fields. */
function upsertWithPipeline(stored: Record<string, unknown> | undefined, filter: Record<string, unknown>, pipeline: ReadonlyArray<Record<string, unknown>>, now: Date) {
  let document: Record<string, unknown> = stored ?? { ...filter };
  for (const stage of pipeline) {
    const [name, fields] = Object.entries(stage)[0]!;
    if (name !== '$set') throw new Error(`unexpected stage ${name}`);
    // Every expression of a $set stage reads the document as it entered the stage.
    document = { ...document, ...Object.fromEntries(Object.entries(fields as Record<string, unknown>).map(([field, expression]) => [field, evaluate(expression, document, now)])) };
  }
  return document;
}

/** Every key of a query or update document, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

function sorted(documents: Array<Record<string, unknown>>, sort: Array<[string, 1 | -1]>) {
  return [...documents].sort((x, y) => {
    for (const [field, direction] of sort) {
      const [a, b] = [valueAt(x as ReadDocument, field) as string | number, valueAt(y as ReadDocument, field) as string | number];
      if (a !== b) return (a < b ? -1 : 1) * direction;
    }
    return 0;
  });
}

const tickets = Array.from({ length: 47 }, (_, index) => toStored({
  id: `t-${String(index).padStart(3, '0')}`, status: ['open', 'closed', 'pending'][index % 3]!, priority: index % 5, open: index % 3 !== 1,
  receivedAt: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(), owner: index % 4 === 0 ? null : { department: index % 2 === 0 ? 'ops' : 'quality' },
}));

describe('MongoDB translation', () => {
  describe('filters', () => {
    it('translates equality, null, nested fields, membership and ranges into operators built by the adapter', () => {
      expect(toMongoFilter({ status: 'open', owner: null, 'owner.department': 'ops', priority: { in: [0, 4] }, receivedAt: { gte: '2026-01-05', lt: '2026-01-10' } })).toEqual({
        status: { $eq: 'open' }, owner: null, 'owner.department': { $eq: 'ops' }, priority: { $in: [0, 4] }, receivedAt: { $gte: '2026-01-05', $lt: '2026-01-10' },
      });
      expect(toMongoFilter({ id: 't-001' })).toEqual({ _id: { $eq: 't-001' } });
      expect(toMongoFilter(undefined)).toEqual({});
    });

    it('filters a list field (CollectionSpec.arrays) by the values it holds, and refuses null or a range on one', () => {
      expect(toMongoFilter({ tags: 'vip', status: 'open' }, ['tags'])).toEqual({ tags: { $eq: 'vip' }, status: { $eq: 'open' } });
      expect(toMongoFilter({ tags: { in: ['vip', 7] } }, ['tags'])).toEqual({ tags: { $in: ['vip', 7] } });
      for (const tags of [null, { gte: 'a' }, { in: ['vip', null] }, true]) expect(() => toMongoFilter({ tags }, ['tags'])).toThrow(/tags is a list/);
      expect(() => toWriteModels([{ kind: 'put', collection: 'c', document: { id: 'x', tags: 'vip' } }], () => [], () => undefined, () => ['tags'])).toThrow(/tags is a list field/);
    });

    it('selects the same documents as the port\'s predicates', () => {
      const pick = (filter: Parameters<typeof toMongoFilter>[0]) => tickets.filter((ticket) => matches(ticket, toMongoFilter(filter))).map((ticket) => ticket._id);
      const ids = (predicate: (ticket: (typeof tickets)[number]) => boolean) => tickets.filter(predicate).map((ticket) => ticket._id);
      expect(pick({ open: false })).toEqual(ids((ticket) => ticket['open'] === false));
      expect(pick({ owner: null })).toEqual(ids((ticket) => ticket['owner'] === null));
      expect(pick({ 'owner.department': 'ops' })).toEqual(ids((ticket) => (ticket['owner'] as { department: string } | null)?.department === 'ops'));
      expect(pick({ priority: { gte: 1, lt: 3 } })).toEqual(ids((ticket) => (ticket['priority'] as number) >= 1 && (ticket['priority'] as number) < 3));
      expect(pick({ status: { in: [] } })).toEqual([]);
    });

    // The lists' `?department=unassigned` (and assignee, station, engineer) is a filter on null: a summary written before its
    // assigneeKey was kept has none, and MongoDB's `{field: null}` (unlike `$exists` or `$type: 'null'`) takes it too, as SQLite's IS NULL does.
    it('finds by null the documents where the field is null or absent, as SQLite does', () => {
      const documents = [toStored({ id: 'a', department: null }), toStored({ id: 'b' }), toStored({ id: 'c', department: 'ops' })];
      expect(toMongoFilter({ department: null, assigneeKey: null })).toEqual({ department: null, assigneeKey: null });
      expect(documents.filter((document) => matches(document, toMongoFilter({ department: null }))).map((document) => document._id)).toEqual(['a', 'b']);
    });

    it('never lets a value or a field name become an operator', () => {
      expect(() => toMongoFilter({ $where: 'sleep(1000)' })).toThrow(InvalidQueryError);
      expect(() => toMongoFilter({ status: { $gt: '' } as never })).toThrow(InvalidQueryError);
      expect(() => toMongoFilter({ status: { in: [{ $gt: '' }] } as never })).toThrow(InvalidQueryError);
      expect(() => toMongoFilter({ priority: { gte: { $ne: null } } as never })).toThrow(InvalidQueryError);
      expect(toMongoFilter({ status: '$ne' })).toEqual({ status: { $eq: '$ne' } });
    });
  });

  describe('sort and cursor', () => {
    it('sorts by the given fields and then by id in the last direction, without repeating an id sort', () => {
      expect(toMongoSort([{ field: 'priority', direction: 'desc' }, { field: 'receivedAt', direction: 'asc' }])).toEqual([['priority', -1], ['receivedAt', 1], ['_id', 1]]);
      expect(toMongoSort([{ field: 'receivedAt', direction: 'desc' }])).toEqual([['receivedAt', -1], ['_id', -1]]);
      expect(toMongoSort([{ field: 'id', direction: 'asc' }])).toEqual([['_id', 1]]);
    });

    it.each<[string, SortField[]]>([
      ['two fields, mixed directions', [{ field: 'priority', direction: 'desc' }, { field: 'receivedAt', direction: 'asc' }]],
      ['one field with ties, descending', [{ field: 'status', direction: 'desc' }]],
      ['the id alone', [{ field: 'id', direction: 'asc' }]],
    ])('pages through every document once in order: %s', (_name, sort) => {
      const order = toMongoSort(sort);
      const expected = sorted(tickets, order).map((ticket) => ticket._id);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const candidates = cursor ? tickets.filter((ticket) => matches(ticket, afterCursor(CURSOR_KEY, sort, cursor!))) : tickets;
        const page = sorted(candidates, order).slice(0, 10).map((ticket) => fromStored(ticket));
        seen.push(...page.map((document) => document.id));
        const last = page[page.length - 1];
        cursor = page.length === 10 && last ? pageCursor(CURSOR_KEY, sort, last) : undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
    });

    it('refuses a cursor of another shape', () => {
      expect(() => afterCursor(CURSOR_KEY, [{ field: 'priority', direction: 'asc' }], encodeCursor(CURSOR_KEY, [{ field: 'priority', direction: 'asc' }], ['only-one']))).toThrow(InvalidQueryError);
      expect(() => afterCursor(CURSOR_KEY, [], 'not-a-cursor')).toThrow(InvalidQueryError);
    });
  });

  describe('documents and writes', () => {
    it('stores a document with _id = id and reads it back unchanged', () => {
      const document = { id: 'c-1', status: 'open', nested: { list: [1, 2] } };
      expect(toStored(document)).toEqual({ _id: 'c-1', ...document });
      expect(fromStored(toStored(document))).toEqual(document);
    });

    it('groups the changes of a commit per physical collection as idempotent bulk writes, one per document: its last change', () => {
      const writes = toWriteModels([
        { kind: 'put', collection: 'list_v2__complaints', document: { id: 'a', n: 1 } },
        { kind: 'delete', collection: 'sla_v2__clocks', id: 'b' },
        { kind: 'put', collection: 'list_v2__complaints', document: { id: 'c', n: 1 } },
        { kind: 'put', collection: 'list_v2__complaints', document: { id: 'a', n: 2 } },
        { kind: 'put', collection: 'sla_v2__clocks', document: { id: 'd', n: 1 } },
        { kind: 'delete', collection: 'sla_v2__clocks', id: 'd' },
        { kind: 'put', collection: 'sla_v2__clocks', document: { id: 'b', n: 3 } },
      ]);
      expect([...writes.keys()]).toEqual(['list_v2__complaints', 'sla_v2__clocks']);
      // Distinct documents per collection, so the store may write them unordered.
      expect(writes.get('list_v2__complaints')).toEqual([
        { replaceOne: { filter: { _id: 'c' }, replacement: { _id: 'c', id: 'c', n: 1 }, upsert: true } },
        { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', id: 'a', n: 2 }, upsert: true } },
      ]);
      expect(writes.get('sla_v2__clocks')).toEqual([
        { deleteOne: { filter: { _id: 'd' } } },
        { replaceOne: { filter: { _id: 'b' }, replacement: { _id: 'b', id: 'b', n: 3 }, upsert: true } },
      ]);
    });

    it('refuses, before any write of the commit, a document whose keys the server cannot store or a dotted filter cannot reach', () => {
      const put = (document: ReadDocument) => ({ kind: 'put' as const, collection: 'list_v2__complaints', document });
      for (const document of [{ id: 'a', $set: 1 }, { id: 'a', 'owner.department': 'ops' }, { id: 'a', owner: [{ $ne: 1 }] }, { id: 'a', _id: 'b' }]) {
        expect(() => toWriteModels([put({ id: 'ok' }), put(document)])).toThrow(InvalidDocumentError);
      }
      expect(() => toWriteModels([put({ id: 'a', owner: { department: 'ops', 'code.x': 1 } })])).toThrow('document a of list_v2__complaints has the key "code.x" in owner');
      expect(toWriteModels([put({ id: 'a', price$: 1, nested: { _id: 'x' } })]).get('list_v2__complaints')).toHaveLength(1);
    });

    it('writes typed rows as flat documents in the columns\' order, as unordered upserts, and refuses a row that does not fit its columns', () => {
      const columns = [['position', { type: 'integer' }], ['reason', { type: 'text', nullable: true }]] as const;
      const put = (document: ReadDocument) => ({ kind: 'put' as const, collection: 'audit_v10__decisions', document });
      const columnsOf = (name: string) => (name === 'audit_v10__decisions' ? columns : undefined);
      const writes = toWriteModels([put({ reason: null, position: 2, id: 'b' }), put({ id: 'a', position: 1, reason: '改了' })], () => [], columnsOf);
      expect(writes.get('audit_v10__decisions')).toEqual([
        { replaceOne: { filter: { _id: 'b' }, replacement: { _id: 'b', id: 'b', position: 2, reason: null }, upsert: true } },
        { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', id: 'a', position: 1, reason: '改了' }, upsert: true } },
      ]);
      expect(Object.keys((writes.get('audit_v10__decisions')![0] as { replaceOne: { replacement: object } }).replaceOne.replacement)).toEqual(['_id', 'id', 'position', 'reason']);
      for (const row of [{ id: 'c', position: 1.5, reason: null }, { id: 'c', position: 1 }, { id: 'c', position: 1, reason: null, extra: 1 }]) {
        expect(() => toWriteModels([put({ id: 'ok', position: 1, reason: null }), put(row)], () => [], columnsOf)).toThrow(InvalidDocumentError);
      }
    });

    it('names collections and index keys as on SQLite', () => {
      expect(collectionName('complaint-list_v2__complaints')).toBe('complaint_list_v2__complaints');
      expect(indexKeys(['status', 'receivedAt'])).toEqual({ status: 1, receivedAt: 1 });
      expect(indexKeys(['id'])).toEqual({ _id: 1 });
    });
  });

  describe('compare-and-set (putIfVersion)', () => {
    it('puts the expected version in the filter, and for none matches a document without an integer version only', () => {
      expect(versionFilter('s-1', 3)).toEqual({ _id: 's-1', version: 3 });
      expect(versionFilter('s-1', -1)).toEqual({ _id: 's-1', version: -1 });
      expect(versionFilter('s-1', null)).toEqual({ _id: 's-1', version: { $not: { $type: 'number' } } });
    });
  });

  describe('checkpoint fence', () => {
    it('moves a checkpoint only from the expected position, treating a missing one as 0', () => {
      expect(checkpointFence('cp', 7, { journal: false })).toEqual({ filter: { _id: 'cp', position: 7 }, upsert: false });
      expect(checkpointFence('cp', 0, { journal: false })).toEqual({ filter: { _id: 'cp', $or: [{ position: 0 }, { position: { $exists: false } }] }, upsert: true });
      expect(checkpointFence('cp', undefined, { journal: false })).toEqual({ filter: { _id: 'cp' }, upsert: true });
    });

    it('also requires no pending batch in journal mode', () => {
      expect(checkpointFence('cp', 7, { journal: true })).toEqual({ filter: { _id: 'cp', pending: { $exists: false }, position: 7 }, upsert: false });
      expect(checkpointFence('cp', undefined, { journal: true })).toEqual({ filter: { _id: 'cp', pending: { $exists: false } }, upsert: true });
    });

    it('selects exactly the checkpoints a commit may move', () => {
      const checkpoints = [{ _id: 'cp' }, { _id: 'cp', position: 0 }, { _id: 'cp', position: 7 }, { _id: 'cp', position: 7, pending: 9 }, { _id: 'cp', position: 8 }];
      const movable = (expected: number | undefined, journal: boolean) => checkpoints.filter((checkpoint) => matches(checkpoint, checkpointFence('cp', expected, { journal }).filter));
      expect(movable(7, true)).toEqual([{ _id: 'cp', position: 7 }]);
      expect(movable(0, false)).toEqual([{ _id: 'cp' }, { _id: 'cp', position: 0 }]);
      expect(movable(undefined, true)).toEqual(checkpoints.filter((checkpoint) => !('pending' in checkpoint)));
    });
  });

  describe('journal (standalone server)', () => {
    const writesOf = (n: number) => toWriteModels([{ kind: 'put', collection: 'list_v2__complaints', document: { id: 'a', n } }, { kind: 'delete', collection: 'sla_v2__clocks', id: 'b' }]);
    const batchA = { position: 11, commit: 'commit-a' };
    const batchB = { position: 11, commit: 'commit-b' };
    const entriesA = journalEntries('cp', batchA, 10, writesOf(1));
    const entriesB = journalEntries('cp', batchB, 10, writesOf(2));

    it('tags every entry of a batch with its commit id, the position it continues from, and its order', () => {
      expect(entriesA).toEqual([
        { checkpoint: 'cp', commit: 'commit-a', expected: 10, position: 11, seq: 0, collection: 'list_v2__complaints', model: { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', id: 'a', n: 1 }, upsert: true } } },
        { checkpoint: 'cp', commit: 'commit-a', expected: 10, position: 11, seq: 1, collection: 'sla_v2__clocks', model: { deleteOne: { filter: { _id: 'b' } } } },
      ]);
      expect(journalEntries('cp', batchA, undefined, writesOf(1)).every((entry) => !('expected' in entry))).toBe(true);
    });

    it('two writers of one batch and a crash: the one whose fence failed removes only its own entries, and the roll-forward replays only the batch that passed', () => {
      // A passed its commit point (pending = batch A) and crashed before applying; B's fence failed after it journaled the same positions.
      const journal = [...entriesA, ...entriesB];
      const afterCleanUp = journal.filter((entry) => !matches(entry, batchEntries('cp', batchB)));
      expect(afterCleanUp).toEqual(entriesA);
      expect(afterCleanUp.filter((entry) => matches(entry, batchEntries('cp', batchA)))).toEqual(entriesA);
      expect(journal.filter((entry) => matches(entry, batchEntries('cp', batchA)))).toEqual(entriesA);
    });

    it('finishes only the batch it marked pending', () => {
      const checkpoints = [{ _id: 'cp', position: 10, pending: batchA }, { _id: 'cp', position: 10, pending: batchB }, { _id: 'cp', position: 10 }, { _id: 'other', position: 10, pending: batchA }];
      expect(checkpoints.filter((checkpoint) => matches(checkpoint, pendingMatch('cp', batchA)))).toEqual([checkpoints[0]]);
    });

    it('voids only entries whose commit can no longer pass its fence: never a pending batch\'s, never one that names no position', () => {
      const unfenced = journalEntries('cp', { position: 12, commit: 'commit-c' }, undefined, writesOf(3));
      const legacy = { checkpoint: 'cp', position: 9, seq: 0, collection: 'c', model: { deleteOne: { filter: { _id: 'x' } } } };
      const journal = [...entriesA, ...unfenced, legacy, ...journalEntries('other', batchB, 3, writesOf(4))];
      // Batch A is pending at position 10: its entries stay; the entry of an older version (no commit id) goes.
      expect(journal.filter((entry) => matches(entry, voidEntries('cp', 10)))).toEqual([legacy]);
      // Once the checkpoint is at 11, a batch that expected 10 can never pass its fence.
      expect(journal.filter((entry) => matches(entry, voidEntries('cp', 11)))).toEqual([...entriesA, legacy]);
    });

    it('replays a batch journaled by an earlier version (a position, no commit id) by its position', () => {
      const legacy = { checkpoint: 'cp', position: 11, seq: 0, collection: 'c', model: { deleteOne: { filter: { _id: 'x' } } } };
      expect([legacy, ...entriesA].filter((entry) => matches(entry, batchEntries('cp', 11)))).toEqual([legacy]);
      expect([{ _id: 'cp', pending: 11 }, { _id: 'cp', pending: batchA }].filter((checkpoint) => matches(checkpoint, pendingMatch('cp', 11)))).toEqual([{ _id: 'cp', pending: 11 }]);
    });
  });

  describe('idempotency keys', () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    const later = (ms: number) => new Date(now.getTime() + ms);
    const response = { fingerprint: 'sha256-1', status: 201, headers: { ETag: '"0"', Location: '/complaints/c-1' }, body: { id: 'c-1', $odd: { 'a.b': 1 } } };

    it('stores a record the TTL index can expire: expiresAt a Date, TTL from when it was stored, headers and body as exact text', () => {
      const { replacement, options } = idempotencyPut('agent-1', 'k-1', response, now, 3_600_000);
      expect(replacement).toEqual({
        _id: { principal: 'agent-1', key: 'k-1' }, fingerprint: 'sha256-1', status: 201, headers: JSON.stringify(response.headers), body: JSON.stringify(response.body),
        subject: 'c-1', createdAt: now, expiresAt: later(3_600_000),
      });
      // The subject an erasure forgets by: the body's id, when it has one.
      expect(idempotencyPut('agent-1', 'k-2', { ...response, body: { revision: 0 } }, now, 3_600_000).replacement).not.toHaveProperty('subject');
      expect(replacement.expiresAt).toBeInstanceOf(Date);
      expect(options).toEqual({ upsert: true });
      expect(fromIdempotencyRecord(replacement)).toEqual(response);
      expect(IDEMPOTENCY_TTL_INDEX).toEqual({ key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } });
    });

    it('replaces only an expired record, so the first live response wins, and reads a record only while it lives', () => {
      const record = idempotencyPut('agent-1', 'k-1', response, now, 60_000).replacement;
      const other = idempotencyPut('agent-2', 'k-1', response, now, 60_000).replacement;
      const replaceable = (at: Date) => [record, other].filter((candidate) => matches(candidate, idempotencyPut('agent-1', 'k-1', response, at, 60_000).filter));
      expect(replaceable(later(59_999))).toEqual([]);
      expect(replaceable(later(60_000))).toEqual([record]);
      const live = (at: Date) => [record, other].filter((candidate) => matches(candidate, liveIdempotencyKey('agent-1', 'k-1', at)));
      expect(live(later(59_999))).toEqual([record]);
      expect(live(later(60_000))).toEqual([]);
    });
  });

  describe('projector lease', () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    const later = (ms: number) => new Date(now.getTime() + ms);
    const take = (stored: Record<string, unknown> | undefined, holder: string, ttlMs = 15_000) => {
      const { filter, update } = leaseTakeover('projector', holder, ttlMs);
      return upsertWithPipeline(stored, filter, update, now);
    };

    it('filters on the lease id alone, and decides the take-over in the update (the server refuses $expr in an upsert\'s query)', () => {
      const { filter, update, options } = leaseTakeover('projector', 'host-a:1', 15_000);
      expect(filter).toEqual({ _id: 'projector' });
      expect(options).toEqual({ upsert: true, returnDocument: 'after' });
      expect(keysOf(update)).toContain('$cond');
    });

    it('takes a lease nobody holds', () => {
      const lease = take(undefined, 'host-a:1');
      expect(lease).toEqual({ _id: 'projector', holder: 'host-a:1', expiresAt: later(15_000) });
      expect(holdsLease(lease, 'host-a:1')).toBe(true);
    });

    it('renews its own lease from the server\'s time', () => {
      const lease = take({ _id: 'projector', holder: 'host-a:1', expiresAt: later(2_000) }, 'host-a:1', 30_000);
      expect(lease).toEqual({ _id: 'projector', holder: 'host-a:1', expiresAt: later(30_000) });
      expect(holdsLease(lease, 'host-a:1')).toBe(true);
    });

    it('leaves a running lease of another holder as it is', () => {
      const held = { _id: 'projector', holder: 'host-a:1', expiresAt: later(1) };
      const lease = take(held, 'host-b:2');
      expect(lease).toEqual(held);
      expect(holdsLease(lease, 'host-b:2')).toBe(false);
    });

    it('takes over a lease that has expired, at its very expiry too', () => {
      for (const expiresAt of [later(-60_000), now]) {
        const lease = take({ _id: 'projector', holder: 'host-a:1', expiresAt }, 'host-b:2');
        expect(lease).toEqual({ _id: 'projector', holder: 'host-b:2', expiresAt: later(15_000) });
        expect(holdsLease(lease, 'host-b:2')).toBe(true);
      }
    });

    it('replaces a running lease of the dead holder the caller names, and of no other holder', () => {
      const held = { _id: 'projector', holder: 'host-a:1:x', expiresAt: later(60_000) };
      const replace = (stored: Record<string, unknown>, holder: string, dead: string) => {
        const { filter, update } = leaseTakeover('projector', holder, 15_000, dead);
        return upsertWithPipeline(stored, filter, update, now);
      };
      expect(replace(held, 'host-a:2:y', 'host-a:1:x')).toEqual({ _id: 'projector', holder: 'host-a:2:y', expiresAt: later(15_000) });
      expect(replace(held, 'host-a:2:y', 'host-a:3:z')).toEqual(held);
      expect(replace(held, 'host-a:2:y', '$holder')).toEqual(held);
    });

    it('reads who holds a lease only while it runs, on the server\'s clock', () => {
      const query = runningLease('projector');
      expect(query['_id']).toBe('projector');
      const runs = (expiresAt: unknown) => evaluate(query['$expr'], { _id: 'projector', holder: 'host-a:1', expiresAt }, now);
      expect([runs(later(1)), runs(now), runs(later(-1))]).toEqual([true, false, false]);
    });

    // An expiry edited by hand into no date: a timestamp, a regex or MaxKey sorts after every date in BSON's order, so
    // `expiresAt <= $$NOW` never held and the lease was held for ever (a LOW); every value that is no date is run out.
    const noTimes: Array<[string, unknown]> = [
      ['a string', 'soon'], ['bytes', new Binary(Buffer.from([0, 255]))], ['null', null], ['none', undefined], ['a number', 1e15],
      ['a timestamp', new Timestamp({ t: 2_000_000_000, i: 1 })], ['a regular expression', new BSONRegExp('soon')], ['MaxKey', new MaxKey()],
    ];
    it.each(noTimes)('takes a lease whose expiry is %s (no time it could run out at) as run out, and reads nobody as its holder', (_, expiresAt) => {
      const stored: Record<string, unknown> = { _id: 'projector', holder: 'edited', ...(expiresAt === undefined ? {} : { expiresAt }) };
      expect(take(stored, 'host-b:2')).toEqual({ _id: 'projector', holder: 'host-b:2', expiresAt: later(15_000) });
      expect(evaluate(runningLease('projector')['$expr'], stored, now)).toBe(false);
    });

    it('compares a holder that looks like a field path as text', () => {
      const held = { _id: 'projector', holder: 'host-a:1', expiresAt: later(60_000), '$evil': 'x' };
      expect(holdsLease(take(held, '$holder'), '$holder')).toBe(false);
      expect(take(undefined, '$holder')['holder']).toBe('$holder');
      expect(holdsLease(null, 'host-a:1')).toBe(false);
    });
  });

  // The leases' collection dropped by hand (docs/adr/0005): the next upsert made it again empty and a waiting process took the
  // projector lease at once, while the holder, whose document went with it, still projected. The mark says when it was made again.
  describe('leases made again after a drop by hand', () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    const later = (ms: number) => new Date(now.getTime() + ms);
    const check = (stored: Record<string, unknown> | undefined, at = now) => {
      const { filter, update } = leasesMarkCheck();
      return upsertWithPipeline(stored, filter, update, at);
    };

    it('keeps the mark a store makes when it connects, with no time made again', () => {
      expect(leasesMarkAtConnect.filter).toEqual({ _id: '' });
      expect(leasesMarkAtConnect.update).toEqual({ $setOnInsert: { holder: '', remadeAt: null } });
      const connected = { _id: '', holder: '', remadeAt: null };
      expect(check(connected)).toEqual({ ...connected, checkedAt: now });
      expect(leasesHeldBack(check(connected), 15_000)).toBe(false);
    });

    it('makes the mark again with the server\'s time when it is missing (the collection went while the store was open)', () => {
      const { options } = leasesMarkCheck();
      expect(options).toEqual({ upsert: true, returnDocument: 'after' });
      expect(check(undefined)).toEqual({ _id: '', holder: '', remadeAt: now, checkedAt: now });
      expect(leasesHeldBack(check(undefined), 15_000)).toBe(true);
    });

    it('holds a lease without a document back for one ttl after the time made again, on the server\'s clock, and keeps that time', () => {
      const remade = { _id: '', holder: '', remadeAt: now };
      expect(check(remade, later(14_999))).toEqual({ ...remade, checkedAt: later(14_999) });
      expect(leasesHeldBack(check(remade, later(14_999)), 15_000)).toBe(true);
      expect(leasesHeldBack(check(remade, later(15_000)), 15_000)).toBe(false);
      expect(leasesHeldBack(check(remade, later(400)), 300)).toBe(false);
    });

    it('holds nothing back for a mark edited into something that is no time, or none at all', () => {
      for (const remadeAt of ['soon', 1e15, null, undefined, new Timestamp({ t: 2_000_000_000, i: 1 }), new Date(Number.NaN)]) {
        expect(leasesHeldBack({ remadeAt, checkedAt: now }, 15_000)).toBe(false);
      }
      expect(leasesHeldBack(null, 15_000)).toBe(false);
      expect(leasesHeldBack({ remadeAt: now }, 15_000)).toBe(false);
    });

    it('needs no write for a take while the mark is there and records no remaking (a reviewer: every SharedTurns turn wrote the one shared mark)', () => {
      expect(leasesMarkSettled({ _id: '', holder: '', remadeAt: null })).toBe(true);
      expect(leasesMarkSettled(null)).toBe(false); // gone with the collection: made again, with the time
      expect(leasesMarkSettled({ _id: '' })).toBe(false); // made by an upsert of another take: no holder yet
      expect(leasesMarkSettled({ _id: '', holder: '', remadeAt: now })).toBe(false); // remade: the server's time decides
      expect(leasesMarkSettled({ _id: '', holder: '', remadeAt: 'soon' })).toBe(true); // edited into no time: holds nothing back
    });
  });

  describe('upserts', () => {
    it('never carry $expr in their filter: the server refuses it in an upsert (error 224, SERVER-59704)', () => {
      const upserts: Array<[string, Record<string, unknown>]> = [
        ['lease', leaseTakeover('projector', 'host-a:1', 15_000).filter],
        ['leases\' mark', leasesMarkCheck().filter],
        ['leases\' mark at connect', leasesMarkAtConnect.filter],
        ...[undefined, 0, 7].flatMap((expected) => [false, true].map((journal): [string, Record<string, unknown>] => [`checkpoint fence ${expected} ${journal}`, checkpointFence('cp', expected, { journal }).filter])),
        ...[...toWriteModels([{ kind: 'put', collection: 'c', document: { id: 'a', n: 1 } }]).values()].flat()
          .flatMap((model): Array<[string, Record<string, unknown>]> => ('replaceOne' in model ? [['document put', model.replaceOne.filter]] : [])),
        ['idempotency key', idempotencyPut('agent-1', 'k', { fingerprint: 'f', status: 201, headers: {}, body: {} }, new Date(), 1000).filter],
      ];
      expect(upserts.length).toBeGreaterThan(7);
      for (const [name, filter] of upserts) expect([name, keysOf(filter).filter((key) => key === '$expr' || key === '$where' || key === '$function')]).toEqual([name, []]);
    });
  });

  describe('update pipelines', () => {
    // An update pipeline reads only the document it updates: a lease cannot look at the leases' mark in the same write, which is
    // why the take without a document checks the mark in a write of its own (docs/adr/0005). The server refuses any other stage.
    it('are one stage of those MongoDB allows in an update (none reads another document), so its expressions agree on the document before it', () => {
      const allowed = ['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith'];
      const pipelines: Array<[string, Array<Record<string, unknown>>]> = [
        ['lease', leaseTakeover('projector', 'host-a:1', 15_000).update],
        ['lease replacing a dead holder', leaseTakeover('projector', 'host-a:1', 15_000, 'host-a:9').update],
        ['leases\' mark', leasesMarkCheck().update],
      ];
      for (const [name, pipeline] of pipelines) {
        expect([name, pipeline.length]).toEqual([name, 1]);
        expect([name, pipeline.flatMap((stage) => Object.keys(stage)).filter((stage) => !allowed.includes(stage))]).toEqual([name, []]);
      }
    });
  });

  describe('deployment', () => {
    it('uses transactions on a replica set or a sharded cluster, the journal on a standalone server', () => {
      expect(supportsTransactions({ setName: 'rs0', logicalSessionTimeoutMinutes: 30 })).toBe(true);
      expect(supportsTransactions({ msg: 'isdbgrid', logicalSessionTimeoutMinutes: 30 })).toBe(true);
      expect(supportsTransactions({ logicalSessionTimeoutMinutes: 30 })).toBe(false);
    });

    it('reads the database from the URL', () => {
      expect(databaseOf('mongodb://localhost:27017/desk?replicaSet=rs0')).toBe('desk');
      expect(databaseOf('mongodb://h1:27017,h2:27017/?replicaSet=rs0')).toBe('complaint_desk');
      expect(databaseOf('mongodb+srv://cluster.example.net/analytics')).toBe('analytics');
    });
  });

  describe('text search', () => {
    it('stores the text fields lower-cased beside the document, and reads the document back without it', () => {
      const writes = toWriteModels([{ kind: 'put', collection: 'cards', document: { id: 'c1', name: 'Mr. WANG 李', contact: { phone: '138' }, tags: ['VIP', 7], other: 'x' } }],
        (name) => (name === collectionName('cards') ? ['name', 'contact.phone', 'tags'] : []));
      const replacement = (writes.get(collectionName('cards'))![0] as { replaceOne: { replacement: Record<string, unknown> } }).replaceOne.replacement;
      expect(replacement['_text']).toBe('mr. wang 李\u0001138\u0001vip');
      expect(fromStored(replacement)).toEqual({ id: 'c1', name: 'Mr. WANG 李', contact: { phone: '138' }, tags: ['VIP', 7], other: 'x' });
      const plain = toWriteModels([{ kind: 'put', collection: 'other', document: { id: 'o1', name: 'x' } }]);
      expect((plain.get(collectionName('other'))![0] as { replaceOne: { replacement: Record<string, unknown> } }).replaceOne.replacement).not.toHaveProperty('_text');
    });

    it('searches the stored text literally, whatever the search holds', () => {
      for (const [text, stored, matches] of [
        ['100%', 'got 100% back', true], ['a.b', 'axb', false], ['(x)*', 'the (x)* form', true], ['[a-z]', 'b', false], ['\\d', 'a\\d', true], ['WANG', 'mr. wang', true], ['$^', 'x$^y', true],
      ] as const) {
        const { $regex } = (textFilter(text) as { _text: { $regex: string } })._text;
        expect([text, new RegExp($regex).test(stored)]).toEqual([text, matches]);
      }
      expect(() => textFilter('')).toThrow(InvalidQueryError);
    });
  });
});
