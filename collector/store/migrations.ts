import { runMetricsStatements, simulatedRunsWhere } from './run-metrics-sql.js';
import { SCHEMA_VERSION } from './schema.js';
import { sqlNumber } from './sql.js';
import type { SpanStore } from './span-store.js';

/**
 * Records `SCHEMA_VERSION` in `schema_migrations` unless it is there already.
 * Called by `migrate()` of both stores after the DDL ran. Before recording
 * version 2 it fills `run_metrics` for the runs already stored (from their
 * spans: `runMetricsStatements`); on a new database that finds nothing. Two
 * processes racing may both do it; every table is a ReplacingMergeTree keyed
 * by what identifies a row, so `FINAL` still shows one row of each.
 */
export async function recordMigration(store: SpanStore): Promise<void> {
  const applied = await store.query<{ c: string | number }>(
    `SELECT count() AS c FROM ${store.database}.schema_migrations FINAL WHERE version = ${sqlNumber(SCHEMA_VERSION)}`,
  );
  if (Number(applied[0]?.c ?? 0) > 0) return;
  for (const statement of runMetricsStatements(store.database, simulatedRunsWhere(store.database))) await store.command(statement);
  await store.command(
    `INSERT INTO ${store.database}.schema_migrations (version, applied_at) VALUES (${sqlNumber(SCHEMA_VERSION)}, now())`,
  );
}

/** Versions recorded in `schema_migrations`, ascending. */
export async function appliedVersions(store: SpanStore): Promise<number[]> {
  const rows = await store.query<{ version: string | number }>(
    `SELECT version FROM ${store.database}.schema_migrations FINAL ORDER BY version`,
  );
  return rows.map((row) => Number(row.version));
}
