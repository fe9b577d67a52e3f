/** One agent's result for synthesis. */
export interface WeightedResult {
  agent: string;
  score: number;
  /** In [0, 1]. */
  confidence: number;
  /** Authority of the agent's role in [0, 1] (seed 002 AUTHORITY_WEIGHTS). Default 1. */
  authority?: number;
}

/**
 * Confidence- and authority-weighted synthesis of seed 002:
 * Σ score·confidence·authority / Σ confidence·authority. Undefined when no
 * result carries weight.
 */
export function weightedSynthesis(results: readonly WeightedResult[]): number | undefined {
  let numerator = 0;
  let denominator = 0;
  for (const result of results) {
    const weight = result.confidence * (result.authority ?? 1);
    numerator += result.score * weight;
    denominator += weight;
  }
  return denominator > 0 ? numerator / denominator : undefined;
}
