import type { Tracer } from '@opentelemetry/api';
import type { Violation } from '../checkers/violation.js';
import { livenessBoundMs, safetyPhaseMs } from '../faults/run-plan.js';
import type { ScriptedFault } from '../faults/scripted-faults.js';
import type { SimulationOptions } from '../options.js';
import { simulate, type SimulationResult } from '../simulate.js';

/** Simulations a shrink may run by default (each is one seed in virtual time). */
export const DEFAULT_SHRINK_RUNS_MAX = 300;

/** Window lengths are scaled in thousandths: 1000 keeps a window, 1 keeps 0.1% of it. */
const SCALE_FULL = 1000;

/** What to shrink. */
export interface ShrinkRequest {
  /** The failing run's options (scripted faults and/or a swarm preset). */
  options: SimulationOptions;
  /** A fresh tracer for a seed (ids seeded as in a normal run). */
  tracerFor: (seed: number) => Tracer;
  /** Budget of simulations. Default 300. */
  runsMax?: number;
  /** Checker whose violation must be kept. Default: the first violation's checker. */
  checker?: string;
}

/** The smallest plan found. */
export interface ShrinkResult {
  /** The invariant kept failing. */
  checker: string;
  original: ScriptedFault[];
  shrunk: ScriptedFault[];
  /** The violation the shrunk plan still produces. */
  violation: Violation;
  /** Options that reproduce it: the shrunk plan as a script, no swarm. */
  options: SimulationOptions;
  runs: number;
}

/** One fault of a candidate plan: which fault of the original, and how much of its window. */
interface Pick {
  index: number;
  scale: number;
}

/**
 * Searches for the smallest fault plan (fewest faults, shortest windows) that
 * still violates the same invariant as the failing run, with fast-check's
 * shrinking: the original plan is the first example, a candidate is a list of
 * (fault, window scale) picks, and fast-check removes picks and scales windows
 * down while the property "the invariant holds" keeps failing. The result is
 * replayable as a script: same seed, `faults` = the shrunk plan, no swarm.
 * Returns undefined when the run does not fail.
 */
export async function shrinkFaultPlan(request: ShrinkRequest): Promise<ShrinkResult | undefined> {
  const first = await simulate({ ...request.options, retainLog: false }, request.tracerFor(request.options.seed));
  const checker = request.checker ?? first.violations[0]?.checker;
  if (checker === undefined || !first.violations.some((violation) => violation.checker === checker)) return undefined;
  const original = first.faultPlan;
  const runsMax = request.runsMax ?? DEFAULT_SHRINK_RUNS_MAX;
  let runs = 1;
  const scripted = (plan: ScriptedFault[]): SimulationOptions => ({
    ...request.options,
    swarm: undefined,
    randomFaults: undefined,
    faults: plan,
    // The swarm's phase defaults become explicit, so the script checks exactly what the swarm run checked.
    phases: { ...request.options.phases, safetyMs: safetyPhaseMs(request.options), livenessMsMax: livenessBoundMs(request.options) },
    retainLog: false,
  });
  const violationOf = (result: SimulationResult) => result.violations.find((violation) => violation.checker === checker);
  let best: { plan: ScriptedFault[]; violation: Violation } | undefined;
  const stillFails = async (plan: ScriptedFault[]): Promise<boolean> => {
    if (runs >= runsMax) return false;
    runs++;
    const result = await simulate(scripted(plan), request.tracerFor(request.options.seed));
    const violation = violationOf(result);
    if (violation && (best === undefined || smaller(plan, best.plan))) best = { plan, violation };
    return violation !== undefined;
  };
  if (original.length > 0) {
    // Loaded on demand: only shrinking needs fast-check, the rest of baton runs without it.
    const { default: fc } = await import('fast-check');
    const picks = fc.array(fc.record({ index: fc.nat({ max: original.length - 1 }), scale: fc.integer({ min: 1, max: SCALE_FULL }) }), {
      maxLength: original.length,
    });
    const everything: Pick[] = original.map((_, index) => ({ index, scale: SCALE_FULL }));
    await fc.check(
      fc.asyncProperty(picks, async (candidate) => !(await stillFails(planOf(original, candidate)))),
      { examples: [[everything]], numRuns: 1, seed: request.options.seed, endOnFailure: false },
    );
  }
  if (best === undefined) {
    // The full plan as a script did not reproduce (or the budget ran out first): report the original.
    const violation = violationOf(first)!;
    return { checker, original, shrunk: original, violation, options: scripted(original), runs };
  }
  return { checker, original, shrunk: best.plan, violation: best.violation, options: scripted(best.plan), runs };
}

/** The plan a candidate names: each original fault once (first pick wins), its window scaled, in time order. */
function planOf(original: readonly ScriptedFault[], picks: readonly Pick[]): ScriptedFault[] {
  const seen = new Set<number>();
  const plan: { index: number; fault: ScriptedFault }[] = [];
  for (const pick of picks) {
    if (seen.has(pick.index)) continue;
    seen.add(pick.index);
    const fault = original[pick.index];
    plan.push({ index: pick.index, fault: { ...fault, forMs: Math.max(1, Math.round((fault.forMs * pick.scale) / SCALE_FULL)) } });
  }
  return plan.sort((a, b) => a.fault.atMs - b.fault.atMs || a.index - b.index).map((entry) => entry.fault);
}

/** Fewer faults first, then less total window time. */
function smaller(a: readonly ScriptedFault[], b: readonly ScriptedFault[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  const total = (plan: readonly ScriptedFault[]) => plan.reduce((sum, fault) => sum + fault.forMs, 0);
  return total(a) < total(b);
}
