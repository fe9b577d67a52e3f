/**
 * Errors the collector raises at startup, each with a stable code. Request
 * errors are answered over HTTP and documented in docs/deploy.md:
 * BATON_ERR_OTLP_MALFORMED (400), BATON_ERR_OTLP_BODY_TOO_LARGE (413),
 * BATON_ERR_OTLP_CONTENT_ENCODING (415), BATON_ERR_SPOOL_FULL (503).
 */
export class CollectorConfigError extends Error {
  constructor(
    readonly code: 'BATON_ERR_COLLECTOR_NO_TOKEN' | 'BATON_ERR_COLLECTOR_INSECURE_BIND' | 'BATON_ERR_COLLECTOR_OPTION',
    message: string,
  ) {
    super(message);
    this.name = 'CollectorConfigError';
  }
}

/**
 * The collector cannot listen on its address: the port is in use, the address
 * is not this host's, or binding it is not permitted. Infrastructure: exit 3,
 * one line naming the address and the cause.
 */
export class CollectorListenError extends Error {
  readonly code = 'BATON_ERR_COLLECTOR_LISTEN';
  constructor(
    readonly address: string,
    readonly systemCode: string,
    options?: { cause?: unknown },
  ) {
    super(`the collector cannot listen on ${address}: ${LISTEN_PROBLEMS[systemCode] ?? systemCode}`, options);
    this.name = 'CollectorListenError';
  }
}

/** System errors of `listen` that are about the address, not a defect; others stay internal errors. */
export const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use (another collector?)',
  EADDRNOTAVAIL: 'the address is not one of this host\'s',
  EACCES: 'permission denied (ports below 1024 need privileges)',
};
