import type { Env } from '../env/env.js';
import { HandoffRecords } from '../handoff/handoff-record.js';
import { SharedMemory } from '../memory/shared-memory.js';
import { WORKFLOW_STATE_ID, type WorkflowStateContent } from '../memory/task-effects.js';
import type { MemoryFragment } from '../memory/memory-fragment.js';
import type { ResolvedDesignPolicies } from '../policies/design-policies.js';
import { rollBackContext } from '../handoff/handoff-rollback.js';

/** What the supervisor found in the store about a timed-out attempt. */
export interface TimeoutFindings {
  /** The effect is committed and every handoff accepted: the task is done, only the report was lost. */
  completed?: { agent: string; attempt: number; effectVersion: number; acceptedBy: Map<string, string> };
  /** Handoffs found `preparing` and rolled back here. */
  rolledBack: string[];
}

/**
 * Seed 000's timeout handling of a two-phase handoff and seed 001's fix for
 * retry ambiguity: before retrying a timed-out task, check the store. A handoff
 * still `preparing` is rolled back (its context fragment deleted: no orphan);
 * `accepted` ones are kept. With idempotency keys, a task whose effect is
 * committed and whose handoffs were all accepted is complete — no retry.
 */
export async function inspectTimedOutTask(
  env: Env,
  design: ResolvedDesignPolicies,
  workflowId: string,
  taskId: string,
  targetTaskIds: string[],
): Promise<TimeoutFindings> {
  const rolledBack: string[] = [];
  const acceptedBy = new Map<string, string>();
  if (design.handoffProtocol === 'two-phase') {
    const records = new HandoffRecords(env.storage, env.clock);
    for (const target of targetTaskIds) {
      const handoffId = `${workflowId}/${taskId}->${target}`;
      const found = await records.read(handoffId);
      if (found?.record.status === 'accepted') acceptedBy.set(target, found.record.acceptedBy ?? found.record.target);
      if (found?.record.status !== 'preparing') continue;
      const settled = await records.settle(handoffId, 'rolled_back', { reason: 'source_timeout' });
      if (settled.status === 'accepted') acceptedBy.set(target, settled.record?.acceptedBy ?? found.record.target);
      if (!settled.moved) continue;
      await rollBackContext(env, workflowId, handoffId, found.record.fragmentIds, 'source_timeout');
      rolledBack.push(handoffId);
    }
  }
  if (!design.idempotencyKeys || design.handoffProtocol !== 'two-phase' || acceptedBy.size < targetTaskIds.length) return { rolledBack };
  const stored = await env.storage.read<Omit<MemoryFragment<WorkflowStateContent>, 'version'>>(SharedMemory.key(workflowId, WORKFLOW_STATE_ID), 'primary');
  const effect = stored?.value.content.data.effects[taskId];
  if (!stored || !effect) return { rolledBack };
  return { rolledBack, completed: { agent: effect.agent, attempt: effect.attempt, effectVersion: stored.version, acceptedBy } };
}

