import type { SimulationOptions } from '../options.js';
import { clipToSafetyPhase } from './fault-plan.js';
import type { ScriptedFault } from './scripted-faults.js';
import { DEFAULT_SWARM_LIVENESS_MS, DEFAULT_SWARM_SAFETY_MS, drawSwarmPlan, type SwarmTargets } from './swarm.js';

/** Length of the safety phase of a run: the scenario's, else the swarm default, else none. */
export function safetyPhaseMs(options: SimulationOptions): number | undefined {
  return options.phases?.safetyMs ?? (options.swarm ? DEFAULT_SWARM_SAFETY_MS : undefined);
}

/** Bound on the liveness phase: the scenario's, else the swarm default, else none (deadlock only). */
export function livenessBoundMs(options: SimulationOptions): number | undefined {
  return options.phases?.livenessMsMax ?? (options.swarm ? DEFAULT_SWARM_LIVENESS_MS : undefined);
}

/**
 * The whole fault plan of one run: the scripted faults plus, under `swarm`,
 * the faults drawn from the seed, clipped to the safety phase. Running the
 * options with `faults` set to this plan and no swarm reproduces the run.
 */
export function planFaults(options: SimulationOptions, targets: SwarmTargets): ScriptedFault[] {
  const safetyMs = safetyPhaseMs(options);
  const drawn = options.swarm ? drawSwarmPlan(options.swarm, options.seed, targets, safetyMs ?? DEFAULT_SWARM_SAFETY_MS) : [];
  return clipToSafetyPhase([...(options.faults ?? []), ...drawn], safetyMs);
}
