import type { FindingsCrdt } from './findings-crdt.js';
import { lamportOf } from './findings-crdt.js';
import type { MemoryFragment } from './memory-fragment.js';
import type { SharedMemory } from './shared-memory.js';

/** The shared state of one workflow instance: merged findings and the effects applied. */
export interface WorkflowStateContent {
  findings: FindingsCrdt;
  /** Applied effects by idempotency key (`taskId`, or `taskId#attempt` without idempotency keys). */
  effects: Record<string, { taskId: string; attempt: number; agent: string }>;
}

/** Fragment id of a workflow's shared state (space = the workflow id). */
export const WORKFLOW_STATE_ID = 'state';

/** Outcome of committing a task's effect. */
export interface EffectCommit {
  /** Storage version of the state after the commit (or as found, when reused). */
  version: number;
  /** False when the effect was already there under its idempotency key and was reused. */
  committed: boolean;
}

/**
 * Applies the effect of a task attempt (its findings) to the workflow's shared
 * state with compare-and-swap. With `idempotent`, the key is the task: a
 * retry that finds the effect already applied reuses it ("check the store
 * before retrying", seed 001). Without, every attempt applies it again.
 */
export async function commitTaskEffect(
  memory: SharedMemory,
  effect: { workflowId: string; taskId: string; attempt: number; agent: string; findings: string[]; confidence: number; nowUs: number },
  idempotent: boolean,
): Promise<EffectCommit> {
  const key = idempotent ? effect.taskId : `${effect.taskId}#${effect.attempt}`;
  const { fragment, written } = await memory.update<WorkflowStateContent>(effect.workflowId, WORKFLOW_STATE_ID, (current) => {
    const base = current ?? emptyState(effect.workflowId, effect.agent, effect.taskId, effect.nowUs);
    if (idempotent && base.content.data.effects[key] !== undefined) return undefined;
    const lamport = lamportOf(base.content.data.findings) + 1;
    const findings: Record<string, FindingsCrdt[string]> = { ...base.content.data.findings };
    effect.findings.forEach((text, index) => {
      findings[`${key}/${index}`] = { text, confidence: effect.confidence, agent: effect.agent, lamport };
    });
    return {
      ...base,
      content: {
        type: 'structured',
        data: { findings, effects: { ...base.content.data.effects, [key]: { taskId: effect.taskId, attempt: effect.attempt, agent: effect.agent } } },
      },
    };
  });
  return { version: fragment?.version ?? 0, committed: written };
}

function emptyState(workflowId: string, agent: string, taskId: string, nowUs: number): MemoryFragment<WorkflowStateContent> {
  return {
    id: WORKFLOW_STATE_ID,
    spaceId: workflowId,
    version: 0,
    content: { type: 'structured', data: { findings: {}, effects: {} } },
    provenance: { createdByAgent: agent, createdDuringTask: taskId, createdAtUs: nowUs, confidence: 1, sources: [] },
    access: { visibility: 'workflow', allowedAgents: [], deniedAgents: [] },
    lifecycle: {},
  };
}
