import { sqlIdentifier } from './sql.js';

/**
 * Version of the schema below; `schema_migrations` records each applied
 * version. 2 added `run_metrics`, 3 added `sweep_runs` (migrations.ts fills
 * each for the runs stored before).
 */
export const SCHEMA_VERSION = 3;

/**
 * Tables of the portable schema. It runs unchanged on ClickHouse 18.16 and on
 * current ClickHouse (chDB): MergeTree family only, no Map, DateTime64,
 * LowCardinality, TTL or query parameters. ReplacingMergeTree with a sort key
 * that identifies a row makes re-inserts idempotent once queries read FINAL.
 */
export const TABLES = ['spans', 'span_events', 'runs', 'violations', 'run_metrics', 'sweep_runs', 'schema_migrations'] as const;
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
  // A run's metrics summed per family and key when the run is stored
  // (collector/run-metrics.ts), so reports over many runs read a few rows per
  // run instead of its spans. family: workflow (one row: count, succeeded =
  // completed, partial), handoff (a row per source and target: succeeded =
  // accepted), coordination (a row per kind) or fault (a row per kind, count =
  // injected). durations: every span's duration_ns, sorted (workflow and
  // handoff rows), so percentiles over many runs stay exact.
  run_metrics: `
    recorded_date Date,
    run_id String,
    family String,
    kind String,
    source String,
    target String,
    count UInt64,
    succeeded UInt64,
    partial UInt64,
    sum_ns UInt64,
    max_ns UInt64,
    durations Array(UInt64)`,
  // Sweep membership: a row per sweep and run, written by whoever stores a run
  // under a sweep id (`baton sweep` for every seed of its shard, `baton
  // compare`), so a run belongs to every sweep that ran it. `runs.sweep_id`
  // only names the last sweep that stored the run: readers select a sweep's
  // runs here. recorded_date is the run's partition date (prune drops both).
  sweep_runs: `
    recorded_date Date,
    sweep_id String,
    run_id String,
    seed UInt64`,
  schema_migrations: `
    version UInt32,
    applied_at DateTime`,
};

/**
 * The columns of `table` in table order, as insert formats name them: a
 * Nested column's fields as `name.field` (what JSONCompactEachRow lines hold
 * the values of, in this order).
 */
export function tableColumns(table: TableName): string[] {
  return COLUMNS[table]
    .split(/,\s*\n/)
    .map((line) => line.trim())
    .flatMap((definition) => {
      const [name] = definition.split(/\s/, 1);
      const nested = /^\w+\s+Nested\((.*)\)$/s.exec(definition);
      if (!nested) return [name!];
      return nested[1]!.split(',').map((field) => `${name}.${field.trim().split(/\s/, 1)[0]}`);
    });
}

/** Engine family, version column, sort key, partition key and shard key of each table. */
interface TableLayout {
  /** `ReplacingMergeTree` for every table: a row is identified by its sort key. */
  versionColumn?: string;
  orderBy: string;
  partitionBy?: string;
  /** Distributed sharding key: all rows of a run on one shard, so FINAL dedupes there. */
  shardBy: string;
}

const LAYOUTS: Record<TableName, TableLayout> = {
  spans: { orderBy: '(run_id, trace_id, span_id)', partitionBy: 'toYYYYMM(recorded_date)', shardBy: 'cityHash64(run_id)' },
  span_events: {
    orderBy: '(run_id, trace_id, span_id, event_index)',
    partitionBy: 'toYYYYMM(recorded_date)',
    shardBy: 'cityHash64(run_id)',
  },
  runs: { versionColumn: 'recorded_at', orderBy: '(run_id)', partitionBy: 'toYYYYMM(recorded_date)', shardBy: 'cityHash64(run_id)' },
  violations: { orderBy: '(run_id, violation_index)', partitionBy: 'toYYYYMM(recorded_date)', shardBy: 'cityHash64(run_id)' },
  run_metrics: { orderBy: '(run_id, family, kind, source, target)', partitionBy: 'toYYYYMM(recorded_date)', shardBy: 'cityHash64(run_id)' },
  sweep_runs: { orderBy: '(sweep_id, run_id)', partitionBy: 'toYYYYMM(recorded_date)', shardBy: 'cityHash64(run_id)' },
  schema_migrations: { orderBy: '(version)', shardBy: 'version' },
};

/** Tables partitioned by month (what `prune` may drop partitions of). */
export const PARTITIONED_TABLES: readonly TableName[] = TABLES.filter((table) => LAYOUTS[table].partitionBy !== undefined);

/** Suffix of the per-node tables under a Distributed table in cluster mode. */
export const LOCAL_TABLE_SUFFIX = '_local';

/** Options of `schemaStatements`. */
export interface SchemaOptions {
  /**
   * Cluster name (from the servers' `remote_servers`). When set, every
   * statement is `ON CLUSTER`, each table `T` becomes `T_local`
   * (ReplicatedReplacingMergeTree at `/clickhouse/tables/{shard}/<db>/T`,
   * replica `{replica}`: both macros must be defined on every node) plus a
   * Distributed table `T` over it, so inserts and report SQL keep using
   * `<db>.T`. Default: none (single server or chDB).
   */
  cluster?: string;
}

/**
 * CREATE DATABASE and CREATE TABLE statements for `database`, all IF NOT
 * EXISTS, in the order they must run.
 */
export function schemaStatements(database: string, options: SchemaOptions = {}): string[] {
  const db = sqlIdentifier(database);
  if (options.cluster === undefined) {
    const statements = [`CREATE DATABASE IF NOT EXISTS ${db}`];
    for (const table of TABLES) {
      const layout = LAYOUTS[table];
      const engine = `ReplacingMergeTree${layout.versionColumn ? `(${layout.versionColumn})` : ''}`;
      statements.push(`CREATE TABLE IF NOT EXISTS ${db}.${table} (${COLUMNS[table]}\n) ENGINE = ${engine}${keys(layout)}`);
    }
    return statements;
  }
  const cluster = sqlIdentifier(options.cluster);
  const statements = [`CREATE DATABASE IF NOT EXISTS ${db} ON CLUSTER ${cluster}`];
  for (const table of TABLES) {
    const layout = LAYOUTS[table];
    const local = `${table}${LOCAL_TABLE_SUFFIX}`;
    const zooKeeperPath = `'/clickhouse/tables/{shard}/${db}/${table}'`;
    const engineArgs = [zooKeeperPath, "'{replica}'", ...(layout.versionColumn ? [layout.versionColumn] : [])].join(', ');
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${db}.${local} ON CLUSTER ${cluster} (${COLUMNS[table]}\n) ENGINE = ReplicatedReplacingMergeTree(${engineArgs})${keys(layout)}`,
      `CREATE TABLE IF NOT EXISTS ${db}.${table} ON CLUSTER ${cluster} AS ${db}.${local} ENGINE = Distributed(${cluster}, ${db}, ${local}, ${layout.shardBy})`,
    );
  }
  return statements;
}

function keys(layout: TableLayout): string {
  return (layout.partitionBy ? ` PARTITION BY ${layout.partitionBy}` : '') + ` ORDER BY ${layout.orderBy}`;
}
