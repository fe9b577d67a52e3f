import type { SpanStore } from '../collector/store/span-store.js';
import { sqlString } from '../collector/store/sql.js';

/** `db.table FINAL`: the deduplicated view of a baton table that every report reads. */
export function finalTable(store: SpanStore, table: string): string {
  return `${store.database}.${table} FINAL`;
}

/** `run_id = '<id>'` with the id escaped. */
export function runFilter(runId: string): string {
  return `run_id = ${sqlString(runId)}`;
}

/**
 * What every metric query of one run needs: the FINAL tables and the run
 * filter. Metric SQL is built from a scope only, so the same text runs on chDB
 * and on a ClickHouse 18.16 server (no window functions, no Map, no
 * DateTime64, no query parameters; values only through `sqlString`).
 */
export interface RunScope {
  spans: string;
  events: string;
  runs: string;
  violations: string;
  /** `run_id = '<id>'`. */
  where: string;
}

/** The scope of `runId` in `store`. */
export function runScope(store: SpanStore, runId: string): RunScope {
  return {
    spans: finalTable(store, 'spans'),
    events: finalTable(store, 'span_events'),
    runs: finalTable(store, 'runs'),
    violations: finalTable(store, 'violations'),
    where: runFilter(runId),
  };
}

/** 64-bit integers come back as strings in JSON; numbers come back as numbers. */
export function num(value: unknown): number {
  const parsed = Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** Rounds to 6 decimals so that reports print the same digits on every engine. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** `part / whole` rounded, with `empty` when there is no whole. */
export function ratio(part: number, whole: number, empty = 0): number {
  return whole === 0 ? empty : round6(part / whole);
}

const NS_PER_MS = 1_000_000;

/** Nanoseconds (a number or a UInt64 string) as milliseconds, rounded. */
export function nsToMs(value: unknown): number {
  return round6(num(value) / NS_PER_MS);
}

/** p50/p95/p99/max in virtual milliseconds. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The SQL of p50/p95/p99 and max of a nanosecond column, as columns `q` and `max_ns`. */
export function percentilesSql(column: string, condition?: string): string {
  if (condition === undefined) return `quantilesExact(0.5, 0.95, 0.99)(${column}) AS q, max(${column}) AS max_ns`;
  return `quantilesExactIf(0.5, 0.95, 0.99)(${column}, ${condition}) AS q, maxIf(${column}, ${condition}) AS max_ns`;
}

/** Reads the columns `percentilesSql` produced; empty sets give zeros on every engine. */
export function percentilesOf(row: Record<string, unknown> | undefined, count: number): Percentiles {
  if (!row || count === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const q = Array.isArray(row.q) ? row.q : [];
  return { p50: nsToMs(q[0]), p95: nsToMs(q[1]), p99: nsToMs(q[2]), max: nsToMs(row.max_ns) };
}
