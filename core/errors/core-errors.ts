/**
 * Errors core raises, each with a stable code from the catalog in
 * `docs/errors.md`. `cause` is kept when one exists.
 */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CoreError';
  }
}

/** The workflow's dependency graph has a cycle (would deadlock). */
export class DagCycleError extends CoreError {
  constructor(readonly cycle: string[]) {
    super('BATON_ERR_DAG_CYCLE', `workflow has a dependency cycle: ${cycle.join(' -> ')}`);
    this.name = 'DagCycleError';
  }
}

/** A task depends on a task that does not exist, or a task id repeats. */
export class DagInvalidError extends CoreError {
  constructor(message: string) {
    super('BATON_ERR_DAG_INVALID', message);
    this.name = 'DagInvalidError';
  }
}
