import { sqlIdentifier } from './sql.js';

/** Version of the schema below; `schema_migrations` records each applied version. */
export const SCHEMA_VERSION = 1;

/**
 * Tables of the portable schema. It runs unchanged on ClickHouse 18.16 and on
 * current ClickHouse (chDB): MergeTree family only, no Map, DateTime64,
 * LowCardinality, TTL or query parameters. ReplacingMergeTree with a sort key
 * that identifies a row makes re-inserts idempotent once queries read FINAL.
 */
export const TABLES = ['spans', 'span_events', 'runs', 'violations', 'schema_migrations'] as const;
export type TableName = (typeof TABLES)[number];

const COLUMNS: Record<TableName, string> = {
  spans: `
    recorded_date Date,
    run_id String,
    sweep_id String,
    scenario String,
    seed UInt64,
    service_name String,
    trace_id String,
    span_id String,
    parent_span_id String,
    name String,
    kind UInt8,
    start_ns UInt64,
    end_ns UInt64,
    duration_ns UInt64,
    status_code UInt8,
    status_message String,
    operation String,
    workflow_id String,
    task_id String,
    agent_name String,
    coordination_kind String,
    handoff_id String,
    handoff_source String,
    handoff_target String,
    handoff_phase String,
    handoff_outcome String,
    handoff_attempt UInt32,
    handoff_schema_version UInt32,
    context_bytes UInt64,
    context_tokens UInt64,
    input_tokens UInt64,
    output_tokens UInt64,
    error_type String,
    attributes Nested(key String, value String)`,
  span_events: `
    recorded_date Date,
    run_id String,
    trace_id String,
    span_id String,
    event_index UInt32,
    time_ns UInt64,
    name String,
    attributes Nested(key String, value String)`,
  runs: `
    recorded_date Date,
    recorded_at DateTime,
    run_id String,
    sweep_id String,
    scenario String,
    seed UInt64,
    config_hash String,
    baton_version String,
    verdict String,
    workflows_total UInt32,
    workflows_completed UInt32,
    handoffs_total UInt32,
    faults_injected UInt32,
    violations UInt32,
    event_log_hash String`,
  violations: `
    recorded_date Date,
    run_id String,
    violation_index UInt32,
    checker String,
    classification String,
    seed UInt64,
    at_ms Float64,
    trace_id String,
    span_id String,
    story String`,
  schema_migrations: `
    version UInt32,
    applied_at DateTime`,
};

const ENGINES: Record<TableName, { engine: string; orderBy: string; partitionBy?: string }> = {
  spans: { engine: 'ReplacingMergeTree', orderBy: '(run_id, trace_id, span_id)', partitionBy: 'toYYYYMM(recorded_date)' },
  span_events: {
    engine: 'ReplacingMergeTree',
    orderBy: '(run_id, trace_id, span_id, event_index)',
    partitionBy: 'toYYYYMM(recorded_date)',
  },
  runs: { engine: 'ReplacingMergeTree(recorded_at)', orderBy: '(run_id)', partitionBy: 'toYYYYMM(recorded_date)' },
  violations: { engine: 'ReplacingMergeTree', orderBy: '(run_id, violation_index)', partitionBy: 'toYYYYMM(recorded_date)' },
  schema_migrations: { engine: 'ReplacingMergeTree', orderBy: '(version)' },
};

/** CREATE DATABASE and CREATE TABLE statements for `database`, all IF NOT EXISTS. */
export function schemaStatements(database: string): string[] {
  const db = sqlIdentifier(database);
  const statements = [`CREATE DATABASE IF NOT EXISTS ${db}`];
  for (const table of TABLES) {
    const { engine, orderBy, partitionBy } = ENGINES[table];
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${db}.${table} (${COLUMNS[table]}\n) ENGINE = ${engine}` +
        (partitionBy ? ` PARTITION BY ${partitionBy}` : '') +
        ` ORDER BY ${orderBy}`,
    );
  }
  return statements;
}
