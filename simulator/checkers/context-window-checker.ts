import type { CoreEvent } from '../../core/env/observer.js';
import { TraceIndex, type Checker, type Violation } from './violation.js';

/**
 * Context fits the window: no agent is handed more context than its model
 * holds ("context window blow-up on long chains", seed 001). Fed by core's
 * `context.overflow` events; the agent ran on truncated context.
 */
export class ContextWindowChecker implements Checker {
  readonly name = 'context-window';
  private traces = new TraceIndex();
  private violations: Omit<Violation, 'seed'>[] = [];

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type !== 'context.overflow') return;
    this.violations.push({
      checker: this.name,
      classification: 'correctness',
      atMs,
      traceId: this.traces.of(event.workflowId),
      story: `${event.workflowId}: ${event.agent} was handed ${event.contextTokens} tokens of context for task ${event.taskId}, over its ${event.windowTokens}-token window`,
    });
  }

  finish(): Omit<Violation, 'seed'>[] {
    return this.violations;
  }
}
