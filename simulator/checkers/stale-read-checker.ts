import type { CoreEvent } from '../../core/env/observer.js';
import { TraceIndex, type Checker, type Violation } from './violation.js';

/**
 * No stale read acted on: a read whose version is older than the epoch the
 * task requires must be refused, never used ("reject reads older than the
 * current task epoch", seed 001). Refused stale reads are fine.
 */
export class StaleReadChecker implements Checker {
  readonly name = 'no-stale-read-acted-on';
  private traces = new TraceIndex();
  private violations: Omit<Violation, 'seed'>[] = [];

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type !== 'memory.read' || event.outcome !== 'acted-on' || event.versionRead >= event.epochRequired) return;
    this.violations.push({
      checker: this.name,
      classification: 'correctness',
      atMs,
      traceId: this.traces.of(event.workflowId),
      story: `${event.workflowId}: ${event.agent} acted on ${event.key} v${event.versionRead} read from the ${event.source} while task ${event.taskId} required v${event.epochRequired}`,
    });
  }

  finish(): Omit<Violation, 'seed'>[] {
    return this.violations;
  }
}
