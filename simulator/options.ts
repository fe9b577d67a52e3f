import type { AgentBehaviour, AgentSpec } from '../core/agents/types.js';
import type { Distribution } from '../core/env/random.js';
import type { HandoffPolicy } from '../core/handoff/handoff-policy.js';
import type { SupervisorPolicy } from '../core/supervisor/supervisor-policy.js';
import type { WorkflowSpec } from '../core/workflow/types.js';
import type { DesignPolicies } from '../core/policies/design-policies.js';
import type { RouterPolicy } from '../core/routing/router-policy.js';
import type { SimBehaviourOptions } from './agents/sim-behaviour.js';
import type { ScriptedFault } from './faults/scripted-faults.js';
import type { Transport } from '../core/env/transport.js';
import type { SwarmPreset } from './faults/swarm.js';
import type { RandomFaultRates } from './faults/random-faults.js';
import type { LinkOptions } from './world/sim-network.js';
import type { SimStorageOptions } from './world/sim-storage.js';

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
  /** Coordination policies (core/policies/design-policies.ts for `design`, core/routing for `router`). */
  policies?: { handoff?: HandoffPolicy; supervisor?: SupervisorPolicy; design?: DesignPolicies; router?: RouterPolicy };
  network?: { defaultLink?: LinkOptions; links?: LinkOverride[] };
  /** Scripted faults of the timeline (see ScriptedFault). Default none. */
  faults?: ScriptedFault[];
  /**
   * Draws a random fault plan from the seed with this preset, on top of `faults`.
   * Default none (no random faults).
   */
  swarm?: SwarmPreset;
  /**
   * Random faults by rate (windows per minute of the safety phase, by kind),
   * drawn from the seed on top of `faults`. Default none.
   */
  randomFaults?: RandomFaultRates;
  /**
   * Safety phase (faults on) then liveness phase (faults healed). `safetyMs`:
   * every fault heals by then; default none (faults heal when their window ends),
   * 15,000 ms with `swarm` or `randomFaults`. `livenessMsMax`: after healing every workflow must
   * end within it; default none (only a deadlock at the end is a violation),
   * 120,000 ms with `swarm` or `randomFaults`.
   */
  phases?: { safetyMs?: number; livenessMsMax?: number };
  /** The simulated store: latency, replica lag, write failures, sync delay. Default no faults. */
  storage?: SimStorageOptions;
  /** Supervisor instances racing for the same tasks (core creates them). Default 1. */
  supervisorsCount?: number;
  limits?: { eventsMax?: number; simulatedMsMax?: number };
  /** Keep every event-log entry (replay); the hash is always computed. Default false. */
  retainLog?: boolean;
  /** Agent behaviours written in TypeScript, by agent name; they replace the simulated ones. */
  behaviours?: Record<string, AgentBehaviour>;
  /** Wraps the transport core sees (tests inject broken delivery this way). Default none. */
  wrapTransport?: (transport: Transport) => Transport;
}

export const DEFAULT_SUPERVISORS_COUNT = 1;

export const DEFAULT_WORKLOAD_INSTANCES = 10;
export const DEFAULT_INTER_ARRIVAL_MS: Distribution = { dist: 'exponential', mean: 1000 };
