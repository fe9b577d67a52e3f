import seedrandom from 'seedrandom';

/** Resamples unless told otherwise. */
export const DEFAULT_RESAMPLES = 2000;
/** Confidence level unless told otherwise. */
export const DEFAULT_CONFIDENCE = 0.95;
/**
 * Fewest paired differences whose interval can call a difference significant:
 * resampling one difference always gives that difference back, an "interval"
 * of width 0 that excludes 0 whenever the one seed differs at all.
 */
export const MIN_SIGNIFICANT_SEEDS = 2;

/** A mean difference with its bootstrap confidence interval. */
export interface BootstrapInterval {
  /** Mean of the paired differences (B − A). */
  mean: number;
  low: number;
  high: number;
  /** The interval excludes 0 and comes from at least MIN_SIGNIFICANT_SEEDS differences. */
  significant: boolean;
}

/**
 * Percentile bootstrap of the mean of paired differences: `resamples` times,
 * draw n differences with replacement (whole pairs, so the pairing by seed is
 * kept), take the mean; the interval is the (1−c)/2 and (1+c)/2 quantiles of
 * those means. Seeded, so the same differences give the same interval.
 */
export function pairedBootstrap(
  differences: readonly number[],
  options: { resamples?: number; confidence?: number; seed?: string } = {},
): BootstrapInterval {
  const n = differences.length;
  if (n === 0) return { mean: 0, low: 0, high: 0, significant: false };
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const random = seedrandom(options.seed ?? 'baton-compare');
  const mean = differences.reduce((sum, value) => sum + value, 0) / n;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[Math.floor(random() * n)];
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  const low = means[Math.min(resamples - 1, Math.floor(tail * resamples))];
  const high = means[Math.max(0, Math.ceil((1 - tail) * resamples) - 1)];
  return { mean, low, high, significant: n >= MIN_SIGNIFICANT_SEEDS && (low > 0 || high < 0) };
}
