import { counted } from './counted';

describe('counted', () => {
  it('says one in the singular and every other count, zero too, in the plural', () => {
    expect(counted(1, 'event')).toBe('1 event');
    expect(counted(0, 'event')).toBe('0 events');
    expect(counted(2, 'seal')).toBe('2 seals');
    // Grouped as the progress lines are (an attacker read "33135 events" under "33,135").
    expect(counted(11354, 'stream')).toBe('11,354 streams');
  });
});
