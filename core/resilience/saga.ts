/** A step done and how to undo it. */
export interface Compensation {
  id: string;
  undo: () => Promise<void>;
}

/** How each compensation went. */
export interface CompensationOutcome {
  id: string;
  ok: boolean;
  error?: string;
}

/**
 * A saga log (seed 003): steps register their compensation as they complete;
 * `compensate` undoes them in reverse order (LIFO), continuing past failures
 * and reporting each. A compensation runs at most once.
 */
export class Saga {
  private log: Compensation[] = [];

  register(compensation: Compensation): void {
    this.log.push(compensation);
  }

  /** Number of steps that can still be undone. */
  get size(): number {
    return this.log.length;
  }

  /** Undoes every registered step, newest first; the log is emptied. */
  async compensate(): Promise<CompensationOutcome[]> {
    const steps = this.log.reverse();
    this.log = [];
    const outcomes: CompensationOutcome[] = [];
    for (const step of steps) {
      try {
        await step.undo();
        outcomes.push({ id: step.id, ok: true });
      } catch (error) {
        outcomes.push({ id: step.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return outcomes;
  }
}
