import type { SimulationOptions } from '../../simulator/options.js';
import type { ScenarioFile } from './scenario-types.js';

/** The simulated world of a scenario: network, faults, storage, phases, swarm, orchestrators and limits. */
export function worldOptions(
  spec: ScenarioFile,
): Pick<SimulationOptions, 'network' | 'faults' | 'limits' | 'storage' | 'phases' | 'swarm' | 'randomFaults' | 'supervisorsCount'> {
  return {
    network: {
      defaultLink: { latencyMs: spec.network?.latencyMs, lossRatio: spec.network?.lossRatio },
      links: spec.network?.links,
    },
    faults: spec.faults,
    limits: spec.limits,
    storage: spec.storage,
    phases: spec.phases,
    swarm: spec.swarm,
    randomFaults: spec.randomFaults,
    supervisorsCount: spec.orchestrators?.supervisorsCount,
  };
}

/**
 * Names a scenario may use for racing supervisors in fault targets:
 * `supervisor`, `supervisor-2`, … `supervisor-N` (core names its instances so).
 */
export function supervisorNodes(count: number): string[] {
  return Array.from({ length: count }, (_, index) => (index === 0 ? 'supervisor' : `supervisor-${index + 1}`));
}
