import type { WorkflowStatus } from '../env/observer.js';

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
