import { sqlIdentifier } from './sql.js';

const COLUMNS = 'recorded_date, run_id, family, kind, source, target, count, succeeded, partial, sum_ns, max_ns, durations';

/**
 * INSERT … SELECT statements that derive the `run_metrics` rows of the runs
 * matching `where` (a condition on `run_id`) from their stored spans and span
 * events: the rows `RunMetrics` (collector/run-metrics.ts) builds as a run is
 * stored, for runs stored before the table existed (migrations.ts) and for
 * spans generated in bulk (the report benchmark). The same SQL runs on
 * ClickHouse 18.16 and chDB. Inserting a run's rows again replaces them
 * under FINAL (the table is a ReplacingMergeTree keyed by run and group).
 */
export function runMetricsStatements(database: string, where: string): string[] {
  const db = sqlIdentifier(database);
  const insert = `INSERT INTO ${db}.run_metrics (${COLUMNS}) SELECT`;
  const noDurations = 'emptyArrayUInt64()';
  return [
    `${insert} min(recorded_date), run_id, 'workflow', '', '', '', count(), countIf(error_type = ''), countIf(error_type = 'partial'), ` +
      `sum(duration_ns), max(duration_ns), arraySort(groupArray(duration_ns)) FROM ${db}.spans FINAL ` +
      `WHERE (${where}) AND operation = 'invoke_workflow' GROUP BY run_id`,
    `${insert} min(recorded_date), run_id, 'handoff', '', handoff_source, handoff_target, count(), countIf(handoff_outcome = 'accepted'), 0, ` +
      `sum(duration_ns), max(duration_ns), arraySort(groupArray(duration_ns)) FROM ${db}.spans FINAL ` +
      `WHERE (${where}) AND handoff_outcome != '' GROUP BY run_id, handoff_source, handoff_target`,
    `${insert} min(recorded_date), run_id, 'coordination', coordination_kind, '', '', count(), 0, 0, ` +
      `sum(duration_ns), max(duration_ns), ${noDurations} FROM ${db}.spans FINAL ` +
      `WHERE (${where}) AND coordination_kind != '' GROUP BY run_id, coordination_kind`,
    `${insert} min(recorded_date), run_id, 'fault', kind, '', '', count(), 0, 0, toUInt64(0), toUInt64(0), ${noDurations} FROM ` +
      `(SELECT recorded_date, run_id, attributes.value[indexOf(attributes.key, 'baton.fault.kind')] AS kind FROM ${db}.span_events FINAL ` +
      `WHERE (${where}) AND name = 'baton.fault') GROUP BY run_id, kind`,
  ];
}

/**
 * The runs `run_metrics` covers when filled from stored spans: every run
 * `baton run` or `baton sweep` stored. Runs the collector listed for OTLP
 * traffic (`baton_version` = otlp) are left out: their spans may still be
 * arriving, so a summary taken now would go stale.
 */
export function simulatedRunsWhere(database: string): string {
  return `run_id IN (SELECT run_id FROM ${sqlIdentifier(database)}.runs FINAL WHERE baton_version != 'otlp')`;
}
