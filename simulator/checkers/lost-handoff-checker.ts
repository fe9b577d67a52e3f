import type { CoreEvent } from '../../core/env/observer.js';
import type { Checker, Violation } from './violation.js';

/**
 * No lost handoff: every prepared handoff ends accepted or failed with a
 * reason by the end of the run; none is left orphaned.
 */
export class LostHandoffChecker implements Checker {
  readonly name = 'no-lost-handoff';
  private open = new Map<string, { event: Extract<CoreEvent, { type: 'handoff.prepared' }>; atMs: number }>();
  private traces = new Map<string, string>();

  observe(event: CoreEvent, atMs: number): void {
    if (event.type === 'workflow.started') this.traces.set(event.workflowId, event.traceId);
    if (event.type === 'handoff.prepared' && !this.open.has(event.handoffId)) this.open.set(event.handoffId, { event, atMs });
    if (event.type === 'handoff.accepted' || event.type === 'handoff.failed') this.open.delete(event.handoffId);
  }

  finish(): Omit<Violation, 'seed'>[] {
    return [...this.open.values()].map(({ event, atMs }) => ({
      checker: this.name,
      classification: 'correctness' as const,
      atMs,
      traceId: this.traces.get(event.workflowId),
      spanId: event.spanId,
      story: `handoff ${event.handoffId} (${event.source} -> ${event.target}) was prepared and never accepted, rejected or rolled back`,
    }));
  }
}
