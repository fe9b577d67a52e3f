import type { CoreEvent } from '../../core/env/observer.js';
import { TraceIndex, type Checker, type Violation } from './violation.js';

/**
 * Budgets are never exceeded: the checker sums every charge itself, per
 * budget (scope, owner, resource), and flags the first charge that takes the
 * sum past the budget's limit. Refusals (`budget.exceeded`) are the budget working.
 */
export class BudgetChecker implements Checker {
  readonly name = 'budgets';
  private spent = new Map<string, number>();
  private flagged = new Set<string>();
  private traces = new TraceIndex();
  private violations: Omit<Violation, 'seed'>[] = [];

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type !== 'budget.charged') return;
    const key = `${event.scope}/${event.scope === 'workflow' ? event.workflowId : event.owner}/${event.resource}`;
    const total = (this.spent.get(key) ?? 0) + event.amount;
    this.spent.set(key, total);
    if (total <= event.limit + 1e-9 || this.flagged.has(key)) return;
    this.flagged.add(key);
    this.violations.push({
      checker: this.name,
      classification: 'correctness',
      atMs,
      traceId: this.traces.of(event.workflowId),
      story: `${event.workflowId}: ${event.scope} budget of ${event.owner} for ${event.resource} exceeded: ${round(total)} spent, limit ${event.limit}`,
    });
  }

  finish(): Omit<Violation, 'seed'>[] {
    return this.violations;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
