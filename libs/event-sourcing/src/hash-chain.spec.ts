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

  it('does not depend on the order of object keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(chainHash('p', { type: 'T', data: { x: 1, y: 2 }, metadata: {} })).toBe(chainHash('p', { type: 'T', data: { y: 2, x: 1 }, metadata: {} }));
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
