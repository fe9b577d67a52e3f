import type { CoreEvent } from '../../core/env/observer.js';
import { TraceIndex, type Checker, type Violation, type WorldEvent } from './violation.js';

/**
 * Liveness: every workflow reaches a terminal state, and once the faults are
 * healed it does so within `boundMs` (from the healing, or from its start when
 * it started later). A workflow still running when the simulation has nothing
 * left to do is a deadlock; one still running when a limit stopped the run is
 * reported as cut short there.
 */
export class LivenessChecker implements Checker {
  readonly name = 'liveness';
  private running = new Map<string, number>();
  private traces = new TraceIndex();
  private healedAtMs = 0;
  private violations: Omit<Violation, 'seed'>[] = [];

  /** `boundMs`: time after healing within which every workflow must end; undefined checks only the end. */
  constructor(private readonly boundMs?: number) {}

  observeWorld(event: WorldEvent, atMs: number): void {
    if (event.type === 'faults.healed') this.healedAtMs = atMs;
  }

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type === 'workflow.started') this.running.set(event.workflowId, atMs);
    if (event.type !== 'workflow.finished') return;
    const startedAtMs = this.running.get(event.workflowId);
    this.running.delete(event.workflowId);
    if (this.boundMs === undefined || startedAtMs === undefined) return;
    const deadlineMs = Math.max(this.healedAtMs, startedAtMs) + this.boundMs;
    if (atMs <= deadlineMs) return;
    this.violations.push({
      checker: this.name,
      classification: 'liveness',
      atMs,
      traceId: this.traces.of(event.workflowId),
      story: `workflow ${event.workflowId} ended ${Math.round(atMs - deadlineMs)} ms after its liveness deadline (${this.boundMs} ms after the faults healed)`,
    });
  }

  finish(atMs: number, stoppedBy?: string): Omit<Violation, 'seed'>[] {
    // Still running with nothing left to do is a deadlock; a run stopped early only cut the workflow short.
    const when = stoppedBy === undefined ? 'the simulation had nothing left to do (deadlock)' : `the simulation stopped ${stoppedBy}`;
    const stuck = [...this.running.keys()].map((workflowId) => ({
      checker: this.name,
      classification: 'liveness' as const,
      atMs,
      traceId: this.traces.of(workflowId),
      story: `workflow ${workflowId} was still running when ${when}`,
    }));
    return [...this.violations, ...stuck];
  }
}
