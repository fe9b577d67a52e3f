import type { CoreEvent } from '../../core/env/observer.js';
import { TraceIndex, type Checker, type Violation } from './violation.js';

interface OpenHandoff {
  event: Extract<CoreEvent, { type: 'handoff.prepared' }>;
  atMs: number;
  /** Last phase reported; `context-written` without an end is an orphaned context. */
  phase?: string;
}

/**
 * No lost handoff, no orphaned context: every prepared handoff ends accepted,
 * failed with a reason, or rolled back by the end of the run.
 */
export class LostHandoffChecker implements Checker {
  readonly name = 'no-lost-handoff';
  private open = new Map<string, OpenHandoff>();
  private traces = new TraceIndex();

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type === 'handoff.prepared' && !this.open.has(event.handoffId)) this.open.set(event.handoffId, { event, atMs });
    if (event.type === 'handoff.phase') {
      const open = this.open.get(event.handoffId);
      if (open) open.phase = event.phase;
    }
    if (event.type === 'handoff.accepted' || event.type === 'handoff.failed' || event.type === 'handoff.rolled_back') {
      this.open.delete(event.handoffId);
    }
  }

  finish(): Omit<Violation, 'seed'>[] {
    return [...this.open.values()].map(({ event, atMs, phase }) => ({
      checker: this.name,
      classification: 'correctness' as const,
      atMs,
      traceId: this.traces.of(event.workflowId),
      spanId: event.spanId,
      story:
        phase === 'context-written' || phase === 'checkpointed'
          ? `handoff ${event.handoffId} (${event.source} -> ${event.target}) left its context ${phase} and was never published or rolled back (orphaned context)`
          : `handoff ${event.handoffId} (${event.source} -> ${event.target}) was prepared${phase ? ` (last phase ${phase})` : ''} and never accepted, rejected or rolled back`,
    }));
  }
}
