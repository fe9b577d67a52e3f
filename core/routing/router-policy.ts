/** Weights of the multi-objective score (seed 000). Defaults 0.40, 0.25, 0.15, 0.15, 0.05. */
export interface ScoreWeights {
  capability?: number;
  health?: number;
  cost?: number;
  availability?: number;
  affinity?: number;
}

/** Load-balancing strategies of seed 000, plus `scored` (multi-objective, default) and `static`. */
export type RoutingStrategy = 'scored' | 'static' | 'round-robin' | 'least-connections' | 'weighted' | 'cost-aware' | 'latency-aware';

/** What a custom scoring function sees of one candidate. */
export interface RouterScoreInput {
  agent: import('../agents/types.js').AgentSpec;
  /** The task being routed (its id, declared agent and capability). */
  task: { id: string; agent: string; capability?: string };
  /** The five partial scores of seed 000, each in [0, 1]. */
  scores: import('./agent-scoring.js').PartialScores;
  /** w1·capability + … + w5·affinity with the policy's weights. */
  defaultTotal: number;
}

/**
 * A team's own router scoring, written in TypeScript (API only, not YAML):
 * returns the total the `scored` strategy ranks by. Must be deterministic.
 */
export type RouterScoreFunction = (candidate: RouterScoreInput) => number;

/**
 * The scenario's `policies.router` block: a plain object so that
 * `baton compare --set policies.router.weights=...` can deep-override it.
 */
export interface RouterPolicy {
  /** Default `scored`. */
  strategy?: RoutingStrategy;
  weights?: ScoreWeights;
  /** Agents whose success rate falls below this are filtered out as unhealthy. Default 0.5. */
  healthMinRatio?: number;
  /** Token budget per task for CostScore = 1 − tokens/budget. Default 8,000 tokens. */
  taskBudgetTokens?: number;
  /** Circuit breaker per agent: failures in a row that open it. Default 3. */
  breakerFailuresMax?: number;
  /** Time an open breaker waits before half-open. Default 30,000 ms. */
  breakerResetMs?: number;
  /** Custom scoring (programmatic API); default: the weighted sum of the five scores. */
  score?: RouterScoreFunction;
}

export const DEFAULT_WEIGHTS: Required<ScoreWeights> = { capability: 0.4, health: 0.25, cost: 0.15, availability: 0.15, affinity: 0.05 };
export const DEFAULT_HEALTH_MIN_RATIO = 0.5;
export const DEFAULT_TASK_BUDGET_TOKENS = 8_000;
