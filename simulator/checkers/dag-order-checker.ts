import type { CoreEvent } from '../../core/env/observer.js';
import type { WorkflowSpec } from '../../core/workflow/types.js';
import type { Checker, Violation } from './violation.js';

/** DAG invariant: no task starts before every task it depends on completed. */
export class DagOrderChecker implements Checker {
  readonly name = 'dag-order';
  private completed = new Set<string>();
  private traces = new Map<string, string>();
  private violations: Omit<Violation, 'seed'>[] = [];

  constructor(private readonly workflow: WorkflowSpec) {}

  observe(event: CoreEvent, atMs: number): void {
    if (event.type === 'workflow.started') this.traces.set(event.workflowId, event.traceId);
    if (event.type === 'task.completed') this.completed.add(`${event.workflowId}/${event.taskId}`);
    if (event.type !== 'task.started') return;
    const spec = this.workflow.tasks.find((task) => task.id === event.taskId);
    const missing = spec?.dependsOn.filter((dependency) => !this.completed.has(`${event.workflowId}/${dependency}`)) ?? [];
    if (missing.length === 0) return;
    this.violations.push({
      checker: this.name,
      classification: 'correctness',
      atMs,
      traceId: this.traces.get(event.workflowId),
      spanId: event.spanId,
      story: `${event.workflowId}: task ${event.taskId} started on ${event.agent} before ${missing.join(', ')} completed`,
    });
  }

  finish(): Omit<Violation, 'seed'>[] {
    return this.violations;
  }
}
