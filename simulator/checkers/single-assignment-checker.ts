import type { CoreEvent } from '../../core/env/observer.js';
import { TraceIndex, type Checker, type Violation } from './violation.js';

/**
 * No double assignment: one attempt of a task is assigned by one supervisor
 * to one agent. Two racing supervisors that both assign attempt n of a task
 * (or one that sends the same attempt to two agents) break it; a retry is a new
 * attempt and does not.
 */
export class SingleAssignmentChecker implements Checker {
  readonly name = 'no-double-assignment';
  private assigned = new Map<string, { supervisor: string; agent: string }>();
  private traces = new TraceIndex();
  private violations: Omit<Violation, 'seed'>[] = [];

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type !== 'task.assigned') return;
    const key = `${event.workflowId}/${event.taskId}#${event.attempt}`;
    const first = this.assigned.get(key);
    if (first === undefined) {
      this.assigned.set(key, { supervisor: event.supervisor, agent: event.agent });
      return;
    }
    if (first.supervisor === event.supervisor && first.agent === event.agent) return; // a re-send of the same assignment
    this.violations.push({
      checker: this.name,
      classification: 'correctness',
      atMs,
      traceId: this.traces.of(event.workflowId),
      story: `${event.workflowId}: task ${event.taskId} attempt ${event.attempt} assigned twice (${first.supervisor} -> ${first.agent}, then ${event.supervisor} -> ${event.agent})`,
    });
  }

  finish(): Omit<Violation, 'seed'>[] {
    return this.violations;
  }
}
