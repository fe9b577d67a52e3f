import type { WorkflowStatus } from '../env/observer.js';
import type { TaskSpec } from '../workflow/types.js';

/** Where one task of a workflow instance stands. */
export type TaskState =
  | { status: 'waiting' }
  | { status: 'claiming'; attempt: number }
  | { status: 'following'; owner: string }
  | { status: 'assigned'; attempt: number; agent: string; sinceUs?: number }
  | { status: 'backing-off'; attempt: number }
  | { status: 'completed'; attempt: number; agent: string; effectVersion?: number }
  | { status: 'failed'; reason: string };

/**
 * Pure bookkeeping of one workflow instance: task states and which handoffs
 * have been accepted. No I/O; the supervisor drives it.
 */
export class WorkflowState {
  readonly tasks = new Map<string, TaskState>();
  /** `${sourceTaskId}->${targetTaskId}` of every handoff known accepted. */
  readonly acceptedHandoffs = new Set<string>();
  /** `${sourceTaskId}->${targetTaskId}` of every handoff known failed. */
  readonly failedHandoffs = new Set<string>();
  /** Agent that accepted the handoff `${sourceTaskId}->${targetTaskId}`. */
  readonly acceptedBy = new Map<string, string>();
  /** Tasks whose dependencies may not exist (DAG validation off): unknown ids never complete. */
  private readonly known: Set<string>;

  constructor(
    readonly workflowId: string,
    readonly specs: readonly TaskSpec[],
  ) {
    for (const spec of specs) this.tasks.set(spec.id, { status: 'waiting' });
    this.known = new Set(specs.map((spec) => spec.id));
  }

  /** Highest workflow-state version at which a dependency of `taskId` committed its effect (0: none). */
  epochFor(taskId: string): number {
    let epoch = 0;
    for (const dependency of this.spec(taskId).dependsOn) {
      const state = this.tasks.get(dependency);
      if (state?.status === 'completed') epoch = Math.max(epoch, state.effectVersion ?? 0);
    }
    return epoch;
  }

  spec(taskId: string): TaskSpec {
    return this.specs.find((spec) => spec.id === taskId)!;
  }

  /** Waiting tasks whose dependencies completed and whose inputs were handed off. */
  readyTasks(): string[] {
    return this.specs
      .filter((spec) => this.tasks.get(spec.id)!.status === 'waiting')
      .filter((spec) =>
        spec.dependsOn.every(
          (dependency) =>
            this.known.has(dependency) &&
            this.tasks.get(dependency)!.status === 'completed' &&
            this.acceptedHandoffs.has(`${dependency}->${spec.id}`),
        ),
      )
      .map((spec) => spec.id);
  }

  /**
   * Marks waiting tasks that can never start as failed: a dependency failed or
   * its handoff to them failed. Returns the ids marked.
   */
  failUnreachable(): string[] {
    const marked: string[] = [];
    let changed = true;
    while (changed) {
      changed = false;
      for (const spec of this.specs) {
        if (this.tasks.get(spec.id)!.status !== 'waiting') continue;
        const blocker = spec.dependsOn.find(
          (dependency) =>
            this.tasks.get(dependency)?.status === 'failed' || this.failedHandoffs.has(`${dependency}->${spec.id}`),
        );
        if (blocker !== undefined) {
          this.tasks.set(spec.id, { status: 'failed', reason: `input from ${blocker} unavailable` });
          marked.push(spec.id);
          changed = true;
        }
      }
    }
    return marked;
  }

  /** Terminal status once every task is completed or failed; else 'running'. */
  status(): WorkflowStatus {
    const states = [...this.tasks.values()];
    if (states.some((state) => state.status !== 'completed' && state.status !== 'failed')) return 'running';
    const completed = states.filter((state) => state.status === 'completed').length;
    if (completed === states.length) return 'completed';
    return completed === 0 ? 'failed' : 'partial';
  }
}
