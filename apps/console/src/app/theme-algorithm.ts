/**
 * Ant Design's theme algorithm with its answers for the console's own seeds made at build time.
 *
 * On every start Ant Design derives its map tokens from the seed tokens in the browser: the colour palettes of every
 * preset and seed colour (HSV conversions, @ant-design/colors' generate), font, size and control heights. In a CPU profile
 * of the queue's first render that derivation was about a tenth of it (145 of about 1,300 ms of main thread, a loaded
 * machine), for a result that is the same on every start. The build runs Ant Design's own default algorithm on the
 * console's seeds (theme.ts: motion on and off) and puts the results in the console's code (vite.config.mts, the
 * `virtual:antd-map-tokens` module); the algorithm below gives them back for those seeds, and runs the default one for
 * any other (nothing breaks if a seed changes without a build: it is only slower).
 */

/** A seed and the map tokens Ant Design's default algorithm derives from it. */
export interface PrecomputedMapToken<Seed extends object = Record<string, unknown>, Map extends object = Record<string, unknown>> {
  seed: Seed;
  map: Map;
}

/** Runs `algorithm` on each seed: what the build writes into the console. */
export function precomputeMapTokens<Seed extends object, Map extends object>(seeds: readonly Seed[], algorithm: (seed: Seed) => Map): Array<PrecomputedMapToken<Seed, Map>> {
  return seeds.map((seed) => ({ seed, map: algorithm(seed) }));
}

/** The same keys with the same values (the seeds are flat: strings, numbers, booleans). */
function sameSeed(a: object, b: object): boolean {
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}

/**
 * A theme algorithm (ConfigProvider's `theme.algorithm`) that answers a precomputed seed with its map tokens (a copy: Ant
 * Design merges into what it gets) and any other seed with `fallback` (Ant Design's `theme.defaultAlgorithm`).
 */
export function precomputedAlgorithm<Seed extends object, Map extends object>(precomputed: ReadonlyArray<PrecomputedMapToken<object, object>>, fallback: (seed: Seed) => Map): (seed: Seed) => Map {
  return (seed) => {
    const known = precomputed.find((entry) => sameSeed(entry.seed, seed));
    return known ? ({ ...known.map } as Map) : fallback(seed);
  };
}
