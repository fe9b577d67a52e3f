/** Exit codes of the `baton` command. */
export const EXIT = {
  /** Ran, and every assertion and invariant held. */
  ok: 0,
  /** Ran, and an assertion or invariant failed. */
  verdictFailed: 1,
  /** Bad input: scenario file, flag, assertion, config. */
  badInput: 2,
  /** Infrastructure failure: storage unreachable, disk, internal error. */
  infrastructure: 3,
} as const;

/** A bad command line (exit code 2). */
export class UsageError extends Error {
  readonly code = 'BATON_ERR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
