import type { SpanStore } from '../../collector/store/span-store.js';
import { sqlString } from '../../collector/store/sql.js';
import { computeRunReport, type RunReport } from '../run-report.js';
import { finalTable, num } from '../sql.js';

/** A stored sweep id that has no runs. */
export class SweepNotFoundError extends Error {
  readonly code = 'BATON_ERR_SWEEP_NOT_FOUND';
  constructor(readonly sweepId: string) {
    super(`no runs stored under sweep id "${sweepId}"`);
    this.name = 'SweepNotFoundError';
  }
}

/** A sweep's runs are its members (`sweep_runs`) that are stored: a run may belong to many sweeps. */
export const sweepSql = {
  runs: (store: SpanStore, sweepId: string) =>
    `SELECT run_id, seed FROM ${finalTable(store, 'sweep_runs')} WHERE sweep_id = ${sqlString(sweepId)} ` +
    `AND run_id IN (SELECT run_id FROM ${finalTable(store, 'runs')}) ORDER BY seed, run_id`,
};

/** The report of every run of a stored sweep, by seed (the first run id of a seed wins). */
export async function sweepReports(store: SpanStore, sweepId: string): Promise<Map<number, RunReport>> {
  const rows = await store.query(sweepSql.runs(store, sweepId));
  if (rows.length === 0) throw new SweepNotFoundError(sweepId);
  const reports = new Map<number, RunReport>();
  for (const row of rows) {
    const seed = num(row.seed);
    if (!reports.has(seed)) reports.set(seed, await computeRunReport(store, String(row.run_id)));
  }
  return reports;
}
