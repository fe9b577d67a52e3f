import type { SpanStore } from '../collector/store/span-store.js';
import { sqlString } from '../collector/store/sql.js';
import { num, runScope, type RunScope } from './sql.js';

/** At most this many handoff latencies are read for the histogram and CDF. */
export const CHART_LATENCIES_MAX = 20_000;

/** One span of the timeline, in ms relative to its workflow's start. */
export interface TimelineSpan {
  spanId: string;
  parentSpanId: string;
  name: string;
  startMs: number;
  endMs: number;
  failed: boolean;
  errorType: string;
  coordinationKind: string;
}

/** What the HTML charts need beyond report.json: raw latencies and one workflow's spans. */
export interface ChartData {
  /** Handoff latencies in ms, ascending. */
  handoffLatenciesMs: number[];
  timeline?: {
    workflowId: string;
    traceId: string;
    durationMs: number;
    spans: TimelineSpan[];
    /** Faults injected while the workflow ran (or shortly before), ms relative to its start. */
    faults: { atMs: number; kind: string; target: string }[];
  };
}

export const chartSql = {
  latencies: (s: RunScope) =>
    `SELECT duration_ns FROM ${s.spans} WHERE ${s.where} AND handoff_outcome != '' ORDER BY duration_ns LIMIT ${CHART_LATENCIES_MAX}`,
  /** The workflow with the most failed spans (ties: lowest workflow id): the most instructive timeline. */
  timelineTrace: (s: RunScope) =>
    `SELECT trace_id, workflow_id, failures FROM (SELECT trace_id, countIf(status_code = 2) AS failures, ` +
    `anyIf(workflow_id, operation = 'invoke_workflow') AS workflow_id FROM ${s.spans} WHERE ${s.where} ` +
    `GROUP BY trace_id HAVING countIf(operation = 'invoke_workflow') > 0) ORDER BY failures DESC, workflow_id LIMIT 1`,
  traceSpans: (s: RunScope, traceId: string) =>
    `SELECT span_id, parent_span_id, name, operation, toString(start_ns) AS start_ns, toString(end_ns) AS end_ns, status_code, error_type, ` +
    `coordination_kind FROM ${s.spans} WHERE ${s.where} AND trace_id = ${sqlString(traceId)} ORDER BY start_ns, span_id`,
  faults: (s: RunScope) =>
    `SELECT toString(time_ns) AS time_ns, attributes.value[indexOf(attributes.key, 'baton.fault.kind')] AS kind, ` +
    `attributes.value[indexOf(attributes.key, 'baton.fault.target')] AS target FROM ${s.events} ` +
    `WHERE ${s.where} AND name = 'baton.fault' ORDER BY time_ns, kind`,
};

const relativeMs = (ns: string, originNs: bigint): number => Math.round(Number(BigInt(ns) - originNs) / 1000) / 1000;

/** Reads the chart data of `runId`. */
export async function computeChartData(store: SpanStore, runId: string): Promise<ChartData> {
  const scope = runScope(store, runId);
  const [latencyRows, traceRows] = await Promise.all([store.query(chartSql.latencies(scope)), store.query(chartSql.timelineTrace(scope))]);
  const handoffLatenciesMs = latencyRows.map((row) => num(row.duration_ns) / 1e6);
  const trace = traceRows[0];
  if (!trace) return { handoffLatenciesMs };
  const traceId = String(trace.trace_id);
  const [spanRows, faultRows] = await Promise.all([store.query(chartSql.traceSpans(scope, traceId)), store.query(chartSql.faults(scope))]);
  const workflow = spanRows.find((row) => row.operation === 'invoke_workflow');
  if (!workflow) return { handoffLatenciesMs };
  const originNs = BigInt(String(workflow.start_ns));
  const durationMs = relativeMs(String(workflow.end_ns), originNs);
  const spans = spanRows.map((row) => ({
    spanId: String(row.span_id),
    parentSpanId: String(row.parent_span_id),
    name: String(row.name),
    startMs: relativeMs(String(row.start_ns), originNs),
    endMs: relativeMs(String(row.end_ns), originNs),
    failed: num(row.status_code) === 2,
    errorType: String(row.error_type),
    coordinationKind: String(row.coordination_kind),
  }));
  const faults = faultRows
    .map((row) => ({ atMs: relativeMs(String(row.time_ns), originNs), kind: String(row.kind), target: String(row.target) }))
    .filter((fault) => fault.atMs >= -durationMs * 0.1 && fault.atMs <= durationMs);
  return { handoffLatenciesMs, timeline: { workflowId: String(trace.workflow_id), traceId, durationMs, spans, faults } };
}
