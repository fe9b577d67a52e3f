import { classifyError, recoveryFor, type ErrorClass, type RecoveryStrategy } from '../resilience/error-classification.js';
import type { SharedMemory } from '../memory/shared-memory.js';
import { WORKFLOW_STATE_ID, type WorkflowStateContent } from '../memory/task-effects.js';

/** What the supervisor does about a failed attempt, and why. */
export interface RecoveryDecision {
  errorClass: ErrorClass;
  strategy: RecoveryStrategy;
}

/**
 * Seed 003's classification driving recovery, with the attempt limit on top:
 * critical → abort the workflow; out of attempts → escalate (the task fails and
 * the workflow degrades gracefully); transient and unknown → retry; resource →
 * fallback to another agent when one can take the task, else escalate; data →
 * compensate (undo the attempt's effect) and retry.
 */
export function decideRecovery(reason: string, attempt: number, attemptsMax: number, hasFallback: boolean): RecoveryDecision {
  const errorClass = classifyError(reason);
  if (errorClass === 'critical') return { errorClass, strategy: 'abort' };
  if (attempt >= attemptsMax) return { errorClass, strategy: 'escalate' };
  if (errorClass === 'unknown') return { errorClass, strategy: 'retry' };
  const strategy = recoveryFor(errorClass, 1, hasFallback);
  return { errorClass, strategy: strategy === 'escalate' && errorClass === 'transient' ? 'retry' : strategy };
}

/**
 * The compensation of a task: its effect leaves the workflow's shared state
 * (effect entries and findings under its idempotency key or attempt keys).
 */
export async function removeTaskEffect(memory: SharedMemory, workflowId: string, taskId: string): Promise<void> {
  // A store that keeps failing makes the compensation fail; Saga reports it, a retry just proceeds.
  await memory.update<WorkflowStateContent>(workflowId, WORKFLOW_STATE_ID, (current) => {
    if (!current) return undefined;
    const owned = (key: string): boolean => key === taskId || key.startsWith(`${taskId}#`) || key.startsWith(`${taskId}/`);
    const effects = Object.fromEntries(Object.entries(current.content.data.effects).filter(([key]) => !owned(key)));
    const findings = Object.fromEntries(Object.entries(current.content.data.findings).filter(([key]) => !owned(key.split('/')[0]!)));
    if (Object.keys(effects).length === Object.keys(current.content.data.effects).length) return undefined;
    return { ...current, content: { type: 'structured', data: { effects, findings } } };
  });
}
