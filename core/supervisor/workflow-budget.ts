import type { AgentSpec } from '../agents/types.js';
import type { Env } from '../env/env.js';
import type { BudgetResource } from '../env/observer.js';
import { BudgetLedger, type BudgetLimits } from '../resilience/budget-ledger.js';
import { DEFAULT_COST_PER_KILO_TOKEN_USD } from '../routing/agent-scoring.js';

/** Budgets of seed 002: per workflow instance, and per agent over the whole run. Absent = unlimited. */
export interface BudgetPolicy {
  workflow?: BudgetLimits;
  /** Limits of each agent over every workflow this supervisor runs, by agent name (`*` for every agent). */
  agents?: Record<string, BudgetLimits>;
}

type Amounts = Partial<Record<BudgetResource, number>>;

/** The attempt may go ahead with at most `tokensMax` tokens, or the budget halts the workflow. */
export type BudgetGrant = { ok: true; tokensMax?: number } | { ok: false };

/**
 * Enforces a workflow's budgets so they are never exceeded: before an attempt
 * is assigned, its share of the remaining tokens (remaining ÷ tasks not yet
 * started) plus one call and the matching cost are reserved on the workflow's
 * and the agent's ledgers; the agent clamps its usage to `tokensMax`. A
 * reservation that does not fit records `budget.exceeded` and the caller halts
 * the workflow. Usage is charged (`budget.charged`) when the attempt ends; an
 * attempt that times out is charged its whole reservation (it may still spend it).
 */
export class WorkflowBudget {
  private readonly workflow: BudgetLedger;
  private readonly reservations = new Map<string, { agent: string; amounts: Amounts }>();
  private readonly startedUs: number;

  constructor(
    private readonly env: Env,
    private readonly workflowId: string,
    private readonly policy: BudgetPolicy,
    private readonly specs: readonly AgentSpec[],
    /** Agent ledgers shared by every workflow of the supervisor. */
    private readonly agents: Map<string, BudgetLedger>,
  ) {
    this.workflow = new BudgetLedger(policy.workflow ?? {});
    this.startedUs = env.clock.nowUs();
  }

  /** True when no budget is configured (nothing is reserved or charged). */
  get unlimited(): boolean {
    return this.policy.workflow === undefined && this.policy.agents === undefined;
  }

  /** Reserves an attempt's share; `tasksLeft` counts the tasks not started yet, this one included. */
  reserve(taskId: string, attempt: number, agent: string, tasksLeft: number): BudgetGrant {
    if (this.unlimited) return { ok: true };
    const ledger = this.agentLedger(agent);
    const elapsedMs = (this.env.clock.nowUs() - this.startedUs) / 1000;
    const timeLimit = this.workflow.limits.timeMs;
    if (timeLimit !== undefined && elapsedMs >= timeLimit) return this.exceeded('workflow', this.workflowId, 'timeMs', elapsedMs, 0);
    const tokensLeft = Math.min(this.workflow.remaining('tokens'), ledger.remaining('tokens'));
    const tokensMax = Number.isFinite(tokensLeft) ? Math.floor(tokensLeft / Math.max(1, tasksLeft)) : undefined;
    const price = (this.specs.find((spec) => spec.name === agent)?.costPerKiloTokenUsd ?? DEFAULT_COST_PER_KILO_TOKEN_USD) / 1000;
    const amounts: Amounts = { calls: 1 };
    if (tokensMax !== undefined) amounts.tokens = tokensMax;
    if (this.workflow.limits.costUsd !== undefined || ledger.limits.costUsd !== undefined) {
      const costLeft = Math.min(this.workflow.remaining('costUsd'), ledger.remaining('costUsd'));
      amounts.costUsd = Math.min(costLeft, (tokensMax ?? costLeft / price) * price);
    }
    if (tokensMax !== undefined && tokensMax <= 0) return this.exceeded('workflow', this.workflowId, 'tokens', 1, tokensLeft);
    for (const [scope, owner, target] of [['workflow', this.workflowId, this.workflow], ['agent', agent, ledger]] as const) {
      const refusal = target.reserve(amounts);
      if (!refusal.ok) {
        if (scope === 'agent') this.workflow.settle(amounts, {});
        return this.exceeded(scope, owner, refusal.resource, refusal.requested, refusal.remaining);
      }
    }
    this.reservations.set(`${taskId}#${attempt}`, { agent, amounts });
    const costTokens = amounts.costUsd === undefined ? tokensMax : Math.floor(amounts.costUsd / price);
    return { ok: true, tokensMax: tokensMax === undefined ? costTokens : Math.min(tokensMax, costTokens ?? tokensMax) };
  }

  /** Charges an attempt's usage (undefined = unknown: the whole reservation) once. */
  settle(taskId: string, attempt: number, usedTokens: number | undefined): void {
    const key = `${taskId}#${attempt}`;
    const reservation = this.reservations.get(key);
    if (!reservation) return;
    this.reservations.delete(key);
    const { agent, amounts } = reservation;
    const price = (this.specs.find((spec) => spec.name === agent)?.costPerKiloTokenUsd ?? DEFAULT_COST_PER_KILO_TOKEN_USD) / 1000;
    const tokens = usedTokens === undefined ? (amounts.tokens ?? 0) : Math.min(usedTokens, amounts.tokens ?? usedTokens);
    const spent: Amounts = { calls: 1, tokens, costUsd: usedTokens === undefined ? amounts.costUsd : Math.min(amounts.costUsd ?? Infinity, tokens * price) };
    for (const [scope, owner, ledger] of [['workflow', this.workflowId, this.workflow], ['agent', agent, this.agentLedger(agent)]] as const) {
      const totals = ledger.settle(amounts, spent);
      for (const resource of Object.keys(amounts) as BudgetResource[]) {
        const limit = ledger.limits[resource];
        if (limit === undefined) continue;
        const amount = Math.min(amounts[resource] ?? 0, spent[resource] ?? 0);
        this.env.observer.record({ type: 'budget.charged', workflowId: this.workflowId, scope, owner, resource, amount, total: totals[resource] ?? 0, limit });
      }
    }
  }

  private agentLedger(agent: string): BudgetLedger {
    let ledger = this.agents.get(agent);
    if (!ledger) this.agents.set(agent, (ledger = new BudgetLedger(this.policy.agents?.[agent] ?? this.policy.agents?.['*'] ?? {})));
    return ledger;
  }

  private exceeded(scope: 'workflow' | 'agent', owner: string, resource: BudgetResource, requested: number, remaining: number): BudgetGrant {
    this.env.observer.record({ type: 'budget.exceeded', workflowId: this.workflowId, scope, owner, resource, requested, remaining });
    return { ok: false };
  }
}
