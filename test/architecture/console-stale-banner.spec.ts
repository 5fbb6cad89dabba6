import { describe, expect, it } from '@jest/globals';
import { ALL_PROJECTIONS } from '@app/read-models';
import { READ_BY } from '../../apps/console/src/app/stale-projections';
import { MATRIX } from '../e2e/support/routes';

/**
 * The console's stale-data banner names, for each failing projection GET /health reports, the lists and
 * figures that may be out of date, to those who read them. Its map must cover what the API runs.
 */
describe('the stale-data banner\'s map of projections to what a person reads', () => {
  const apiProjections = ALL_PROJECTIONS.map((projection) => projection.name);
  const mapped = Object.keys(READ_BY);

  it('covers every projection the API runs (a new one would otherwise be named bare, and to every role)', () => {
    expect(apiProjections.filter((name) => !mapped.includes(name))).toEqual([]);
  });

  it('names only projections the API runs (a renamed or removed one would never warn anyone)', () => {
    expect(mapped.filter((name) => !apiProjections.includes(name))).toEqual([]);
  });

  it('names only GET routes the API has (GET /session lists routes as the matrix does: a misspelt one would hide the banner)', () => {
    const unknown = Object.entries(READ_BY).flatMap(([projection, routes]) => routes.filter((route) => !route.startsWith('GET ') || !(route in MATRIX)).map((route) => `${projection}: ${route}`));
    expect(unknown).toEqual([]);
  });
});
