import { attributeText, count, spanEventRows, spanRow, text, type RunColumns, type SpanRecord } from './span-rows.js';
import type { RawRowFormat } from './store/span-store.js';

const q = JSON.stringify;

/**
 * A run's `spans` and `span_events` rows as lines of `format`, built directly
 * as text: each line is exactly JSON.stringify of the row `spanRow` (resp.
 * `spanEventRows`) gives — of the row object for JSONEachRow, of
 * `Object.values(row)` (the columns in table order) for JSONCompactEachRow —
 * without the row objects in between; the run-level columns, the same on
 * every row, are serialized once. A span whose fields are not of their
 * declared types (where JSON.stringify of the row would drop or change a
 * value) goes through the row objects instead.
 *
 * Measured (BENCHMARKS.md): a JSONEachRow line is fastest as one template of
 * literal keys and serialized values, a JSONCompactEachRow line as one
 * JSON.stringify of an array of the values (a template is 1.3× slower there).
 */
export class RunRowLines {
  private readonly spanPrefix: string;
  private readonly eventPrefix: string;
  /** `[` and the run columns serialized, then a comma: the start of every JSONCompactEachRow span line. */
  private readonly compactSpanPrefix: string;
  private readonly compactEventPrefix: string;
  /** True when the run columns themselves need the row-object path. */
  private readonly plain: boolean;

  constructor(
    readonly run: RunColumns,
    readonly format: RawRowFormat = 'JSONEachRow',
  ) {
    const seed = q(run.seed);
    this.spanPrefix =
      `{"recorded_date":${q(run.recordedDate)},"run_id":${q(run.runId)},"sweep_id":${q(run.sweepId)},` +
      `"scenario":${q(run.scenario)},"seed":${seed},"service_name":${q(run.serviceName)}`;
    this.eventPrefix = `{"recorded_date":${q(run.recordedDate)},"run_id":${q(run.runId)}`;
    this.compactSpanPrefix = `${q([run.recordedDate, run.runId, run.sweepId, run.scenario, run.seed, run.serviceName]).slice(0, -1)},`;
    this.compactEventPrefix = `${q([run.recordedDate, run.runId]).slice(0, -1)},`;
    this.plain =
      seed === undefined ||
      [run.recordedDate, run.runId, run.sweepId, run.scenario, run.serviceName].some((value) => typeof value !== 'string');
  }

  /** JSON.stringify of a row in this format, and a newline (the row-object path). */
  private line(row: object): string {
    return `${q(this.format === 'JSONEachRow' ? row : Object.values(row))}\n`;
  }

  /** The `spans` row of `span`: one line, newline included. */
  span(span: SpanRecord): string {
    if (this.plain || !wellTyped(span)) return this.line(spanRow(span, this.run));
    if (this.format === 'JSONCompactEachRow') return this.compactSpan(span);
    const a = span.attributes;
    const keys = Object.keys(a).sort();
    const values = keys.map((key) => attributeText(a[key]));
    const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
    return (
      `${this.spanPrefix},"trace_id":${q(span.traceId)},"span_id":${q(span.spanId)},"parent_span_id":${q(span.parentSpanId)},` +
      `"name":${q(span.name)},"kind":${span.kind},"start_ns":"${span.startNs}","end_ns":"${span.endNs}","duration_ns":"${durationNs}",` +
      `"status_code":${span.statusCode},"status_message":${q(span.statusMessage)},` +
      `"operation":${q(text(a, 'gen_ai.operation.name'))},"workflow_id":${q(text(a, 'baton.workflow.id'))},` +
      `"task_id":${q(text(a, 'baton.task.id'))},"agent_name":${q(text(a, 'gen_ai.agent.name'))},` +
      `"coordination_kind":${q(text(a, 'baton.coordination.kind'))},"handoff_id":${q(text(a, 'baton.handoff.id'))},` +
      `"handoff_source":${q(text(a, 'baton.handoff.source') || text(a, 'gen_ai.agent.handoff.source.name'))},` +
      `"handoff_target":${q(text(a, 'baton.handoff.target') || text(a, 'gen_ai.agent.handoff.target.name'))},` +
      `"handoff_phase":${q(text(a, 'baton.handoff.phase'))},"handoff_outcome":${q(text(a, 'baton.handoff.outcome'))},` +
      `"handoff_attempt":${count(a, 'baton.handoff.attempt')},"handoff_schema_version":${count(a, 'baton.handoff.schema_version')},` +
      `"context_bytes":${count(a, 'baton.handoff.context_bytes')},"context_tokens":${count(a, 'baton.handoff.context_tokens')},` +
      `"input_tokens":${count(a, 'gen_ai.usage.input_tokens')},"output_tokens":${count(a, 'gen_ai.usage.output_tokens')},` +
      `"error_type":${q(text(a, 'error.type'))},"attributes.key":${q(keys)},"attributes.value":${q(values)}}\n`
    );
  }

  /** `span` as a JSONCompactEachRow line: the values of `spanRow`, in the same order. */
  private compactSpan(span: SpanRecord): string {
    const a = span.attributes;
    const keys = Object.keys(a).sort();
    const values = keys.map((key) => attributeText(a[key]));
    const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
    const columns = q([
      span.traceId,
      span.spanId,
      span.parentSpanId,
      span.name,
      span.kind,
      span.startNs.toString(),
      span.endNs.toString(),
      durationNs.toString(),
      span.statusCode,
      span.statusMessage,
      text(a, 'gen_ai.operation.name'),
      text(a, 'baton.workflow.id'),
      text(a, 'baton.task.id'),
      text(a, 'gen_ai.agent.name'),
      text(a, 'baton.coordination.kind'),
      text(a, 'baton.handoff.id'),
      text(a, 'baton.handoff.source') || text(a, 'gen_ai.agent.handoff.source.name'),
      text(a, 'baton.handoff.target') || text(a, 'gen_ai.agent.handoff.target.name'),
      text(a, 'baton.handoff.phase'),
      text(a, 'baton.handoff.outcome'),
      count(a, 'baton.handoff.attempt'),
      count(a, 'baton.handoff.schema_version'),
      count(a, 'baton.handoff.context_bytes'),
      count(a, 'baton.handoff.context_tokens'),
      count(a, 'gen_ai.usage.input_tokens'),
      count(a, 'gen_ai.usage.output_tokens'),
      text(a, 'error.type'),
      keys,
      values,
    ]);
    return `${this.compactSpanPrefix}${columns.slice(1)}\n`;
  }

  /** The `span_events` rows of `span`, one line each, newlines included ('' when it has none). */
  events(span: SpanRecord): string {
    if (span.events.length === 0) return '';
    if (this.plain || !wellTyped(span) || span.events.some((event) => typeof event.name !== 'string' || typeof event.timeNs !== 'bigint')) {
      return spanEventRows(span, this.run)
        .map((row) => this.line(row))
        .join('');
    }
    const compact = this.format === 'JSONCompactEachRow';
    const head = compact ? this.compactEventPrefix : `${this.eventPrefix},"trace_id":${q(span.traceId)},"span_id":${q(span.spanId)},"event_index":`;
    let lines = '';
    for (let index = 0; index < span.events.length; index++) {
      const { name, timeNs, attributes } = span.events[index];
      const keys = Object.keys(attributes).sort();
      const values = keys.map((key) => attributeText(attributes[key]));
      lines += compact
        ? `${head}${q([span.traceId, span.spanId, index, timeNs.toString(), name, keys, values]).slice(1)}\n`
        : `${head}${index},"time_ns":"${timeNs}","name":${q(name)},"attributes.key":${q(keys)},"attributes.value":${q(values)}}\n`;
    }
    return lines;
  }
}

/** Fields JSON.stringify writes as typed: strings, finite numbers, bigints. */
function wellTyped(span: SpanRecord): boolean {
  return (
    typeof span.traceId === 'string' &&
    typeof span.spanId === 'string' &&
    typeof span.parentSpanId === 'string' &&
    typeof span.name === 'string' &&
    typeof span.statusMessage === 'string' &&
    Number.isFinite(span.kind) &&
    Number.isFinite(span.statusCode) &&
    typeof span.startNs === 'bigint' &&
    typeof span.endNs === 'bigint'
  );
}
