import type { SimulationOptions } from '../../simulator/options.js';
import type { ScenarioFile } from './scenario-types.js';

/** The simulated world of a scenario: network, faults and limits. */
export function worldOptions(spec: ScenarioFile): Pick<SimulationOptions, 'network' | 'faults' | 'limits'> {
  return {
    network: {
      defaultLink: { latencyMs: spec.network?.latencyMs, lossRatio: spec.network?.lossRatio },
      links: spec.network?.links,
    },
    faults: spec.faults,
    limits: spec.limits,
  };
}
