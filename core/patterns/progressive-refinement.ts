/** What one refinement stage found: the areas worth going deeper into, and the value of doing so. */
export interface StageResult {
  /** Areas the next stage should focus on (a subset of the ones it was given). */
  focus: string[];
  /** Value of going deeper, in [0, 1]; below the threshold the refinement stops early. */
  value: number;
  findings: string[];
}

/** How a refinement ended. */
export interface RefinementOutcome {
  stagesRun: string[];
  findings: string[];
  /** Set when it stopped before the last stage: which stage and why. */
  terminatedEarly?: { afterStage: string; reason: 'low-value' | 'nothing-to-focus-on' };
}

/**
 * Progressive refinement (seed 002 pattern 3): broad → focused → detailed.
 * Each stage gets the areas the previous one kept; the refinement terminates
 * early when a stage's value falls below `valueMin` or nothing is left to
 * focus on ("early termination for low-value paths"). Stages run one at a time.
 */
export async function progressiveRefinement(
  stages: readonly string[],
  areas: readonly string[],
  runStage: (stage: string, areas: string[]) => Promise<StageResult>,
  valueMin = 0.3,
): Promise<RefinementOutcome> {
  const outcome: RefinementOutcome = { stagesRun: [], findings: [] };
  let scope = [...areas];
  for (const [index, stage] of stages.entries()) {
    const result = await runStage(stage, scope);
    outcome.stagesRun.push(stage);
    outcome.findings.push(...result.findings);
    scope = result.focus.filter((area) => scope.includes(area));
    if (index === stages.length - 1) break;
    if (result.value < valueMin) return { ...outcome, terminatedEarly: { afterStage: stage, reason: 'low-value' } };
    if (scope.length === 0) return { ...outcome, terminatedEarly: { afterStage: stage, reason: 'nothing-to-focus-on' } };
  }
  return outcome;
}
