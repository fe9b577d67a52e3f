import { availableParallelism } from 'node:os';
import type { OtlpLimits } from '../otlp/otlp-limits.js';
import type { SpoolDrainOptions } from '../spool/spool-drain.js';
import type { SpanStore } from '../store/span-store.js';
import { CollectorConfigError } from './collector-errors.js';
import type { DashboardPages } from './dashboard-route.js';

/** Options of `createCollectorServer`. Each default is listed here and set in `resolveCollectorOptions`. */
export interface CollectorServerOptions {
  /** Where accepted spans go. The server migrates it lazily and never closes it. */
  store: SpanStore;
  /** Spool directory; created if missing. */
  spoolDir: string;
  /** TCP port; 0 picks a free one. Default 4318 (the OTLP/HTTP port). */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Bearer token clients must send, surrounding whitespace trimmed; all-whitespace is none. Default `process.env.BATON_COLLECTOR_TOKEN`. */
  token?: string;
  /** Accept requests without a token. Refused unless `host` is a loopback address. Default false. */
  insecureNoAuth?: boolean;
  /** Largest request body, both as sent and once un-gzipped, bytes. Default 16 MiB. */
  bodyLimitBytes?: number;
  /** Spool size past which requests get 503 + Retry-After, bytes; at least `bodyLimitBytes`. Default 1 GiB. */
  spoolBytesMax?: number;
  /** Size at which a spool segment is sealed, bytes; the drain holds one segment's rows in memory. Default 8 MiB. */
  segmentBytesMax?: number;
  /**
   * Bytes of request bodies being handled at once past which requests get 429.
   * Decoded spans take several times their body's bytes, so this bounds the
   * collector's memory. Default 64 MiB.
   */
  inflightBytesMax?: number;
  /** Seconds a client is told to wait in Retry-After. Default 5. */
  retryAfterSeconds?: number;
  /**
   * Worker threads that decompress, parse and decode request bodies and build
   * their spool records, so the main thread only does HTTP and the spool
   * append. 0 decodes on the main thread. Default: the number of CPUs, at most 4.
   */
  decodeThreads?: number;
  /** What one request may contain (attribute counts, timestamps, ...). Defaults in `DEFAULT_OTLP_LIMITS`. */
  limits?: OtlpLimits;
  /** Pacing and backoff of the spool-to-store writer. */
  drain?: Pick<SpoolDrainOptions, 'intervalMs' | 'backoffMsMin' | 'backoffMsMax' | 'quarantineAfterAttempts'>;
  /** fastify logger option. Default false. */
  logger?: boolean | { level: string };
  /** The collector's clock, ns since the epoch, for timestamp checks. Default the system clock. */
  nowNs?: () => bigint;
  /** Pages served at GET /, /run, /compare (`baton collector` passes the reports dashboard). Default none: 404. */
  dashboard?: DashboardPages;
}

export type ResolvedCollectorOptions = Required<Omit<CollectorServerOptions, 'token' | 'drain' | 'dashboard'>> & {
  token: string | undefined;
  drain: CollectorServerOptions['drain'];
  dashboard: DashboardPages | undefined;
};

export const DEFAULT_COLLECTOR_PORT = 4318;
export const DEFAULT_COLLECTOR_HOST = '127.0.0.1';
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_COLLECTOR_SPOOL_BYTES_MAX = 1024 * 1024 * 1024;
export const DEFAULT_COLLECTOR_SEGMENT_BYTES_MAX = 8 * 1024 * 1024;
export const DEFAULT_INFLIGHT_BYTES_MAX = 64 * 1024 * 1024;
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
export const DEFAULT_DECODE_THREADS = Math.min(4, availableParallelism());
export const DECODE_THREADS_MAX = 64;
export const TOKEN_ENV = 'BATON_COLLECTOR_TOKEN';

/**
 * Fills defaults and refuses unsafe setups: no token without
 * `insecureNoAuth`, and `insecureNoAuth` only on a loopback address.
 */
export function resolveCollectorOptions(options: CollectorServerOptions): ResolvedCollectorOptions {
  const host = options.host ?? DEFAULT_COLLECTOR_HOST;
  // Trimmed as the presented token is (bearer-auth.ts): a secret file mounted
  // into the environment ends in a newline, and untrimmed it never matched.
  const token = (options.token ?? process.env[TOKEN_ENV])?.trim() || undefined;
  const insecureNoAuth = options.insecureNoAuth ?? false;
  if (insecureNoAuth && !isLoopback(host)) {
    throw new CollectorConfigError(
      'BATON_ERR_COLLECTOR_INSECURE_BIND',
      `--insecure-no-auth is only allowed on a loopback address, not ${host}: set ${TOKEN_ENV} instead`,
    );
  }
  if (!insecureNoAuth && !token) {
    throw new CollectorConfigError(
      'BATON_ERR_COLLECTOR_NO_TOKEN',
      `the collector needs a bearer token: set ${TOKEN_ENV} (or pass --insecure-no-auth on a loopback address)`,
    );
  }
  for (const [name, value] of Object.entries({
    bodyLimitBytes: options.bodyLimitBytes,
    spoolBytesMax: options.spoolBytesMax,
    segmentBytesMax: options.segmentBytesMax,
    inflightBytesMax: options.inflightBytesMax,
    retryAfterSeconds: options.retryAfterSeconds,
  })) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new CollectorConfigError('BATON_ERR_COLLECTOR_OPTION', `${name} must be a positive integer, got ${value}`);
    }
  }
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const spoolBytesMax = options.spoolBytesMax ?? DEFAULT_COLLECTOR_SPOOL_BYTES_MAX;
  // A body at the limit must fit an empty spool, or such requests are refused
  // forever. Necessary, not sufficient: a record can outgrow its body
  // (protobuf re-encoded as rows), and the spool answers those 413.
  if (spoolBytesMax < bodyLimitBytes) {
    throw new CollectorConfigError(
      'BATON_ERR_COLLECTOR_OPTION',
      `--spool-bytes-max (${spoolBytesMax}) must be at least --body-limit-bytes (${bodyLimitBytes}): a request at the body limit could never be spooled`,
    );
  }
  const threads = options.decodeThreads;
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 0 || threads > DECODE_THREADS_MAX)) {
    throw new CollectorConfigError('BATON_ERR_COLLECTOR_OPTION', `decodeThreads must be an integer from 0 to ${DECODE_THREADS_MAX}, got ${threads}`);
  }
  return {
    store: options.store,
    spoolDir: options.spoolDir,
    port: options.port ?? DEFAULT_COLLECTOR_PORT,
    host,
    token,
    insecureNoAuth,
    bodyLimitBytes,
    spoolBytesMax,
    segmentBytesMax: options.segmentBytesMax ?? DEFAULT_COLLECTOR_SEGMENT_BYTES_MAX,
    inflightBytesMax: options.inflightBytesMax ?? DEFAULT_INFLIGHT_BYTES_MAX,
    retryAfterSeconds: options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    decodeThreads: options.decodeThreads ?? DEFAULT_DECODE_THREADS,
    limits: options.limits ?? {},
    drain: options.drain,
    logger: options.logger ?? false,
    nowNs: options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n),
    dashboard: options.dashboard,
  };
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}
