import { LOCAL_TABLE_SUFFIX, PARTITIONED_TABLES, type TableName } from './schema.js';
import { sqlIdentifier, sqlString } from './sql.js';
import type { SpanStore } from './span-store.js';

/** Options of `prune`. */
export interface PruneOptions {
  /** The present (tests pin it). Default: the current time. */
  now?: Date;
  /**
   * Cluster the schema was created on (see `schemaStatements`). Partitions are
   * then listed through the Distributed tables (every shard) and dropped from
   * the `_local` tables `ON CLUSTER`. Default: none.
   */
  cluster?: string;
}

/** A dropped month partition of one table. */
export interface DroppedPartition {
  table: TableName;
  /** `YYYYMM`, the value of `toYYYYMM(recorded_date)`. */
  partition: number;
}

const MS_PER_DAY = 86_400_000;

/**
 * Drops every month partition of the baton tables whose whole month lies
 * before `now - olderThanDays` (UTC): a month that still has one day inside
 * the window is kept whole. Partitions are listed from `system.parts`
 * (active parts of this database), so nothing is scanned; works on 18.16 and
 * chDB. Returns what was dropped, by table then month.
 */
export async function prune(store: SpanStore, olderThanDays: number, options: PruneOptions = {}): Promise<DroppedPartition[]> {
  if (!Number.isFinite(olderThanDays) || olderThanDays < 0) throw new RangeError(`olderThanDays must be ≥ 0, got ${olderThanDays}`);
  const cutoff = cutoffDate(options.now ?? new Date(), olderThanDays);
  // A ClickHouse Date cannot hold a day before 1970-01-01, so nothing stored is older than such a
  // cutoff; an age too large for a JS Date (an invalid cutoff) reaches back further still.
  if (!(cutoff.getTime() >= 0)) return [];
  const firstKeptMonth = monthKey(cutoff);
  const partitions = await listPartitions(store, options.cluster);
  const dropped: DroppedPartition[] = [];
  for (const { table, partition } of partitions) {
    // A month is entirely older than the cutoff when it ends before the cutoff's month begins.
    // Written as "drop only when provably older": a NaN on either side keeps the partition.
    if (!(partition < firstKeptMonth)) continue;
    await store.command(dropStatement(store.database, table, partition, options.cluster));
    dropped.push({ table, partition });
  }
  return dropped;
}

/** The first day still kept: midnight UTC of `now - olderThanDays` days. */
export function cutoffDate(now: Date, olderThanDays: number): Date {
  const day = Math.floor(now.getTime() / MS_PER_DAY) - Math.floor(olderThanDays);
  return new Date(day * MS_PER_DAY);
}

/**
 * `YYYYMM` of a UTC date, as toYYYYMM returns it. Throws for an invalid date,
 * whose NaN would compare false against every partition.
 */
export function monthKey(date: Date): number {
  const key = date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
  if (!Number.isSafeInteger(key)) throw new RangeError(`monthKey: not a valid date (${String(date)})`);
  return key;
}

async function listPartitions(store: SpanStore, cluster: string | undefined): Promise<DroppedPartition[]> {
  const db = sqlIdentifier(store.database);
  const found: DroppedPartition[] = [];
  if (cluster === undefined) {
    const names = PARTITIONED_TABLES.map((table) => sqlString(table)).join(', ');
    const rows = await store.query<{ table: string; partition: string }>(
      `SELECT DISTINCT table, partition FROM system.parts WHERE database = ${sqlString(db)} AND active AND table IN (${names}) ORDER BY table, partition`,
    );
    for (const row of rows) found.push({ table: row.table as TableName, partition: partitionNumber(row.partition) });
    return found;
  }
  // system.parts shows one node only; the Distributed table reaches every shard.
  for (const table of PARTITIONED_TABLES) {
    const rows = await store.query<{ partition: string | number }>(
      `SELECT DISTINCT toYYYYMM(recorded_date) AS partition FROM ${db}.${table} ORDER BY partition`,
    );
    for (const row of rows) found.push({ table, partition: partitionNumber(String(row.partition)) });
  }
  return found;
}

function partitionNumber(text: string): number {
  // system.parts.partition is the partition value as text; for toYYYYMM it is `202611` (newer servers may quote it).
  const digits = text.replace(/^'|'$/g, '');
  if (!/^\d{6}$/.test(digits)) throw new Error(`unexpected partition ${JSON.stringify(text)}: expected YYYYMM`);
  return Number(digits);
}

function dropStatement(database: string, table: TableName, partition: number, cluster: string | undefined): string {
  if (cluster === undefined) return `ALTER TABLE ${database}.${table} DROP PARTITION ${partition}`;
  return `ALTER TABLE ${database}.${table}${LOCAL_TABLE_SUFFIX} ON CLUSTER ${sqlIdentifier(cluster)} DROP PARTITION ${partition}`;
}
