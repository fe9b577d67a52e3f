import type { AgentSpec } from '../agents/types.js';
import type { HealthSnapshot } from '../resilience/agent-health.js';
import { DEFAULT_WEIGHTS, type ScoreWeights } from './router-policy.js';

/** Latency at which HealthScore's latency term reaches 0 (seed 000: 5,000 ms). */
export const HEALTH_LATENCY_CEILING_MS = 5_000;
export const DEFAULT_EXPECTED_TOKENS = 2_000;
export const DEFAULT_COST_PER_KILO_TOKEN_USD = 0.002;

/** The five partial scores of one candidate, each in [0, 1]. */
export interface PartialScores {
  capability: number;
  health: number;
  cost: number;
  availability: number;
  affinity: number;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/** CapabilityScore = Σ proficiency over the required skills / number of required skills. */
export function capabilityScore(agent: AgentSpec, required: readonly string[]): number {
  if (required.length === 0) return 1;
  const sum = required.reduce((total, skill) => total + (agent.capabilities.includes(skill) ? (agent.proficiency?.[skill] ?? 1) : 0), 0);
  return clamp01(sum / required.length);
}

/** HealthScore = 0.6 · success_rate + 0.4 · (1 − latency / 5000 ms). */
export function healthScore(health: HealthSnapshot): number {
  return clamp01(0.6 * health.successRatio + 0.4 * (1 - Math.min(1, health.latencyMs / HEALTH_LATENCY_CEILING_MS)));
}

/** CostScore = 1 − estimated_tokens / budget. */
export function costScore(estimatedTokens: number, budgetTokens: number): number {
  return budgetTokens <= 0 ? 0 : clamp01(1 - estimatedTokens / budgetTokens);
}

/** AvailabilityScore = 1 − current_tasks / max_concurrent. */
export function availabilityScore(currentTasks: number, maxConcurrent: number): number {
  return maxConcurrent <= 0 ? 0 : clamp01(1 - currentTasks / maxConcurrent);
}

/** Score = w1·capability + w2·health + w3·cost + w4·availability + w5·affinity. */
export function totalScore(scores: PartialScores, weights: ScoreWeights = {}): number {
  const w = { ...DEFAULT_WEIGHTS, ...weights };
  return (
    w.capability * scores.capability +
    w.health * scores.health +
    w.cost * scores.cost +
    w.availability * scores.availability +
    w.affinity * scores.affinity
  );
}
