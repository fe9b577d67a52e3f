import type { SpanStore } from '../../collector/store/span-store.js';
import { num, type RunScope } from '../sql.js';

/**
 * The invariant checkers every simulated run has. The run stores only the
 * violations, so a checker that passed is known from this list (kept equal to
 * simulator/checkers/checker-set.ts CHECKER_NAMES by a test; reports do not
 * import the simulator) plus any checker that reported a violation.
 */
export const INVARIANT_CHECKERS = [
  'dag-order',
  'no-lost-handoff',
  'exactly-once-effects',
  'no-double-assignment',
  'no-stale-read-acted-on',
  'integrity',
  'budgets',
  'context-window',
  'liveness',
  'limits',
  'crash',
] as const;

/** A broken invariant as reports show it. */
export interface ReportedViolation {
  checker: string;
  classification: string;
  seed: number;
  atMs: number;
  traceId: string;
  spanId: string;
  story: string;
  /** The command that replays the run that broke it. */
  replayCommand: string;
}

export interface InvariantMetrics {
  violations: ReportedViolation[];
  /** Every checker with its violation count (0 = held). */
  checkers: { checker: string; violations: number }[];
}

export const invariantSql = {
  violations: (s: RunScope) =>
    `SELECT checker, classification, seed, at_ms, trace_id, span_id, story FROM ${s.violations} WHERE ${s.where} ORDER BY violation_index`,
};

/** `npx baton replay <scenario> --seed N`. */
export function replayCommand(scenarioRef: string, seed: number): string {
  const ref = /^[\w./-]+$/.test(scenarioRef) ? scenarioRef : `'${scenarioRef.replace(/'/g, `'\\''`)}'`;
  return `npx baton replay ${ref} --seed ${seed}`;
}

export async function invariantMetrics(store: SpanStore, scope: RunScope, scenarioRef: string): Promise<InvariantMetrics> {
  const rows = await store.query(invariantSql.violations(scope));
  const violations = rows.map((row) => ({
    checker: String(row.checker),
    classification: String(row.classification),
    seed: num(row.seed),
    atMs: num(row.at_ms),
    traceId: String(row.trace_id),
    spanId: String(row.span_id),
    story: String(row.story),
    replayCommand: replayCommand(scenarioRef, num(row.seed)),
  }));
  const counts = new Map<string, number>(INVARIANT_CHECKERS.map((checker) => [checker, 0]));
  for (const violation of violations) counts.set(violation.checker, (counts.get(violation.checker) ?? 0) + 1);
  return { violations, checkers: [...counts].map(([checker, count]) => ({ checker, violations: count })) };
}
