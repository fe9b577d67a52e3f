/** Breaker states of seed 002: closed (calls pass), open (calls refused), half-open (one trial call). */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Defaults of seed 002's CircuitBreaker: 3 failures, 300 s reset. */
export const DEFAULT_BREAKER_FAILURES_MAX = 3;
export const DEFAULT_BREAKER_RESET_MS = 300_000;

/**
 * A circuit breaker on virtual time (times passed in, never read from a
 * clock): `failuresMax` failures in a row open it; after `resetMs` it lets one
 * trial call through (half-open); a success closes it, a failure re-opens it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAtUs = 0;
  private current: BreakerState = 'closed';

  constructor(
    private readonly failuresMax = DEFAULT_BREAKER_FAILURES_MAX,
    private readonly resetMs = DEFAULT_BREAKER_RESET_MS,
  ) {}

  /** State at `nowUs` (open turns half-open once the reset time has passed). */
  state(nowUs: number): BreakerState {
    if (this.current === 'open' && nowUs - this.openedAtUs >= this.resetMs * 1000) this.current = 'half-open';
    return this.current;
  }

  /** Whether a call may go through at `nowUs`. */
  allows(nowUs: number): boolean {
    return this.state(nowUs) !== 'open';
  }

  /** Records a call's outcome at `nowUs`. */
  record(ok: boolean, nowUs: number): void {
    const state = this.state(nowUs);
    if (ok) {
      this.failures = 0;
      this.current = 'closed';
      return;
    }
    this.failures++;
    if (state === 'half-open' || this.failures >= this.failuresMax) {
      this.current = 'open';
      this.openedAtUs = nowUs;
    }
  }
}
