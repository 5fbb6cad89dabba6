import { LOG_CHAIN_START, logLink, logLinkOfText, type LoggedEvent } from './log-chain';

const event: LoggedEvent = {
  position: 7, eventId: '0c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e', stream: 'complaint-1', revision: 2, type: 'ComplaintResolved',
  recordedAt: '2026-06-01T08:00:00.000Z', data: { remedy: 'refund', '1': 'integer-like keys move first' }, metadata: { actor: { id: 'a', role: 'agent' } },
};

describe('whole-log chain link', () => {
  it('is the same from the written text and from the values read back', () => {
    const text = { data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
    const readBack = { ...event, data: JSON.parse(text.data) as Record<string, unknown>, metadata: JSON.parse(text.metadata) as Record<string, unknown> };
    expect(logLink(LOG_CHAIN_START, readBack)).toBe(logLinkOfText(LOG_CHAIN_START, event, text.data, text.metadata));
  });

  it.each([
    ['position', { position: 8 }],
    ['event id', { eventId: '1c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e' }],
    ['recorded time', { recordedAt: '2026-06-01T08:00:00.001Z' }],
    ['stream', { stream: 'complaint-2' }],
    ['revision', { revision: 3 }],
    ['type', { type: 'ComplaintRejected' }],
    ['data', { data: { remedy: 'apology' } }],
    ['metadata', { metadata: { actor: { id: 'b', role: 'agent' } } }],
  ])('changes when the %s changes', (_name, change) => {
    expect(logLink(LOG_CHAIN_START, { ...event, ...change })).not.toBe(logLink(LOG_CHAIN_START, event));
  });

  it('depends on the link before it', () => {
    expect(logLink(logLink(LOG_CHAIN_START, event), event)).not.toBe(logLink(LOG_CHAIN_START, event));
  });

  it('cannot be fooled by moving text from the data into the metadata', () => {
    expect(logLinkOfText(LOG_CHAIN_START, event, '{"a":1}', '{}')).not.toBe(logLinkOfText(LOG_CHAIN_START, event, '{"a":1', '}{}'));
  });
});
