import { SCHEMA_VERSION } from './schema.js';
import { sqlNumber } from './sql.js';
import type { SpanStore } from './span-store.js';

/**
 * Records `SCHEMA_VERSION` in `schema_migrations` unless it is there already.
 * Called by `migrate()` of both stores after the DDL ran. Two processes racing
 * may both insert; the table is a ReplacingMergeTree keyed by version, so
 * `FINAL` still shows one row.
 */
export async function recordMigration(store: SpanStore): Promise<void> {
  const applied = await store.query<{ c: string | number }>(
    `SELECT count() AS c FROM ${store.database}.schema_migrations FINAL WHERE version = ${sqlNumber(SCHEMA_VERSION)}`,
  );
  if (Number(applied[0]?.c ?? 0) > 0) return;
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
