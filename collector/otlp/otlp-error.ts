/**
 * A request the collector refuses as a whole (HTTP 400): the message names
 * the place, e.g. `resourceSpans[0].scopeSpans[1].spans[3].traceId: expected
 * 32 hex chars`.
 */
export class OtlpDecodeError extends Error {
  readonly code = 'BATON_ERR_OTLP_MALFORMED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OtlpDecodeError';
  }
}

/**
 * One invalid item found while decoding; thrown inside the decoder, caught per
 * span. Readers throw it with the path relative to what they read, and each
 * enclosing reader prefixes its own part on the way out (`within`), so no path
 * string is built unless something is wrong.
 */
export class InvalidItem extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'InvalidItem';
  }
}

/** `error` with `prefix` in front of its path when it is an InvalidItem; any other error unchanged. */
export function within(error: unknown, prefix: string): unknown {
  return error instanceof InvalidItem ? new InvalidItem(prefix + error.path, error.problem) : error;
}
