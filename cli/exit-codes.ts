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

/**
 * Output files could not be written because the disk or the system failed (a
 * full disk, an I/O error, a quota; exit code 3). Printed as one line naming
 * where and why, without a stack. Whatever was stored before stays stored.
 */
export class OutputWriteError extends Error {
  readonly code = 'BATON_ERR_OUTPUT_WRITE';
  constructor(
    message: string,
    /** The system's error code, e.g. ENOSPC. */
    readonly systemCode: string,
  ) {
    super(message);
    this.name = 'OutputWriteError';
  }
}
