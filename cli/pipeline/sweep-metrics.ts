import type { SpanStore } from '../../collector/store/span-store.js';
import { sqlString } from '../../collector/store/sql.js';
import { checkAssertions, compareMetric, parseAssertion, type AssertionResult } from '../../reports/assertions.js';
import { handoffCounts } from '../../reports/metrics/handoff-metrics.js';
import { computeRunReport } from '../../reports/run-report.js';
import { finalTable, num } from '../../reports/sql.js';

/** Run ids per IN (...) list; longer lists are split. */
const RUN_IDS_PER_QUERY = 1_000;

/**
 * Per-run metrics of many runs at once, by grouped SQL over the runs'
 * `run_metrics` rows and violations: the same definitions as reports/metrics
 * (a workflow completed = its span has no error.type; a handoff = a span with
 * an outcome). One query for the whole sweep instead of a report per seed.
 */
export type SweepRunMetrics = Record<string, number>;

/** Metrics `sweepRunMetrics` computes; assertions on others fall back to the full run report. */
export const SWEEP_METRICS = [
  'workflows.total',
  'workflows.completed',
  'workflows.partial',
  'workflows.failed',
  'handoffs.total',
  'handoffs.succeeded',
  'handoffs.failed',
  'handoffs.successRate',
  'faults.injected',
  'invariants.violations',
] as const;

/** `run_id IN ('a', 'b', …)` chunks for `runIds`. */
export function runIdChunks(runIds: readonly string[]): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < runIds.length; start += RUN_IDS_PER_QUERY) {
    chunks.push(`run_id IN (${runIds.slice(start, start + RUN_IDS_PER_QUERY).map(sqlString).join(', ')})`);
  }
  return chunks;
}

/** Runs `sql(where)` for every chunk of run ids and concatenates the rows. */
export async function queryByRuns<Row = Record<string, unknown>>(store: SpanStore, runIds: readonly string[], sql: (where: string) => string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const where of runIdChunks(runIds)) rows.push(...(await store.query<Row>(sql(where))));
  return rows;
}

/**
 * The SWEEP_METRICS of every run in `runIds`, by run id: from the runs'
 * `run_metrics` rows (a few per run, written with the run; the definitions
 * of reports/metrics over the spans they summarize) and their violations.
 */
export async function sweepRunMetrics(store: SpanStore, runIds: readonly string[]): Promise<Map<string, SweepRunMetrics>> {
  const [families, violations] = await Promise.all([
    queryByRuns(store, runIds, (where) =>
      `SELECT run_id, family, sum(count) AS total, sum(succeeded) AS accepted, sum(partial) AS partials ` +
      `FROM ${finalTable(store, 'run_metrics')} WHERE ${where} AND family IN ('workflow', 'handoff', 'fault') GROUP BY run_id, family`,
    ),
    queryByRuns(store, runIds, (where) => `SELECT run_id, count() AS violations FROM ${finalTable(store, 'violations')} WHERE ${where} GROUP BY run_id`),
  ]);
  const byRun = new Map<string, SweepRunMetrics>();
  const metricsOf = (runId: string): SweepRunMetrics => {
    let metrics = byRun.get(runId);
    if (!metrics) byRun.set(runId, (metrics = Object.fromEntries(SWEEP_METRICS.map((name) => [name, 0]))));
    return metrics;
  };
  for (const runId of runIds) metricsOf(runId)['handoffs.successRate'] = 1;
  for (const row of families) {
    const metrics = metricsOf(String(row.run_id));
    const total = num(row.total);
    const accepted = num(row.accepted);
    if (row.family === 'workflow') {
      // workflow rows: succeeded = completed (no error.type), partial = error.type partial.
      metrics['workflows.total'] = total;
      metrics['workflows.completed'] = accepted;
      metrics['workflows.partial'] = num(row.partials);
      metrics['workflows.failed'] = total - accepted - num(row.partials);
    } else if (row.family === 'handoff') {
      const handoffs = handoffCounts(total, accepted);
      metrics['handoffs.total'] = handoffs.total;
      metrics['handoffs.succeeded'] = handoffs.succeeded;
      metrics['handoffs.failed'] = handoffs.failed;
      metrics['handoffs.successRate'] = handoffs.successRate;
    } else {
      metrics['faults.injected'] = total;
    }
  }
  for (const row of violations) metricsOf(String(row.run_id))['invariants.violations'] = num(row.violations);
  return byRun;
}

/**
 * Checks `expressions` for one run: from its sweep metrics when every metric
 * named is one of them, else from the full SQL report of the run.
 */
export async function checkRunAssertions(store: SpanStore, runId: string, metrics: SweepRunMetrics | undefined, expressions: readonly string[]): Promise<AssertionResult[]> {
  if (expressions.length === 0) return [];
  const parsed = expressions.map((expression) => ({ expression, ...parseAssertion(expression) }));
  if (metrics && parsed.every((item) => (SWEEP_METRICS as readonly string[]).includes(item.metric))) {
    return parsed.map(({ expression, metric, operator, expected }) => {
      const actual = metrics[metric];
      return { expression: expression.trim(), metric, operator, expected, actual, passed: compareMetric(actual, operator, expected) };
    });
  }
  return checkAssertions(await computeRunReport(store, runId), expressions);
}

