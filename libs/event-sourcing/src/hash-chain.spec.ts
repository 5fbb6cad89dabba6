import { createHash } from 'node:crypto';
import { canonicalJson, chainHash, chainStart, verifyChain, type ChainedEvent } from './hash-chain';

const stream = 'complaint-1';
function chain(events: ChainedEvent[]): Array<ChainedEvent & { revision: number; metadata: Record<string, unknown> & { hash: string } }> {
  let previous = chainStart(stream);
  return events.map((event, revision) => {
    previous = chainHash(previous, event);
    return { ...event, revision, metadata: { ...event.metadata, hash: previous } };
  });
}
const base = [
  { type: 'A', data: { n: 1 }, metadata: { actor: { id: 'x', role: 'agent' } } },
  { type: 'B', data: { n: 2 }, metadata: { actor: { id: 'y', role: 'agent' } } },
  { type: 'C', data: { n: 3 }, metadata: { actor: { id: 'z', role: 'agent' } } },
];

describe('hash chain', () => {
  it('verifies an intact stream and reports its head', () => {
    const events = chain(base);
    expect(verifyChain(stream, events)).toEqual({ ok: true, stream, events: 3, head: events[2]!.metadata.hash });
  });

  // The audit access CSV's file name and its OpenAPI text give this head for `chain-intact-0` (no row to read it from).
  it('reports the chain\'s start, the SHA-256 of `stream:<name>`, as the head of a stream with no event', () => {
    expect(verifyChain('access-control', [])).toEqual({ ok: true, stream: 'access-control', events: 0, head: '65ad91f8522d8e424a153bea07cd717dc3b30d4edddcfcbe05430d7dbb94064d' });
  });

  it('does not depend on the order of object keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(chainHash('p', { type: 'T', data: { x: 1, y: 2 }, metadata: {} })).toBe(chainHash('p', { type: 'T', data: { y: 2, x: 1 }, metadata: {} }));
  });

  it('writes the same text to the byte as the form the chains of stored logs were hashed with', () => {
    // The form canonicalJson had when every stored hash was taken; a faster one must not differ on any value.
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${reference(item)}`).join(',')}}`;
      }
      return JSON.stringify(value) ?? 'null';
    };
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    const values: unknown[] = [
      null, undefined, true, 0, -0, 1.5e300, Number.NaN, Infinity, '', 'a"b\\c\n\u2028\ud800', '加油机显示40升', [], {}, [undefined, null, () => 1], sparse, new Array(3),
      { b: 1, a: undefined, c: [{ z: undefined, y: 'x' }] }, { '10': 1, '2': 2, a: 3, A: 4, 'é': 5, 'e\u0301': 6, '😀': 7, '\uffff': 8 }, new Date(0), Buffer.from('ab'),
      { nested: { deeper: { deepest: [1, [2, [3, { k: 'v' }]]] } }, fn: () => 1, sym: Symbol('s') },
    ];
    // Generated values: objects, arrays and leaves of every kind, keys in random orders.
    let seed = 17;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const leaf = () => [null, undefined, true, false, Math.floor(random() * 1000) - 500, random() * 1e6, `s${Math.floor(random() * 99)}"\\`, '客户'][Math.floor(random() * 8)];
    const generate = (depth: number): unknown => {
      if (depth === 0 || random() < 0.3) return leaf();
      if (random() < 0.4) return Array.from({ length: Math.floor(random() * 4) }, () => generate(depth - 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 6) }, () => [['id', 'at', 'Z', '_', '0', '12', '3', 'data', '名'][Math.floor(random() * 9)]! + (random() < 0.5 ? '' : String(Math.floor(random() * 9))), generate(depth - 1)]));
    };
    for (let index = 0; index < 2000; index += 1) values.push(generate(5));
    for (const value of values) expect(canonicalJson(value)).toBe(reference(value));
    // And the hash over it is the digest of its UTF-8 bytes as createHash gave it (lone surrogates included).
    for (const value of values.slice(0, 200)) {
      const event = { type: 'T', data: { value }, metadata: { hash: 'not covered', actor: { id: 'a', role: 'agent' } } };
      expect(chainHash('p', event)).toBe(createHash('sha256').update(`p${reference({ type: 'T', data: { value }, metadata: { actor: { id: 'a', role: 'agent' } } })}`, 'utf8').digest('hex'));
    }
  });

  it('catches a changed event at its revision', () => {
    const events = chain(base);
    events[1] = { ...events[1]!, data: { n: 20 } };
    expect(verifyChain(stream, events)).toMatchObject({ ok: false, revision: 1, found: events[1]!.metadata.hash });
  });

  it('catches changed audited metadata (who decided)', () => {
    const events = chain(base);
    events[0] = { ...events[0]!, metadata: { ...events[0]!.metadata, actor: { id: 'someone-else', role: 'admin' } } };
    expect(verifyChain(stream, events)).toMatchObject({ ok: false, revision: 0 });
  });

  it('catches a removed event and a reordering', () => {
    const events = chain(base);
    expect(verifyChain(stream, [events[0]!, { ...events[2]!, revision: 1 }])).toMatchObject({ ok: false, revision: 1 });
    expect(verifyChain(stream, [{ ...events[1]!, revision: 0 }, { ...events[0]!, revision: 1 }, events[2]!])).toMatchObject({ ok: false, revision: 0 });
  });

  it('catches an event moved from another stream', () => {
    expect(verifyChain('complaint-2', chain(base))).toMatchObject({ ok: false, revision: 0 });
  });
});

describe('hash chain: the stored event id', () => {
  it('catches an event id changed outside the hashed metadata', () => {
    const events = chain(base.map((event, index) => ({ ...event, metadata: { ...event.metadata, eventId: `00000000-0000-4000-8000-00000000000${index}` } })))
      .map((event) => ({ ...event, eventId: event.metadata['eventId'] as string }));
    expect(verifyChain(stream, events)).toMatchObject({ ok: true });
    events[2] = { ...events[2]!, eventId: '11111111-0000-4000-8000-000000000002' };
    expect(verifyChain(stream, events)).toMatchObject({ ok: false, revision: 2, reason: 'the stored event id was changed' });
  });
});
