import type { SpanStore } from '../collector/store/span-store.js';
import { num, round6, runScope, type RunScope } from './sql.js';
import { handoffMetrics, type HandoffMetrics } from './metrics/handoff-metrics.js';
import { coordinationMetrics, type CoordinationMetrics } from './metrics/coordination-metrics.js';
import { workflowMetrics, type BudgetMetrics, type CheckpointMetrics, type WorkflowMetrics } from './metrics/workflow-metrics.js';
import { agentMetrics, type AgentMetrics, type RecoveryMetrics, type TokenMetrics } from './metrics/agent-metrics.js';
import { faultMetrics, type FaultMetrics } from './metrics/fault-metrics.js';
import { invariantMetrics, type InvariantMetrics } from './metrics/invariant-metrics.js';

export type { ReportedViolation } from './metrics/invariant-metrics.js';
export type { Percentiles } from './sql.js';

/**
 * The key metrics of the seed documents' monitoring table, as far as spans
 * allow (docs/reports.md says how each is derived).
 */
export interface KeyMetrics {
  /** workflow_duration_p99 = workflows.durationMs.p99. */
  workflowDurationP99Ms: number;
  /** handoff_success_rate = handoffs.successRate. */
  handoffSuccessRate: number;
  /** agent_error_rate = agents.errorRate. */
  agentErrorRate: number;
  /** checkpoint_lag = checkpoints.lagMsMax. */
  checkpointLagMsMax: number;
  /** recovery_operations = recovery.operations. */
  recoveryOperations: number;
  /** recovery_operations as the seed's rate: recovery.operations per virtual minute of workflows.spanMs. */
  recoveryOperationsPerMin: number;
  /** active_workflows = workflows.activeMax. */
  activeWorkflowsMax: number;
}

/**
 * The report of one run: every number computed by SQL over the stored spans,
 * events, runs and violations. Field names are the report.json contract; later
 * versions add fields, never rename or remove them.
 */
export interface RunReport {
  run: { id: string; scenario: string; seed: number; batonVersion: string; configHash: string; eventLogHash: string };
  workflows: WorkflowMetrics;
  handoffs: HandoffMetrics;
  coordination: CoordinationMetrics;
  faults: FaultMetrics;
  invariants: InvariantMetrics;
  agents: AgentMetrics;
  tokens: TokenMetrics;
  recovery: RecoveryMetrics;
  checkpoints: CheckpointMetrics;
  budgets: BudgetMetrics;
  keyMetrics: KeyMetrics;
}

/** Thrown when no run with the id is stored. */
export class RunNotFoundError extends Error {
  readonly code = 'BATON_ERR_RUN_NOT_FOUND';
  constructor(readonly runId: string) {
    super(`no run with id "${runId}" is stored`);
    this.name = 'RunNotFoundError';
  }
}

export interface RunReportOptions {
  /** How replay commands name the scenario (its file); default `scenarios/<name>.yaml`. */
  scenarioRef?: string;
  /** The `--set` overrides (`swarm=P` for `--swarm`) the run applied to the file, for replay commands. */
  overrides?: readonly string[];
  /** The command line's `--assert` expressions, for replay commands. */
  assertions?: readonly string[];
}

export const runSql = {
  run: (s: RunScope) => `SELECT run_id, scenario, seed, baton_version, config_hash, event_log_hash FROM ${s.runs} WHERE ${s.where}`,
};

/** Computes the report of `runId` from storage. */
export async function computeRunReport(store: SpanStore, runId: string, options: RunReportOptions = {}): Promise<RunReport> {
  const scope = runScope(store, runId);
  const runRows = await store.query(runSql.run(scope));
  const run = runRows[0];
  if (!run) throw new RunNotFoundError(runId);
  const scenario = String(run.scenario);
  const [workflowPart, handoffs, coordination, agentPart, faults, invariants] = await Promise.all([
    workflowMetrics(store, scope),
    handoffMetrics(store, scope),
    coordinationMetrics(store, scope),
    agentMetrics(store, scope),
    faultMetrics(store, scope),
    invariantMetrics(store, scope, { scenarioRef: options.scenarioRef ?? `scenarios/${scenario}.yaml`, overrides: options.overrides, assertions: options.assertions }),
  ]);
  const { workflows, checkpoints, budgets } = workflowPart;
  const { agents, tokens, recovery } = agentPart;
  return {
    run: {
      id: String(run.run_id),
      scenario,
      seed: num(run.seed),
      batonVersion: String(run.baton_version),
      configHash: String(run.config_hash),
      eventLogHash: String(run.event_log_hash),
    },
    workflows,
    handoffs,
    coordination,
    faults,
    invariants,
    agents,
    tokens,
    recovery,
    checkpoints,
    budgets,
    keyMetrics: {
      workflowDurationP99Ms: workflows.durationMs.p99,
      handoffSuccessRate: handoffs.successRate,
      agentErrorRate: agents.errorRate,
      checkpointLagMsMax: checkpoints.lagMsMax,
      recoveryOperations: recovery.operations,
      recoveryOperationsPerMin: workflows.spanMs === 0 ? 0 : round6(recovery.operations / (workflows.spanMs / 60_000)),
      activeWorkflowsMax: workflows.activeMax,
    },
  };
}
