import type { BackoffPolicy } from '../resilience/backoff.js';

/** How a source agent hands off. Defaults are listed where declared. */
export interface HandoffPolicy {
  /** Wait for ACK/NACK before an attempt counts as timed out. Default 1,000 ms. */
  ackTimeoutMs?: number;
  /** Attempts before the handoff fails. Default 4. */
  attemptsMax?: number;
  backoff?: BackoffPolicy;
}

export const DEFAULT_ACK_TIMEOUT_MS = 1_000;
export const DEFAULT_HANDOFF_ATTEMPTS_MAX = 4;
