import type { AgentBehaviour, AgentSpec } from '../core/agents/types.js';
import type { Distribution } from '../core/env/random.js';
import type { HandoffPolicy } from '../core/handoff/handoff-policy.js';
import type { SupervisorPolicy } from '../core/supervisor/supervisor-policy.js';
import type { WorkflowSpec } from '../core/workflow/types.js';
import type { SimBehaviourOptions } from './agents/sim-behaviour.js';
import type { ScriptedFault } from './faults/scripted-faults.js';
import type { LinkOptions } from './world/sim-network.js';

/** An agent of the simulated world: its spec and its simulated behaviour. */
export interface SimAgentOptions extends AgentSpec {
  behaviour?: SimBehaviourOptions;
}

/** The stream of workflow instances that arrive during a run. */
export interface WorkloadOptions {
  /** Workflow instances per run. Default 10. */
  instances?: number;
  /** Time between arrivals. Default exponential, mean 1,000 ms. */
  interArrivalMs?: Distribution;
  /** The user request each instance serves. */
  query?: string;
}

/** A directed link override. */
export interface LinkOverride extends LinkOptions {
  from: string;
  to: string;
}

/**
 * Everything a simulated run needs. Faults are off unless named here; every
 * default is listed where its option is declared.
 */
export interface SimulationOptions {
  seed: number;
  agents: SimAgentOptions[];
  workflow: WorkflowSpec;
  workload?: WorkloadOptions;
  policies?: { handoff?: HandoffPolicy; supervisor?: SupervisorPolicy };
  network?: { defaultLink?: LinkOptions; links?: LinkOverride[] };
  faults?: ScriptedFault[];
  limits?: { eventsMax?: number; simulatedMsMax?: number };
  /** Keep every event-log entry (replay); the hash is always computed. Default false. */
  retainLog?: boolean;
  /** Agent behaviours written in TypeScript, by agent name; they replace the simulated ones. */
  behaviours?: Record<string, AgentBehaviour>;
}

export const DEFAULT_WORKLOAD_INSTANCES = 10;
export const DEFAULT_INTER_ARRIVAL_MS: Distribution = { dist: 'exponential', mean: 1000 };
