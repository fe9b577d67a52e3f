import type { SpanStore } from '../../collector/store/span-store.js';
import { num, percentilesOf, percentilesSql, ratio, type Percentiles, type RunScope } from '../sql.js';

/** Handoffs between one source agent and one target agent. */
export interface PairHandoffs {
  source: string;
  target: string;
  total: number;
  succeeded: number;
  failed: number;
  successRate: number;
  latencyMs: Percentiles;
}

/** Handoff metrics of a run; a handoff is one `baton.handoff` span (it has an outcome). */
export interface HandoffMetrics {
  total: number;
  succeeded: number;
  failed: number;
  successRate: number;
  latencyMs: Percentiles;
  byPair: PairHandoffs[];
  /** Failed handoffs (outcome other than accepted) by the phase they ended in. */
  failuresByPhase: Record<string, number>;
  /** `total`: attempts over all handoffs; `distribution`: handoffs by their attempt count ("1", "2", …). */
  attempts: { total: number; distribution: Record<string, number> };
}

/** The SQL of each handoff metric; `docs/reports.md` shows the same text. */
export const handoffSql = {
  overall: (s: RunScope) =>
    `SELECT count() AS total, countIf(handoff_outcome = 'accepted') AS succeeded, sum(handoff_attempt) AS attempts, ` +
    `${percentilesSql('duration_ns')} FROM ${s.spans} WHERE ${s.where} AND handoff_outcome != ''`,
  byPair: (s: RunScope) =>
    `SELECT handoff_source AS source, handoff_target AS target, count() AS total, ` +
    `countIf(handoff_outcome = 'accepted') AS succeeded, ${percentilesSql('duration_ns')} ` +
    `FROM ${s.spans} WHERE ${s.where} AND handoff_outcome != '' GROUP BY handoff_source, handoff_target ORDER BY source, target`,
  failuresByPhase: (s: RunScope) =>
    `SELECT handoff_phase AS phase, count() AS failed FROM ${s.spans} ` +
    `WHERE ${s.where} AND handoff_outcome != '' AND handoff_outcome != 'accepted' GROUP BY handoff_phase ORDER BY phase`,
  attemptsDistribution: (s: RunScope) =>
    `SELECT handoff_attempt AS attempts, count() AS handoffs FROM ${s.spans} ` +
    `WHERE ${s.where} AND handoff_outcome != '' GROUP BY handoff_attempt ORDER BY attempts`,
};

/** Total, succeeded, failed and success rate (1 when there were none) of a set of handoffs. */
export function handoffCounts(total: number, succeeded: number): Pick<PairHandoffs, 'total' | 'succeeded' | 'failed' | 'successRate'> {
  return { total, succeeded, failed: total - succeeded, successRate: ratio(succeeded, total, 1) };
}

/** The handoffs of one source → target pair, from a query row with its `source`, `target` and `total`. */
export function pairHandoffs(row: Record<string, unknown>, succeeded: number, latencyMs: Percentiles): PairHandoffs {
  return { source: String(row.source), target: String(row.target), ...handoffCounts(num(row.total), succeeded), latencyMs };
}

/** Computes the handoff metrics of the run in `scope`. */
export async function handoffMetrics(store: SpanStore, scope: RunScope): Promise<HandoffMetrics> {
  const [overallRows, pairRows, phaseRows, attemptRows] = await Promise.all([
    store.query(handoffSql.overall(scope)),
    store.query(handoffSql.byPair(scope)),
    store.query(handoffSql.failuresByPhase(scope)),
    store.query(handoffSql.attemptsDistribution(scope)),
  ]);
  const overall = overallRows[0] ?? {};
  const total = num(overall.total);
  const succeeded = num(overall.succeeded);
  const failuresByPhase: Record<string, number> = {};
  for (const row of phaseRows) failuresByPhase[String(row.phase)] = num(row.failed);
  const distribution: Record<string, number> = {};
  for (const row of attemptRows) distribution[String(num(row.attempts))] = num(row.handoffs);
  return {
    ...handoffCounts(total, succeeded),
    latencyMs: percentilesOf(overall, total),
    byPair: pairRows.map((row) => pairHandoffs(row, num(row.succeeded), percentilesOf(row, num(row.total)))),
    failuresByPhase,
    attempts: { total: num(overall.attempts), distribution },
  };
}
