import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ReadDocument } from '@app/read-store';
import { addInPlace, ownedCopy, withAmounts } from './amounts';

describe('adding amounts to a document (ProjectionContext.add)', () => {
  const initial = { id: 'b-1', met: 0, breached: 0, sketch: { count: 0, bins: {} } };

  it('given a missing document, when amounts are added, then it starts from the initial one and missing fields from 0', () => {
    expect(withAmounts(initial, initial, [['met', 2], ['sketch.count', 1], ['sketch.bins.12', 1]]))
      .toEqual({ id: 'b-1', met: 2, breached: 0, sketch: { count: 1, bins: { 12: 1 } } });
  });

  it('never changes the document it was given', () => {
    const document = { id: 'b-1', met: 1, breached: 0, sketch: { count: 1, bins: { 7: 1 } } };
    const before = JSON.stringify(document);
    withAmounts(document, initial, [['met', 1], ['sketch.bins.7', -1], ['sketch.bins.9', 1]]);
    expect(JSON.stringify(document)).toBe(before);
  });

  it('removes a field that reaches 0 unless the initial document has it, and objects left empty that it does not have', () => {
    const document = withAmounts(initial, initial, [['met', 1], ['sketch.bins.7', 1], ['extra.a', 1]]);
    expect(withAmounts(document, initial, [['met', -1], ['sketch.bins.7', -1], ['extra.a', -1]])).toEqual(initial);
  });

  it('gives the same bytes whatever the grouping into batches (keys sorted where they changed)', () => {
    const steps: Array<Array<[string, number]>> = [[['sketch.bins.-3', 1]], [['sketch.bins.5', 1], ['sketch.bins.-3', -1]], [['sketch.bins.-3', 1], ['sketch.bins.b', 1]], [['sketch.bins.a', 1]]];
    const oneByOne = steps.reduce<ReadDocument>((document, amounts) => withAmounts(document, initial, amounts), initial);
    const summed = new Map<string, number>();
    for (const [path, amount] of steps.flat()) summed.set(path, (summed.get(path) ?? 0) + amount);
    const inOneBatch = withAmounts(initial, initial, summed);
    expect(JSON.stringify(inOneBatch)).toBe(JSON.stringify(oneByOne));
  });

  it('takes any key as a plain field, names of Object.prototype\'s members and __proto__ included (they come from user input: question ids, agent ids)', () => {
    const keys = ['valueOf', 'constructor', 'toString', 'hasOwnProperty', '__proto__'];
    const once = withAmounts(initial, initial, keys.flatMap((key): Array<[string, number]> => [[`questions.${key}.sum`, 4], [`questions.${key}.count`, 1], [key, 2]]));
    const twice = withAmounts(once, initial, keys.map((key): [string, number] => [`questions.${key}.sum`, 3]));
    for (const key of keys) {
      expect(Object.getOwnPropertyDescriptor((twice['questions'] as Record<string, unknown>), key)?.value).toEqual({ count: 1, sum: 7 });
      expect(Object.getOwnPropertyDescriptor(twice, key)?.value).toBe(2);
    }
    // Nothing leaked into the prototypes, and the document survives JSON as the store keeps it.
    expect(Object.getPrototypeOf(twice)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['sum']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(twice))).toEqual(twice);
    const removed = withAmounts(twice, initial, keys.flatMap((key): Array<[string, number]> => [[`questions.${key}.sum`, -7], [`questions.${key}.count`, -1], [key, -2]]));
    expect(removed).toEqual(initial);
  });

  it('refuses an amount that is not a whole number, and a path through a value that is not an object or a number', () => {
    expect(() => withAmounts(initial, initial, [['met', 0.5]])).toThrow(/not a whole number/);
    expect(() => withAmounts({ ...initial, label: 'x' }, initial, [['label', 1]])).toThrow(/not a number/);
    expect(() => withAmounts({ ...initial, label: 'x' }, initial, [['label.a', 1]])).toThrow(/not an object/);
  });
});

describe('sums past the safe integers', () => {
  const initial = { id: 'b-1', fees: {} };
  const max = Number.MAX_SAFE_INTEGER;

  it('fails naming the field and the exact sum when a sum would pass 2^53 - 1, however the amounts come (never a rounded figure)', () => {
    const once = withAmounts(initial, initial, [['fees.CNY.minorUnits', max]]);
    expect(() => withAmounts(once, initial, [['fees.CNY.minorUnits', 1]])).toThrow('add: fees.CNY.minorUnits would be 9007199254740992, past 9007199254740991');
    expect(() => withAmounts(once, initial, [['fees.CNY.minorUnits', max]])).toThrow(/fees\.CNY\.minorUnits would be 18014398509481982,/);
    expect(() => withAmounts(initial, initial, [['fees.CNY.minorUnits', max], ['fees.CNY.minorUnits', max]])).toThrow(/fees\.CNY\.minorUnits would be 18014398509481982,/);
    expect(() => withAmounts({ ...initial, low: -max }, initial, [['low', -1]])).toThrow(/low would be -9007199254740992,/);
  });

  it('names an amount that is whole but past the safe integers as such, and still adds up to the bound exactly', () => {
    expect(() => withAmounts(initial, initial, [['fees.CNY.minorUnits', 2 ** 60]])).toThrow(/fees\.CNY\.minorUnits is 1152921504606846976, past 9007199254740991/);
    expect(withAmounts(withAmounts(initial, initial, [['n', max - 1]]), initial, [['n', 1]])).toEqual({ ...initial, n: max });
  });
});

describe('the order of keys after add', () => {
  it('is sorted on every object of a changed path, the way JavaScript lists them (indexes first), so a field made and removed leaves no trace', () => {
    const initial = { id: 'x', zeta: 0, alpha: 0, nested: { b: 0, a: 0 } };
    const madeAndRemoved = withAmounts(withAmounts(initial, initial, [['nested.c', 1]]), initial, [['nested.c', -1]]);
    const untouchedByNet = withAmounts(initial, initial, [['alpha', 1], ['alpha', -1], ['nested.a', 0]]);
    expect(JSON.stringify(madeAndRemoved)).toBe('{"alpha":0,"id":"x","nested":{"a":0,"b":0},"zeta":0}');
    expect(Object.keys(withAmounts(initial, initial, [['nested.12', 1], ['nested.7', 1], ['nested.-1', 1]]).nested as object)).toEqual(['7', '12', '-1', 'a', 'b']);
    expect(untouchedByNet).toEqual(initial);
  });
});

describe('the order of keys, checked without sorting when already in order', () => {
  it('lists index keys first by value, then the names (07 among them)', () => {
    const initial = { id: 'x', bins: {} };
    const added = withAmounts(initial, initial, ['b', '07', '10', '0', '9', 'a'].map((key): [string, number] => [`bins.${key}`, 1]));
    expect(JSON.stringify(added.bins)).toBe('{"0":1,"9":1,"10":1,"07":1,"a":1,"b":1}');
  });

  it('sorts objects inside arrays on a changed path, and gives back a document in order as it was (no copy)', () => {
    const base = { id: 'x', count: 0, list: [{ b: 1, a: 2 }, 3] } as ReadDocument;
    const added = withAmounts(base, base, [['count', 1]]);
    expect(JSON.stringify(added)).toBe('{"count":1,"id":"x","list":[{"a":2,"b":1},3]}');
    expect(base['list']).toEqual([{ b: 1, a: 2 }, 3]);
    const again = withAmounts(added, base, [['count', 1]]);
    expect(again['list']).toBe(added['list']);
  });
});

describe('a document whose amounts net to zero in one batch and not in another', () => {
  it('is the same bytes either way, even when its initial value lists its keys out of order', () => {
    const initial = { id: 'b', sketch: { count: 0, sum: 0, buckets: {} }, received: 0 };
    const eventByEvent = withAmounts(withAmounts(initial, initial, [['sketch.count', 1], ['sketch.buckets.4', 1], ['received', 1]]), initial, [['sketch.count', -1], ['sketch.buckets.4', -1], ['received', -1]]);
    const netZero = withAmounts(initial, initial, [['sketch.count', 0], ['sketch.buckets.4', 0], ['received', 0]]);
    expect(JSON.stringify(netZero)).toBe(JSON.stringify(eventByEvent));
    expect(JSON.stringify(netZero)).toBe('{"id":"b","received":0,"sketch":{"buckets":{},"count":0,"sum":0}}');
  });
});

describe('amounts added in place to a document the runtime owns (docs/adr/0011, tenth step)', () => {
  const inPlace = (document: ReadDocument, initial: ReadDocument, amounts: Array<[string, number]>): ReadDocument => {
    const owned = ownedCopy(document) as ReadDocument;
    addInPlace(owned, initial, amounts);
    return owned;
  };
  const initial = { id: 'b', zeta: 0, sketch: { sum: 0, count: 0, buckets: {} }, alpha: 0 };
  const keys = ['valueOf', 'constructor', '__proto__', 'b', '07', '10', '0', 'a'];
  const cases: Array<[string, ReadDocument, Array<[string, number]>]> = [
    ['from the initial document, its keys out of order', initial, [['sketch.count', 1], ['sketch.buckets.12', 1], ['sketch.buckets.7', 1], ['alpha', 2]]],
    ['fields reaching 0, objects left empty', { ...initial, extra: { a: 1 }, sketch: { count: 1, sum: 3, buckets: { 4: 1 } } }, [['extra.a', -1], ['sketch.buckets.4', -1], ['sketch.count', -1], ['zeta', 0]]],
    ['any key, indexes and names of Object.prototype\'s members', initial, keys.flatMap((key): Array<[string, number]> => [[`questions.${key}.sum`, 4], [key, 2], [`sketch.buckets.${key}`, 1]])],
    ['objects inside arrays, out of order', { id: 'x', count: 0, list: [{ b: 1, a: 2 }, 3] }, [['count', 1]]],
  ];

  it.each(cases)('gives the bytes withAmounts gives: %s', (_, document, amounts) => {
    expect(JSON.stringify(inPlace(document, initial, amounts))).toBe(JSON.stringify(withAmounts(document, initial, amounts)));
  });

  it.each(cases)('gives the same bytes on a copy known to be in order, looking only at the objects given a key (eleventh step): %s', (_, document, amounts) => {
    const owned = ownedCopy(document) as ReadDocument;
    addInPlace(owned, initial, new Map(amounts.map(([path]) => [path, 0])), true);
    for (const [path, amount] of amounts) addInPlace(owned, initial, new Map([[path, amount]]), true);
    expect(JSON.stringify(owned)).toBe(JSON.stringify(withAmounts(document, initial, amounts)));
  });

  it('changes the document itself, batch after batch, to the bytes of one batch with every amount; never the initial document', () => {
    const frozen = JSON.stringify(initial);
    const owned = ownedCopy(initial) as ReadDocument;
    const steps: Array<Array<[string, number]>> = [[['sketch.buckets.-3', 1]], [['sketch.buckets.5', 1], ['sketch.buckets.-3', -1]], [['sketch.buckets.-3', 1], ['sketch.buckets.b', 1]], [['extra.a', 1]], [['extra.a', -1]]];
    for (const amounts of steps) addInPlace(owned, initial, amounts);
    expect(JSON.stringify(owned)).toBe(JSON.stringify(withAmounts(initial, initial, steps.flat())));
    expect(JSON.stringify(initial)).toBe(frozen);
    expect(() => addInPlace(owned, initial, [['alpha', 0.5]])).toThrow(/not a whole number/);
  });
});

describe('objects keyed by large numbers (a sketch\'s buckets), made by the runtime (docs/adr/0011, fifteenth step)', () => {
  // V8 keeps an object's index keys in an array as long as the largest index, when the object is new and the
  // gap small: a sketch bucket such as 950 made a 1,400-slot array (about 7 kB) per object. What is kept alive
  // by the documents built here is measured after a full collection.
  const collect = (): (() => void) => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  };
  const retainedPerDocument = (make: (index: number) => ReadDocument): number => {
    const gc = collect();
    const kept: ReadDocument[] = [];
    gc();
    const before = getHeapStatistics().used_heap_size;
    for (let index = 0; index < 2_000; index += 1) kept.push(make(index));
    gc();
    const after = getHeapStatistics().used_heap_size;
    expect(kept).toHaveLength(2_000);
    return (after - before) / kept.length;
  };
  const initial = { id: 'b', count: 0, sketch: { count: 0, buckets: {} } };

  it('keeps a few hundred bytes per document, not an array as long as the bucket number, for a new document and for a new sketch', () => {
    const copied = retainedPerDocument((index) => {
      const document = ownedCopy(initial) as ReadDocument;
      addInPlace(document, initial, new Map([['count', 1], ['sketch.count', 1], [`sketch.buckets.${900 + (index % 200)}`, 1], [`sketch.buckets.${1_100 + (index % 50)}`, 2]]), true);
      return document;
    });
    const made = retainedPerDocument((index) => {
      const document = ownedCopy({ id: 'b', count: 0 }) as ReadDocument;
      addInPlace(document, initial, new Map([[`other.buckets.${950 + (index % 100)}`, 1]]), true);
      return document;
    });
    expect(copied).toBeLessThan(1_500);
    expect(made).toBeLessThan(1_500);
  });

  it('gives the same bytes and keys as before (index keys by value, then the names)', () => {
    const document = ownedCopy({ id: 'b', sketch: { buckets: { 1200: 1, 40: 2 } } }) as ReadDocument;
    addInPlace(document, initial, new Map([['sketch.buckets.950', 1], ['sketch.buckets.3', 1], ['sketch.buckets.1200', -1], ['fresh.5000', 1], ['fresh.07', 1]]), true);
    expect(JSON.stringify(document)).toBe('{"fresh":{"5000":1,"07":1},"id":"b","sketch":{"buckets":{"3":1,"40":2,"950":1}}}');
    expect(Object.keys((document['sketch'] as { buckets: object }).buckets)).toEqual(['3', '40', '950']);
  });
});
