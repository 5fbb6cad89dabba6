import { describe, expect, it } from '@jest/globals';
import { appliedMark, complaintPageParams, filterShown, PAGE_SIZE, queueRefetchInterval, rewritesForm } from './queue-filter';

describe('a page of the queue at a snapshot (asOf): read as it stood, never waiting for today\'s read models', () => {
  it('sends no minPosition with asOf (a position past the snapshot\'s head would be refused), and does not ask again on an interval', () => {
    expect(complaintPageParams({ asOf: 'month-end', status: 'open' }, undefined, 42)).toEqual({ asOf: 'month-end', status: 'open', limit: PAGE_SIZE, cursor: undefined, minPosition: undefined });
    expect(queueRefetchInterval({ asOf: 'month-end' })).toBe(false);
  });

  it('sends the position heard and asks again every 15 s without asOf', () => {
    expect(complaintPageParams({ status: 'open' }, 'c1', 42)).toEqual({ status: 'open', limit: PAGE_SIZE, cursor: 'c1', minPosition: 42 });
    expect(queueRefetchInterval({ status: 'open' })).toBe(15_000);
  });
});

describe('the filter form follows the address only when the address\'s filter changed by content and the form did not apply it', () => {
  const zone = 'Asia/Shanghai';

  it('is written the first time it is drawn', () => {
    expect(rewritesForm(undefined, { link: filterShown(''), zone }, undefined)).toBe(true);
  });

  it('keeps a code chosen when the address goes from / to /?status=open (one filter, two addresses)', () => {
    const before = { link: filterShown(''), zone };
    expect(rewritesForm(before, { link: filterShown('status=open'), zone }, undefined)).toBe(false);
  });

  it('is not written back with the filter it applied itself', () => {
    const before = { link: filterShown(''), zone };
    const mark = appliedMark(before.link, '/?status=open&cause=billing');
    expect(mark).toBe(filterShown('status=open&cause=billing'));
    expect(rewritesForm(before, { link: filterShown('status=open&cause=billing'), zone }, mark)).toBe(false);
  });

  it('is written when the address\'s filter changed (a link, the back button)', () => {
    const before = { link: filterShown('status=open&cause=billing'), zone };
    expect(rewritesForm(before, { link: filterShown('status=any'), zone }, undefined)).toBe(true);
    // A filter the form applied earlier is not this one.
    expect(rewritesForm(before, { link: filterShown('status=any'), zone }, filterShown('status=open&cause=delay'))).toBe(true);
  });

  it('marks nothing when Apply leaves the filter shown as it is, so a later change of time zone still rewrites the received days', () => {
    const shown = filterShown('status=open&cause=billing');
    // Apply with the same filter: the address does not change, no rewrite is coming to take the mark away.
    expect(appliedMark(shown, '/?cause=billing&status=open')).toBeUndefined();
    expect(appliedMark(filterShown(''), '/?status=open')).toBeUndefined();
    expect(rewritesForm({ link: shown, zone }, { link: shown, zone: 'Europe/Paris' }, appliedMark(shown, '/?cause=billing&status=open'))).toBe(true);
  });

  it('is not written again when nothing changed (an effect run twice)', () => {
    const now = { link: filterShown('status=open'), zone };
    expect(rewritesForm(now, now, undefined)).toBe(false);
  });
});
