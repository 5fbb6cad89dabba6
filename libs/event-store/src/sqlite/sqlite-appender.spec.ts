import { packBatch, unpackBatch, type AppendRequest } from './sqlite-appender';

// docs/adr/0003, "twenty-fourth session": the batch crosses to the writer thread as one flat array of strings and numbers.
describe('a batch packed for the writer thread', () => {
  const batch: AppendRequest[] = [
    {
      recordedAt: '2026-12-05T10:00:00.000Z',
      parts: [
        {
          stream: 'complaint-1',
          expected: 'no_stream',
          events: [
            { eventId: 'aaaaaaaa-0000-4000-8000-000000000001', type: 'ComplaintReceived', data: '{"text":"café \\"x\\"\\n☕"}', metadata: '{}' },
            { eventId: 'aaaaaaaa-0000-4000-8000-000000000002', type: 'ComplaintApologised', data: '{}', metadata: '{"a":1}' },
          ],
        },
      ],
    },
    {
      recordedAt: '2026-12-05T10:00:00.001Z',
      parts: [
        { stream: 'complaint-2\nwith a line break', expected: 7, events: [{ eventId: 'aaaaaaaa-0000-4000-8000-000000000003', type: 'Noted\n2', data: '{"s":"\ud800"}', metadata: '{}' }] },
        { stream: 'customer-9', expected: 'any', events: [{ eventId: 'aaaaaaaa-0000-4000-8000-000000000004', type: 'Noted', data: '{}', metadata: '{}' }] },
        { stream: 'customer-10', expected: 'stream_exists', events: [{ eventId: 'aaaaaaaa-0000-4000-8000-000000000005', type: 'Noted', data: '[]', metadata: '{}' }] },
      ],
    },
    { recordedAt: '2026-12-05T10:00:00.002Z', parts: [{ stream: 'complaint-3', expected: 0, events: [{ eventId: 'aaaaaaaa-0000-4000-8000-000000000006', type: 'X', data: '{}', metadata: '{}' }] }] },
  ];

  it('unpacks to the same appends, every string the same to the code unit', () => {
    const unpacked = unpackBatch(packBatch(batch));
    expect(unpacked).toEqual(batch);
    expect(unpacked.flatMap((append) => append.parts.flatMap((part) => part.events.map((event) => event.data)))).toEqual(batch.flatMap((append) => append.parts.flatMap((part) => part.events.map((event) => event.data))));
  });

  it('is one array of strings and numbers: postMessage clones no object per append, part or event', () => {
    const packed = packBatch(batch);
    expect(Array.isArray(packed)).toBe(true);
    expect(packed.every((item) => typeof item === 'string' || typeof item === 'number')).toBe(true);
  });

  it('survives the structured clone that postMessage makes', () => {
    expect(unpackBatch(structuredClone(packBatch(batch)))).toEqual(batch);
  });

  it('packs an empty batch', () => {
    expect(unpackBatch(packBatch([]))).toEqual([]);
  });
});
