/**
 * A fault on the scenario's timeline: starts `atMs` after the run starts and is
 * healed `forMs` later (a crash is followed by a restart).
 * - `partition`: cuts `groups[0]` from `groups[1]` (both ways unless `oneWay`);
 * - `crash`: crashes each node of `targets`, restarts it after `forMs`.
 */
export type ScriptedFault =
  | { kind: 'partition'; atMs: number; forMs: number; groups: [string[], string[]]; oneWay?: boolean }
  | { kind: 'crash'; atMs: number; forMs: number; targets: string[] };

/** Fault kinds a scenario may script. */
export const SCRIPTED_FAULT_KINDS = ['partition', 'crash'] as const;
