import type { Attributes } from '@opentelemetry/api';
import type { RunColumns, SpanRecord } from '../span-rows.js';
import { attributesAt, int64At, isRecord, listAt, stringAt, type OtlpEncoding } from './otlp-attributes.js';
import { InvalidItem, OtlpDecodeError, within } from './otlp-error.js';
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
const DAY_MS = 86_400_000;
const HEX = /^[0-9a-fA-F]*$/;

/**
 * Turns a parsed ExportTraceServiceRequest (JSON.parse output, or a protobufjs
 * decoded message) into SpanRecords grouped by run.
 *
 * A span that breaks a rule is rejected alone (partial success); a problem in
 * a resource or scope rejects the spans beneath it. Throws OtlpDecodeError when
 * the request is not an ExportTraceServiceRequest at all, or when every span
 * is rejected. `nowNs` is the collector's clock, for the future-time limit.
 */
export function decodeTraceRequest(body: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, nowNs: bigint): DecodedTraces {
  if (!isRecord(body)) throw new OtlpDecodeError('request body: expected an ExportTraceServiceRequest object');
  const state = { batches: new Map<string, RunBatch>(), accepted: 0, rejected: 0, errors: [] as string[] };
  const reject = (count: number, error: unknown, prefix: string): void => {
    if (!(error instanceof InvalidItem)) throw error;
    state.rejected += count;
    if (state.errors.length < ERRORS_KEPT_MAX) state.errors.push(`${prefix}${error.path}: ${error.problem}`);
  };
  const resourceSpansList = structural(() => listAt(body.resourceSpans), 'resourceSpans');
  resourceSpansList.forEach((resourceSpans, r) => {
    if (!isRecord(resourceSpans)) throw new OtlpDecodeError(`resourceSpans[${r}]: expected a ResourceSpans object`);
    const scopeSpansList = structural(() => listAt(resourceSpans.scopeSpans), `resourceSpans[${r}].scopeSpans`);
    let identity: RunIdentity;
    try {
      identity = resourceIdentity(resourceSpans.resource, encoding, limits);
    } catch (error) {
      reject(countSpans(scopeSpansList), error, `resourceSpans[${r}].resource`);
      return;
    }
    scopeSpansList.forEach((scopeSpans, s) => {
      if (!isRecord(scopeSpans)) throw new OtlpDecodeError(`resourceSpans[${r}].scopeSpans[${s}]: expected a ScopeSpans object`);
      const spans = structural(() => listAt(scopeSpans.spans), `resourceSpans[${r}].scopeSpans[${s}].spans`);
      let inherited: Attributes;
      try {
        inherited = { ...identity.resourceAttributes, ...scopeAttributesOf(scopeSpans.scope, limits) };
      } catch (error) {
        reject(spans.length, error, `resourceSpans[${r}].scopeSpans[${s}].scope`);
        return;
      }
      // Spans of a scope nearly always share a run and a day: the last batch
      // is reused while a span starts within its day and run window.
      let last: { fromMs: number; toMs: number; batch: RunBatch } | undefined;
      for (let index = 0; index < spans.length; index += 1) {
        if (state.accepted + state.rejected >= limits.spansPerRequestMax) {
          throw new OtlpDecodeError(`resourceSpans[${r}].scopeSpans[${s}].spans[${index}]: more than ${limits.spansPerRequestMax} spans in one request`);
        }
        let record: SpanRecord;
        try {
          record = spanAt(spans[index], encoding, limits, nowNs, inherited);
        } catch (error) {
          reject(1, error, `resourceSpans[${r}].scopeSpans[${s}].spans[${index}]`);
          continue;
        }
        const startMs = Number(record.startNs / 1_000_000n);
        if (last === undefined || startMs < last.fromMs || startMs >= last.toMs) {
          const run = runOf(identity, record.startNs, limits.runWindowMs);
          const key = `${run.runId}\u0000${run.recordedDate}`;
          let batch = state.batches.get(key);
          if (!batch) state.batches.set(key, (batch = { run, spans: [] }));
          const dayStartMs = Math.floor(startMs / DAY_MS) * DAY_MS;
          const windowStartMs = Math.floor(startMs / limits.runWindowMs) * limits.runWindowMs;
          last = { fromMs: Math.max(dayStartMs, windowStartMs), toMs: Math.min(dayStartMs + DAY_MS, windowStartMs + limits.runWindowMs), batch };
        }
        last.batch.spans.push(record);
        state.accepted += 1;
      }
    });
  });
  if (state.accepted === 0 && state.rejected > 0) {
    throw new OtlpDecodeError(`all ${state.rejected} spans rejected: ${state.errors.join('; ')}`);
  }
  return { batches: [...state.batches.values()], acceptedSpans: state.accepted, rejectedSpans: state.rejected, errors: state.errors };
}

/** A problem in the request's skeleton refuses the whole request. */
function structural<T>(read: () => T, path: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidItem) throw new OtlpDecodeError(`${path}${error.path}: ${error.problem}`);
    throw error;
  }
}

function countSpans(scopeSpansList: unknown[]): number {
  return scopeSpansList.reduce<number>((sum, scopeSpans) => sum + (isRecord(scopeSpans) && Array.isArray(scopeSpans.spans) ? scopeSpans.spans.length : 0), 0);
}

/** Reads `field` of `object` with `read`, naming the field in any InvalidItem. */
function field<T>(object: Record<string, unknown>, name: string, read: (value: unknown) => T): T {
  try {
    return read(object[name]);
  } catch (error) {
    throw within(error, `.${name}`);
  }
}

function resourceIdentity(resource: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits): RunIdentity {
  if (resource === undefined || resource === null) return runIdentityOf({});
  if (!isRecord(resource)) throw new InvalidItem('', 'expected a Resource object');
  const attributes = field(resource, 'attributes', (value) => attributesAt(value, encoding, limits));
  try {
    return runIdentityOf(attributes);
  } catch (error) {
    throw within(error, '.attributes');
  }
}

function scopeAttributesOf(scope: unknown, limits: ResolvedOtlpLimits): Attributes {
  if (scope === undefined || scope === null) return {};
  if (!isRecord(scope)) throw new InvalidItem('', 'expected an InstrumentationScope object');
  const name = field(scope, 'name', (value) => stringAt(value, limits.nameCharsMax));
  const version = field(scope, 'version', (value) => stringAt(value, limits.nameCharsMax));
  const attributes: Attributes = {};
  if (name) attributes['otel.scope.name'] = name;
  if (version) attributes['otel.scope.version'] = version;
  return attributes;
}

/** One span; `inherited` are the resource and scope attributes every span of the scope carries. */
function spanAt(span: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, nowNs: bigint, inherited: Attributes): SpanRecord {
  if (!isRecord(span)) throw new InvalidItem('', 'expected a Span object');
  // The field being read, to name it in an InvalidItem (one try for all: no closure per field).
  let name = 'traceId';
  try {
    const traceId = idAt(span.traceId, 16, encoding, false);
    name = 'spanId';
    const spanId = idAt(span.spanId, 8, encoding, false);
    name = 'parentSpanId';
    const parentSpanId = idAt(span.parentSpanId, 8, encoding, true);
    name = 'name';
    const spanName = stringAt(span.name, limits.nameCharsMax);
    name = 'kind';
    const kind = enumAt(span.kind, 5);
    name = 'startTimeUnixNano';
    const startNs = timeAt(span.startTimeUnixNano, limits, nowNs);
    name = 'endTimeUnixNano';
    const endNs = timeAt(span.endTimeUnixNano, limits, nowNs);
    if (endNs < startNs) throw new InvalidItem('', 'before startTimeUnixNano');
    name = 'attributes';
    const attributes = attributesAt(span.attributes, encoding, limits, inherited);
    name = 'events';
    const events = eventsAt(span.events, encoding, limits, nowNs);
    name = 'status';
    const status = statusAt(span.status, limits);
    return {
      traceId,
      spanId,
      parentSpanId,
      name: spanName,
      // OTLP numbers SPAN_KIND_UNSPECIFIED as 0 and INTERNAL as 1; the OTel API
      // (and the simulated spans) number INTERNAL as 0.
      kind: Math.max(0, kind - 1),
      startNs,
      endNs,
      statusCode: status.code,
      statusMessage: status.message,
      attributes,
      events,
    };
  } catch (error) {
    throw within(error, `.${name}`);
  }
}

function eventsAt(value: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, nowNs: bigint): SpanRecord['events'] {
  const events = listAt(value);
  if (events.length > limits.eventsPerSpanMax) throw new InvalidItem('', `${events.length} events, more than the limit of ${limits.eventsPerSpanMax}`);
  return events.map((event, index) => {
    try {
      if (!isRecord(event)) throw new InvalidItem('', 'expected an Event object');
      return {
        name: field(event, 'name', (name) => stringAt(name, limits.nameCharsMax)),
        timeNs: field(event, 'timeUnixNano', (time) => timeAt(time, limits, nowNs)),
        attributes: field(event, 'attributes', (attributes) => attributesAt(attributes, encoding, limits)),
      };
    } catch (error) {
      throw within(error, `[${index}]`);
    }
  });
}

function statusAt(value: unknown, limits: ResolvedOtlpLimits): { code: number; message: string } {
  if (value === undefined || value === null) return { code: 0, message: '' };
  if (!isRecord(value)) throw new InvalidItem('', 'expected a Status object');
  return {
    code: field(value, 'code', (code) => enumAt(code, 2)),
    message: field(value, 'message', (message) => stringAt(message, limits.attributeValueCharsMax)),
  };
}

/** A trace or span id as lower-case hex: hex text in JSON, raw bytes in protobuf. */
function idAt(value: unknown, bytes: number, encoding: OtlpEncoding, optional: boolean): string {
  const absent =
    value === undefined || value === null || value === '' || ((value instanceof Uint8Array || Array.isArray(value)) && value.length === 0);
  if (absent) {
    if (optional) return '';
    throw new InvalidItem('', encoding === 'json' ? `expected ${bytes * 2} hex chars` : `expected ${bytes} bytes`);
  }
  let hex: string;
  if (encoding === 'protobuf') {
    if (!(value instanceof Uint8Array) || value.length !== bytes) throw new InvalidItem('', `expected ${bytes} bytes`);
    hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  } else {
    if (typeof value !== 'string' || value.length !== bytes * 2 || !HEX.test(value)) throw new InvalidItem('', `expected ${bytes * 2} hex chars`);
    hex = value.toLowerCase();
  }
  if (ALL_ZEROS.test(hex)) throw new InvalidItem('', 'all zeros is not a valid id');
  return hex;
}

const ALL_ZEROS = /^0+$/;

function enumAt(value: unknown, max: number): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new InvalidItem('', `expected an integer from 0 to ${max}`);
  return value;
}

function timeAt(value: unknown, limits: ResolvedOtlpLimits, nowNs: bigint): bigint {
  const ns = int64At(value);
  if (ns === undefined) throw new InvalidItem('', 'missing');
  if (ns < limits.timeNsMin) throw new InvalidItem('', `${ns} ns is before ${new Date(Number(limits.timeNsMin / 1_000_000n)).toISOString()}`);
  if (ns > nowNs + limits.timeFutureNsMax) throw new InvalidItem('', `${ns} ns is further in the future than the collector's clock allows`);
  return ns;
}
