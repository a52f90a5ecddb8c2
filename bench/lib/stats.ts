/**
 * The harness math: order statistics over repeated samples and ratios against
 * a baseline measured in the same run. Pure functions, no clock.
 */

/** Order statistics of one set of samples (all in the samples' unit). */
export type Summary = {
  n: number;
  min: number;
  median: number;
  mean: number;
  p95: number;
  p99: number;
  max: number;
};

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` samples, by linear
 * interpolation between closest ranks (the "R-7" / NumPy default definition),
 * so the median of [1, 2, 3, 4] is 2.5 and p95 of 1..100 is 95.05.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile of no samples");
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile q must be in [0, 1], got ${q}`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Summarize samples (any order). Throws on an empty set: a benchmark that measured nothing is a bug. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summarize: no samples");
  const sorted = [...samples].sort((x, y) => x - y);
  let sum = 0;
  for (const s of sorted) sum += s;
  return {
    n: sorted.length,
    min: sorted[0]!,
    median: quantile(sorted, 0.5),
    mean: sum / sorted.length,
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * `value / baseline`, or null when either side is missing or the baseline is
 * not a positive finite number (a ratio against zero means nothing).
 */
export function ratio(value: number | null | undefined, baseline: number | null | undefined) {
  if (value === null || value === undefined || baseline === null || baseline === undefined) {
    return null;
  }
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline <= 0) return null;
  return value / baseline;
}

/** Events per second for `count` events done in `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  if (ms <= 0) return Number.POSITIVE_INFINITY;
  return (count * 1000) / ms;
}
