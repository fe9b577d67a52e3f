import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sortedKeys } from '../core/handoff/canonical-json.js';
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

/**
 * A count column from an attribute's value: a positive number below 10^21,
 * floored; anything else 0. (From 10^21 up, JSON writes numbers in exponent
 * form, e.g. `1e+21`, which ClickHouse 18.16 refuses for an integer column:
 * one such span would hold back its whole spool segment.)
 */
export function countValue(value: AttributeValue | undefined): number {
  const number = Number(value ?? 0);
  return number > 0 && number < 1e21 ? Math.floor(number) : 0;
}

/**
 * What the `spans` row takes from a span's attributes: the typed columns and
 * the Nested key/value arrays (keys sorted). One pass over the sorted keys
 * fills them all: a span carries ~6 attributes, and looking up 19 names one by
 * one, most of them absent, in objects of many shapes cost more than the pass
 * (BENCHMARKS.md). The one place that says which attribute feeds which column:
 * `spanRow` and every line builder of `RunRowLines` read it.
 */
export interface AttributeColumns {
  operation: string;
  workflowId: string;
  taskId: string;
  agentName: string;
  coordinationKind: string;
  handoffId: string;
  /** `baton.handoff.source`, else `gen_ai.agent.handoff.source.name`. */
  handoffSource: string;
  /** `baton.handoff.target`, else `gen_ai.agent.handoff.target.name`. */
  handoffTarget: string;
  handoffPhase: string;
  handoffOutcome: string;
  handoffAttempt: number;
  handoffSchemaVersion: number;
  contextBytes: number;
  contextTokens: number;
  inputTokens: number;
  outputTokens: number;
  errorType: string;
  keys: string[];
  /** `attributeText` of each key's value, in key order. */
  values: string[];
}

/** The columns of `attributes`: text columns as `attributeText`, counts as `countValue`, of the attribute each is named after. */
export function attributeColumns(attributes: Attributes): AttributeColumns {
  const keys = sortedKeys(attributes);
  const values = new Array<string>(keys.length);
  let operation = '';
  let workflowId = '';
  let taskId = '';
  let agentName = '';
  let coordinationKind = '';
  let handoffId = '';
  let source = '';
  let genAiSource = '';
  let target = '';
  let genAiTarget = '';
  let handoffPhase = '';
  let handoffOutcome = '';
  let errorType = '';
  let handoffAttempt = 0;
  let handoffSchemaVersion = 0;
  let contextBytes = 0;
  let contextTokens = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const raw = attributes[key];
    const value = attributeText(raw);
    values[index] = value;
    switch (key) {
      case 'gen_ai.operation.name':
        operation = value;
        break;
      case 'baton.workflow.id':
        workflowId = value;
        break;
      case 'baton.task.id':
        taskId = value;
        break;
      case 'gen_ai.agent.name':
        agentName = value;
        break;
      case 'baton.coordination.kind':
        coordinationKind = value;
        break;
      case 'baton.handoff.id':
        handoffId = value;
        break;
      case 'baton.handoff.source':
        source = value;
        break;
      case 'gen_ai.agent.handoff.source.name':
        genAiSource = value;
        break;
      case 'baton.handoff.target':
        target = value;
        break;
      case 'gen_ai.agent.handoff.target.name':
        genAiTarget = value;
        break;
      case 'baton.handoff.phase':
        handoffPhase = value;
        break;
      case 'baton.handoff.outcome':
        handoffOutcome = value;
        break;
      case 'error.type':
        errorType = value;
        break;
      case 'baton.handoff.attempt':
        handoffAttempt = countValue(raw);
        break;
      case 'baton.handoff.schema_version':
        handoffSchemaVersion = countValue(raw);
        break;
      case 'baton.handoff.context_bytes':
        contextBytes = countValue(raw);
        break;
      case 'baton.handoff.context_tokens':
        contextTokens = countValue(raw);
        break;
      case 'gen_ai.usage.input_tokens':
        inputTokens = countValue(raw);
        break;
      case 'gen_ai.usage.output_tokens':
        outputTokens = countValue(raw);
        break;
    }
  }
  return {
    operation,
    workflowId,
    taskId,
    agentName,
    coordinationKind,
    handoffId,
    handoffSource: source || genAiSource,
    handoffTarget: target || genAiTarget,
    handoffPhase,
    handoffOutcome,
    handoffAttempt,
    handoffSchemaVersion,
    contextBytes,
    contextTokens,
    inputTokens,
    outputTokens,
    errorType,
    keys,
    values,
  };
}

/** A span as a row of `spans`, with typed columns taken from its attributes (`attributeColumns`). */
export function spanRow(span: SpanRecord, run: RunColumns): SpanRow {
  const c = attributeColumns(span.attributes);
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
    operation: c.operation,
    workflow_id: c.workflowId,
    task_id: c.taskId,
    agent_name: c.agentName,
    coordination_kind: c.coordinationKind,
    handoff_id: c.handoffId,
    handoff_source: c.handoffSource,
    handoff_target: c.handoffTarget,
    handoff_phase: c.handoffPhase,
    handoff_outcome: c.handoffOutcome,
    handoff_attempt: c.handoffAttempt,
    handoff_schema_version: c.handoffSchemaVersion,
    context_bytes: c.contextBytes,
    context_tokens: c.contextTokens,
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    error_type: c.errorType,
    'attributes.key': c.keys,
    'attributes.value': c.values,
  };
}

/** Attributes as the Nested(key, value) columns hold them: keys sorted, each value as `attributeText`. */
export function nestedAttributes(attributes: Attributes): { keys: string[]; values: string[] } {
  const keys = sortedKeys(attributes);
  return { keys, values: keys.map((key) => attributeText(attributes[key])) };
}

/** The events of a span as rows of `span_events`. */
export function spanEventRows(span: SpanRecord, run: RunColumns): SpanEventRow[] {
  return span.events.map((event, index) => {
    const { keys, values } = nestedAttributes(event.attributes);
    return {
      recorded_date: run.recordedDate,
      run_id: run.runId,
      trace_id: span.traceId,
      span_id: span.spanId,
      event_index: index,
      time_ns: event.timeNs.toString(),
      name: event.name,
      'attributes.key': keys,
      'attributes.value': values,
    };
  });
}
