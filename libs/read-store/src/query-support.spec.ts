import { FormerlyLive, LeaseGrants, liveGenerationOf, missingCollectionError, type MissingCollectionFacts } from './query-support';
import { InvalidQueryError, ReadModelRebuildingError } from './read-store.port';

/**
 * The rule every store applies to a read of a missing collection (docs/adr/0005), given what the store looked up: each case
 * given the live generations and the store's memory, when the lookups say this, then that answer.
 */
describe('what a read of a missing collection is told', () => {
  const live = { sla: 'sla_v3', stats: 'stats_v1' };
  const formerly = (...seen: Array<Record<string, string>>): FormerlyLive => {
    const memory = new FormerlyLive();
    for (const generations of seen) memory.saw(generations);
    return memory;
  };
  const answer = (facts: Partial<MissingCollectionFacts> & { collection: string }): Error =>
    missingCollectionError({ live, wasThere: false, building: undefined, formerlyLive: formerly(), ...facts });

  describe('given a collection of a live generation', () => {
    it('is the read model being rebuilt when the collection was there (dropped outside the projector)', () => {
      const error = answer({ collection: 'sla_v3__breaches', wasThere: true });
      expect(error).toBeInstanceOf(ReadModelRebuildingError);
      expect(error).toMatchObject({ readModel: 'sla', collection: 'sla_v3__breaches', building: undefined, lost: 'collection' });
    });

    it('is the read model being rebuilt, not an upgrade, when it was there and another version has it too', () => {
      expect(answer({ collection: 'sla_v3__breaches', wasThere: true, building: 'sla_v4' })).toMatchObject({ readModel: 'sla', building: undefined, lost: 'collection' });
    });

    it('is the other version being built when it was never there and another version\'s generation has it', () => {
      const error = answer({ collection: 'sla_v3__at_risk', building: 'sla_v4' });
      expect(error).toBeInstanceOf(ReadModelRebuildingError);
      expect(error).toMatchObject({ readModel: 'sla', collection: 'sla_v3__at_risk', building: 'sla_v4', lost: 'collection' });
    });

    it('is a 400 that names the live generation and the read model when it was never there and nothing builds it', () => {
      const error = answer({ collection: 'stats_v1__weekly' });
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect(error.message).toMatch(/^unknown collection: stats_v1__weekly \(the live generation stats_v1 of read model stats has no such table, and none was lost: /);
    });

    it('wins over a generation this store read as live before', () => {
      const error = answer({ collection: 'sla_v3__breaches', wasThere: true, formerlyLive: formerly({ sla: 'sla_v3' }) });
      expect(error).toMatchObject({ readModel: 'sla', lost: 'collection' });
    });
  });

  describe('given a collection of no live generation', () => {
    it('is the switch raced when its generation was read as live and the read model has another one now', () => {
      const error = answer({ collection: 'sla_v2__breaches', formerlyLive: formerly({ sla: 'sla_v2' }) });
      expect(error).toBeInstanceOf(ReadModelRebuildingError);
      expect(error).toMatchObject({ readModel: 'sla', collection: 'sla_v2__breaches', lost: 'generation', live: 'sla_v3' });
    });

    it('is unknown when its generation was read as live but the read model has no live generation now', () => {
      const error = answer({ collection: 'old_v1__rows', formerlyLive: formerly({ old: 'old_v1' }) });
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect(error.message).toBe('unknown collection: old_v1__rows');
    });

    it('is unknown when no generation of it was ever live, whatever the lookups said', () => {
      for (const facts of [{}, { wasThere: true }, { building: 'sla_v4' }]) {
        const error = answer({ collection: 'sla_v9__breaches', ...facts });
        expect(error).toBeInstanceOf(InvalidQueryError);
        expect(error.message).toBe('unknown collection: sla_v9__breaches');
      }
    });

    it('is unknown for a generation whose name merely starts with a live one\'s (an as-of name beside it)', () => {
      const error = answer({ collection: 'sla_v3__asof__breaches', wasThere: true, formerlyLive: formerly({ sla: 'sla_v3' }) });
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect(error.message).toBe('unknown collection: sla_v3__asof__breaches');
    });
  });

  describe('where a collection sits', () => {
    it('finds the read model, its live generation and the collection\'s own part', () => {
      expect(liveGenerationOf('stats_v1__daily', live)).toEqual({ readModel: 'stats', generation: 'stats_v1', suffix: 'daily' });
      expect(liveGenerationOf('stats_v1__', live)).toBeUndefined();
      expect(liveGenerationOf('stats_v1__a__b', live)).toBeUndefined();
      expect(liveGenerationOf('other', live)).toBeUndefined();
      expect(liveGenerationOf('stats_v1__daily', {})).toBeUndefined();
    });
  });
});

/** The grants a store remembers of its leases (docs/adr/0005): only a holder whose grant still runs takes its lease without a row while the leases are held back. */
describe('the leases a store granted', () => {
  const ttl = 15_000;

  it('holds for the holder it was granted to until the grant runs out, and for no one else', () => {
    const grants = new LeaseGrants();
    expect(grants.holds('projector', 'host-a:1', 0)).toBe(false);
    grants.took('projector', 'host-a:1', true, 1_000, ttl);
    expect(grants.holds('projector', 'host-a:1', 15_999)).toBe(true);
    expect(grants.holds('projector', 'host-a:1', 16_000)).toBe(false);
    expect(grants.holds('projector', 'host-b:2', 2_000)).toBe(false);
    expect(grants.holds('as-of:k', 'host-a:1', 2_000)).toBe(false);
  });

  it('runs a renewal\'s grant from the renewal', () => {
    const grants = new LeaseGrants();
    grants.took('projector', 'host-a:1', true, 1_000, ttl);
    grants.took('projector', 'host-a:1', true, 6_000, ttl);
    expect(grants.holds('projector', 'host-a:1', 20_999)).toBe(true);
  });

  it('forgets the grant of a holder that was refused, and keeps another holder\'s when someone else is refused', () => {
    const grants = new LeaseGrants();
    grants.took('projector', 'host-a:1', true, 1_000, ttl);
    grants.took('projector', 'host-b:2', false, 2_000, ttl);
    expect(grants.holds('projector', 'host-a:1', 3_000)).toBe(true);
    grants.took('projector', 'host-a:1', false, 4_000, ttl);
    expect(grants.holds('projector', 'host-a:1', 5_000)).toBe(false);
  });

  it('forgets a grant its holder gives up, and only that holder\'s', () => {
    const grants = new LeaseGrants();
    grants.took('projector', 'host-a:1', true, 1_000, ttl);
    grants.released('projector', 'host-b:2');
    expect(grants.holds('projector', 'host-a:1', 2_000)).toBe(true);
    grants.released('projector', 'host-a:1');
    expect(grants.holds('projector', 'host-a:1', 2_000)).toBe(false);
  });

  it('goes to the last taker: a grant to another holder replaces the earlier one', () => {
    const grants = new LeaseGrants();
    grants.took('projector', 'host-a:1', true, 1_000, ttl);
    grants.took('projector', 'host-b:2', true, 20_000, ttl);
    expect(grants.holds('projector', 'host-a:1', 21_000)).toBe(false);
    expect(grants.holds('projector', 'host-b:2', 21_000)).toBe(true);
  });
});
