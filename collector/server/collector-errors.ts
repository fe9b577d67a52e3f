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
