import type { RandomStream } from '../env/random.js';

/** Exponential backoff with jitter. Defaults are listed where declared. */
export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. Default 100 ms. */
  baseMs?: number;
  /** Cap on the delay. Default 5,000 ms. */
  capMs?: number;
  /** Share of the delay that is randomised, in [0, 1]. Default 0.5. */
  jitterRatio?: number;
}

export const DEFAULT_BACKOFF_BASE_MS = 100;
export const DEFAULT_BACKOFF_CAP_MS = 5_000;
export const DEFAULT_BACKOFF_JITTER_RATIO = 0.5;

/**
 * Delay before retry number `retry` (1 for the first retry):
 * min(cap, base·2^(retry−1)) with the last `jitterRatio` share drawn uniformly.
 */
export function backoffDelayMs(policy: BackoffPolicy, retry: number, stream: RandomStream): number {
  const base = policy.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = policy.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const jitter = policy.jitterRatio ?? DEFAULT_BACKOFF_JITTER_RATIO;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, retry - 1));
  return ceiling * (1 - jitter) + ceiling * jitter * stream.next();
}
