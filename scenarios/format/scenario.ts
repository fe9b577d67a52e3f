import type { SimulationOptions } from '../../simulator/options.js';
import { coreOptions } from './core-options.js';
import type { ScenarioFile } from './scenario-types.js';
import { worldOptions } from './world-options.js';

/** A validated scenario: its text (for run ids), its parsed form, and a hash of the text. */
export interface Scenario {
  file: string;
  text: string;
  contentHash: string;
  spec: ScenarioFile;
  /**
   * The `--set PATH=VALUE` overrides applied to the file, in order (`--swarm P`
   * is `swarm=P`): with `file`, what reproduces `text`, so a replay command can
   * name them.
   */
  overrides?: readonly string[];
}

/**
 * The simulator options of a scenario for one seed. Apart from the loader
 * (load-scenario.ts), so that what simulates an already validated scenario,
 * a sweep worker, loads neither the YAML parser nor the schema validator.
 */
export function simulationOptions(scenario: Scenario, seed: number): SimulationOptions {
  return { seed, ...coreOptions(scenario.spec), ...worldOptions(scenario.spec) };
}
