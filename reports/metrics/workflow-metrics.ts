import type { SpanStore } from '../../collector/store/span-store.js';
import { nsToMs, num, percentilesOf, percentilesSql, type Percentiles, type RunScope } from '../sql.js';

/** Workflow instances of a run: one `invoke_workflow` span each. */
export interface WorkflowMetrics {
  total: number;
  /** Workflow span without `error.type`. */
  completed: number;
  /** `error.type` = partial. */
  partial: number;
  /** Everything else. */
  failed: number;
  durationMs: Percentiles;
  /** Most workflows running at once (at some workflow's start). */
  activeMax: number;
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

export const workflowSql = {
  outcomes: (s: RunScope) =>
    `SELECT count() AS total, countIf(error_type = '') AS completed, countIf(error_type = 'partial') AS partial, ` +
    `${percentilesSql('duration_ns')} FROM ${s.spans} WHERE ${s.where} AND operation = 'invoke_workflow'`,
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
};

export async function workflowMetrics(store: SpanStore, scope: RunScope): Promise<{ workflows: WorkflowMetrics; checkpoints: CheckpointMetrics }> {
  const [outcomeRows, activeRows, lagRows] = await Promise.all([
    store.query(workflowSql.outcomes(scope)),
    store.query(workflowSql.activeMax(scope)),
    store.query(workflowSql.checkpointLag(scope)),
  ]);
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
      durationMs: percentilesOf(outcome, total),
      activeMax: total === 0 ? 0 : num(activeRows[0]?.active_max),
    },
    checkpoints: { total: num(lagRows[0]?.total), lagMsMax: total === 0 ? 0 : nsToMs(lagRows[0]?.max_ns), lagMsP99: lag.p99 },
  };
}
