import type { BackoffPolicy } from '../resilience/backoff.js';

/** How the supervisor drives tasks. Defaults are listed where declared. */
export interface SupervisorPolicy {
  /** Time a task attempt may take before the supervisor retries it. Default 30,000 ms. */
  taskTimeoutMs?: number;
  /** Attempts per task before it fails. Default 3. */
  taskAttemptsMax?: number;
  backoff?: BackoffPolicy;
}

export const DEFAULT_TASK_TIMEOUT_MS = 30_000;
export const DEFAULT_TASK_ATTEMPTS_MAX = 3;
