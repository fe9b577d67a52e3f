import type { CoreEvent } from '../../core/env/observer.js';
import { TraceIndex, type Checker, type Violation } from './violation.js';

/**
 * Exactly-once effects: the effect of a task is committed at most once per
 * workflow, whatever retries, duplicates and racing supervisors did ("two
 * copies of Agent A's output in the store", seed 001).
 */
export class EffectOnceChecker implements Checker {
  readonly name = 'exactly-once-effects';
  private committed = new Map<string, { attempt: number; agent: string }>();
  private traces = new TraceIndex();
  private violations: Omit<Violation, 'seed'>[] = [];

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type !== 'task.effect.committed') return;
    const key = `${event.workflowId}/${event.taskId}`;
    const first = this.committed.get(key);
    if (first === undefined) {
      this.committed.set(key, { attempt: event.attempt, agent: event.agent });
      return;
    }
    this.violations.push({
      checker: this.name,
      classification: 'correctness',
      atMs,
      traceId: this.traces.of(event.workflowId),
      story: `${event.workflowId}: effect of task ${event.taskId} committed twice (attempt ${first.attempt} by ${first.agent}, then attempt ${event.attempt} by ${event.agent})`,
    });
  }

  finish(): Omit<Violation, 'seed'>[] {
    return this.violations;
  }
}
