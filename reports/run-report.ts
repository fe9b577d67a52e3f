import type { SpanStore } from '../collector/store/span-store.js';
import { finalTable, num, round6, runFilter } from './sql.js';

/** A broken invariant as reports show it. */
export interface ReportedViolation {
  checker: string;
  classification: string;
  seed: number;
  atMs: number;
  traceId: string;
  spanId: string;
  story: string;
}

/**
 * The report of one run: every number computed by SQL over the stored spans,
 * events, runs and violations. Field names are the report.json contract; later
 * versions add fields, never rename or remove them.
 */
export interface RunReport {
  run: { id: string; scenario: string; seed: number; batonVersion: string; configHash: string; eventLogHash: string };
  workflows: { total: number; completed: number; partial: number; failed: number };
  handoffs: {
    total: number;
    succeeded: number;
    failed: number;
    successRate: number;
    latencyMs: { p50: number; p95: number; p99: number; max: number };
  };
  coordination: {
    overheadRatio: number;
    workflowMs: number;
    coordinationMs: number;
    byKindMs: Record<string, number>;
  };
  faults: { injected: number; byKind: Record<string, number> };
  invariants: { violations: ReportedViolation[] };
}

/** Thrown when no run with the id is stored. */
export class RunNotFoundError extends Error {
  readonly code = 'BATON_ERR_RUN_NOT_FOUND';
  constructor(readonly runId: string) {
    super(`no run with id "${runId}" is stored`);
    this.name = 'RunNotFoundError';
  }
}

const NS_PER_MS = 1_000_000;

/** Computes the report of `runId` from storage. */
export async function computeRunReport(store: SpanStore, runId: string): Promise<RunReport> {
  const where = runFilter(runId);
  const spans = finalTable(store, 'spans');
  const [runRows, workflowRows, handoffRows, coordinationRows, faultRows, violationRows] = await Promise.all([
    store.query(`SELECT run_id, scenario, seed, baton_version, config_hash, event_log_hash FROM ${finalTable(store, 'runs')} WHERE ${where}`),
    store.query(
      `SELECT count() AS total, countIf(error_type = '') AS completed, countIf(error_type = 'partial') AS partial, ` +
        `sum(duration_ns) AS duration_ns FROM ${spans} WHERE ${where} AND operation = 'invoke_workflow'`,
    ),
    store.query(
      `SELECT count() AS total, countIf(handoff_outcome = 'accepted') AS succeeded, ` +
        `quantilesExact(0.5, 0.95, 0.99)(duration_ns) AS q, max(duration_ns) AS max_ns ` +
        `FROM ${spans} WHERE ${where} AND handoff_outcome != ''`,
    ),
    store.query(
      `SELECT coordination_kind AS kind, sum(duration_ns) AS duration_ns FROM ${spans} ` +
        `WHERE ${where} AND coordination_kind != '' GROUP BY coordination_kind ORDER BY coordination_kind`,
    ),
    store.query(
      `SELECT attributes.value[indexOf(attributes.key, 'baton.fault.kind')] AS kind, count() AS injected ` +
        `FROM ${finalTable(store, 'span_events')} WHERE ${where} AND name = 'baton.fault' GROUP BY kind ORDER BY kind`,
    ),
    store.query(
      `SELECT checker, classification, seed, at_ms, trace_id, span_id, story FROM ${finalTable(store, 'violations')} ` +
        `WHERE ${where} ORDER BY violation_index`,
    ),
  ]);
  const run = runRows[0];
  if (!run) throw new RunNotFoundError(runId);
  const workflow = workflowRows[0] ?? {};
  const handoff = handoffRows[0] ?? {};
  const quantiles = Array.isArray(handoff.q) ? handoff.q.map(num) : [0, 0, 0];
  const handoffsTotal = num(handoff.total);
  const handoffsSucceeded = num(handoff.succeeded);
  const byKindMs: Record<string, number> = {};
  let coordinationNs = 0;
  for (const row of coordinationRows) {
    byKindMs[String(row.kind)] = round6(num(row.duration_ns) / NS_PER_MS);
    coordinationNs += num(row.duration_ns);
  }
  const workflowNs = num(workflow.duration_ns);
  const faultsByKind: Record<string, number> = {};
  for (const row of faultRows) faultsByKind[String(row.kind)] = num(row.injected);
  const workflowsTotal = num(workflow.total);
  const completed = num(workflow.completed);
  const partial = num(workflow.partial);
  return {
    run: {
      id: String(run.run_id),
      scenario: String(run.scenario),
      seed: num(run.seed),
      batonVersion: String(run.baton_version),
      configHash: String(run.config_hash),
      eventLogHash: String(run.event_log_hash),
    },
    workflows: { total: workflowsTotal, completed, partial, failed: workflowsTotal - completed - partial },
    handoffs: {
      total: handoffsTotal,
      succeeded: handoffsSucceeded,
      failed: handoffsTotal - handoffsSucceeded,
      successRate: handoffsTotal === 0 ? 1 : round6(handoffsSucceeded / handoffsTotal),
      latencyMs: {
        p50: round6((quantiles[0] ?? 0) / NS_PER_MS),
        p95: round6((quantiles[1] ?? 0) / NS_PER_MS),
        p99: round6((quantiles[2] ?? 0) / NS_PER_MS),
        max: round6(num(handoff.max_ns) / NS_PER_MS),
      },
    },
    coordination: {
      overheadRatio: workflowNs === 0 ? 0 : round6(coordinationNs / workflowNs),
      workflowMs: round6(workflowNs / NS_PER_MS),
      coordinationMs: round6(coordinationNs / NS_PER_MS),
      byKindMs,
    },
    faults: { injected: Object.values(faultsByKind).reduce((sum, count) => sum + count, 0), byKind: faultsByKind },
    invariants: {
      violations: violationRows.map((row) => ({
        checker: String(row.checker),
        classification: String(row.classification),
        seed: num(row.seed),
        atMs: num(row.at_ms),
        traceId: String(row.trace_id),
        spanId: String(row.span_id),
        story: String(row.story),
      })),
    },
  };
}
