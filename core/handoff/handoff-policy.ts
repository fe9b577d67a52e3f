import type { BackoffPolicy } from '../resilience/backoff.js';

/** How a source agent hands off. Defaults are listed where declared. */
export interface HandoffPolicy {
  /** Wait for ACK/NACK before an attempt counts as timed out. Default 1,000 ms. */
  ackTimeoutMs?: number;
  /** Attempts per target before the handoff fails (or moves to a backup agent). Default 4. */
  attemptsMax?: number;
  backoff?: BackoffPolicy;
}

export const DEFAULT_ACK_TIMEOUT_MS = 1_000;
export const DEFAULT_HANDOFF_ATTEMPTS_MAX = 4;
/** Recoveries (fallback schema, checkpoint restore, minimal context) one handoff may use. */
export const HANDOFF_RECOVERIES_MAX = 3;
