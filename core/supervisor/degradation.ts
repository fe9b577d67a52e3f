import type { Span } from '@opentelemetry/api';
import type { WorkflowStatus } from '../env/observer.js';
import type { CheckpointStore } from '../handoff/checkpoint-store.js';
import type { WorkflowState } from './workflow-state.js';

/** A failed agent of a degraded workflow and what its failure costs (seed 002). */
export interface FailedAgent {
  agent: string;
  taskId: string;
  error: string;
  impact: string;
}

/** Graceful degradation of seed 002: partial results with transparency. */
export interface DegradedResult {
  status: 'success' | 'partial_success' | 'failure';
  completedAgents: string[];
  failedAgents: FailedAgent[];
  /** 1 when every task completed, reduced by the share of tasks missing. */
  confidence: number;
  recommendations: string[];
}

/**
 * Summarises a terminal workflow: which agents completed, which failed with
 * the impact of each failure, and a confidence reduced by the share of tasks
 * whose analysis is missing.
 */
export function degradedResult(
  status: WorkflowStatus,
  completed: { taskId: string; agent: string }[],
  failed: { taskId: string; agent?: string; reason: string }[],
): DegradedResult {
  const total = completed.length + failed.length;
  const confidence = total === 0 ? 0 : Math.round((completed.length / total) * 1000) / 1000;
  return {
    status: status === 'completed' ? 'success' : status === 'partial' ? 'partial_success' : 'failure',
    completedAgents: [...new Set(completed.map((task) => task.agent))].sort(),
    failedAgents: failed.map((task) => ({
      agent: task.agent ?? 'unassigned',
      taskId: task.taskId,
      error: task.reason,
      impact: `no result from ${task.taskId}; conclusions that depend on it are unconfirmed`,
    })),
    confidence,
    recommendations: failed.map((task) => `retry ${task.taskId} (${task.reason}) or review it manually`),
  };
}

/** The terminal outcome of a workflow, with its degradation summary. */
export function workflowOutcome(workflowId: string, status: WorkflowStatus, state: WorkflowState, agents: ReadonlyMap<string, string>) {
  const completed: { taskId: string; agent: string }[] = [];
  const failed: { taskId: string; agent?: string; reason: string }[] = [];
  for (const [taskId, task] of state.tasks) {
    if (task.status === 'completed') completed.push({ taskId, agent: task.agent });
    if (task.status === 'failed') failed.push({ taskId, agent: agents.get(taskId), reason: task.reason });
  }
  return {
    workflowId,
    status,
    completedTasks: completed.map((task) => task.taskId),
    failedTasks: failed.map(({ taskId, reason }) => ({ taskId, reason })),
    result: degradedResult(status, completed, failed),
  };
}

/**
 * Checkpoints (seed 003 `phase_{name}_complete`) every phase from `done` on
 * whose tasks are all terminal, in order; returns the new count of phases checkpointed.
 */
export function checkpointFinishedPhases(
  checkpoints: CheckpointStore,
  workflowId: string,
  batches: readonly string[][],
  done: number,
  state: WorkflowState,
  span: Span,
): number {
  let index = done;
  while (index < batches.length) {
    const phase = batches[index]!;
    const states = phase.map((taskId) => state.tasks.get(taskId)!);
    if (!states.every((task) => task.status === 'completed' || task.status === 'failed')) break;
    const snapshot = { phase: index, tasks: Object.fromEntries(phase.map((taskId, i) => [taskId, states[i]!.status])) };
    void checkpoints.save(`checkpoints/${workflowId}/phase-${index}`, snapshot, span, `phase_${index}_complete`);
    index++;
  }
  return index;
}

/** The outcome of a workflow whose DAG was refused: every task failed `dag_invalid`. */
export function rejectedOutcome(workflowId: string, tasks: readonly { id: string }[]) {
  const failedTasks = tasks.map((task) => ({ taskId: task.id, reason: 'dag_invalid' }));
  return { workflowId, status: 'failed' as const, completedTasks: [], failedTasks, result: degradedResult('failed', [], failedTasks) };
}
