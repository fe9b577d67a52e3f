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

/** 64-bit integers come back as strings in JSON; numbers come back as numbers. */
export function num(value: unknown): number {
  const parsed = Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** Rounds to 6 decimals so that reports print the same digits on every engine. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
