import { attributeColumns, nestedAttributes, spanEventRows, spanRow, type RunColumns, type SpanRecord } from './span-rows.js';
import type { RawRowFormat } from './store/span-store.js';
import { tsvString, tsvStrings, tsvUnsigned, UnrepresentableInTsv } from './tsv-text.js';

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
 * TabSeparated lines hold the same values as ClickHouse's own TabSeparated
 * output would; where a value has no exact TabSeparated form (a lone
 * surrogate, a number that is not a safe non-negative integer, a field of the
 * wrong type) `span` and `events` throw UnrepresentableInTsv, and the caller
 * writes the whole record in JSONEachRow instead (`encodeBatches`).
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
  /** The run columns as TabSeparated fields, each followed by a tab (undefined: they have no exact form). */
  private readonly tsvSpanPrefix: string | undefined;
  private readonly tsvEventPrefix: string | undefined;
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
    if (format === 'TabSeparated' && !this.plain) {
      try {
        this.tsvEventPrefix = `${tsvString(run.recordedDate)}\t${tsvString(run.runId)}\t`;
        this.tsvSpanPrefix = `${this.tsvEventPrefix}${tsvString(run.sweepId)}\t${tsvString(run.scenario)}\t${tsvUnsigned(run.seed)}\t${tsvString(run.serviceName)}\t`;
      } catch (error) {
        if (!(error instanceof UnrepresentableInTsv)) throw error;
      }
    }
  }

  /** JSON.stringify of a row in this format, and a newline (the row-object path; none for TabSeparated). */
  private line(row: object): string {
    if (this.format === 'TabSeparated') throw new UnrepresentableInTsv('run columns or span fields of unexpected types');
    return `${q(this.format === 'JSONEachRow' ? row : Object.values(row))}\n`;
  }

  /** The `spans` row of `span`: one line, newline included. */
  span(span: SpanRecord): string {
    if (this.plain || !wellTyped(span)) return this.line(spanRow(span, this.run));
    if (this.format === 'JSONCompactEachRow') return this.compactSpan(span);
    if (this.format === 'TabSeparated') return this.tsvSpan(span);
    const c = attributeColumns(span.attributes);
    const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
    return (
      `${this.spanPrefix},"trace_id":${q(span.traceId)},"span_id":${q(span.spanId)},"parent_span_id":${q(span.parentSpanId)},` +
      `"name":${q(span.name)},"kind":${span.kind},"start_ns":"${span.startNs}","end_ns":"${span.endNs}","duration_ns":"${durationNs}",` +
      `"status_code":${span.statusCode},"status_message":${q(span.statusMessage)},` +
      `"operation":${q(c.operation)},"workflow_id":${q(c.workflowId)},"task_id":${q(c.taskId)},"agent_name":${q(c.agentName)},` +
      `"coordination_kind":${q(c.coordinationKind)},"handoff_id":${q(c.handoffId)},` +
      `"handoff_source":${q(c.handoffSource)},"handoff_target":${q(c.handoffTarget)},` +
      `"handoff_phase":${q(c.handoffPhase)},"handoff_outcome":${q(c.handoffOutcome)},` +
      `"handoff_attempt":${c.handoffAttempt},"handoff_schema_version":${c.handoffSchemaVersion},` +
      `"context_bytes":${c.contextBytes},"context_tokens":${c.contextTokens},` +
      `"input_tokens":${c.inputTokens},"output_tokens":${c.outputTokens},` +
      `"error_type":${q(c.errorType)},"attributes.key":${q(c.keys)},"attributes.value":${q(c.values)}}\n`
    );
  }

  /** `span` as a JSONCompactEachRow line: the values of `spanRow`, in the same order. */
  private compactSpan(span: SpanRecord): string {
    const c = attributeColumns(span.attributes);
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
      c.operation,
      c.workflowId,
      c.taskId,
      c.agentName,
      c.coordinationKind,
      c.handoffId,
      c.handoffSource,
      c.handoffTarget,
      c.handoffPhase,
      c.handoffOutcome,
      c.handoffAttempt,
      c.handoffSchemaVersion,
      c.contextBytes,
      c.contextTokens,
      c.inputTokens,
      c.outputTokens,
      c.errorType,
      c.keys,
      c.values,
    ]);
    return `${this.compactSpanPrefix}${columns.slice(1)}\n`;
  }

  /** `span` as a TabSeparated line: the values of `spanRow`, in the same order. */
  private tsvSpan(span: SpanRecord): string {
    if (this.tsvSpanPrefix === undefined) throw new UnrepresentableInTsv('the run columns');
    const c = attributeColumns(span.attributes);
    const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
    return (
      `${this.tsvSpanPrefix}${tsvString(span.traceId)}\t${tsvString(span.spanId)}\t${tsvString(span.parentSpanId)}\t${tsvString(span.name)}\t` +
      `${tsvUnsigned(span.kind)}\t${span.startNs}\t${span.endNs}\t${durationNs}\t${tsvUnsigned(span.statusCode)}\t${tsvString(span.statusMessage)}\t` +
      `${tsvString(c.operation)}\t${tsvString(c.workflowId)}\t${tsvString(c.taskId)}\t${tsvString(c.agentName)}\t` +
      `${tsvString(c.coordinationKind)}\t${tsvString(c.handoffId)}\t${tsvString(c.handoffSource)}\t${tsvString(c.handoffTarget)}\t` +
      `${tsvString(c.handoffPhase)}\t${tsvString(c.handoffOutcome)}\t${tsvUnsigned(c.handoffAttempt)}\t${tsvUnsigned(c.handoffSchemaVersion)}\t` +
      `${tsvUnsigned(c.contextBytes)}\t${tsvUnsigned(c.contextTokens)}\t${tsvUnsigned(c.inputTokens)}\t${tsvUnsigned(c.outputTokens)}\t` +
      `${tsvString(c.errorType)}\t${tsvStrings(c.keys)}\t${tsvStrings(c.values)}\n`
    );
  }

  /** The `span_events` rows of `span`, one line each, newlines included ('' when it has none). */
  events(span: SpanRecord): string {
    if (span.events.length === 0) return '';
    if (this.plain || !wellTyped(span) || span.events.some((event) => typeof event.name !== 'string' || typeof event.timeNs !== 'bigint')) {
      return spanEventRows(span, this.run)
        .map((row) => this.line(row))
        .join('');
    }
    if (this.format === 'TabSeparated') return this.tsvEvents(span);
    const compact = this.format === 'JSONCompactEachRow';
    const head = compact ? this.compactEventPrefix : `${this.eventPrefix},"trace_id":${q(span.traceId)},"span_id":${q(span.spanId)},"event_index":`;
    let lines = '';
    for (let index = 0; index < span.events.length; index++) {
      const { name, timeNs, attributes } = span.events[index];
      const { keys, values } = nestedAttributes(attributes);
      lines += compact
        ? `${head}${q([span.traceId, span.spanId, index, timeNs.toString(), name, keys, values]).slice(1)}\n`
        : `${head}${index},"time_ns":"${timeNs}","name":${q(name)},"attributes.key":${q(keys)},"attributes.value":${q(values)}}\n`;
    }
    return lines;
  }

  /** The events of `span` as TabSeparated lines. */
  private tsvEvents(span: SpanRecord): string {
    if (this.tsvEventPrefix === undefined) throw new UnrepresentableInTsv('the run columns');
    const head = `${this.tsvEventPrefix}${tsvString(span.traceId)}\t${tsvString(span.spanId)}\t`;
    let lines = '';
    for (let index = 0; index < span.events.length; index++) {
      const { name, timeNs, attributes } = span.events[index];
      const { keys, values } = nestedAttributes(attributes);
      lines += `${head}${index}\t${timeNs}\t${tsvString(name)}\t${tsvStrings(keys)}\t${tsvStrings(values)}\n`;
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
