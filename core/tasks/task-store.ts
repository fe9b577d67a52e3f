import type { VersionedStorage } from '../env/storage.js';

/** A task's row in the task store. */
export interface TaskRecord {
  status: 'pending' | 'assigned' | 'completed' | 'failed';
  attempt: number;
  /** Supervisor instance that owns the task. */
  owner: string;
  agent: string;
  /** Version of the workflow state at which the task's effect was committed. */
  effectVersion?: number;
  /** Handoffs from this task that were accepted, as `targetTaskId=agent`. */
  handoffs?: { targetTaskId: string; outcome: string; acceptedBy?: string }[];
  reason?: string;
}

/** Outcome of a claim: won (with the record's new version) or lost to `current`. */
export type ClaimResult =
  | { won: true; version: number }
  | { won: false; reason: 'taken'; current: TaskRecord | undefined }
  | { won: false; reason: 'write-failed'; current: TaskRecord | undefined };

/**
 * Task assignment with optimistic locking (seed 000, race condition 1):
 *
 *   UPDATE tasks SET status='assigned', assigned_agent=:agent, version=version+1
 *   WHERE task_id=:id AND status='pending' AND version=:expected_version
 *
 * as a compare-and-swap on the storage primary. A supervisor that loses the race
 * never sends the task; it follows the record until the task is terminal.
 */
export class TaskStore {
  constructor(private readonly storage: VersionedStorage) {}

  static key(workflowId: string, taskId: string): string {
    return `tasks/${workflowId}/${taskId}`;
  }

  /** The task's record on the primary (undefined = pending, never claimed). */
  async read(workflowId: string, taskId: string): Promise<{ record: TaskRecord; version: number } | undefined> {
    const stored = await this.storage.read<TaskRecord>(TaskStore.key(workflowId, taskId), 'primary');
    return stored ? { record: stored.value, version: stored.version } : undefined;
  }

  /**
   * Claims attempt `attempt` for `owner`. Allowed when the task is pending, or
   * when `owner` already holds it and moves to a later attempt (its own retry).
   */
  async claim(workflowId: string, taskId: string, attempt: number, owner: string, agent: string): Promise<ClaimResult> {
    const current = await this.read(workflowId, taskId);
    const record = current?.record;
    const claimable =
      record === undefined || record.status === 'pending' || (record.status === 'assigned' && record.owner === owner && attempt > record.attempt);
    if (!claimable) return { won: false, reason: 'taken', current: record };
    const result = await this.storage.write<TaskRecord>(
      TaskStore.key(workflowId, taskId),
      { status: 'assigned', attempt, owner, agent },
      current?.version ?? 0,
    );
    if (result.ok) return { won: true, version: result.version };
    if (!result.ok && result.reason === 'failed') return { won: false, reason: 'write-failed', current: record };
    const after = await this.read(workflowId, taskId);
    return { won: false, reason: 'taken', current: after?.record };
  }

  /** Records the terminal state of a task the owner holds; retried on conflict (bounded). */
  async finish(workflowId: string, taskId: string, owner: string, terminal: TaskRecord): Promise<boolean> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.read(workflowId, taskId);
      if (current && current.record.owner !== owner) return false;
      if (current && (current.record.status === 'completed' || current.record.status === 'failed')) return true;
      const result = await this.storage.write(TaskStore.key(workflowId, taskId), terminal, current?.version ?? 0);
      if (result.ok) return true;
    }
    return false;
  }
}
