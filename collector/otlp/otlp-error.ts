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

/** One invalid item found while decoding; thrown inside the decoder, caught per span. */
export class InvalidItem extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'InvalidItem';
  }
}
