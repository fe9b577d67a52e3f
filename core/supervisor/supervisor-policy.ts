import type { BackoffPolicy } from '../resilience/backoff.js';
import type { BudgetPolicy } from './workflow-budget.js';

/** How the supervisor drives tasks. Defaults are listed where declared. */
export interface SupervisorPolicy {
  /** Time a task attempt may take before the supervisor retries it. Default 30,000 ms. */
  taskTimeoutMs?: number;
  /** Attempts per task before it fails. Default 3. */
  taskAttemptsMax?: number;
  backoff?: BackoffPolicy;
  /** Tasks of one workflow assigned at once (seed 003 `maxConcurrentAgents`). Default unlimited. */
  maxConcurrentAgents?: number;
  /** How often a supervisor that lost an assignment race re-reads the task store. Default 500 ms. */
  followPollMs?: number;
  /** Checkpoint the workflow after each phase (topological batch). Default true. */
  checkpointPhases?: boolean;
  /** Token/call/cost/time budgets per workflow and per agent, halting on exceed. Default none. */
  budgets?: BudgetPolicy;
}

export const DEFAULT_TASK_TIMEOUT_MS = 30_000;
export const DEFAULT_TASK_ATTEMPTS_MAX = 3;
export const DEFAULT_FOLLOW_POLL_MS = 500;
/** Polls of a followed task before the follower gives it up as lost. */
export const FOLLOW_POLLS_MAX = 2_000;
/** Claims of one attempt whose store write failed before the task fails as `task_store_unavailable`. */
export const CLAIM_ROUNDS_MAX = 20;
