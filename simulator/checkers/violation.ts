import type { CoreEvent } from '../../core/env/observer.js';
import type { HandoffEnvelope } from '../../core/handoff/envelope.js';

/** How bad a violation is: wrong result, no progress, or a crash of the harness. */
export type ViolationClass = 'correctness' | 'liveness' | 'crash';

/** One broken invariant, with what a person needs to replay and understand it. */
export interface Violation {
  checker: string;
  classification: ViolationClass;
  seed: number;
  /** Virtual ms since the start of the run. */
  atMs: number;
  traceId?: string;
  spanId?: string;
  /** One line: what happened. */
  story: string;
}

/**
 * Facts the simulated world reports to checkers (core never sees them):
 * - `offer.delivering` / `offer.delivered`: a handoff offer is being handed to
 *   node `to`'s handler (what the receiver actually got, bytes included);
 * - `faults.healed`: the safety phase is over, every fault is healed.
 */
export type WorldEvent =
  | { type: 'offer.delivering'; to: string; envelope: HandoffEnvelope }
  | { type: 'offer.delivered'; to: string; handoffId: string }
  | { type: 'faults.healed' };

/**
 * An invariant checker: fed every core event (and world event) in order, asked
 * for violations at the end of the run. One checker per file, one invariant per
 * checker.
 */
export interface Checker {
  readonly name: string;
  observe(event: CoreEvent, atMs: number): void;
  observeWorld?(event: WorldEvent, atMs: number): void;
  /**
   * The violations, at the end of the run (virtual time `atMs`). `stoppedBy`
   * says why the run stopped early ("at its event limit", "on an error"), and
   * is undefined when it ran until nothing was left to do.
   */
  finish(atMs: number, stoppedBy?: string): Omit<Violation, 'seed'>[];
}

/** Trace ids of workflows, learnt from `workflow.started`; most checkers need them. */
export class TraceIndex {
  private traces = new Map<string, string>();

  observe(event: CoreEvent): void {
    if (event.type === 'workflow.started') this.traces.set(event.workflowId, event.traceId);
  }

  of(workflowId: string): string | undefined {
    return this.traces.get(workflowId);
  }
}
