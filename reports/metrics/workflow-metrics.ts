import type { SpanStore } from '../../collector/store/span-store.js';
import { nsToMs, num, percentilesOf, percentilesSql, type Percentiles, type RunScope } from '../sql.js';

/** Workflow instances of a run: one `invoke_workflow` span each. */
export interface WorkflowMetrics {
  total: number;
  /** Workflow span without `error.type`. */
  completed: number;
  /** `error.type` = partial. */
  partial: number;
  /** Everything else (unfinished included). */
  failed: number;
  /**
   * Of `failed`: still running when the run ended (a deadlock or a limit), so
   * the simulator ended its span (`error.type` = unfinished); its duration runs
   * to that end.
   */
  unfinished: number;
  durationMs: Percentiles;
  /** Most workflows running at once (at some workflow's start). */
  activeMax: number;
  /** From the first workflow's start to the last one's end: the stretch of virtual time the run covers. */
  spanMs: number;
}

/** Checkpoints (spans of coordination kind `checkpoint`) and how far apart they are. */
export interface CheckpointMetrics {
  total: number;
  /**
   * Longest stretch of a workflow without a checkpoint: the largest gap between
   * consecutive points of {workflow start, each checkpoint's end, workflow end}.
   * With no checkpoints at all it is the longest workflow.
   */
  lagMsMax: number;
  lagMsP99: number;
}

/** p50/p95/p99/max of a count (not a duration). */
export interface CountPercentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * What workflows spent, from their agent spans: the budget usage spans can
 * show (budget limits live in the scenario, not in the spans).
 */
export interface BudgetMetrics {
  /** Σ input + output tokens of a workflow's agent invocations. */
  tokensPerWorkflow: CountPercentiles;
  /** Agent invocations of a workflow (retries included). */
  agentCallsPerWorkflow: CountPercentiles;
}

export const workflowSql = {
  outcomes: (s: RunScope) =>
    `SELECT count() AS total, countIf(error_type = '') AS completed, countIf(error_type = 'partial') AS partial, ` +
    `countIf(error_type = 'unfinished') AS unfinished, max(end_ns) - min(start_ns) AS span_ns, ${percentilesSql('duration_ns')} FROM ${s.spans} WHERE ${s.where} AND operation = 'invoke_workflow'`,
  activeMax: (s: RunScope) =>
    `SELECT max(active) AS active_max FROM (SELECT started_ns, countIf(other_start_ns <= started_ns AND other_end_ns > started_ns) AS active FROM ` +
    `(SELECT run_id, start_ns AS started_ns FROM ${s.spans} WHERE ${s.where} AND operation = 'invoke_workflow') AS lhs ALL INNER JOIN ` +
    `(SELECT run_id, start_ns AS other_start_ns, end_ns AS other_end_ns FROM ${s.spans} WHERE ${s.where} AND operation = 'invoke_workflow') ` +
    `AS rhs USING (run_id) GROUP BY started_ns)`,
  checkpointLag: (s: RunScope) =>
    `SELECT sum(checkpoints) AS total, ${percentilesSql('lag_ns')} FROM (SELECT trace_id, ` +
    `countIf(coordination_kind = 'checkpoint') AS checkpoints, ` +
    `arrayReduce('max', arrayDifference(arraySort(arrayConcat(groupArrayIf(start_ns, operation = 'invoke_workflow'), ` +
    `groupArrayIf(end_ns, operation = 'invoke_workflow'), groupArrayIf(end_ns, coordination_kind = 'checkpoint'))))) AS lag_ns ` +
    `FROM ${s.spans} WHERE ${s.where} AND (operation = 'invoke_workflow' OR coordination_kind = 'checkpoint') ` +
    `GROUP BY trace_id HAVING countIf(operation = 'invoke_workflow') > 0)`,
  budgets: (s: RunScope) =>
    `SELECT quantilesExact(0.5, 0.95, 0.99)(tokens) AS tokens_q, max(tokens) AS tokens_max, ` +
    `quantilesExact(0.5, 0.95, 0.99)(calls) AS calls_q, max(calls) AS calls_max FROM (SELECT trace_id, ` +
    `sumIf(input_tokens + output_tokens, operation = 'invoke_agent') AS tokens, countIf(operation = 'invoke_agent') AS calls ` +
    `FROM ${s.spans} WHERE ${s.where} AND (operation = 'invoke_workflow' OR operation = 'invoke_agent') ` +
    `GROUP BY trace_id HAVING countIf(operation = 'invoke_workflow') > 0)`,
};

function countPercentiles(q: unknown, max: unknown, count: number): CountPercentiles {
  if (count === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const values = Array.isArray(q) ? q : [];
  return { p50: num(values[0]), p95: num(values[1]), p99: num(values[2]), max: num(max) };
}

export async function workflowMetrics(
  store: SpanStore,
  scope: RunScope,
): Promise<{ workflows: WorkflowMetrics; checkpoints: CheckpointMetrics; budgets: BudgetMetrics }> {
  const [outcomeRows, activeRows, lagRows, budgetRows] = await Promise.all([
    store.query(workflowSql.outcomes(scope)),
    store.query(workflowSql.activeMax(scope)),
    store.query(workflowSql.checkpointLag(scope)),
    store.query(workflowSql.budgets(scope)),
  ]);
  const budget = budgetRows[0] ?? {};
  const outcome = outcomeRows[0] ?? {};
  const total = num(outcome.total);
  const completed = num(outcome.completed);
  const partial = num(outcome.partial);
  const lag = percentilesOf(lagRows[0], total);
  return {
    workflows: {
      total,
      completed,
      partial,
      failed: total - completed - partial,
      unfinished: num(outcome.unfinished),
      durationMs: percentilesOf(outcome, total),
      activeMax: total === 0 ? 0 : num(activeRows[0]?.active_max),
      spanMs: total === 0 ? 0 : nsToMs(outcome.span_ns),
    },
    checkpoints: { total: num(lagRows[0]?.total), lagMsMax: total === 0 ? 0 : nsToMs(lagRows[0]?.max_ns), lagMsP99: lag.p99 },
    budgets: {
      tokensPerWorkflow: countPercentiles(budget.tokens_q, budget.tokens_max, total),
      agentCallsPerWorkflow: countPercentiles(budget.calls_q, budget.calls_max, total),
    },
  };
}
