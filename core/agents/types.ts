import type { HandoffEnvelope, TaskContext } from '../handoff/envelope.js';

/** Static description of an agent. */
export interface AgentSpec {
  name: string;
  capabilities: string[];
  /** Tasks it runs at once; more wait in its queue. Default 1. */
  maxConcurrent?: number;
  /** Envelope schema versions this agent accepts. Default [1]. */
  acceptsSchemaVersions?: number[];
  /** Envelope schema version this agent emits. Default 1. */
  emitsSchemaVersion?: number;
  /** Context the agent's model holds; more handed-off context is truncated (`context.overflow`). Default unlimited. */
  contextWindowTokens?: number;
  /** Skill proficiency in [0, 1] by capability, for routing. Default 1 for each listed capability. */
  proficiency?: Record<string, number>;
  /** Price per 1,000 tokens, for cost-aware routing and cost budgets. Default 0.002 USD. */
  costPerKiloTokenUsd?: number;
  /** Tokens a task typically takes on this agent, for cost scoring. Default 2,000. */
  expectedTokens?: number;
}

/** What an agent is asked to do. */
export interface WorkRequest {
  agent: string;
  workflowId: string;
  taskId: string;
  attempt: number;
  task: TaskContext;
  /**
   * The envelopes the agent's inputs arrived in, as sealed: deeply frozen
   * (writing into one throws a TypeError). Copy what you want to change.
   */
  inputs: readonly HandoffEnvelope[];
}

/** What an agent produced, or why it failed. */
export type WorkResult =
  | {
      ok: true;
      summary: string;
      findings: string[];
      decisions: string[];
      inputTokens: number;
      outputTokens: number;
    }
  | { ok: false; error: string; inputTokens: number; outputTokens: number };

/**
 * The work of an agent: a simulated behaviour or a team's real function.
 * It may await the clock; it must not reach for real time or randomness when
 * it runs under simulation.
 */
export interface AgentBehaviour {
  perform(request: WorkRequest): Promise<WorkResult>;
}
