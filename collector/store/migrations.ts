import { runMetricsStatements, simulatedRunsWhere } from './run-metrics-sql.js';
import { SCHEMA_VERSION } from './schema.js';
import { sqlIdentifier, sqlNumber } from './sql.js';
import type { SpanStore } from './span-store.js';

/**
 * Records `SCHEMA_VERSION` in `schema_migrations` unless it is there already.
 * Called by `migrate()` of both stores after the DDL ran. Before recording
 * it fills the tables added since the newest version recorded, from what is
 * stored: `run_metrics` (version 2) from the runs' spans
 * (`runMetricsStatements`), `sweep_runs` (version 3) from `runs.sweep_id`,
 * the one sweep a run was stored under before membership had its own table.
 * On a new database that finds nothing. Two processes racing may both do
 * it; every table is a ReplacingMergeTree keyed by what identifies a row, so
 * `FINAL` still shows one row of each.
 */
export async function recordMigration(store: SpanStore): Promise<void> {
  const applied = await appliedVersions(store);
  if (applied.includes(SCHEMA_VERSION)) return;
  const newest = applied.length === 0 ? 0 : Math.max(...applied);
  if (newest < 2) {
    for (const statement of runMetricsStatements(store.database, simulatedRunsWhere(store.database))) await store.command(statement);
  }
  if (newest < 3) await store.command(sweepRunsBackfill(store.database));
  await store.command(
    `INSERT INTO ${store.database}.schema_migrations (version, applied_at) VALUES (${sqlNumber(SCHEMA_VERSION)}, now())`,
  );
}

/** INSERT … SELECT of a `sweep_runs` row for every run stored with a sweep id (stores older than version 3). */
export function sweepRunsBackfill(database: string): string {
  const db = sqlIdentifier(database);
  return (
    `INSERT INTO ${db}.sweep_runs (recorded_date, sweep_id, run_id, seed) ` +
    `SELECT recorded_date, sweep_id, run_id, seed FROM ${db}.runs FINAL WHERE sweep_id != ''`
  );
}

/** Versions recorded in `schema_migrations`, ascending. */
export async function appliedVersions(store: SpanStore): Promise<number[]> {
  const rows = await store.query<{ version: string | number }>(
    `SELECT version FROM ${store.database}.schema_migrations FINAL ORDER BY version`,
  );
  return rows.map((row) => Number(row.version));
}
