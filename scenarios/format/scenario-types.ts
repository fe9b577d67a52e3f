import type { Distribution } from '../../core/env/random.js';
import type { BackoffPolicy } from '../../core/resilience/backoff.js';
import type { DesignPolicies } from '../../core/policies/design-policies.js';
import type { RouterPolicy } from '../../core/routing/router-policy.js';
import type { SupervisorPolicy } from '../../core/supervisor/supervisor-policy.js';
import type { ScriptedFault } from '../../simulator/faults/scripted-faults.js';
import type { SwarmPreset } from '../../simulator/faults/swarm.js';
import type { RandomFaultRates } from '../../simulator/faults/random-faults.js';

/** A scenario file as written (after schema validation). */
export interface ScenarioFile {
  name: string;
  description?: string;
  agents: Record<
    string,
    {
      capabilities?: string[];
      maxConcurrent?: number;
      acceptsSchemaVersions?: number[];
      emitsSchemaVersion?: number;
      latencyMs?: Distribution;
      errorRatio?: number;
      outputTokens?: Distribution;
      promptTokens?: number;
      contextWindowTokens?: number;
      proficiency?: Record<string, number>;
      costPerKiloTokenUsd?: number;
      expectedTokens?: number;
    }
  >;
  workflow: { name: string; tasks: Record<string, { agent: string; capability?: string; dependsOn?: string[] }> };
  workload?: { instances?: number; interArrivalMs?: Distribution; query?: string };
  policies?: DesignPolicies & {
    handoff?: { ackTimeoutMs?: number; attemptsMax?: number; backoff?: BackoffPolicy };
    supervisor?: SupervisorPolicy;
    router?: RouterPolicy;
  };
  network?: {
    latencyMs?: Distribution;
    lossRatio?: number;
    links?: { from: string; to: string; latencyMs?: Distribution; lossRatio?: number }[];
  };
  /** Scripted faults; the simulator's ScriptedFault documents each kind. */
  faults?: ScriptedFault[];
  storage?: { operationMs?: number; replicaLagMs?: Distribution; writeFailureRatio?: number; syncDelayMs?: number };
  phases?: { safetyMs?: number; livenessMsMax?: number };
  swarm?: SwarmPreset;
  randomFaults?: RandomFaultRates;
  orchestrators?: { supervisorsCount?: number };
  limits?: { eventsMax?: number; simulatedMsMax?: number };
  assert?: string[];
}
