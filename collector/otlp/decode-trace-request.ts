import type { Attributes } from '@opentelemetry/api';
import type { RunColumns, SpanRecord } from '../span-rows.js';
import { attributesAt, int64At, isRecord, listAt, stringAt, type OtlpEncoding } from './otlp-attributes.js';
import { InvalidItem, OtlpDecodeError } from './otlp-error.js';
import type { ResolvedOtlpLimits } from './otlp-limits.js';
import { runIdentityOf, runOf, type RunIdentity } from './run-grouping.js';

/** Spans of one run (and one recorded date), ready for the row functions. */
export interface RunBatch {
  run: RunColumns;
  spans: SpanRecord[];
}

/** The outcome of decoding one export request. */
export interface DecodedTraces {
  batches: RunBatch[];
  acceptedSpans: number;
  rejectedSpans: number;
  /** The first few reasons for rejected spans, each with its path. */
  errors: string[];
}

const ERRORS_KEPT_MAX = 5;
const HEX = /^[0-9a-fA-F]*$/;

/**
 * Turns a parsed ExportTraceServiceRequest (JSON.parse output, or protobufjs
 * `toObject` with longs as strings) into SpanRecords grouped by run.
 *
 * A span that breaks a rule is rejected alone (partial success); a problem in
 * a resource or scope rejects the spans beneath it. Throws OtlpDecodeError when
 * the request is not an ExportTraceServiceRequest at all, or when every span
 * is rejected. `nowNs` is the collector's clock, for the future-time limit.
 */
export function decodeTraceRequest(body: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, nowNs: bigint): DecodedTraces {
  if (!isRecord(body)) throw new OtlpDecodeError('request body: expected an ExportTraceServiceRequest object');
  const state = { batches: new Map<string, RunBatch>(), accepted: 0, rejected: 0, errors: [] as string[] };
  const reject = (count: number, error: unknown): void => {
    if (!(error instanceof InvalidItem)) throw error;
    state.rejected += count;
    if (state.errors.length < ERRORS_KEPT_MAX) state.errors.push(error.message);
  };
  const resourceSpansList = structural(() => listAt(body.resourceSpans, 'resourceSpans'));
  resourceSpansList.forEach((resourceSpans, r) => {
    const path = `resourceSpans[${r}]`;
    if (!isRecord(resourceSpans)) throw new OtlpDecodeError(`${path}: expected a ResourceSpans object`);
    const scopeSpansList = structural(() => listAt(resourceSpans.scopeSpans, `${path}.scopeSpans`));
    let identity: RunIdentity;
    try {
      identity = resourceIdentity(resourceSpans.resource, `${path}.resource`, encoding, limits);
    } catch (error) {
      reject(countSpans(scopeSpansList), error);
      return;
    }
    scopeSpansList.forEach((scopeSpans, s) => {
      const scopePath = `${path}.scopeSpans[${s}]`;
      if (!isRecord(scopeSpans)) throw new OtlpDecodeError(`${scopePath}: expected a ScopeSpans object`);
      const spans = structural(() => listAt(scopeSpans.spans, `${scopePath}.spans`));
      let scopeAttributes: Attributes;
      try {
        scopeAttributes = scopeAttributesOf(scopeSpans.scope, `${scopePath}.scope`, limits);
      } catch (error) {
        reject(spans.length, error);
        return;
      }
      spans.forEach((span, index) => {
        if (state.accepted + state.rejected >= limits.spansPerRequestMax) {
          throw new OtlpDecodeError(`${scopePath}.spans[${index}]: more than ${limits.spansPerRequestMax} spans in one request`);
        }
        try {
          const record = spanAt(span, `${scopePath}.spans[${index}]`, encoding, limits, nowNs);
          record.attributes = { ...identity.resourceAttributes, ...scopeAttributes, ...record.attributes };
          const run = runOf(identity, record.startNs, limits.runWindowMs);
          const key = `${run.runId}\u0000${run.recordedDate}`;
          let batch = state.batches.get(key);
          if (!batch) state.batches.set(key, (batch = { run, spans: [] }));
          batch.spans.push(record);
          state.accepted += 1;
        } catch (error) {
          reject(1, error);
        }
      });
    });
  });
  if (state.accepted === 0 && state.rejected > 0) {
    throw new OtlpDecodeError(`all ${state.rejected} spans rejected: ${state.errors.join('; ')}`);
  }
  return { batches: [...state.batches.values()], acceptedSpans: state.accepted, rejectedSpans: state.rejected, errors: state.errors };
}

/** A problem in the request's skeleton refuses the whole request. */
function structural<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidItem) throw new OtlpDecodeError(error.message);
    throw error;
  }
}

function countSpans(scopeSpansList: unknown[]): number {
  return scopeSpansList.reduce<number>((sum, scopeSpans) => sum + (isRecord(scopeSpans) && Array.isArray(scopeSpans.spans) ? scopeSpans.spans.length : 0), 0);
}

function resourceIdentity(resource: unknown, path: string, encoding: OtlpEncoding, limits: ResolvedOtlpLimits): RunIdentity {
  if (resource === undefined || resource === null) return runIdentityOf({}, path);
  if (!isRecord(resource)) throw new InvalidItem(path, 'expected a Resource object');
  return runIdentityOf(attributesAt(resource.attributes, `${path}.attributes`, encoding, limits), `${path}.attributes`);
}

function scopeAttributesOf(scope: unknown, path: string, limits: ResolvedOtlpLimits): Attributes {
  if (scope === undefined || scope === null) return {};
  if (!isRecord(scope)) throw new InvalidItem(path, 'expected an InstrumentationScope object');
  const name = stringAt(scope.name, `${path}.name`, limits.nameCharsMax);
  const version = stringAt(scope.version, `${path}.version`, limits.nameCharsMax);
  const attributes: Attributes = {};
  if (name) attributes['otel.scope.name'] = name;
  if (version) attributes['otel.scope.version'] = version;
  return attributes;
}

function spanAt(span: unknown, path: string, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, nowNs: bigint): SpanRecord {
  if (!isRecord(span)) throw new InvalidItem(path, 'expected a Span object');
  const traceId = idAt(span.traceId, `${path}.traceId`, 16, encoding, false);
  const spanId = idAt(span.spanId, `${path}.spanId`, 8, encoding, false);
  const parentSpanId = idAt(span.parentSpanId, `${path}.parentSpanId`, 8, encoding, true);
  const name = stringAt(span.name, `${path}.name`, limits.nameCharsMax);
  const kind = enumAt(span.kind, `${path}.kind`, 5);
  const startNs = timeAt(span.startTimeUnixNano, `${path}.startTimeUnixNano`, limits, nowNs);
  const endNs = timeAt(span.endTimeUnixNano, `${path}.endTimeUnixNano`, limits, nowNs);
  if (endNs < startNs) throw new InvalidItem(`${path}.endTimeUnixNano`, 'before startTimeUnixNano');
  const attributes = attributesAt(span.attributes, `${path}.attributes`, encoding, limits);
  const events = listAt(span.events, `${path}.events`);
  if (events.length > limits.eventsPerSpanMax) {
    throw new InvalidItem(`${path}.events`, `${events.length} events, more than the limit of ${limits.eventsPerSpanMax}`);
  }
  let statusCode = 0;
  let statusMessage = '';
  if (span.status !== undefined && span.status !== null) {
    if (!isRecord(span.status)) throw new InvalidItem(`${path}.status`, 'expected a Status object');
    statusCode = enumAt(span.status.code, `${path}.status.code`, 2);
    statusMessage = stringAt(span.status.message, `${path}.status.message`, limits.attributeValueCharsMax);
  }
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    // OTLP numbers SPAN_KIND_UNSPECIFIED as 0 and INTERNAL as 1; the OTel API
    // (and the simulated spans) number INTERNAL as 0.
    kind: Math.max(0, kind - 1),
    startNs,
    endNs,
    statusCode,
    statusMessage,
    attributes,
    events: events.map((event, index) => {
      const eventPath = `${path}.events[${index}]`;
      if (!isRecord(event)) throw new InvalidItem(eventPath, 'expected an Event object');
      return {
        name: stringAt(event.name, `${eventPath}.name`, limits.nameCharsMax),
        timeNs: timeAt(event.timeUnixNano, `${eventPath}.timeUnixNano`, limits, nowNs),
        attributes: attributesAt(event.attributes, `${eventPath}.attributes`, encoding, limits),
      };
    }),
  };
}

/** A trace or span id as lower-case hex: hex text in JSON, raw bytes in protobuf. */
function idAt(value: unknown, path: string, bytes: number, encoding: OtlpEncoding, optional: boolean): string {
  const absent = value === undefined || value === null || value === '' || (value instanceof Uint8Array && value.length === 0);
  if (absent) {
    if (optional) return '';
    throw new InvalidItem(path, encoding === 'json' ? `expected ${bytes * 2} hex chars` : `expected ${bytes} bytes`);
  }
  let hex: string;
  if (encoding === 'protobuf') {
    if (!(value instanceof Uint8Array) || value.length !== bytes) throw new InvalidItem(path, `expected ${bytes} bytes`);
    hex = Buffer.from(value).toString('hex');
  } else {
    if (typeof value !== 'string' || value.length !== bytes * 2 || !HEX.test(value)) {
      throw new InvalidItem(path, `expected ${bytes * 2} hex chars`);
    }
    hex = value.toLowerCase();
  }
  if (/^0+$/.test(hex)) throw new InvalidItem(path, 'all zeros is not a valid id');
  return hex;
}

function enumAt(value: unknown, path: string, max: number): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidItem(path, `expected an integer from 0 to ${max}`);
  }
  return value;
}

function timeAt(value: unknown, path: string, limits: ResolvedOtlpLimits, nowNs: bigint): bigint {
  const ns = int64At(value, path);
  if (ns === undefined) throw new InvalidItem(path, 'missing');
  if (ns < limits.timeNsMin) throw new InvalidItem(path, `${ns} ns is before ${new Date(Number(limits.timeNsMin / 1_000_000n)).toISOString()}`);
  if (ns > nowNs + limits.timeFutureNsMax) throw new InvalidItem(path, `${ns} ns is further in the future than the collector's clock allows`);
  return ns;
}
