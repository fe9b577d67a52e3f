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

/** What a replay command names besides the seed: the scenario file and how the run changed it. */
export interface ReplayTarget {
  /** The scenario file. */
  scenarioRef: string;
  /** `--set PATH=VALUE` texts applied to the file, in order (`swarm=P` is printed as `--swarm P` when last). */
  overrides?: readonly string[];
  /** `--assert` expressions given on the command line (the scenario's own are in the file). */
  assertions?: readonly string[];
}

/**
 * `npx baton replay <scenario> --seed N` with the `--set`, `--swarm` and
 * `--assert` flags the run had: the same scenario text, so the same run id,
 * event log and verdict. Arguments are quoted for a POSIX shell where needed.
 */
export function replayCommand(target: string | ReplayTarget, seed: number): string {
  return `npx baton replay ${replayArguments(target, seed)}`;
}

/** The arguments of `baton replay` that reproduce the run of `seed` (see `replayCommand`). */
export function replayArguments(target: string | ReplayTarget, seed: number): string {
  const { scenarioRef, overrides = [], assertions = [] } = typeof target === 'string' ? { scenarioRef: target } : target;
  const words = [shellWord(scenarioRef), '--seed', String(seed)];
  overrides.forEach((override, index) => {
    const swarm = /^swarm=([\w-]+)$/.exec(override);
    // scenarioWithSwarm applies --swarm after every --set, so only the last override may be written as --swarm.
    if (swarm && index === overrides.length - 1) words.push('--swarm', swarm[1]!);
    else words.push('--set', shellWord(override));
  });
  for (const assertion of assertions) words.push('--assert', shellWord(assertion));
  return words.join(' ');
}

/** `text` as one POSIX shell word: as is when it has no special characters, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w./=:,@+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function invariantMetrics(store: SpanStore, scope: RunScope, replay: string | ReplayTarget): Promise<InvariantMetrics> {
  const rows = await store.query(invariantSql.violations(scope));
  const violations = rows.map((row) => ({
    checker: String(row.checker),
    classification: String(row.classification),
    seed: num(row.seed),
    atMs: num(row.at_ms),
    traceId: String(row.trace_id),
    spanId: String(row.span_id),
    story: String(row.story),
    replayCommand: replayCommand(replay, num(row.seed)),
  }));
  const counts = new Map<string, number>(INVARIANT_CHECKERS.map((checker) => [checker, 0]));
  for (const violation of violations) counts.set(violation.checker, (counts.get(violation.checker) ?? 0) + 1);
  return { violations, checkers: [...counts].map(([checker, count]) => ({ checker, violations: count })) };
}
