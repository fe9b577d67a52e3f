import type { BudgetResource } from '../env/observer.js';

/** Limits of one budget (seed 002 `agent_budget`: tokens, time, calls; plus cost). Absent = unlimited. */
export type BudgetLimits = Partial<Record<BudgetResource, number>>;

/** Outcome of a reservation: granted, or refused with what remains. */
export type Reservation = { ok: true } | { ok: false; resource: BudgetResource; requested: number; remaining: number };

/**
 * A budget that is never exceeded: usage is reserved before it is spent and
 * a reservation that would pass a limit is refused (the caller halts, seed
 * 002 `halt_workflow(…, "budget_exceeded")`). Spent usage below the reserved
 * amount is released.
 */
export class BudgetLedger {
  private readonly used = new Map<BudgetResource, number>();
  private readonly reserved = new Map<BudgetResource, number>();

  constructor(readonly limits: BudgetLimits) {}

  /** What is left of `resource` after usage and reservations (Infinity when unlimited). */
  remaining(resource: BudgetResource): number {
    const limit = this.limits[resource];
    if (limit === undefined) return Number.POSITIVE_INFINITY;
    return Math.round((limit - (this.used.get(resource) ?? 0) - (this.reserved.get(resource) ?? 0)) * 1e9) / 1e9;
  }

  /** Reserves `amounts` all together, or nothing when one would pass its limit. */
  reserve(amounts: Partial<Record<BudgetResource, number>>): Reservation {
    for (const [resource, amount] of Object.entries(amounts) as [BudgetResource, number][]) {
      const remaining = this.remaining(resource);
      if (amount > remaining) return { ok: false, resource, requested: amount, remaining };
    }
    for (const [resource, amount] of Object.entries(amounts) as [BudgetResource, number][]) {
      this.reserved.set(resource, (this.reserved.get(resource) ?? 0) + amount);
    }
    return { ok: true };
  }

  /** Turns a reservation into usage: `spent` (≤ reserved) is charged, the rest released. Returns totals used. */
  settle(reservedAmounts: Partial<Record<BudgetResource, number>>, spent: Partial<Record<BudgetResource, number>>): Partial<Record<BudgetResource, number>> {
    const totals: Partial<Record<BudgetResource, number>> = {};
    for (const [resource, amount] of Object.entries(reservedAmounts) as [BudgetResource, number][]) {
      this.reserved.set(resource, Math.max(0, (this.reserved.get(resource) ?? 0) - amount));
      const charge = Math.min(amount, spent[resource] ?? 0);
      // Rounded to 1e-9 so that sums of fractional costs do not drift past a limit.
      this.used.set(resource, Math.round(((this.used.get(resource) ?? 0) + charge) * 1e9) / 1e9);
      totals[resource] = this.used.get(resource);
    }
    return totals;
  }

  /** Usage charged so far. */
  usedOf(resource: BudgetResource): number {
    return this.used.get(resource) ?? 0;
  }
}
