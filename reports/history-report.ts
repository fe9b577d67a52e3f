import type { SpanStore } from '../collector/store/span-store.js';
import { sqlString } from '../collector/store/sql.js';
import { kindBreakdown } from './metrics/coordination-metrics.js';
import { handoffCounts, pairHandoffs, type PairHandoffs } from './metrics/handoff-metrics.js';
import { finalTable, nsToMs, num, percentilesOf, ratio, round6, type Percentiles } from './sql.js';

/** Which stored runs a history report covers; no field means every simulated run. */
export interface HistoryFilter {
  sweepId?: string;
  scenario?: string;
}

/** A run among the worst by handoff success. */
export interface HistoryRun {
  runId: string;
  scenario: string;
  seed: number;
  /** A sweep the run belongs to: the filter's, else the first by name; '' for none. */
  sweepId: string;
  verdict: string;
  handoffs: number;
  succeeded: number;
  successRate: number;
}

/**
 * The report over many stored runs at once: `baton history`. Totals and
 * percentiles are over every workflow and handoff of the runs (percentiles
 * exact, as in a run's report), not averages of per-run figures.
 */
export interface HistoryReport {
  filter: HistoryFilter;
  runs: {
    /** Simulated runs covered (`baton run`, `baton sweep`, `baton compare`). */
    total: number;
    byVerdict: Record<string, number>;
    /** Σ invariant violations of the runs. */
    violations: number;
    /** Sweeps the runs belong to (`sweep_runs`); 1 at most with a sweep filter. */
    sweeps: number;
    scenarios: number;
    /** Runs the collector listed for OTLP traffic: not covered (their spans may still be arriving). */
    collectorRuns: number;
  };
  workflows: { total: number; completed: number; partial: number; failed: number; durationMs: Percentiles };
  handoffs: {
    total: number;
    succeeded: number;
    failed: number;
    successRate: number;
    latencyMs: Percentiles;
    byPair: PairHandoffs[];
  };
  coordination: {
    /** Σ workflow durations. */
    workflowMs: number;
    coordinationMs: number;
    /** coordinationMs ÷ workflowMs. */
    overheadRatio: number;
    byKindMs: Record<string, number>;
    shareByKind: Record<string, number>;
  };
  faults: { injected: number; byKind: Record<string, number> };
  /** Up to WORST_RUNS_MAX runs with a failed handoff, lowest success rate first (then run id). */
  worstRuns: HistoryRun[];
}

export const WORST_RUNS_MAX = 20;

// Aliases never repeat a column's name (`sum(count) AS count` would make the
// alias refer to itself on ClickHouse 18.16).
const QUANTILES = 'quantilesExactArray(0.5, 0.95, 0.99)(durations) AS q, max(max_ns) AS longest_ns';

/** Runs the collector listed for OTLP traffic. */
const COLLECTOR_RUN = "baton_version = 'otlp'";

/**
 * The runs `filter` selects, as a condition on `runs`, collector runs
 * included. A sweep's runs are its members in `sweep_runs` (a run may belong
 * to many sweeps; `runs.sweep_id` names only the last that stored it).
 */
function filterWhere(store: SpanStore, filter: HistoryFilter): string {
  const conditions = ['1'];
  if (filter.sweepId !== undefined) conditions.push(`run_id IN (SELECT run_id FROM ${finalTable(store, 'sweep_runs')} WHERE ${sweepCondition(filter)})`);
  if (filter.scenario !== undefined) conditions.push(`scenario = ${sqlString(filter.scenario)}`);
  return conditions.join(' AND ');
}

/** The filter's sweep as a condition on `sweep_runs` (every sweep without one). */
function sweepCondition(filter: HistoryFilter): string {
  return filter.sweepId === undefined ? '1' : `sweep_id = ${sqlString(filter.sweepId)}`;
}

/** p50/p95/p99/max from `QUANTILES`' columns. */
function latency(row: Record<string, unknown> | undefined, count: number): Percentiles {
  return percentilesOf(row && { q: row.q, max_ns: row.longest_ns }, count);
}

/** The SQL of the history report over `run_metrics` (a few rows per run), by part. */
export function historySql(store: SpanStore, filter: HistoryFilter) {
  const runs = finalTable(store, 'runs');
  const metrics = finalTable(store, 'run_metrics');
  const members = finalTable(store, 'sweep_runs');
  const where = `${filterWhere(store, filter)} AND NOT ${COLLECTOR_RUN}`;
  const ofRuns = `run_id IN (SELECT run_id FROM ${runs} WHERE ${where})`;
  // Sweeps of the covered runs (only the filter's when it names one); one of them names a worst run.
  const sweepsOfRuns = `${members} WHERE ${sweepCondition(filter)} AND ${ofRuns}`;
  const family = (name: string): string => `${metrics} WHERE ${ofRuns} AND family = '${name}'`;
  return {
    runs: `SELECT verdict, count() AS runs, sum(violations) AS violation_count FROM ${runs} WHERE ${where} GROUP BY verdict ORDER BY verdict`,
    totals:
      `SELECT uniqExactIf(scenario, NOT ${COLLECTOR_RUN}) AS scenarios, ` +
      `countIf(${COLLECTOR_RUN}) AS collector_runs FROM ${runs} WHERE ${filterWhere(store, filter)}`,
    sweeps: `SELECT uniqExact(sweep_id) AS sweeps FROM ${sweepsOfRuns}`,
    workflows:
      `SELECT sum(count) AS total, sum(succeeded) AS completed, sum(partial) AS partials, sum(sum_ns) AS workflow_ns, ${QUANTILES} ` +
      `FROM ${family('workflow')}`,
    handoffs: `SELECT sum(count) AS total, sum(succeeded) AS accepted, ${QUANTILES} FROM ${family('handoff')}`,
    byPair:
      `SELECT source, target, sum(count) AS total, sum(succeeded) AS accepted, ${QUANTILES} FROM ${family('handoff')} ` +
      `GROUP BY source, target ORDER BY source, target`,
    coordination: `SELECT kind, sum(sum_ns) AS kind_ns FROM ${family('coordination')} GROUP BY kind ORDER BY kind`,
    faults: `SELECT kind, sum(count) AS injected FROM ${family('fault')} GROUP BY kind ORDER BY kind`,
    worstRuns:
      `SELECT run_id, scenario, seed, sweep, verdict, total, accepted FROM ` +
      `(SELECT run_id, sum(count) AS total, sum(succeeded) AS accepted FROM ${family('handoff')} GROUP BY run_id HAVING accepted < total) AS lhs ` +
      `ALL INNER JOIN (SELECT run_id, scenario, seed, sweep, verdict FROM (SELECT run_id, scenario, seed, verdict FROM ${runs} WHERE ${where}) AS r ` +
      `ALL LEFT JOIN (SELECT run_id, min(sweep_id) AS sweep FROM ${sweepsOfRuns} GROUP BY run_id) AS m USING (run_id)) AS rhs USING (run_id) ` +
      `ORDER BY accepted / total, run_id LIMIT ${WORST_RUNS_MAX}`,
  };
}

/** Computes the history report of the stored runs `filter` selects. */
export async function computeHistoryReport(store: SpanStore, filter: HistoryFilter = {}): Promise<HistoryReport> {
  const sql = historySql(store, filter);
  const [verdictRows, totalRows, sweepRows, workflowRows, handoffRows, pairRows, coordinationRows, faultRows, worstRows] = await Promise.all([
    store.query(sql.runs),
    store.query(sql.totals),
    store.query(sql.sweeps),
    store.query(sql.workflows),
    store.query(sql.handoffs),
    store.query(sql.byPair),
    store.query(sql.coordination),
    store.query(sql.faults),
    store.query(sql.worstRuns),
  ]);
  const byVerdict: Record<string, number> = {};
  let runs = 0;
  let violations = 0;
  for (const row of verdictRows) {
    byVerdict[String(row.verdict)] = num(row.runs);
    runs += num(row.runs);
    violations += num(row.violation_count);
  }
  const totals = totalRows[0] ?? {};
  const workflow = workflowRows[0] ?? {};
  const workflowTotal = num(workflow.total);
  const completed = num(workflow.completed);
  const partial = num(workflow.partials);
  const handoff = handoffRows[0] ?? {};
  const handoffTotal = num(handoff.total);
  const handoffSucceeded = num(handoff.accepted);
  const workflowNs = num(workflow.workflow_ns);
  const kindNs = new Map(coordinationRows.map((row) => [String(row.kind), num(row.kind_ns)]));
  const { byKindMs, shareByKind, coordinationNs } = kindBreakdown(kindNs, workflowNs, true);
  const faultsByKind: Record<string, number> = {};
  for (const row of faultRows) faultsByKind[String(row.kind)] = num(row.injected);
  return {
    filter,
    runs: {
      total: runs,
      byVerdict,
      violations,
      sweeps: num(sweepRows[0]?.sweeps),
      scenarios: num(totals.scenarios),
      collectorRuns: num(totals.collector_runs),
    },
    workflows: {
      total: workflowTotal,
      completed,
      partial,
      failed: workflowTotal - completed - partial,
      durationMs: latency(workflow, workflowTotal),
    },
    handoffs: {
      ...handoffCounts(handoffTotal, handoffSucceeded),
      latencyMs: latency(handoff, handoffTotal),
      byPair: pairRows.map((row) => pairHandoffs(row, num(row.accepted), latency(row, num(row.total)))),
    },
    coordination: {
      workflowMs: nsToMs(workflowNs),
      coordinationMs: nsToMs(coordinationNs),
      overheadRatio: ratio(coordinationNs, workflowNs),
      byKindMs,
      shareByKind,
    },
    faults: { injected: Object.values(faultsByKind).reduce((sum, count) => sum + count, 0), byKind: faultsByKind },
    worstRuns: worstRows.map((row) => ({
      runId: String(row.run_id),
      scenario: String(row.scenario),
      seed: num(row.seed),
      sweepId: String(row.sweep ?? ''),
      verdict: String(row.verdict),
      handoffs: num(row.total),
      succeeded: num(row.accepted),
      successRate: round6(num(row.accepted) / num(row.total)),
    })),
  };
}
