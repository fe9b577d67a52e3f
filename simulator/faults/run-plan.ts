import type { SimulationOptions } from '../options.js';
import { SeededRandom } from '../random/seeded-random.js';
import { clipToSafetyPhase } from './fault-plan.js';
import { drawRandomFaults } from './random-faults.js';
import type { ScriptedFault } from './scripted-faults.js';
import { DEFAULT_SWARM_LIVENESS_MS, DEFAULT_SWARM_SAFETY_MS, drawSwarmPlan, type SwarmTargets } from './swarm.js';

/** True when the run draws random faults (a swarm preset or explicit rates). */
function drawsRandomFaults(options: SimulationOptions): boolean {
  return options.swarm !== undefined || options.randomFaults !== undefined;
}

/** Length of the safety phase of a run: the scenario's, else the random-fault default, else none. */
export function safetyPhaseMs(options: SimulationOptions): number | undefined {
  return options.phases?.safetyMs ?? (drawsRandomFaults(options) ? DEFAULT_SWARM_SAFETY_MS : undefined);
}

/** Bound on the liveness phase: the scenario's, else the random-fault default, else none (deadlock only). */
export function livenessBoundMs(options: SimulationOptions): number | undefined {
  return options.phases?.livenessMsMax ?? (drawsRandomFaults(options) ? DEFAULT_SWARM_LIVENESS_MS : undefined);
}

/**
 * The whole fault plan of one run: the scripted faults, the windows drawn
 * from `randomFaults` (the seed's `faults/random` stream) and, under `swarm`,
 * the swarm's, clipped to the safety phase. Running the options with `faults`
 * set to this plan and neither random option reproduces the run.
 */
export function planFaults(options: SimulationOptions, targets: SwarmTargets): ScriptedFault[] {
  const safetyMs = safetyPhaseMs(options) ?? DEFAULT_SWARM_SAFETY_MS;
  const byRate = options.randomFaults ? drawRandomFaults(options.randomFaults, new SeededRandom(options.seed).stream('faults/random'), targets, safetyMs) : [];
  const bySwarm = options.swarm ? drawSwarmPlan(options.swarm, options.seed, targets, safetyMs) : [];
  return clipToSafetyPhase([...(options.faults ?? []), ...byRate, ...bySwarm], safetyPhaseMs(options));
}
