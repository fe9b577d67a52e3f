import type { CoreEvent } from '../../core/env/observer.js';

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
 * An invariant checker: fed every core event in order, asked for violations at
 * the end of the run. One checker per file, one invariant per checker.
 */
export interface Checker {
  readonly name: string;
  observe(event: CoreEvent, atMs: number): void;
  finish(atMs: number): Omit<Violation, 'seed'>[];
}
