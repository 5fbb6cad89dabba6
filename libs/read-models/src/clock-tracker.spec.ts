import type { ComplaintEvent } from '@app/domain';
import { trackClocksInPlace, type Clocks } from './clock-tracker';

const event = (type: string, data: Record<string, unknown>) => ({ type, data }) as unknown as ComplaintEvent;
const received = event('ComplaintReceived', {
  receivedAt: '2026-01-05T09:00:00.000Z',
  sla: { firstReplyDue: '2026-01-06T09:00:00.000Z', answerDue: '2026-01-20T09:00:00.000Z', onSiteDue: null },
});

describe('trackClocksInPlace', () => {
  it('reports each clock reaching its outcome once, the steps before the breach the monitor records', () => {
    const clocks: Clocks = {};
    expect(trackClocksInPlace(clocks, received)).toEqual([]);
    expect(trackClocksInPlace(clocks, event('ComplaintApologised', { apologisedAt: '2026-01-07T09:00:00.000Z' }))).toEqual([
      { clock: 'first-reply', outcome: 'breached', at: '2026-01-07T09:00:00.000Z', deadline: Date.parse('2026-01-06T09:00:00.000Z') },
    ]);
    expect(trackClocksInPlace(clocks, event('SlaBreached', { clock: 'answer', detectedAt: '2026-01-20T09:05:00.000Z' }))).toEqual([
      { clock: 'answer', outcome: 'breached', at: '2026-01-20T09:05:00.000Z', deadline: Date.parse('2026-01-20T09:00:00.000Z') },
    ]);
    expect(clocks.answer).toEqual([Date.parse('2026-01-05T09:00:00.000Z'), Date.parse('2026-01-20T09:00:00.000Z'), null, Date.parse('2026-01-20T09:05:00.000Z'), 'breached']);
  });

  it('makes no array for an event that brings no clock to its outcome (four projections call it for every complaint event)', () => {
    const clocks: Clocks = {};
    const first = trackClocksInPlace(clocks, received);
    const second = trackClocksInPlace(clocks, event('ComplaintNoteAdded', { visibility: 'internal', addedAt: '2026-01-05T10:00:00.000Z' }));
    expect(second).toEqual([]);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
