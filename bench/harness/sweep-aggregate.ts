import { sqlString } from '../../collector/store/sql.js';
import type { SpanStore } from '../../collector/store/span-store.js';

/**
 * The run report's headline metrics over many runs at once — every stored run,
 * or one sweep's (`sweepId`) — plus the 20 worst runs by handoff success: what
 * a sweep-level report computes, in one round of queries instead of one report
 * per run. Returns the number of queries run.
 */
export async function sweepAggregate(store: SpanStore, sweepId?: string): Promise<number> {
  const spans = `${store.database}.spans FINAL`;
  // A sweep's runs by run_id (the first column of every sort key), its members
  // in sweep_runs as `baton history` selects them: a `sweep_id = …` filter on
  // spans scans every row (FINAL included) — 10× slower on 18.16, see BENCHMARKS.md.
  const filter = sweepId === undefined ? '1' : `run_id IN (SELECT run_id FROM ${store.database}.sweep_runs WHERE sweep_id = ${sqlString(sweepId)})`;
  const runFilter = filter;
  const results = await Promise.all([
    store.query(
      `SELECT count() AS total, countIf(error_type = '') AS completed, countIf(error_type = 'partial') AS partial, ` +
        `sum(duration_ns) AS total_ns, quantiles(0.5, 0.99)(duration_ns) AS q FROM ${spans} WHERE ${filter} AND operation = 'invoke_workflow'`,
    ),
    store.query(
      `SELECT handoff_source, handoff_target, count() AS total, countIf(handoff_outcome = 'accepted') AS succeeded, ` +
        `quantilesExact(0.5, 0.95, 0.99)(duration_ns) AS q, max(duration_ns) AS max_ns FROM ${spans} ` +
        `WHERE ${filter} AND handoff_outcome != '' GROUP BY handoff_source, handoff_target ORDER BY handoff_source, handoff_target`,
    ),
    store.query(
      `SELECT coordination_kind AS kind, sum(duration_ns) AS total_ns FROM ${spans} ` +
        `WHERE ${filter} AND coordination_kind != '' GROUP BY coordination_kind ORDER BY coordination_kind`,
    ),
    store.query(
      `SELECT attributes.value[indexOf(attributes.key, 'baton.fault.kind')] AS kind, count() AS injected ` +
        `FROM ${store.database}.span_events FINAL WHERE ${runFilter} AND name = 'baton.fault' GROUP BY kind ORDER BY kind`,
    ),
    store.query(
      `SELECT run_id, countIf(handoff_outcome = 'accepted') / countIf(handoff_outcome != '') AS success_rate ` +
        `FROM ${spans} WHERE ${filter} GROUP BY run_id ORDER BY success_rate, run_id LIMIT 20`,
    ),
    store.query(`SELECT verdict, count() AS runs FROM ${store.database}.runs FINAL WHERE ${filter} GROUP BY verdict ORDER BY verdict`),
  ]);
  return results.length;
}
