import type { UnsealedEnvelope } from './envelope.js';

/** Share of tokens a summary keeps (seed 000: aggressive summarisation saves 50–70%). */
export const SUMMARY_TOKENS_RATIO = 0.35;
/** Tokens of the minimum viable context (task, last step, decisions). */
export const MINIMAL_CONTEXT_TOKENS = 300;
/** Steps a summarised context keeps inline; older ones stay behind memory pointers. */
export const SUMMARY_STEPS_KEPT = 2;

/**
 * Compresses a context by summarisation so it carries at most `tokensMax`
 * tokens: older steps and partial results are dropped (they stay reachable
 * through memory references) and the token count shrinks to the summary ratio,
 * then to the limit. Seed 000: "Context too large → compress via summarization".
 */
export function summarizeContext(envelope: UnsealedEnvelope, tokensMax: number): UnsealedEnvelope {
  const steps = envelope.execution.stepsCompleted;
  const summaryTokens = Math.min(tokensMax, Math.ceil(envelope.metadata.contextTokens * SUMMARY_TOKENS_RATIO));
  return {
    ...envelope,
    execution: {
      ...envelope.execution,
      stepsCompleted: steps.slice(-SUMMARY_STEPS_KEPT),
      partialResults: envelope.execution.partialResults.slice(-1),
    },
    metadata: { ...envelope.metadata, contextTokens: summaryTokens, compressed: true },
  };
}

/**
 * The minimum viable context: the task, the last step and the decisions made,
 * nothing else. Seed 000: "Target agent rejects context → re-serialize with minimal context".
 */
export function minimalContext(envelope: UnsealedEnvelope): UnsealedEnvelope {
  return {
    ...envelope,
    execution: {
      stepsCompleted: envelope.execution.stepsCompleted.slice(-1),
      currentProgress: envelope.execution.currentProgress,
      partialResults: envelope.execution.partialResults.slice(-1),
      decisionsMade: envelope.execution.decisionsMade,
    },
    reasoning: { ...envelope.reasoning, assumptions: [], uncertainties: [], recommendations: [] },
    metadata: { ...envelope.metadata, contextTokens: Math.min(envelope.metadata.contextTokens, MINIMAL_CONTEXT_TOKENS), compressed: true },
  };
}
