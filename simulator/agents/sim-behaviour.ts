import type { AgentBehaviour, WorkRequest, WorkResult } from '../../core/agents/types.js';
import type { Clock } from '../../core/env/clock.js';
import { chance, sample, type Distribution, type RandomStream } from '../../core/env/random.js';

/** Parameters of a simulated agent. Defaults are listed where declared. */
export interface SimBehaviourOptions {
  /** Time one task takes. Default lognormal, median 1,000 ms, sigma 0.5. */
  latencyMs?: Distribution;
  /** Share of attempts that fail, in [0, 1]. Default 0. */
  errorRatio?: number;
  /** Output size. Default uniform 500–2,000 tokens. */
  outputTokens?: Distribution;
  /** Prompt tokens of every task before handoff context. Default 400. */
  promptTokens?: number;
}

export const DEFAULT_AGENT_LATENCY_MS: Distribution = { dist: 'lognormal', median: 1000, sigma: 0.5 };
export const DEFAULT_OUTPUT_TOKENS: Distribution = { dist: 'uniform', min: 500, max: 2000 };
export const DEFAULT_PROMPT_TOKENS = 400;

/**
 * A simulated agent: waits a drawn latency on the clock, fails with the error
 * ratio, and produces a drawn number of output tokens. All draws come from the
 * agent's own random stream.
 */
export class SimBehaviour implements AgentBehaviour {
  constructor(
    private readonly clock: Clock,
    private readonly stream: RandomStream,
    private readonly options: SimBehaviourOptions = {},
  ) {}

  async perform(request: WorkRequest): Promise<WorkResult> {
    const latencyMs = sample(this.options.latencyMs ?? DEFAULT_AGENT_LATENCY_MS, this.stream);
    const fails = chance(this.options.errorRatio ?? 0, this.stream);
    const outputTokens = Math.round(sample(this.options.outputTokens ?? DEFAULT_OUTPUT_TOKENS, this.stream));
    const inputTokens =
      (this.options.promptTokens ?? DEFAULT_PROMPT_TOKENS) +
      request.inputs.reduce((sum, input) => sum + input.metadata.contextTokens, 0);
    await this.clock.sleepMs(latencyMs);
    if (fails) return { ok: false, error: 'agent_error', inputTokens, outputTokens: 0 };
    return {
      ok: true,
      summary: `${request.agent} finished ${request.taskId} (attempt ${request.attempt})`,
      findings: [`${request.taskId}: finding by ${request.agent}`],
      decisions: [`${request.taskId}: scope kept as requested`],
      inputTokens,
      outputTokens,
    };
  }
}
