import type { ResolvedOtlpLimits } from '../otlp/otlp-limits.js';
import type { Spool } from '../spool/spool.js';
import type { RawRowFormat } from '../store/span-store.js';
import type { CollectorMetrics } from './collector-metrics.js';
import type { Decoder } from './decode-pool.js';
import type { ResolvedCollectorOptions } from './collector-options.js';

/** What the routes share: options, spool, metrics and the in-flight byte budget. */
export interface CollectorContext {
  options: ResolvedCollectorOptions;
  limits: ResolvedOtlpLimits;
  spool: Spool;
  metrics: CollectorMetrics;
  inflight: { bytes: number };
  /** Decodes request bodies (worker threads, or inline). */
  decoder: Decoder;
  /** Format of the rows spool records hold: the one the store takes fastest. */
  rowFormat: RawRowFormat;
}
