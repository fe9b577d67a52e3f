/** Handle to a pending timer. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time as core sees it. Under simulation it is virtual; outside it is real.
 * `nowUs()` is an integer count of microseconds since the Unix epoch.
 */
export interface Clock {
  nowUs(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleepMs(ms: number): Promise<void>;
  /** Calls `fire` after `ms` milliseconds unless cancelled first. */
  setTimer(ms: number, fire: () => void): TimerHandle;
}
