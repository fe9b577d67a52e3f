import type { Distribution } from '../../core/env/random.js';
import type { BackoffPolicy } from '../../core/resilience/backoff.js';

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
    }
  >;
  workflow: { name: string; tasks: Record<string, { agent: string; capability?: string; dependsOn?: string[] }> };
  workload?: { instances?: number; interArrivalMs?: Distribution; query?: string };
  policies?: {
    handoff?: { ackTimeoutMs?: number; attemptsMax?: number; backoff?: BackoffPolicy };
    supervisor?: { taskTimeoutMs?: number; taskAttemptsMax?: number; backoff?: BackoffPolicy };
  };
  network?: {
    latencyMs?: Distribution;
    lossRatio?: number;
    links?: { from: string; to: string; latencyMs?: Distribution; lossRatio?: number }[];
  };
  faults?: (
    | { kind: 'partition'; atMs: number; forMs: number; groups: [string[], string[]]; oneWay?: boolean }
    | { kind: 'crash'; atMs: number; forMs: number; targets: string[] }
  )[];
  limits?: { eventsMax?: number; simulatedMsMax?: number };
  assert?: string[];
}
