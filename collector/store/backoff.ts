/**
 * Bounded exponential backoff: attempt k (from 1) waits
 * `min(backoffMsMin * 2^(k-1), backoffMsMax)` before attempt k+1. No jitter:
 * one baton process talks to a store, and fixed delays keep tests exact.
 */
export interface BackoffOptions {
  /** Attempts in total, the first included. At least 1. */
  attemptsMax: number;
  /** Wait after the first failure. */
  backoffMsMin: number;
  /** Upper bound of one wait. */
  backoffMsMax: number;
  /** Waits `ms` (tests pass a fake). Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** A real-time sleep. */
export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The wait after failed attempt `attempt` (1-based). */
export function backoffMs(attempt: number, options: Pick<BackoffOptions, 'backoffMsMin' | 'backoffMsMax'>): number {
  return Math.min(options.backoffMsMin * 2 ** Math.max(0, attempt - 1), options.backoffMsMax);
}

/**
 * Runs `operation` until it succeeds, `shouldRetry(error)` is false, or
 * `attemptsMax` attempts failed; then rethrows the last error. `onRetry` is
 * called before each wait.
 */
export async function withBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  shouldRetry: (error: unknown) => boolean,
  options: BackoffOptions,
  onRetry?: (error: unknown, attempt: number, waitMs: number) => void,
): Promise<T> {
  const attemptsMax = Math.max(1, Math.floor(options.attemptsMax));
  const sleep = options.sleep ?? sleepMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attemptsMax || !shouldRetry(error)) throw error;
      const waitMs = backoffMs(attempt, options);
      onRetry?.(error, attempt, waitMs);
      await sleep(waitMs);
    }
  }
}
