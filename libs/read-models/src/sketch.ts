/**
 * A mergeable quantile sketch (the DDSketch idea): values fall into logarithmic buckets whose
 * width is ±1 % of the value, so any quantile is within 1 % of the exact one, buckets of two
 * periods add up, and the size stays small (a few hundred buckets for ms .. years).
 */
export interface Sketch {
  count: number;
  sum: number;
  zeros: number;
  buckets: Record<string, number>;
}

const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** The bucket of a value of at least 1: values within ±1 % share one. */
const bucketOf = (value: number): string => String(Math.ceil(Math.log(value) / LOG_GAMMA));
/** The key of the bucket a value of at least 1 falls into (the `buckets` of a sketch). */
export const sketchBucketOf = bucketOf;

/** Its keys in the order the runtime writes them (ProjectionContext.add sorts a copy of any other order, docs/adr/0011 fifteenth step). */
export const emptySketch = (): Sketch => ({ buckets: {}, count: 0, sum: 0, zeros: 0 });

export function addToSketch(sketch: Sketch, value: number, weight = 1): Sketch {
  const buckets = { ...sketch.buckets };
  let zeros = sketch.zeros;
  if (value < 1) zeros += weight;
  else {
    const index = bucketOf(value);
    const count = (buckets[index] ?? 0) + weight;
    if (count === 0) delete buckets[index];
    else buckets[index] = count;
  }
  return { count: sketch.count + weight, sum: sketch.sum + value * weight, zeros, buckets };
}

/**
 * What adding `value` with `weight` changes in a sketch kept at `path` of a document, as amounts for
 * ProjectionContext.add (the same change as addToSketch; values are whole numbers).
 */
export function sketchAmounts(path: string, value: number, weight = 1): Record<string, number> {
  const where = value < 1 ? 'zeros' : `buckets.${bucketOf(value)}`;
  return { [`${path}.count`]: weight, [`${path}.sum`]: value * weight, [`${path}.${where}`]: weight };
}

/** A copy of a sketch that the caller may add to (mergeSketchInto). */
export const ownSketch = (sketch: Sketch): Sketch => ({ count: sketch.count, sum: sketch.sum, zeros: sketch.zeros, buckets: { ...sketch.buckets } });

/**
 * Adds `b` into `target` in place: what mergeSketches answers, without copying the target. For a query
 * that sums hundreds of buckets into one sketch it owns (ownSketch), where a copy per bucket was most
 * of the query's time.
 */
export function mergeSketchInto(target: Sketch, b: Sketch): void {
  target.count += b.count;
  target.sum += b.sum;
  target.zeros += b.zeros;
  for (const index in b.buckets) target.buckets[index] = (target.buckets[index] ?? 0) + b.buckets[index]!;
}

/**
 * How a query sums buckets of a read model per period in place: `sumOf` starts a sum it owns from a
 * bucket (a copy, its sketches copied too), `addInto` adds another bucket's counters and sketches to
 * it. Used by the complaint and the repair statistics.
 */
export function bucketSums<B extends { readonly day: string }>(counters: ReadonlyArray<keyof B>, sketches: ReadonlyArray<keyof B>): {
  sumOf: (bucket: B, period: string) => B;
  addInto: (sum: B, bucket: B) => void;
} {
  return {
    sumOf: (bucket, period) => {
      const sum: Record<string, unknown> = { ...bucket, day: period };
      for (const field of sketches) sum[field as string] = ownSketch(bucket[field] as Sketch);
      return sum as B;
    },
    addInto: (sum, bucket) => {
      const target = sum as Record<keyof B, unknown>;
      for (const counter of counters) target[counter] = (sum[counter] as number) + (bucket[counter] as number);
      for (const field of sketches) mergeSketchInto(sum[field] as Sketch, bucket[field] as Sketch);
    },
  };
}

export function mergeSketches(a: Sketch, b: Sketch): Sketch {
  const buckets = { ...a.buckets };
  for (const [index, count] of Object.entries(b.buckets)) buckets[index] = (buckets[index] ?? 0) + count;
  return { count: a.count + b.count, sum: a.sum + b.sum, zeros: a.zeros + b.zeros, buckets };
}

/** Quantile q in [0, 1], or null for an empty sketch. */
export function quantile(sketch: Sketch, q: number): number | null {
  if (sketch.count <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * sketch.count));
  if (rank <= sketch.zeros) return 0;
  let seen = sketch.zeros;
  for (const index of Object.keys(sketch.buckets).map(Number).sort((x, y) => x - y)) {
    seen += sketch.buckets[String(index)]!;
    if (seen >= rank) return Math.round((2 * GAMMA ** index) / (GAMMA + 1));
  }
  return null;
}

export const mean = (sketch: Sketch): number | null => (sketch.count > 0 ? Math.round(sketch.sum / sketch.count) : null);
