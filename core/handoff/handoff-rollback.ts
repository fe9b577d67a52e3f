import type { Env } from '../env/env.js';
import { SharedMemory } from '../memory/shared-memory.js';

/**
 * The cleanup after a handoff record was moved to `rolled_back` (by the
 * source, its restart, or the supervisor): the handoff's context fragments are
 * deleted (no orphaned context) and the rollback is recorded — `handoff.failed`
 * first, for checkers that only know that one, then `handoff.rolled_back`.
 */
export async function rollBackContext(env: Env, workflowId: string, handoffId: string, fragmentIds: string[], reason: string): Promise<void> {
  const memory = new SharedMemory(env, 'epoch-checked');
  for (const id of fragmentIds) {
    try {
      await memory.remove(workflowId, id);
    } catch {
      // The store kept failing: the rollback still stands (the record says rolled_back); the
      // fragment stays behind as garbage that no handoff points to.
    }
  }
  env.observer.record({ type: 'handoff.failed', workflowId, handoffId, reason });
  env.observer.record({ type: 'handoff.rolled_back', workflowId, handoffId, reason });
}
