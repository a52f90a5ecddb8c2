/**
 * Latency histograms with fixed bucket bounds, shared by the web app (which
 * times calls and reports counts per bucket) and the console's queries (which
 * add histograms up and read percentiles from them). Fixed bounds make
 * histograms from any number of clients add up exactly; a percentile read
 * from them is the upper bound of the bucket it falls in (an overestimate by
 * at most one bucket).
 */

/** Upper bounds (ms) of the buckets; a last, open bucket holds anything slower. */
export const LATENCY_BUCKETS_MS = [25, 50, 100, 250, 500, 1000, 2500, 10000] as const;

/** Number of buckets, the open one included. */
export const BUCKET_COUNT = LATENCY_BUCKETS_MS.length + 1;

/** The bucket a duration falls in. */
export function bucketOf(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
  return i < 0 ? LATENCY_BUCKETS_MS.length : i;
}

/** An empty histogram. */
export function emptyHistogram(): number[] {
  return new Array<number>(BUCKET_COUNT).fill(0);
}

/** `into` plus `more`, bucket by bucket (`into` is changed and returned). */
export function addHistogram(into: number[], more: readonly number[]): number[] {
  for (let i = 0; i < BUCKET_COUNT; i++) into[i] = (into[i] ?? 0) + (more[i] ?? 0);
  return into;
}

/**
 * The p-th percentile (0–100) as the upper bound of its bucket, `null` for an empty
 * histogram, `Infinity` when it falls in the open bucket (slower than the last bound).
 */
export function percentileOf(h: readonly number[], p: number): number | null {
  const total = h.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let i = 0; i < BUCKET_COUNT; i++) {
    seen += h[i] ?? 0;
    if (seen >= rank) return LATENCY_BUCKETS_MS[i] ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}
