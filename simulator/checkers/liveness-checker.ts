import type { CoreEvent } from '../../core/env/observer.js';
import type { Checker, Violation } from './violation.js';

/** Liveness: every workflow started reaches a terminal state by the end of the run. */
export class LivenessChecker implements Checker {
  readonly name = 'liveness';
  private running = new Map<string, string>();

  observe(event: CoreEvent): void {
    if (event.type === 'workflow.started') this.running.set(event.workflowId, event.traceId);
    if (event.type === 'workflow.finished') this.running.delete(event.workflowId);
  }

  finish(atMs: number): Omit<Violation, 'seed'>[] {
    return [...this.running].map(([workflowId, traceId]) => ({
      checker: this.name,
      classification: 'liveness' as const,
      atMs,
      traceId,
      story: `workflow ${workflowId} was still running when the simulation had nothing left to do (deadlock)`,
    }));
  }
}
