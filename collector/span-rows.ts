import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanEventRow, SpanRow } from './store/rows.js';

/** Run-level columns every span row of a run carries. */
export interface RunColumns {
  runId: string;
  sweepId: string;
  scenario: string;
  seed: number;
  /** YYYY-MM-DD; the partition the run's rows live in. */
  recordedDate: string;
  serviceName: string;
}

/** A span in the shape storage needs, independent of where it came from (SDK or OTLP). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
  statusMessage: string;
  attributes: Attributes;
  events: { name: string; timeNs: bigint; attributes: Attributes }[];
}

/** HrTime → nanoseconds since the epoch, exactly. */
export function hrTimeToNs(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

/** An SDK span as a SpanRecord. */
export function recordFromSdkSpan(span: ReadableSpan): SpanRecord {
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    name: span.name,
    kind: span.kind,
    startNs: hrTimeToNs(span.startTime),
    endNs: hrTimeToNs(span.endTime),
    statusCode: span.status.code,
    statusMessage: span.status.message ?? '',
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, timeNs: hrTimeToNs(event.time), attributes: event.attributes ?? {} })),
  };
}

/** Attribute value as stored in the Nested(key, value) column: strings as-is, others as JSON. */
export function attributeText(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A text column from an attribute (`attributeText` of its value). */
export function text(attributes: Attributes, key: string): string {
  return attributeText(attributes[key]);
}

/**
 * A count column from an attribute: a positive number below 10^21, floored;
 * anything else 0. (From 10^21 up, JSON writes numbers in exponent form,
 * e.g. `1e+21`, which ClickHouse 18.16 refuses for an integer column: one
 * such span would hold back its whole spool segment.)
 */
export function count(attributes: Attributes, key: string): number {
  const value = Number(attributes[key] ?? 0);
  return value > 0 && value < 1e21 ? Math.floor(value) : 0;
}

/** A span as a row of `spans`, with typed columns taken from its attributes. */
export function spanRow(span: SpanRecord, run: RunColumns): SpanRow {
  const a = span.attributes;
  const keys = Object.keys(a).sort();
  const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
  return {
    recorded_date: run.recordedDate,
    run_id: run.runId,
    sweep_id: run.sweepId,
    scenario: run.scenario,
    seed: run.seed,
    service_name: run.serviceName,
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    start_ns: span.startNs.toString(),
    end_ns: span.endNs.toString(),
    duration_ns: durationNs.toString(),
    status_code: span.statusCode,
    status_message: span.statusMessage,
    operation: text(a, 'gen_ai.operation.name'),
    workflow_id: text(a, 'baton.workflow.id'),
    task_id: text(a, 'baton.task.id'),
    agent_name: text(a, 'gen_ai.agent.name'),
    coordination_kind: text(a, 'baton.coordination.kind'),
    handoff_id: text(a, 'baton.handoff.id'),
    handoff_source: text(a, 'baton.handoff.source') || text(a, 'gen_ai.agent.handoff.source.name'),
    handoff_target: text(a, 'baton.handoff.target') || text(a, 'gen_ai.agent.handoff.target.name'),
    handoff_phase: text(a, 'baton.handoff.phase'),
    handoff_outcome: text(a, 'baton.handoff.outcome'),
    handoff_attempt: count(a, 'baton.handoff.attempt'),
    handoff_schema_version: count(a, 'baton.handoff.schema_version'),
    context_bytes: count(a, 'baton.handoff.context_bytes'),
    context_tokens: count(a, 'baton.handoff.context_tokens'),
    input_tokens: count(a, 'gen_ai.usage.input_tokens'),
    output_tokens: count(a, 'gen_ai.usage.output_tokens'),
    error_type: text(a, 'error.type'),
    'attributes.key': keys,
    'attributes.value': keys.map((key) => attributeText(a[key])),
  };
}

/** The events of a span as rows of `span_events`. */
export function spanEventRows(span: SpanRecord, run: RunColumns): SpanEventRow[] {
  return span.events.map((event, index) => {
    const keys = Object.keys(event.attributes).sort();
    return {
      recorded_date: run.recordedDate,
      run_id: run.runId,
      trace_id: span.traceId,
      span_id: span.spanId,
      event_index: index,
      time_ns: event.timeNs.toString(),
      name: event.name,
      'attributes.key': keys,
      'attributes.value': keys.map((key) => attributeText(event.attributes[key])),
    };
  });
}
