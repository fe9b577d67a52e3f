/**
 * What one OTLP request may contain. Anything beyond a limit is refused with a
 * message naming the limit, never truncated silently. Defaults are set in
 * `resolveOtlpLimits` and documented here.
 */
export interface OtlpLimits {
  /** Attributes on one span, event, resource or scope. Default 128. */
  attributesPerItemMax?: number;
  /** Characters of one attribute key. Default 256. */
  attributeKeyCharsMax?: number;
  /** Characters of one attribute value as stored (arrays and maps as JSON). Default 16,384. */
  attributeValueCharsMax?: number;
  /** Nesting of array and map attribute values. Default 8. */
  attributeDepthMax?: number;
  /** Events on one span. Default 1,024. */
  eventsPerSpanMax?: number;
  /** Characters of a span or event name and a status message. Default 1,024. */
  nameCharsMax?: number;
  /** Spans in one request. Default 100,000. */
  spansPerRequestMax?: number;
  /**
   * Earliest accepted timestamp, ns since the epoch. Default 2000-01-01T00:00Z:
   * no OpenTelemetry SDK existed before, so an earlier time is a unit or
   * clock bug (seconds or ms sent as ns), not data.
   */
  timeNsMin?: bigint;
  /**
   * How far past the collector's clock a timestamp may be, ns. Default one
   * day: covers skewed clocks and time zones mistaken for UTC, and refuses
   * garbage that would land in a far-future partition.
   */
  timeFutureNsMax?: bigint;
  /**
   * Width of the window that groups spans without `baton.run.id` into runs,
   * ms. Default one hour (UTC-aligned).
   */
  runWindowMs?: number;
}

export type ResolvedOtlpLimits = Required<OtlpLimits>;

export const DEFAULT_OTLP_LIMITS: ResolvedOtlpLimits = {
  attributesPerItemMax: 128,
  attributeKeyCharsMax: 256,
  attributeValueCharsMax: 16_384,
  attributeDepthMax: 8,
  eventsPerSpanMax: 1_024,
  nameCharsMax: 1_024,
  spansPerRequestMax: 100_000,
  timeNsMin: 946_684_800_000_000_000n,
  timeFutureNsMax: 86_400_000_000_000n,
  runWindowMs: 3_600_000,
};

export function resolveOtlpLimits(limits: OtlpLimits = {}): ResolvedOtlpLimits {
  return { ...DEFAULT_OTLP_LIMITS, ...Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) };
}
