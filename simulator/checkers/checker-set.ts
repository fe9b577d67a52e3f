import { livenessBoundMs } from '../faults/run-plan.js';
import type { SimulationOptions } from '../options.js';
import { BudgetChecker } from './budget-checker.js';
import { ContextWindowChecker } from './context-window-checker.js';
import { DagOrderChecker } from './dag-order-checker.js';
import { EffectOnceChecker } from './effect-once-checker.js';
import { IntegrityChecker } from './integrity-checker.js';
import { LivenessChecker } from './liveness-checker.js';
import { LostHandoffChecker } from './lost-handoff-checker.js';
import { SingleAssignmentChecker } from './single-assignment-checker.js';
import { StaleReadChecker } from './stale-read-checker.js';
import type { Checker } from './violation.js';

/** Every invariant checker of DESIGN.md, set up for one run. */
export function createCheckers(options: SimulationOptions): Checker[] {
  const accepts = new Map(options.agents.map((agent) => [agent.name, agent.acceptsSchemaVersions ?? [1]]));
  return [
    new DagOrderChecker(options.workflow),
    new LostHandoffChecker(),
    new EffectOnceChecker(),
    new SingleAssignmentChecker(),
    new StaleReadChecker(),
    new IntegrityChecker(accepts),
    new BudgetChecker(),
    new ContextWindowChecker(),
    new LivenessChecker(livenessBoundMs(options)),
  ];
}

/**
 * Every name a violation's `checker` can carry: the checkers above plus the
 * harness's own `limits` (a run hit its event or time limit) and `crash` (the
 * run threw). Reports list them so each gets a row even with no violation.
 */
export const CHECKER_NAMES = [
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
